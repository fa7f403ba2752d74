/**
 * Privilege checks (PostgreSQL's aclchk.c): whether the current user, through the roles whose
 * privileges it inherits and PUBLIC, holds a privilege on a relation or schema. Superusers pass
 * every check without one.
 */
import type { Snapshot } from '../access/api.js';
import { aclAllows, defaultAcl, type AclObjectKind } from '../utils/acl.js';
import { PgError } from '../utils/errors.js';
import type { CatalogStore } from './catalog.js';
import { RelOid } from './oids.js';
import type { RelationInfo } from './relcache.js';
import { memberships, rolesOf } from './role-membership.js';

const PG_DATABASE_OWNER_ID = 6171;
const PG_CATALOG_NAMESPACE = 11;

export interface CheckingUser {
  oid: number;
  superuser: boolean;
}

/** One privilege a statement needs on one relation (a letter of `allPrivileges`). */
export interface PermissionRequest {
  rel: RelationInfo;
  privilege: string;
  /**
   * The columns used (attnums), for SELECT, INSERT and UPDATE: without the table-wide privilege,
   * column privileges on all of them suffice (on any one column when the set is empty).
   */
  columns?: Set<number>;
}

/** Records that the statement reads column `attnum` of relation `tableOid`. */
export function noteColumnRead(
  requests: PermissionRequest[] | undefined,
  tableOid: number,
  attnum: number,
): void {
  if (!requests || attnum <= 0) return;
  for (const r of requests)
    if (r.privilege === 'r' && r.rel.oid === tableOid) (r.columns ??= new Set()).add(attnum);
}

/** Whether column privileges of `rel` give `roles` the requested privilege. */
function columnsAllow(roles: EffectiveRoles, req: PermissionRequest): boolean {
  if (!req.columns || !'raw'.includes(req.privilege)) return false;
  const allows = (acl: string[] | null): boolean =>
    acl !== null && aclAllows(acl, roles.names, req.privilege);
  const cols = req.rel.columns;
  if (req.columns.size === 0) return cols.some((c) => allows(c.acl));
  return [...req.columns].every((n) => allows(cols.find((c) => c.attnum === n)?.acl ?? null));
}

/** The roles whose privileges `user` has: itself, inherited memberships, pg_database_owner. */
export interface EffectiveRoles {
  oids: Set<number>;
  names: Set<string>;
  nameOf(oid: number): string;
}

export function effectiveRoles(
  store: CatalogStore,
  snapshot: Snapshot,
  user: number,
): EffectiveRoles {
  const names = new Map<number, string>();
  const noInherit = new Set<number>();
  for (const { rec } of store.scan(RelOid.pg_authid, snapshot)) {
    names.set(rec.oid as number, rec.rolname as string);
    if (rec.rolinherit !== true) noInherit.add(rec.oid as number);
  }
  const all = memberships(store, snapshot);
  const db = store.find(RelOid.pg_database, snapshot, (r) => r.oid === store.db.oid);
  // The database's owner is implicitly a member of pg_database_owner (and what it belongs to).
  if (db) all.push({ roleid: PG_DATABASE_OWNER_ID, member: db.rec.datdba as number, admin: false });
  const oids = rolesOf(all, user, noInherit);
  return {
    oids,
    names: new Set([...oids].map((o) => names.get(o) ?? '')),
    nameOf: (o) => names.get(o) ?? String(o),
  };
}

const relationNoun: Record<string, string> = {
  r: 'table',
  p: 'table',
  v: 'view',
  S: 'sequence',
  m: 'materialized view',
  i: 'index',
  f: 'foreign table',
};

function permissionDenied(noun: string, name: string): PgError {
  return new PgError('42501', `permission denied for ${noun} ${name}`);
}

/** Whether `roles` hold `privilege` under `acl` (NULL: the owner's default ACL). */
export function holds(
  roles: EffectiveRoles,
  acl: string[] | null,
  kind: AclObjectKind,
  owner: number,
  privilege: string,
  grantOption = false,
): boolean {
  // Owners hold grant options on their objects implicitly.
  if (grantOption && roles.oids.has(owner)) return true;
  return aclAllows(
    acl ?? defaultAcl(kind, roles.nameOf(owner)),
    roles.names,
    privilege,
    grantOption,
  );
}

/** Throws 42501 unless `user` holds every requested privilege. */
export function checkRelationPermissions(
  store: CatalogStore,
  snapshot: Snapshot,
  user: CheckingUser,
  requests: readonly PermissionRequest[],
): void {
  if (user.superuser || requests.length === 0) return;
  const roles = effectiveRoles(store, snapshot, user.oid);
  for (const req of requests) {
    const { rel, privilege } = req;
    // The system catalogs are readable by everyone, except pg_authid (it holds passwords).
    if (rel.namespace === PG_CATALOG_NAMESPACE && rel.acl === null && privilege === 'r')
      if (rel.name !== 'pg_authid') continue;
    const kind = rel.kind === 'S' ? 'sequence' : 'table';
    if (!holds(roles, rel.acl, kind, rel.owner, privilege) && !columnsAllow(roles, req))
      throw permissionDenied(relationNoun[rel.kind] ?? 'relation', rel.name);
  }
}

/** Throws 42501 unless `user` holds `privilege` (U usage, C create) on schema `nsOid`. */
export function checkSchemaPermission(
  store: CatalogStore,
  snapshot: Snapshot,
  user: CheckingUser,
  nsOid: number,
  privilege: 'U' | 'C',
): void {
  if (user.superuser) return;
  const ns = store.find(RelOid.pg_namespace, snapshot, (r) => r.oid === nsOid);
  if (!ns) return;
  const roles = effectiveRoles(store, snapshot, user.oid);
  const acl = (ns.rec.nspacl as string[] | null) ?? null;
  if (!holds(roles, acl, 'schema', ns.rec.nspowner as number, privilege))
    throw permissionDenied('schema', ns.rec.nspname as string);
}

/** Whether `user` owns the object (directly or through a role it inherits), or is superuser. */
export function isOwner(
  store: CatalogStore,
  snapshot: Snapshot,
  user: CheckingUser,
  owner: number,
): boolean {
  return user.superuser || effectiveRoles(store, snapshot, user.oid).oids.has(owner);
}

/** DDL on a relation is for its owner: throws 42501 "must be owner of table t" otherwise. */
export function requireRelationOwner(
  store: CatalogStore,
  snapshot: Snapshot,
  user: CheckingUser,
  rel: RelationInfo,
): void {
  if (isOwner(store, snapshot, user, rel.owner)) return;
  throw new PgError(
    '42501',
    `must be owner of ${relationNoun[rel.kind] ?? 'relation'} ${rel.name}`,
  );
}
