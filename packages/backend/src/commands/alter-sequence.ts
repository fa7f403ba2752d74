/**
 * ALTER SEQUENCE … OWNED BY table.column | NONE (what pg_dump writes after a serial column's
 * sequence): the sequence's 'a' dependency on a column, so it is dropped with it.
 */
import type { AlterSeqStmt } from 'libpg-query';
import { requireRelationOwner } from '../catalog/aclchk.js';
import { RelOid } from '../catalog/oids.js';
import { lookupRelation } from '../parser/analyze.js';
import { strVal } from '../parser/analyze-expr.js';
import { PgError } from '../utils/errors.js';
import { currentUser, type UtilityContext } from './context.js';
import { insertDepend } from './tablecmds.js';

export async function alterSequence(ctx: UtilityContext, stmt: AlterSeqStmt): Promise<void> {
  const rv = stmt.sequence!;
  let seq;
  try {
    seq = lookupRelation(ctx.env, rv);
  } catch (err) {
    if (stmt.missing_ok && err instanceof PgError && err.code === '42P01') {
      ctx.notice(`relation "${rv.relname}" does not exist, skipping`, '00000');
      return;
    }
    throw err;
  }
  if (seq.kind !== 'S') throw new PgError('42809', `"${seq.name}" is not a sequence`);
  requireRelationOwner(ctx.store, ctx.snapshot, currentUser(ctx), seq);
  for (const o of stmt.options ?? []) {
    if (!('DefElem' in o)) continue;
    if (o.DefElem.defname !== 'owned_by')
      throw new PgError(
        '0A000',
        `ALTER SEQUENCE … ${o.DefElem.defname ?? ''} is not supported yet`,
      );
    const arg = o.DefElem.arg;
    const names = arg && 'List' in arg ? (arg.List.items ?? []).map(strVal) : [];
    ctx.catalogChanged();
    await ctx.store.deleteWhere(
      ctx.txn,
      ctx.snapshot,
      RelOid.pg_depend,
      (r) =>
        r.classid === RelOid.pg_class &&
        r.objid === seq.oid &&
        r.refclassid === RelOid.pg_class &&
        r.deptype === 'a',
    );
    if (names.length === 1 && names[0]!.toLowerCase() === 'none') continue;
    if (names.length < 2)
      throw new PgError('42601', 'invalid OWNED BY option', {
        hint: 'Specify OWNED BY table.column or OWNED BY NONE.',
      });
    const column = names[names.length - 1]!;
    const table = lookupRelation(ctx.env, {
      relname: names[names.length - 2],
      ...(names.length > 2 ? { schemaname: names[names.length - 3] } : {}),
    });
    if (table.kind !== 'r')
      throw new PgError('42809', `sequence cannot be owned by relation "${table.name}"`);
    if (table.owner !== seq.owner)
      throw new PgError('55000', 'sequence must have same owner as table it is linked to');
    if (table.namespace !== seq.namespace)
      throw new PgError('55000', 'sequence must be in same schema as table it is linked to');
    const col = table.columns.find((c) => c.name === column);
    if (!col)
      throw new PgError('42703', `column "${column}" of relation "${table.name}" does not exist`);
    insertDepend(ctx, RelOid.pg_class, seq.oid, 0, RelOid.pg_class, table.oid, col.attnum, 'a');
  }
}
