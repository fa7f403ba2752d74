/**
 * FOREIGN KEY constraints (CREATE TABLE … REFERENCES, ALTER TABLE … ADD FOREIGN KEY): resolves the
 * referenced table and the unique constraint the key must match, checks the column types, writes
 * the pg_constraint row and its dependencies as PostgreSQL does, and (ALTER TABLE) checks the rows
 * already in the table.
 */
import type { Constraint } from 'libpg-query';
import type { Snapshot } from '../access/api.js';
import type { RelationInfo } from '../catalog/relcache.js';
import { RelOid } from '../catalog/oids.js';
import { validateForeignKey } from '../executor/ri-triggers.js';
import { strVal } from '../parser/analyze-expr.js';
import type { EvalContext } from '../parser/primnodes.js';
import { formatType, T, truncateIdentifier, typeByOid } from '../utils/adt/types.js';
import { PgError } from '../utils/errors.js';
import type { UtilityContext } from './context.js';
import { insertDepend } from './tablecmds.js';

/** The "=" operator of a type with itself (pg_constraint's conpfeqop & co.), where we know it. */
const equalityOperator: Record<number, number> = {
  [T.bool]: 91,
  [T.int2]: 94,
  [T.int4]: 96,
  [T.int8]: 410,
  [T.text]: 98,
  [T.varchar]: 98,
  [T.bpchar]: 1054,
  [T.numeric]: 1752,
  [T.float4]: 620,
  [T.float8]: 670,
  [T.date]: 1093,
  [T.timestamp]: 2060,
  [T.timestamptz]: 1320,
  [T.uuid]: 2972,
  [T.oid]: 607,
  [T.bytea]: 1955,
};

/** "=" between different integer types (left = the referenced column's type). */
const crossEquality: Record<string, number> = {
  [`${T.int8}:${T.int2}`]: 1868,
  [`${T.int8}:${T.int4}`]: 416,
  [`${T.int2}:${T.int8}`]: 1862,
  [`${T.int2}:${T.int4}`]: 532,
  [`${T.int4}:${T.int8}`]: 15,
  [`${T.int4}:${T.int2}`]: 533,
};

/** Whether values of the two types can be compared for a key match (a btree "=" between them). */
function comparable(a: number, b: number): boolean {
  if (a === b) return true;
  const ca = typeByOid(a).category;
  const cb = typeByOid(b).category;
  return ca === cb && (ca === 'N' || ca === 'S');
}

/** A free `base` name among the table's constraints (PostgreSQL's ChooseConstraintName). */
function chooseName(
  ctx: UtilityContext,
  snapshot: Snapshot,
  relOid: number,
  base: string,
  taken: Set<string>,
): string {
  const used = (n: string): boolean =>
    taken.has(n) ||
    ctx.store.find(
      RelOid.pg_constraint,
      snapshot,
      (r) => r.conrelid === relOid && r.conname === n,
    ) !== undefined;
  let name = truncateIdentifier(base);
  for (let i = 1; used(name); i++)
    name = truncateIdentifier(base.replace(/_fkey$/, '')) + `_fkey${i}`;
  return name;
}

/**
 * Adds one FOREIGN KEY constraint to table `childOid` (whose catalog rows this transaction may
 * just have written). `column` names the column of a column-level REFERENCES clause. Existing
 * rows are checked when `validate` asks for it and the constraint is not NOT VALID.
 */
export async function addForeignKey(
  ctx: UtilityContext,
  childOid: number,
  c: Constraint,
  opts: { column?: string; validate: boolean; evalContext?: EvalContext; taken?: Set<string> },
): Promise<void> {
  // A new command sees the catalog rows written so far (a table referencing itself, or a key
  // created by the same statement).
  ctx.txn.commandCounterIncrement();
  ctx.relcache.invalidate();
  const snapshot = ctx.txn.statementSnapshot();
  let child: RelationInfo;
  let parent: RelationInfo;
  let conOid: number;
  try {
    child = ctx.relcache.byRelOid(childOid, snapshot)!;
    const pk = c.pktable!;
    const found = ctx.relcache.resolve(
      pk.schemaname,
      truncateIdentifier(pk.relname ?? ''),
      ctx.env.searchPath,
      snapshot,
    );
    if (!found) throw new PgError('42P01', `relation "${pk.relname}" does not exist`);
    parent = found;
    if (parent.kind !== 'r')
      throw new PgError('42809', `referenced relation "${parent.name}" is not a table`);
    if (c.fk_matchtype === 'p') throw new PgError('0A000', 'MATCH PARTIAL not yet implemented');
    const findColumn = (rel: RelationInfo, name: string): RelationInfo['columns'][number] => {
      const col = rel.columns.find((x) => x.name === name);
      if (!col)
        throw new PgError(
          '42703',
          `column "${name}" referenced in foreign key constraint does not exist`,
        );
      return col;
    };
    const fkNames = opts.column !== undefined ? [opts.column] : (c.fk_attrs ?? []).map(strVal);
    const fkCols = fkNames.map((n) => findColumn(child, n));
    let pkCols: RelationInfo['columns'];
    let index: RelationInfo['indexes'][number] | undefined;
    if ((c.pk_attrs ?? []).length === 0) {
      index = parent.indexes.find((ix) => ix.primary);
      if (!index)
        throw new PgError('42704', `there is no primary key for referenced table "${parent.name}"`);
      pkCols = index.columns.map((n) => parent.columns.find((x) => x.attnum === n)!);
    } else {
      pkCols = (c.pk_attrs ?? []).map(strVal).map((n) => findColumn(parent, n));
      const wanted = new Set(pkCols.map((x) => x.attnum));
      index =
        wanted.size === pkCols.length
          ? parent.indexes.find(
              (ix) =>
                ix.unique &&
                ix.columns.length === wanted.size &&
                ix.columns.every((n) => wanted.has(n)),
            )
          : undefined;
      if (!index)
        throw new PgError(
          '42830',
          `there is no unique constraint matching given keys for referenced table "${parent.name}"`,
        );
    }
    const setColumns = (c.fk_del_set_cols ?? []).map(strVal).map((n) => {
      const col = findColumn(child, n);
      if (!fkCols.includes(col))
        throw new PgError(
          '42P10',
          `column "${n}" referenced in ON DELETE SET action must be part of foreign key`,
        );
      return col.attnum;
    });
    if (fkCols.length !== pkCols.length)
      throw new PgError(
        '42830',
        'number of referencing and referenced columns for foreign key disagree',
      );
    const taken = opts.taken ?? new Set<string>();
    let name: string;
    if (c.conname) {
      name = truncateIdentifier(c.conname);
      const exists =
        taken.has(name) ||
        ctx.store.find(
          RelOid.pg_constraint,
          snapshot,
          (r) => r.conrelid === childOid && r.conname === name,
        ) !== undefined;
      if (exists)
        throw new PgError(
          '42710',
          `constraint "${name}" for relation "${child.name}" already exists`,
        );
    } else {
      name = chooseName(ctx, snapshot, childOid, `${child.name}_${fkNames.join('_')}_fkey`, taken);
    }
    taken.add(name);
    for (let i = 0; i < fkCols.length; i++) {
      const f = fkCols[i]!;
      const p = pkCols[i]!;
      if (!comparable(f.type, p.type))
        throw new PgError('42804', `foreign key constraint "${name}" cannot be implemented`, {
          detail: `Key columns "${f.name}" and "${p.name}" are of incompatible types: ${formatType(f.type, -1)} and ${formatType(p.type, -1)}.`,
        });
    }
    ctx.catalogChanged();
    conOid = ctx.store.allocateOid();
    const eq = (t: number): number | undefined => equalityOperator[t];
    const pp = pkCols.map((p) => eq(p.type) ?? 0);
    ctx.store.insert(ctx.txn, RelOid.pg_constraint, {
      oid: conOid,
      conname: name,
      connamespace: child.namespace,
      contype: 'f',
      condeferrable: c.deferrable === true || c.initdeferred === true,
      condeferred: c.initdeferred === true,
      convalidated: c.skip_validation !== true,
      conrelid: childOid,
      contypid: 0,
      conindid: index.oid,
      conparentid: 0,
      confrelid: parent.oid,
      confupdtype: c.fk_upd_action || 'a',
      confdeltype: c.fk_del_action || 'a',
      confmatchtype: c.fk_matchtype === 'f' ? 'f' : 's',
      conislocal: true,
      coninhcount: 0,
      connoinherit: true,
      conkey: fkCols.map((x) => x.attnum),
      confkey: pkCols.map((x) => x.attnum),
      conpfeqop: fkCols.map((f, i) =>
        f.type === pkCols[i]!.type ? pp[i]! : (crossEquality[`${pkCols[i]!.type}:${f.type}`] ?? 0),
      ),
      conppeqop: pp,
      conffeqop: fkCols.map((f) => eq(f.type) ?? 0),
      confdelsetcols: setColumns.length > 0 ? setColumns : null,
    });
    for (const col of fkCols)
      insertDepend(
        ctx,
        RelOid.pg_constraint,
        conOid,
        0,
        RelOid.pg_class,
        childOid,
        col.attnum,
        'a',
      );
    insertDepend(ctx, RelOid.pg_constraint, conOid, 0, RelOid.pg_class, index.oid, 0, 'n');
    if (parent.oid !== childOid)
      for (const col of pkCols)
        insertDepend(
          ctx,
          RelOid.pg_constraint,
          conOid,
          0,
          RelOid.pg_class,
          parent.oid,
          col.attnum,
          'n',
        );
    // psql lists foreign keys of tables that have triggers (PostgreSQL's RI checks are triggers).
    for (const oid of new Set([childOid, parent.oid])) {
      const cls = ctx.store.find(RelOid.pg_class, snapshot, (r) => r.oid === oid);
      if (cls && cls.rec.relhastriggers !== true)
        await ctx.store.update(ctx.txn, snapshot, RelOid.pg_class, cls, { relhastriggers: true });
    }
  } finally {
    snapshot.release();
  }
  if (!opts.validate || c.skip_validation === true) return;
  ctx.txn.commandCounterIncrement();
  ctx.relcache.invalidate();
  const check = ctx.txn.statementSnapshot();
  try {
    const rel = ctx.relcache.byRelOid(childOid, check)!;
    const fk = rel.foreignKeys.find((f) => f.oid === conOid)!;
    await validateForeignKey(
      fk,
      rel,
      { txn: ctx.txn, snapshot: check, ctx: opts.evalContext! },
      { env: (s, paramTypes) => ({ ...ctx.env, snapshot: s, paramTypes }) },
    );
  } finally {
    check.release();
  }
}

/** Removes a constraint's pg_constraint row and the dependencies it recorded. */
export async function deleteConstraint(ctx: UtilityContext, conOid: number): Promise<void> {
  const { store, txn, snapshot } = ctx;
  await store.deleteWhere(txn, snapshot, RelOid.pg_constraint, (r) => r.oid === conOid);
  await store.deleteWhere(
    txn,
    snapshot,
    RelOid.pg_depend,
    (r) => r.classid === RelOid.pg_constraint && r.objid === conOid,
  );
}

/** FOREIGN KEY constraints that reference through index `indexOid` (a PRIMARY KEY or UNIQUE). */
export function foreignKeysUsingIndex(
  ctx: UtilityContext,
  indexOid: number,
): Array<{ oid: number; name: string; table: string }> {
  return [
    ...ctx.store.scan(
      RelOid.pg_constraint,
      ctx.snapshot,
      (r) => r.contype === 'f' && r.conindid === indexOid,
    ),
  ].map((c) => ({
    oid: c.rec.oid as number,
    name: c.rec.conname as string,
    table: relationName(ctx, c.rec.conrelid as number),
  }));
}

function relationName(ctx: UtilityContext, oid: number): string {
  const cls = ctx.store.find(RelOid.pg_class, ctx.snapshot, (r) => r.oid === oid);
  return (cls?.rec.relname as string | undefined) ?? String(oid);
}

/**
 * FOREIGN KEY constraints of tables outside `dropping` that reference a table in it: DROP must
 * refuse, or (CASCADE) drop those constraints.
 */
export function referencingForeignKeys(
  ctx: UtilityContext,
  dropping: Set<number>,
): Array<{ oid: number; name: string; table: string; referenced: string }> {
  return [
    ...ctx.store.scan(
      RelOid.pg_constraint,
      ctx.snapshot,
      (r) =>
        r.contype === 'f' &&
        dropping.has(r.confrelid as number) &&
        !dropping.has(r.conrelid as number),
    ),
  ]
    .sort((a, b) => (a.rec.oid as number) - (b.rec.oid as number))
    .map((c) => ({
      oid: c.rec.oid as number,
      name: c.rec.conname as string,
      table: relationName(ctx, c.rec.conrelid as number),
      referenced: relationName(ctx, c.rec.confrelid as number),
    }));
}

/**
 * ALTER TABLE … VALIDATE CONSTRAINT: checks the rows against a NOT VALID foreign key (or, through
 * `checkRows`, CHECK constraint) and marks it valid.
 */
export async function validateConstraint(
  ctx: UtilityContext,
  rel: RelationInfo,
  name: string,
  evalContext: EvalContext,
  checkRows: (name: string) => Promise<void>,
): Promise<void> {
  const con = ctx.store.find(
    RelOid.pg_constraint,
    ctx.snapshot,
    (r) => r.conrelid === rel.oid && r.conname === name,
  );
  if (!con)
    throw new PgError('42704', `constraint "${name}" of relation "${rel.name}" does not exist`);
  if (con.rec.contype !== 'f' && con.rec.contype !== 'c')
    throw new PgError(
      '42809',
      `constraint "${name}" of relation "${rel.name}" is not a foreign key or check constraint`,
    );
  if (con.rec.convalidated === true) return;
  const fk = rel.foreignKeys.find((f) => f.oid === con.rec.oid);
  if (con.rec.contype === 'c') await checkRows(name);
  else if (fk)
    await validateForeignKey(
      fk,
      rel,
      { txn: ctx.txn, snapshot: ctx.snapshot, ctx: evalContext },
      { env: (s, paramTypes) => ({ ...ctx.env, snapshot: s, paramTypes }) },
    );
  ctx.catalogChanged();
  await ctx.store.update(ctx.txn, ctx.snapshot, RelOid.pg_constraint, con, { convalidated: true });
}
