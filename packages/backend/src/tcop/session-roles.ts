/**
 * Who a session is: the authenticated role, the session user (SET SESSION AUTHORIZATION) and the
 * current user (SET ROLE). Both are kept as the settings `session_authorization` and `role`, so
 * SET LOCAL, RESET and transaction rollback treat them like any parameter; this class checks
 * the changes PostgreSQL allows and keeps `is_superuser` in step.
 */
import type { Snapshot } from '../access/api.js';
import type { CatalogStore } from '../catalog/catalog.js';
import { RelOid } from '../catalog/oids.js';
import { isMemberOf } from '../catalog/role-membership.js';
import { roleFromRecord, type RoleInfo } from '../catalog/roles.js';
import { PgError } from '../utils/errors.js';
import type { SessionSettings } from '../utils/guc.js';

export interface SessionRole {
  oid: number;
  name: string;
  superuser: boolean;
}

export class SessionRoles {
  /** Role lookups by name, dropped whenever the catalogs may have changed. */
  private readonly cache = new Map<string, RoleInfo | undefined>();
  private cachedAt = -1;

  constructor(
    private readonly store: CatalogStore,
    private readonly settings: SessionSettings,
    private readonly authenticated: SessionRole,
    /** Changes whenever the catalogs may have changed (the relation cache's generation). */
    private readonly generation: () => number,
    /** Runs a catalog read under a snapshot of the session's current transaction. */
    private readonly read: <R>(fn: (s: Snapshot) => R) => R,
  ) {
    settings.setHook('role', {
      check: (value) => this.checkSetRole(value),
      assigned: (_value, local) => this.syncSuperuser(local),
    });
    settings.setHook('session_authorization', {
      check: (value) => this.checkSetSessionAuthorization(value),
      assigned: (_value, local) => {
        // A new session user starts with no SET ROLE in effect.
        settings.assignDerived('role', 'none', local);
        this.syncSuperuser(local);
      },
    });
  }

  private lookup(name: string): RoleInfo | undefined {
    if (this.cachedAt !== this.generation()) {
      this.cache.clear();
      this.cachedAt = this.generation();
    }
    if (!this.cache.has(name)) {
      const t = this.read((s) => this.store.find(RelOid.pg_authid, s, (r) => r.rolname === name));
      this.cache.set(name, t ? roleFromRecord(t.rec) : undefined);
    }
    return this.cache.get(name);
  }

  private resolve(name: string, fallback: SessionRole): SessionRole {
    if (name === fallback.name) return fallback;
    const r = this.lookup(name);
    // A role dropped under us: behave as the role we fall back to rather than fail every query.
    return r ? { oid: r.oid, name: r.name, superuser: r.superuser } : fallback;
  }

  /** The session user. */
  get sessionUser(): SessionRole {
    return this.resolve(this.settings.getString('session_authorization'), this.authenticated);
  }

  /** The current user: whose privileges statements run with. */
  get currentUser(): SessionRole {
    const session = this.sessionUser;
    const role = this.settings.getString('role');
    return role === 'none' ? session : this.resolve(role, session);
  }

  private checkSetRole(value: string): void {
    if (value === 'none') return;
    const target = this.lookup(value);
    if (!target) throw new PgError('22023', `role "${value}" does not exist`);
    const session = this.sessionUser;
    if (session.superuser) return;
    const member = this.read((s) => isMemberOf(this.store, s, session.oid, target.oid));
    if (!member) throw new PgError('42501', `permission denied to set role "${value}"`);
  }

  private checkSetSessionAuthorization(value: string): void {
    const target = value === this.authenticated.name ? this.authenticated : this.lookup(value);
    if (!target) throw new PgError('22023', `role "${value}" does not exist`);
    // Only a role that logged in as a superuser may become someone else.
    if (target.oid !== this.authenticated.oid && !this.authenticated.superuser)
      throw new PgError('42501', 'permission denied to set session authorization');
  }

  private syncSuperuser(local: boolean): void {
    const superuser = this.currentUser.superuser;
    if (this.settings.getBool('is_superuser') !== superuser)
      this.settings.assignDerived('is_superuser', superuser ? 'on' : 'off', local);
  }
}
