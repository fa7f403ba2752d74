/**
 * ALTER TABLE: for now the constraint forms `pgbench -i` and schema tools use most — ADD [CONSTRAINT
 * name] PRIMARY KEY (…) / UNIQUE (…), building the index from the existing rows and, for a primary
 * key, marking its columns NOT NULL — with PostgreSQL's checks and messages.
 */
import type { AlterTableStmt, Constraint, Node } from 'libpg-query';
import { PgError, asPgError } from '../utils/errors.js';
import { RelOid } from '../catalog/oids.js';
import type { RelationInfo } from '../catalog/relcache.js';
import type { UtilityContext } from './context.js';
import {
  createIndexConstraint,
  markHasIndex,
  relationExists,
  uniqueRelationName,
} from './tablecmds.js';

function resolveTable(ctx: UtilityContext, stmt: AlterTableStmt): RelationInfo | undefined {
  const rv = stmt.relation!;
  const rel = ctx.relcache.resolve(
    rv.schemaname,
    rv.relname ?? '',
    ctx.env.searchPath,
    ctx.snapshot,
  );
  if (!rel) {
    if (stmt.missing_ok) {
      ctx.notice(`relation "${rv.relname}" does not exist, skipping`, '00000');
      return undefined;
    }
    throw new PgError('42P01', `relation "${rv.relname}" does not exist`);
  }
  if (rel.kind !== 'r') throw new PgError('42809', `"${rel.name}" is not a table`);
  return rel;
}

function keyNames(c: Constraint): string[] {
  return (c.keys ?? []).map((k: Node) => ('String' in k ? (k.String.sval ?? '') : ''));
}

async function addKeyConstraint(
  ctx: UtilityContext,
  rel: RelationInfo,
  c: Constraint,
): Promise<void> {
  const primary = c.contype === 'CONSTR_PRIMARY';
  if ((c.including ?? []).length > 0 || c.indexname)
    throw new PgError('0A000', 'ALTER TABLE … USING INDEX / INCLUDE is not supported yet');
  const names = keyNames(c);
  const attnums = names.map((n) => {
    const col = rel.columns.find((x) => x.name === n);
    // A primary key first marks its columns NOT NULL, which is where PostgreSQL notices.
    if (!col)
      throw new PgError(
        '42703',
        primary
          ? `column "${n}" of relation "${rel.name}" does not exist`
          : `column "${n}" named in key does not exist`,
      );
    return col.attnum;
  });
  if (primary && rel.indexes.some((ix) => ix.primary))
    throw new PgError('42P16', `multiple primary keys for table "${rel.name}" are not allowed`);
  if (c.conname && relationExists(ctx, rel.namespace, c.conname))
    throw new PgError('42P07', `relation "${c.conname}" already exists`);
  const name =
    c.conname ??
    uniqueRelationName(
      ctx,
      rel.namespace,
      primary ? `${rel.name}_pkey` : `${rel.name}_${names.join('_')}_key`,
    );
  ctx.catalogChanged();
  const ixOid = createIndexConstraint(
    ctx,
    rel.namespace,
    rel.oid,
    name,
    attnums,
    primary,
    rel.columns.map((col) => ({ name: col.name, type: col.type })),
  );

  // Build the index from the rows this transaction sees (the new catalog rows need a new command).
  ctx.txn.commandCounterIncrement();
  ctx.relcache.invalidate();
  const snapshot = ctx.txn.statementSnapshot();
  try {
    const fresh = ctx.relcache.byRelOid(rel.oid, snapshot)!;
    const index = fresh.indexes.find((ix) => ix.oid === ixOid)!;
    const positions = attnums.map((n) => fresh.columns.findIndex((col) => col.attnum === n));
    try {
      index.btree.build(
        ctx.txn,
        (function* () {
          for (const t of fresh.heap.scan(snapshot))
            yield { key: positions.map((p) => t.row[p] ?? null), rowId: t.rowId };
        })(),
      );
    } catch (err) {
      const e = asPgError(err);
      if (e.code === '23505') e.schema = rel.namespaceName;
      throw e;
    }
    if (primary) {
      // PostgreSQL verifies NOT NULL after building the index, so duplicates are reported first.
      for (const t of fresh.heap.scan(snapshot)) {
        positions.forEach((p, i) => {
          if ((t.row[p] ?? null) === null)
            throw new PgError(
              '23502',
              `column "${names[i]}" of relation "${rel.name}" contains null values`,
              { schema: rel.namespaceName, table: rel.name, column: names[i] },
            );
        });
      }
      for (const attnum of attnums) {
        const att = ctx.store.find(
          RelOid.pg_attribute,
          snapshot,
          (r) => r.attrelid === rel.oid && r.attnum === attnum,
        );
        if (att && att.rec.attnotnull !== true)
          await ctx.store.update(ctx.txn, snapshot, RelOid.pg_attribute, att, { attnotnull: true });
      }
    }
  } finally {
    snapshot.release();
  }
  await markHasIndex(ctx, rel.oid);
}

export async function alterTable(ctx: UtilityContext, stmt: AlterTableStmt): Promise<void> {
  if (stmt.objtype !== 'OBJECT_TABLE') throw new PgError('0A000', 'ALTER … is not supported yet');
  const rel = resolveTable(ctx, stmt);
  if (!rel) return;
  for (const node of stmt.cmds ?? []) {
    if (!('AlterTableCmd' in node)) continue;
    const cmd = node.AlterTableCmd;
    const def = cmd.def;
    if (
      cmd.subtype === 'AT_AddConstraint' &&
      def &&
      'Constraint' in def &&
      (def.Constraint.contype === 'CONSTR_PRIMARY' || def.Constraint.contype === 'CONSTR_UNIQUE')
    ) {
      await addKeyConstraint(ctx, rel, def.Constraint);
      continue;
    }
    const what = (cmd.subtype ?? 'AT_Unknown').replace(/^AT_/, '');
    throw new PgError('0A000', `ALTER TABLE ${what} is not supported yet`);
  }
}
