/**
 * Deferred foreign-key checks of one session's transaction: which DEFERRABLE constraints wait for
 * COMMIT (INITIALLY DEFERRED, or SET CONSTRAINTS), and the row events waiting with them.
 */
import type { ConstraintsSetStmt } from 'libpg-query';
import type { ForeignKeyInfo } from '../catalog/relcache.js';
import type { ExecState } from '../executor/exec-select.js';
import { fireEvent, type RiEvent, type RiHost } from '../executor/ri-triggers.js';
import { PgError } from '../utils/errors.js';

/** A constraint SET CONSTRAINTS names, found in the catalogs. */
export interface NamedConstraint {
  oid: number;
  name: string;
  deferrable: boolean;
}

export class DeferredConstraints {
  private pending: RiEvent[] = [];
  /** SET CONSTRAINTS ALL: overrides every constraint's initial mode. */
  private all: boolean | undefined;
  /** SET CONSTRAINTS name …: overrides ALL and the initial mode. */
  private byOid = new Map<number, boolean>();

  isDeferred(fk: ForeignKeyInfo): boolean {
    if (!fk.deferrable) return false;
    return this.byOid.get(fk.oid) ?? this.all ?? fk.initiallyDeferred;
  }

  defer(event: RiEvent): void {
    this.pending.push(event);
  }

  /** Transaction end: modes and waiting events go. */
  reset(): void {
    this.pending = [];
    this.all = undefined;
    this.byOid.clear();
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /**
   * SET CONSTRAINTS: changes modes; constraints made IMMEDIATE have their waiting events checked
   * now, as PostgreSQL does.
   */
  async set(
    stmt: ConstraintsSetStmt,
    resolve: (name: string, schema: string | undefined) => NamedConstraint[],
    es: ExecState,
    host: RiHost,
  ): Promise<void> {
    const deferred = stmt.deferred === true;
    if (!stmt.constraints || stmt.constraints.length === 0) {
      this.all = deferred;
      this.byOid.clear();
    } else {
      const named: NamedConstraint[] = [];
      for (const n of stmt.constraints) {
        const rv = 'RangeVar' in n ? n.RangeVar : undefined;
        const name = rv?.relname ?? '';
        const found = resolve(name, rv?.schemaname);
        if (found.length === 0) throw new PgError('42704', `constraint "${name}" does not exist`);
        for (const c of found) {
          if (!c.deferrable) throw new PgError('42809', `constraint "${c.name}" is not deferrable`);
          named.push(c);
        }
      }
      for (const c of named) this.byOid.set(c.oid, deferred);
    }
    if (!deferred) await this.fire(es, host, (fk) => !this.isDeferred(fk));
  }

  /** Checks the waiting events of constraints `which` selects (at COMMIT: all of them). */
  async fire(
    es: ExecState,
    host: RiHost,
    which: (fk: ForeignKeyInfo) => boolean = () => true,
  ): Promise<void> {
    const now = this.pending.filter((e) => which(e.fk));
    this.pending = this.pending.filter((e) => !which(e.fk));
    for (const ev of now) await fireEvent(ev, es, { ...host, isDeferred: () => false });
  }
}
