/**
 * VACUUM and ANALYZE. VACUUM removes the row versions no snapshot in any backend can still see,
 * with their index entries (storage's `vacuum`), for the named tables or every user table of the
 * database. ANALYZE checks its arguments: Tusk's planner keeps no statistics yet, so there is
 * nothing to collect. Options, their errors and the transaction-block rule follow PostgreSQL 15.
 */
import type { Node, VacuumStmt } from 'libpg-query';
import { PgError } from '../utils/errors.js';
import { RelOid } from '../catalog/oids.js';
import type { RelationInfo } from '../catalog/relcache.js';
import type { UtilityContext } from './context.js';

const VACUUM_OPTIONS = new Set([
  'verbose',
  'analyze',
  'freeze',
  'full',
  'disable_page_skipping',
  'skip_locked',
  'index_cleanup',
  'process_toast',
  'truncate',
  'parallel',
]);
const ANALYZE_OPTIONS = new Set(['verbose', 'skip_locked']);

export interface VacuumOutcome {
  tag: 'VACUUM' | 'ANALYZE';
}

export function vacuum(ctx: UtilityContext, stmt: VacuumStmt, inAnyBlock: boolean): VacuumOutcome {
  const isVacuum = stmt.is_vacuumcmd === true;
  const command = isVacuum ? 'VACUUM' : 'ANALYZE';
  let analyze = !isVacuum;
  for (const o of stmt.options ?? []) {
    if (!('DefElem' in o)) continue;
    const d = o.DefElem;
    const name = d.defname ?? '';
    if (!(isVacuum ? VACUUM_OPTIONS : ANALYZE_OPTIONS).has(name))
      throw new PgError('42601', `unrecognized ${command} option "${name}"`).at(d.location ?? -1);
    if (name === 'analyze') analyze = d.arg === undefined || !isFalse(d.arg);
  }
  if (isVacuum && inAnyBlock)
    throw new PgError('25001', 'VACUUM cannot run inside a transaction block');

  const targets: RelationInfo[] = [];
  for (const r of stmt.rels ?? []) {
    if (!('VacuumRelation' in r)) continue;
    const vr = r.VacuumRelation;
    const rv = vr.relation!;
    const rel = ctx.relcache.resolve(
      rv.schemaname,
      rv.relname ?? '',
      ctx.env.searchPath,
      ctx.snapshot,
    );
    if (!rel) throw new PgError('42P01', `relation "${rv.relname}" does not exist`);
    const cols = (vr.va_cols ?? []).map((c: Node) => ('String' in c ? (c.String.sval ?? '') : ''));
    if (cols.length > 0 && !analyze)
      throw new PgError('0A000', 'ANALYZE option must be specified when a column list is provided');
    for (const c of cols)
      if (!rel.columns.some((x) => x.name === c))
        throw new PgError('42703', `column "${c}" of relation "${rel.name}" does not exist`);
    if (rel.kind === 'r') targets.push(rel);
    else
      ctx.notice(
        `skipping "${rel.name}" --- cannot ${isVacuum ? 'vacuum' : 'analyze'} non-tables or special system tables`,
        '01000',
      );
  }
  if ((stmt.rels ?? []).length === 0) targets.push(...userTables(ctx));

  if (isVacuum) {
    for (const rel of targets)
      ctx.store.db.vacuum(
        rel.heap,
        rel.indexes.map((ix) => ix.btree),
      );
  }
  return { tag: command };
}

function isFalse(arg: Node): boolean {
  if ('Boolean' in arg) return arg.Boolean.boolval !== true;
  if ('Integer' in arg) return (arg.Integer.ival ?? 0) === 0;
  if ('String' in arg)
    return ['false', 'off', 'no', '0'].includes((arg.String.sval ?? '').toLowerCase());
  return false;
}

/** Every ordinary table outside pg_catalog and information_schema. */
function userTables(ctx: UtilityContext): RelationInfo[] {
  const out: RelationInfo[] = [];
  for (const t of ctx.store.scan(RelOid.pg_class, ctx.snapshot, (r) => r.relkind === 'r')) {
    const rel = ctx.relcache.byRelOid(t.rec.oid as number, ctx.snapshot);
    if (!rel || rel.namespaceName === 'pg_catalog' || rel.namespaceName === 'information_schema')
      continue;
    out.push(rel);
  }
  return out;
}
