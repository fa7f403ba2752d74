/**
 * ALTER TABLE, the forms schema migrations use most, with PostgreSQL's checks and messages:
 * ADD [CONSTRAINT name] PRIMARY KEY (…) / UNIQUE (…), building the index from the existing rows
 * and, for a primary key, marking its columns NOT NULL; ADD COLUMN [IF NOT EXISTS] (with DEFAULT,
 * NOT NULL, serial types, inline PRIMARY KEY / UNIQUE); ALTER COLUMN SET / DROP DEFAULT and
 * SET / DROP NOT NULL.
 *
 * ADD COLUMN rewrites every row as a new version holding the column's value (its default evaluated
 * per row, or NULL): stored rows are positional, so a row written before the column existed would
 * otherwise be short by one value. PostgreSQL avoids the rewrite for non-volatile defaults with
 * attmissingval; the rows a query sees are the same.
 */
import type { AlterTableCmd, AlterTableStmt, ColumnDef, Constraint, Node } from 'libpg-query';
import { requireRelationOwner } from '../catalog/aclchk.js';
import { PgError, asPgError } from '../utils/errors.js';
import { RelOid } from '../catalog/oids.js';
import type { RelationInfo } from '../catalog/relcache.js';
import type { UtilityContext } from './context.js';
import {
  checkDefault,
  columnDefinition,
  dropRelation,
  createIndexConstraint,
  insertCheckConstraint,
  insertColumn,
  markHasIndex,
  relationExists,
  uniqueRelationName,
  createSequenceObject,
  insertDepend,
  sequenceParams,
} from './tablecmds.js';
import type { EvalContext } from '../parser/primnodes.js';
import { resolveRoleSpec } from './user.js';
import {
  addForeignKey,
  deleteConstraint,
  foreignKeysUsingIndex,
  validateConstraint,
} from './foreign-key.js';
import { columnDefault, relationChecks } from '../parser/analyze.js';
import { compileExpr } from '../executor/compile-expr.js';
import { indexKey } from '../executor/exec-modify.js';
import { T, type Value } from '../utils/adt/types.js';
import { strVal } from '../parser/analyze-expr.js';

/** The relation ALTER names (undefined when IF EXISTS skipped a missing one). */
function resolveRelation(ctx: UtilityContext, stmt: AlterTableStmt): RelationInfo | undefined {
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
  requireRelationOwner(
    ctx.store,
    ctx.snapshot,
    { oid: ctx.userOid, superuser: ctx.superuser },
    rel,
  );
  return rel;
}

function resolveTable(ctx: UtilityContext, stmt: AlterTableStmt): RelationInfo | undefined {
  const rel = resolveRelation(ctx, stmt);
  if (rel && rel.kind !== 'r') throw new PgError('42809', `"${rel.name}" is not a table`);
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
          if ((t.row[p] ?? null) === null) throw containsNulls(rel, names[i]!);
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

/** The relation as the next command of this transaction sees it (after catalog changes). */
function refreshed(ctx: UtilityContext, oid: number): RelationInfo {
  ctx.txn.commandCounterIncrement();
  ctx.relcache.invalidate();
  const snapshot = ctx.txn.statementSnapshot();
  try {
    return ctx.relcache.byRelOid(oid, snapshot)!;
  } finally {
    snapshot.release();
  }
}

function containsNulls(rel: RelationInfo, column: string): PgError {
  return new PgError('23502', `column "${column}" of relation "${rel.name}" contains null values`, {
    schema: rel.namespaceName,
    table: rel.name,
    column,
  });
}

async function addColumn(
  ctx: UtilityContext,
  rel: RelationInfo,
  cd: ColumnDef,
  ifNotExists: boolean,
  evalContext: EvalContext,
): Promise<void> {
  const name = cd.colname ?? '';
  if (rel.columns.some((c) => c.name === name)) {
    if (ifNotExists) {
      ctx.notice(`column "${name}" of relation "${rel.name}" already exists, skipping`, '42701');
      return;
    }
    throw new PgError('42701', `column "${name}" of relation "${rel.name}" already exists`);
  }
  const { col, indexes, checks, foreignKeys } = columnDefinition(cd, rel.name);
  if (col.generated)
    throw new PgError('0A000', 'ADD COLUMN … GENERATED ALWAYS AS … STORED is not supported yet');
  if (checks.length > 0)
    throw new PgError('0A000', 'CHECK constraints in ADD COLUMN are not supported yet');
  if (!col.serialSequence) checkDefault(ctx, col);
  ctx.catalogChanged();
  let attnum = 0;
  for (const a of ctx.store.scan(RelOid.pg_attribute, ctx.snapshot, (r) => r.attrelid === rel.oid))
    attnum = Math.max(attnum, a.rec.attnum as number);
  attnum++;
  insertColumn(ctx, rel.namespace, rel.oid, attnum, col);
  const cls = ctx.store.find(RelOid.pg_class, ctx.snapshot, (r) => r.oid === rel.oid);
  if (cls)
    await ctx.store.update(ctx.txn, ctx.snapshot, RelOid.pg_class, cls, { relnatts: attnum });

  const fresh = refreshed(ctx, rel.oid);
  const position = fresh.columns.findIndex((c) => c.attnum === attnum);
  const snapshot = ctx.txn.statementSnapshot();
  try {
    const value = compileExpr(columnDefault({ ...ctx.env, snapshot }, fresh, position));
    // Every version this statement sees, read before the first is rewritten.
    const rows = [...fresh.heap.scan(snapshot)];
    for (const t of rows) {
      // A default can call an asynchronous function (pg_sleep); most return their value at once.
      const raw: unknown = value([], evalContext);
      const v = (raw instanceof Promise ? await raw : raw) as Value;
      if (v === null && col.notNull) throw containsNulls(fresh, name);
      const newRow: Value[] = fresh.columns.map((_, i) => (t.row[i] ?? null) as Value);
      newRow[position] = v;
      await fresh.heap.update(ctx.txn, snapshot, t.rowId, newRow, {
        keyUpdate: false,
        indexEntries: fresh.indexes.map((ix) => ({
          index: ix.btree,
          key: indexKey(fresh, ix.columns, newRow),
        })),
      });
    }
  } finally {
    snapshot.release();
  }
  for (const ix of indexes) {
    const c: Constraint = {
      contype: ix.primary ? 'CONSTR_PRIMARY' : 'CONSTR_UNIQUE',
      keys: [{ String: { sval: name } }],
      ...(ix.name === undefined ? {} : { conname: ix.name }),
    };
    await addKeyConstraint(ctx, refreshed(ctx, rel.oid), c);
  }
  for (const fk of foreignKeys)
    await addForeignKey(ctx, rel.oid, fk, { validate: true, evalContext });
}

function columnNamed(rel: RelationInfo, cmd: AlterTableCmd): RelationInfo['columns'][number] {
  const col = rel.columns.find((c) => c.name === cmd.name);
  if (!col)
    throw new PgError(
      '42703',
      `column "${cmd.name ?? ''}" of relation "${rel.name}" does not exist`,
    );
  return col;
}

async function setColumnDefault(
  ctx: UtilityContext,
  rel: RelationInfo,
  cmd: AlterTableCmd,
): Promise<void> {
  const col = columnNamed(rel, cmd);
  const node = cmd.def;
  if (node) {
    try {
      checkDefault(ctx, {
        name: col.name,
        type: col.type,
        typmod: col.typmod,
        notNull: col.notNull,
        defaultNode: node,
        serialSequence: undefined,
        identity: '',
        location: -1,
      });
    } catch (err) {
      // PostgreSQL reports errors in the new default without a position.
      if (err instanceof PgError) {
        err.position = undefined;
        err.byteLocation = undefined;
      }
      throw err;
    }
  }
  ctx.catalogChanged();
  await ctx.store.deleteWhere(
    ctx.txn,
    ctx.snapshot,
    RelOid.pg_attrdef,
    (r) => r.adrelid === rel.oid && r.adnum === col.attnum,
  );
  if (node) {
    ctx.store.insert(ctx.txn, RelOid.pg_attrdef, {
      oid: ctx.store.allocateOid(),
      adrelid: rel.oid,
      adnum: col.attnum,
      adbin: JSON.stringify(node),
    });
  }
  await updateAttribute(ctx, rel, col.attnum, { atthasdef: node !== undefined });
}

async function updateAttribute(
  ctx: UtilityContext,
  rel: RelationInfo,
  attnum: number,
  changes: Record<string, unknown>,
): Promise<void> {
  const att = ctx.store.find(
    RelOid.pg_attribute,
    ctx.snapshot,
    (r) => r.attrelid === rel.oid && r.attnum === attnum,
  );
  if (att) await ctx.store.update(ctx.txn, ctx.snapshot, RelOid.pg_attribute, att, changes);
}

async function setNotNull(
  ctx: UtilityContext,
  rel: RelationInfo,
  cmd: AlterTableCmd,
  notNull: boolean,
): Promise<void> {
  const col = columnNamed(rel, cmd);
  if (!notNull && rel.indexes.some((ix) => ix.primary && ix.columns.includes(col.attnum)))
    throw new PgError('42P16', `column "${col.name}" is in a primary key`);
  if (col.notNull === notNull) return;
  if (notNull) {
    const position = rel.columns.indexOf(col);
    for (const t of rel.heap.scan(ctx.snapshot))
      if ((t.row[position] ?? null) === null) throw containsNulls(rel, col.name);
  }
  ctx.catalogChanged();
  await updateAttribute(ctx, rel, col.attnum, { attnotnull: notNull });
}

/**
 * ALTER TABLE … ALTER COLUMN … ADD GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY [(options)] (the
 * form pg_dump writes): a new sequence, internal to the column.
 */
async function addIdentity(
  ctx: UtilityContext,
  rel: RelationInfo,
  cmd: AlterTableCmd,
  c: Constraint,
): Promise<void> {
  const col = columnNamed(rel, cmd);
  const where = `column "${col.name}" of relation "${rel.name}"`;
  if (col.type !== T.int2 && col.type !== T.int4 && col.type !== T.int8)
    throw new PgError('22023', 'identity column type must be smallint, integer, or bigint');
  if (!col.notNull)
    throw new PgError('55000', `${where} must be declared NOT NULL before identity can be added`);
  if (col.identity !== '') throw new PgError('55000', `${where} is already an identity column`);
  if (col.defaultSql !== undefined)
    throw new PgError('55000', `${where} already has a default value`);
  let ns = rel.namespace;
  let name: string | undefined;
  for (const o of c.options ?? []) {
    if (!('DefElem' in o) || o.DefElem.defname !== 'sequence_name') continue;
    const arg = o.DefElem.arg;
    const parts = arg && 'List' in arg ? (arg.List.items ?? []).map(strVal) : [];
    name = parts[parts.length - 1];
    if (parts.length > 1) {
      const found = ctx.relcache.namespaceOid(parts[parts.length - 2]!, ctx.snapshot);
      if (found === undefined)
        throw new PgError('3F000', `schema "${parts[parts.length - 2]}" does not exist`);
      ns = found;
    }
  }
  if (name !== undefined && relationExists(ctx, ns, name))
    throw new PgError('42P07', `relation "${name}" already exists`);
  const { params } = sequenceParams(c.options, col.type);
  ctx.catalogChanged();
  const seqName = name ?? uniqueRelationName(ctx, ns, `${rel.name}_${col.name}_seq`);
  const seqOid = createSequenceObject(ctx, ns, seqName, col.type, params);
  insertDepend(ctx, RelOid.pg_class, seqOid, 0, RelOid.pg_class, rel.oid, col.attnum, 'i');
  await updateAttribute(ctx, rel, col.attnum, {
    attidentity: c.generated_when === 'd' ? 'd' : 'a',
  });
}

/** ALTER TABLE … ADD [CONSTRAINT name] CHECK (…) [NOT VALID]: existing rows must pass it. */
async function addCheck(
  ctx: UtilityContext,
  rel: RelationInfo,
  c: Constraint,
  evalContext: EvalContext,
): Promise<void> {
  if (
    c.conname &&
    ctx.store.find(
      RelOid.pg_constraint,
      ctx.snapshot,
      (r) => r.conrelid === rel.oid && r.conname === c.conname,
    )
  )
    throw new PgError(
      '42710',
      `constraint "${c.conname}" for relation "${rel.name}" already exists`,
    );
  ctx.catalogChanged();
  const valid = c.skip_validation !== true;
  let name: string;
  try {
    name = insertCheckConstraint(
      ctx,
      rel.namespace,
      rel.oid,
      rel.name,
      rel.columns,
      { name: c.conname, column: undefined, expr: c.raw_expr!, location: c.location ?? -1 },
      new Set(),
      valid,
    );
  } catch (err) {
    // PostgreSQL reports errors in the new expression without a position.
    if (err instanceof PgError) {
      err.position = undefined;
      err.byteLocation = undefined;
    }
    throw err;
  }
  const cls = ctx.store.find(RelOid.pg_class, ctx.snapshot, (r) => r.oid === rel.oid);
  if (cls)
    await ctx.store.update(ctx.txn, ctx.snapshot, RelOid.pg_class, cls, {
      relchecks: (cls.rec.relchecks as number) + 1,
    });
  if (valid) await checkExistingRows(ctx, rel.oid, name, evalContext);
}

/** Every row of the table must satisfy CHECK constraint `name` (23514 names the constraint). */
async function checkExistingRows(
  ctx: UtilityContext,
  relOid: number,
  name: string,
  evalContext: EvalContext,
): Promise<void> {
  ctx.txn.commandCounterIncrement();
  ctx.relcache.invalidate();
  const snapshot = ctx.txn.statementSnapshot();
  try {
    const rel = ctx.relcache.byRelOid(relOid, snapshot)!;
    const check = relationChecks({ ...ctx.env, snapshot }, rel).find(
      (c) => c.generates === undefined && c.name === name,
    );
    if (!check) return;
    const test = compileExpr(check.expr);
    for (const t of rel.heap.scan(snapshot)) {
      let v: unknown = test(t.row as Value[], evalContext);
      if (v instanceof Promise) v = await v;
      if (v === false)
        throw new PgError(
          '23514',
          `check constraint "${name}" of relation "${rel.name}" is violated by some row`,
          { schema: rel.namespaceName, table: rel.name, constraint: name },
        );
    }
  } finally {
    snapshot.release();
  }
}

/**
 * ALTER TABLE … DROP CONSTRAINT: a foreign key or CHECK goes alone; a PRIMARY KEY or UNIQUE
 * constraint takes its index, and foreign keys that reference through it block it (or go too,
 * with CASCADE).
 */
async function dropConstraint(
  ctx: UtilityContext,
  rel: RelationInfo,
  cmd: AlterTableCmd,
): Promise<void> {
  const name = cmd.name ?? '';
  const con = ctx.store.find(
    RelOid.pg_constraint,
    ctx.snapshot,
    (r) => r.conrelid === rel.oid && r.conname === name,
  );
  if (!con) {
    if (cmd.missing_ok) {
      ctx.notice(
        `constraint "${name}" of relation "${rel.name}" does not exist, skipping`,
        '00000',
      );
      return;
    }
    throw new PgError('42704', `constraint "${name}" of relation "${rel.name}" does not exist`);
  }
  const conOid = con.rec.oid as number;
  const contype = con.rec.contype as string;
  ctx.catalogChanged();
  if (contype === 'p' || contype === 'u') {
    const indexOid = con.rec.conindid as number;
    const dependents = foreignKeysUsingIndex(ctx, indexOid);
    if (dependents.length > 0) {
      const indexName = rel.indexes.find((ix) => ix.oid === indexOid)?.name ?? name;
      const lines = dependents.map(
        (d) => `constraint ${d.name} on table ${d.table} depends on index ${indexName}`,
      );
      if (cmd.behavior !== 'DROP_CASCADE')
        throw new PgError(
          '2BP01',
          `cannot drop constraint ${name} on table ${rel.name} because other objects depend on it`,
          {
            detail: lines.join('\n'),
            hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
          },
        );
      const cascaded = dependents.map(
        (d) => `drop cascades to constraint ${d.name} on table ${d.table}`,
      );
      if (cascaded.length === 1) ctx.notice(cascaded[0]!, '00000');
      else
        ctx.notice(
          `drop cascades to ${cascaded.length} other objects`,
          '00000',
          cascaded.join('\n'),
        );
      for (const d of dependents) await deleteConstraint(ctx, d.oid);
    }
    await deleteConstraint(ctx, conOid);
    await dropRelation(ctx, indexOid);
    return;
  }
  await deleteConstraint(ctx, conOid);
  if (contype === 'c') {
    const cls = ctx.store.find(RelOid.pg_class, ctx.snapshot, (r) => r.oid === rel.oid);
    if (cls)
      await ctx.store.update(ctx.txn, ctx.snapshot, RelOid.pg_class, cls, {
        relchecks: Math.max(0, (cls.rec.relchecks as number) - 1),
      });
  }
}

/**
 * ALTER TABLE | SEQUENCE | VIEW … OWNER TO role: the relation and the indexes and sequences
 * that belong to it change owner (pg_dump writes one of these per object).
 */
async function changeOwner(
  ctx: UtilityContext,
  stmt: AlterTableStmt,
  cmd: AlterTableCmd,
): Promise<void> {
  const rel = resolveRelation(ctx, stmt);
  if (!rel) return;
  const want = { OBJECT_TABLE: 'r', OBJECT_SEQUENCE: 'S', OBJECT_VIEW: 'v' }[
    stmt.objtype as 'OBJECT_TABLE' | 'OBJECT_SEQUENCE' | 'OBJECT_VIEW'
  ];
  if (want !== undefined && want !== rel.kind && !(want === 'r' && rel.kind !== 'i'))
    throw new PgError(
      '42809',
      `"${rel.name}" is not a ${stmt.objtype === 'OBJECT_SEQUENCE' ? 'sequence' : 'view'}`,
    );
  const owner = resolveRoleSpec(ctx, cmd.newowner);
  const cls = ctx.store.find(RelOid.pg_class, ctx.snapshot, (r) => r.oid === rel.oid);
  if (!cls || cls.rec.relowner === owner.oid) return;
  if (rel.kind === 'S') {
    // A serial or identity column's sequence changes owner with its table only.
    const link = ctx.store.find(
      RelOid.pg_depend,
      ctx.snapshot,
      (r) =>
        r.classid === RelOid.pg_class &&
        r.objid === rel.oid &&
        r.refclassid === RelOid.pg_class &&
        (r.deptype === 'a' || r.deptype === 'i'),
    );
    const table = link
      ? ctx.store.find(RelOid.pg_class, ctx.snapshot, (r) => r.oid === link.rec.refobjid)
      : undefined;
    if (table)
      throw new PgError('0A000', `cannot change owner of sequence "${rel.name}"`, {
        detail: `Sequence "${rel.name}" is linked to table "${table.rec.relname as string}".`,
      });
  }
  if (!ctx.superuser) {
    if (cls.rec.relowner !== ctx.userOid)
      throw new PgError('42501', `must be owner of table ${rel.name}`);
    if (owner.oid !== ctx.userOid)
      throw new PgError('42501', `must be member of role "${owner.name}"`);
  }
  ctx.catalogChanged();
  // Its indexes and the sequences its columns own follow it.
  const dependents = new Set<number>([rel.oid]);
  for (const d of ctx.store.scan(
    RelOid.pg_depend,
    ctx.snapshot,
    (r) =>
      r.refclassid === RelOid.pg_class &&
      r.refobjid === rel.oid &&
      r.classid === RelOid.pg_class &&
      (r.deptype === 'a' || r.deptype === 'i'),
  ))
    dependents.add(d.rec.objid as number);
  for (const oid of dependents) {
    const row = ctx.store.find(RelOid.pg_class, ctx.snapshot, (r) => r.oid === oid);
    if (row)
      await ctx.store.update(ctx.txn, ctx.snapshot, RelOid.pg_class, row, { relowner: owner.oid });
  }
}

export async function alterTable(
  ctx: UtilityContext,
  stmt: AlterTableStmt,
  evalContext: EvalContext,
): Promise<void> {
  const cmds = (stmt.cmds ?? []).flatMap((n) => ('AlterTableCmd' in n ? [n.AlterTableCmd] : []));
  if (cmds.length === 1 && cmds[0]!.subtype === 'AT_ChangeOwner') {
    await changeOwner(ctx, stmt, cmds[0]!);
    return;
  }
  if (stmt.objtype !== 'OBJECT_TABLE') throw new PgError('0A000', 'ALTER … is not supported yet');
  let rel = resolveTable(ctx, stmt);
  if (!rel) return;
  let first = true;
  for (const node of stmt.cmds ?? []) {
    if (!('AlterTableCmd' in node)) continue;
    // Later subcommands read the catalogs as earlier ones left them.
    const snapshot = first ? ctx.snapshot : ctx.txn.statementSnapshot();
    first = false;
    try {
      rel = await alterTableCommand({ ...ctx, snapshot }, rel, node.AlterTableCmd, evalContext);
    } finally {
      if (snapshot !== ctx.snapshot) snapshot.release();
    }
  }
}

async function alterTableCommand(
  ctx: UtilityContext,
  rel: RelationInfo,
  cmd: AlterTableCmd,
  evalContext: EvalContext,
): Promise<RelationInfo> {
  {
    const def = cmd.def;
    if (
      cmd.subtype === 'AT_AddConstraint' &&
      def &&
      'Constraint' in def &&
      (def.Constraint.contype === 'CONSTR_PRIMARY' || def.Constraint.contype === 'CONSTR_UNIQUE')
    ) {
      await addKeyConstraint(ctx, rel, def.Constraint);
    } else if (
      cmd.subtype === 'AT_AddConstraint' &&
      def &&
      'Constraint' in def &&
      def.Constraint.contype === 'CONSTR_FOREIGN'
    ) {
      await addForeignKey(ctx, rel.oid, def.Constraint, { validate: true, evalContext });
    } else if (
      cmd.subtype === 'AT_AddConstraint' &&
      def &&
      'Constraint' in def &&
      def.Constraint.contype === 'CONSTR_CHECK'
    ) {
      await addCheck(ctx, rel, def.Constraint, evalContext);
    } else if (cmd.subtype === 'AT_DropConstraint') {
      await dropConstraint(ctx, rel, cmd);
    } else if (cmd.subtype === 'AT_ValidateConstraint') {
      await validateConstraint(ctx, rel, cmd.name ?? '', evalContext, (name) =>
        checkExistingRows(ctx, rel.oid, name, evalContext),
      );
    } else if (cmd.subtype === 'AT_AddColumn' && def && 'ColumnDef' in def) {
      await addColumn(ctx, rel, def.ColumnDef, cmd.missing_ok === true, evalContext);
    } else if (cmd.subtype === 'AT_ColumnDefault') {
      await setColumnDefault(ctx, rel, cmd);
    } else if (cmd.subtype === 'AT_SetNotNull' || cmd.subtype === 'AT_DropNotNull') {
      await setNotNull(ctx, rel, cmd, cmd.subtype === 'AT_SetNotNull');
    } else if (cmd.subtype === 'AT_AddIdentity' && def && 'Constraint' in def) {
      await addIdentity(ctx, rel, cmd, def.Constraint);
    } else {
      const what = (cmd.subtype ?? 'AT_Unknown').replace(/^AT_/, '');
      throw new PgError('0A000', `ALTER TABLE ${what} is not supported yet`);
    }
    // The next subcommand sees what this one did.
    return refreshed(ctx, rel.oid);
  }
}
