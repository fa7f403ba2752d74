/**
 * CREATE TABLE, DROP TABLE, CREATE INDEX and CREATE/DROP SEQUENCE: they write the catalog rows
 * PostgreSQL writes (pg_class, pg_type, pg_attribute, pg_attrdef, pg_index, pg_constraint,
 * pg_sequence, pg_depend) and create or schedule removal of the storage behind them.
 */
import { exprContains } from '../parser/expr-utils.js';
import type { Expr } from '../parser/primnodes.js';
import { dropDescriptions } from './comment.js';
import type {
  Node,
  CreateStmt,
  ColumnDef,
  Constraint,
  DropStmt,
  IndexStmt,
  CreateSeqStmt,
  RangeVar,
} from 'libpg-query';
import { checkSchemaPermission, requireRelationOwner } from '../catalog/aclchk.js';
import { currentUser, type UtilityContext } from './context.js';
import { PgError } from '../utils/errors.js';
import { T, typeByOid, formatType } from '../utils/adt/types.js';
import type { SequenceParams } from '../access/api.js';
import { BOOTSTRAP_SUPERUSER_ID, HEAP_AM_OID, BTREE_AM_OID, RelOid } from '../catalog/oids.js';
import type { RelationInfo } from '../catalog/relcache.js';
import { ParseState } from '../parser/parse-state.js';
import {
  coerceForAssignment,
  strVal,
  transformExpr,
  coerceToBoolean,
  typeFromTypeName,
} from '../parser/analyze-expr.js';
import { parseStatements } from '../parser/parse.js';
import { truncateIdentifier } from '../utils/adt/types.js';
import { dropSchemas } from './schemacmds.js';
import { quoteIdent } from '../parser/deparse.js';
import { addForeignKey, deleteConstraint, referencingForeignKeys } from './foreign-key.js';

void BOOTSTRAP_SUPERUSER_ID;

export interface NewColumn {
  name: string;
  type: number;
  typmod: number;
  notNull: boolean;
  /** Raw default expression tree (stored as JSON in pg_attrdef.adbin). */
  defaultNode: Node | undefined;
  serialSequence: string | undefined;
  /** GENERATED ALWAYS ('a') / BY DEFAULT ('d') AS IDENTITY, or ''. */
  identity: '' | 'a' | 'd';
  /** GENERATED ALWAYS AS (defaultNode) STORED. */
  generated?: boolean;
  location: number;
}

export interface NewIndex {
  name: string | undefined;
  columns: string[];
  primary: boolean;
  unique: boolean;
  location: number;
}

/** Namespace a new object goes into: the first existing schema of search_path. */
export function creationNamespace(
  ctx: UtilityContext,
  rv: RangeVar,
): { oid: number; name: string } {
  if (rv.schemaname) {
    const oid = ctx.relcache.namespaceOid(rv.schemaname, ctx.snapshot);
    if (oid === undefined)
      throw new PgError('3F000', `schema "${rv.schemaname}" does not exist`).at(rv.location ?? -1);
    return withCreatePrivilege(ctx, rv, { oid, name: rv.schemaname });
  }
  for (const name of ctx.env.searchPath) {
    if (name === 'pg_catalog') continue;
    const oid = ctx.relcache.namespaceOid(name, ctx.snapshot);
    if (oid !== undefined) return withCreatePrivilege(ctx, rv, { oid, name });
  }
  throw new PgError('3F000', 'no schema has been selected to create in').at(rv.location ?? -1);
}

function withCreatePrivilege(
  ctx: UtilityContext,
  rv: RangeVar,
  ns: { oid: number; name: string },
): { oid: number; name: string } {
  try {
    checkSchemaPermission(ctx.store, ctx.snapshot, currentUser(ctx), ns.oid, 'C');
  } catch (err) {
    if (err instanceof PgError) err.at(rv.location ?? -1);
    throw err;
  }
  return ns;
}

export function relationExists(ctx: UtilityContext, ns: number, name: string): boolean {
  return (
    ctx.store.find(
      RelOid.pg_class,
      ctx.snapshot,
      (r) => r.relname === name && r.relnamespace === ns,
    ) !== undefined
  );
}

const serialTypes: Record<string, number> = {
  serial: T.int4,
  serial4: T.int4,
  bigserial: T.int8,
  serial8: T.int8,
  smallserial: T.int2,
  serial2: T.int2,
};

/** Parses a tiny SQL expression into a raw node (for generated defaults such as nextval). */
function rawExpression(sql: string): Node {
  const [raw] = parseStatements(`SELECT ${sql}`);
  const t = raw && 'SelectStmt' in raw.stmt ? raw.stmt.SelectStmt.targetList?.[0] : undefined;
  if (!t || !('ResTarget' in t) || !t.ResTarget.val) throw new Error('bad expression');
  return t.ResTarget.val;
}

function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function insertRelation(
  ctx: UtilityContext,
  values: {
    oid: number;
    name: string;
    namespace: number;
    kind: string;
    natts: number;
    reltype: number;
    hasIndex?: boolean;
    checks?: number;
    am: number;
  },
): void {
  ctx.store.insert(ctx.txn, RelOid.pg_class, {
    oid: values.oid,
    relname: values.name,
    relnamespace: values.namespace,
    reltype: values.reltype,
    relowner: ctx.userOid,
    relam: values.am,
    relfilenode: values.oid,
    reltuples: -1,
    relhasindex: values.hasIndex ?? false,
    relchecks: values.checks ?? 0,
    relpersistence: 'p',
    relkind: values.kind,
    relnatts: values.natts,
    relispopulated: true,
    relreplident: values.kind === 'r' ? 'd' : 'n',
    relfrozenxid: values.kind === 'r' ? ctx.txn.assignXid() : 0,
    relminmxid: values.kind === 'r' ? 1 : 0,
  });
}

/** The composite row type every table and view has (pg_type, typtype 'c'). */
export function insertRowType(
  ctx: UtilityContext,
  typeOid: number,
  name: string,
  namespace: number,
  relOid: number,
): void {
  ctx.store.insert(ctx.txn, RelOid.pg_type, {
    oid: typeOid,
    typname: name,
    typnamespace: namespace,
    typowner: ctx.userOid,
    typlen: -1,
    typbyval: false,
    typtype: 'c',
    typcategory: 'C',
    typisdefined: true,
    typdelim: ',',
    typrelid: relOid,
    typalign: 'd',
    typstorage: 'x',
    typtypmod: -1,
  });
}

export function insertAttribute(
  ctx: UtilityContext,
  relOid: number,
  attnum: number,
  name: string,
  type: number,
  typmod: number,
  notNull: boolean,
  hasDefault: boolean,
  identity: '' | 'a' | 'd' = '',
  generated = false,
): void {
  const t = typeByOid(type);
  ctx.store.insert(ctx.txn, RelOid.pg_attribute, {
    attrelid: relOid,
    attname: name,
    atttypid: type,
    attstattarget: -1,
    attlen: t.len,
    attnum,
    attndims: t.category === 'A' ? 1 : 0,
    attcacheoff: -1,
    atttypmod: typmod,
    attbyval: t.byval,
    attalign: t.align,
    attstorage: t.storage,
    attcompression: '',
    attnotnull: notNull,
    atthasdef: hasDefault,
    attidentity: identity,
    attgenerated: generated ? 's' : '',
    attislocal: true,
    attcollation: t.category === 'S' ? 100 : 0,
  });
}

export function insertDepend(
  ctx: UtilityContext,
  classid: number,
  objid: number,
  objsubid: number,
  refclassid: number,
  refobjid: number,
  refobjsubid: number,
  deptype: string,
): void {
  ctx.store.insert(ctx.txn, RelOid.pg_depend, {
    classid,
    objid,
    objsubid,
    refclassid,
    refobjid,
    refobjsubid,
    deptype,
  });
}

const defaultSequence = (type: number): SequenceParams => ({
  increment: 1n,
  minValue: 1n,
  maxValue: type === T.int2 ? 32767n : type === T.int4 ? 2147483647n : 9223372036854775807n,
  start: 1n,
  cycle: false,
});

export function createSequenceObject(
  ctx: UtilityContext,
  ns: number,
  name: string,
  type: number,
  params: SequenceParams,
): number {
  const oid = ctx.store.allocateOid();
  insertRelation(ctx, { oid, name, namespace: ns, kind: 'S', natts: 3, reltype: 0, am: 0 });
  insertAttribute(ctx, oid, 1, 'last_value', T.int8, -1, true, false);
  insertAttribute(ctx, oid, 2, 'log_cnt', T.int8, -1, true, false);
  insertAttribute(ctx, oid, 3, 'is_called', T.bool, -1, true, false);
  ctx.store.insert(ctx.txn, RelOid.pg_sequence, {
    seqrelid: oid,
    seqtypid: type,
    seqstart: params.start,
    seqincrement: params.increment,
    seqmax: params.maxValue,
    seqmin: params.minValue,
    seqcache: 1n,
    seqcycle: params.cycle,
  });
  ctx.store.db.sequences.create(oid, params);
  return oid;
}

/**
 * The catalog rows of one new column: pg_attribute, the sequence of a serial column (owned by the
 * column) and the DEFAULT in pg_attrdef.
 */
export function insertColumn(
  ctx: UtilityContext,
  ns: number,
  relOid: number,
  attnum: number,
  col: NewColumn,
): void {
  insertAttribute(
    ctx,
    relOid,
    attnum,
    col.name,
    col.type,
    col.typmod,
    col.notNull,
    col.defaultNode !== undefined && col.identity === '',
    col.identity,
    col.generated === true,
  );
  let serialOid: number | undefined;
  if (col.serialSequence) {
    const seqName = uniqueRelationName(ctx, ns, col.serialSequence);
    col.serialSequence = seqName;
    // The default names the sequence as text; qualify it unless search_path finds its schema.
    const nsName = ctx.store.find(RelOid.pg_namespace, ctx.snapshot, (r) => r.oid === ns)?.rec
      .nspname as string | undefined;
    const shown =
      nsName === undefined || ctx.env.searchPath.includes(nsName)
        ? quoteIdent(seqName)
        : `${quoteIdent(nsName)}.${quoteIdent(seqName)}`;
    col.defaultNode = rawExpression(`nextval(${quoteLiteral(shown)}::regclass)`);
    const seqOid = createSequenceObject(ctx, ns, seqName, col.type, defaultSequence(col.type));
    serialOid = seqOid;
    // An identity column's sequence is part of it (internal); a serial's is only owned by it.
    const deptype = col.identity === '' ? 'a' : 'i';
    insertDepend(ctx, RelOid.pg_class, seqOid, 0, RelOid.pg_class, relOid, attnum, deptype);
  }
  // Identity columns keep no pg_attrdef row: the relation cache finds their sequence in pg_depend.
  if (col.defaultNode && col.identity === '') {
    const defOid = ctx.store.allocateOid();
    ctx.store.insert(ctx.txn, RelOid.pg_attrdef, {
      oid: defOid,
      adrelid: relOid,
      adnum: attnum,
      adbin: JSON.stringify(col.defaultNode),
    });
    insertDepend(ctx, RelOid.pg_attrdef, defOid, 0, RelOid.pg_class, relOid, attnum, 'a');
    // The default uses the serial's sequence (pg_dump orders its output by this).
    if (serialOid !== undefined)
      insertDepend(ctx, RelOid.pg_attrdef, defOid, 0, RelOid.pg_class, serialOid, 0, 'n');
  }
}

export function checkDefault(ctx: UtilityContext, col: NewColumn): void {
  if (!col.defaultNode) return;
  const ps = new ParseState({ ...ctx.env, paramTypes: [] });
  ps.exprKind = 'default';
  const e = transformExpr(ps, col.defaultNode);
  try {
    coerceForAssignment(ps, e, col.type, col.typmod, col.name);
  } catch (err) {
    if (err instanceof PgError && err.code === '42804') {
      throw new PgError(
        '42804',
        `column "${col.name}" is of type ${formatType(col.type, -1)} but default expression is of type ${formatType(e.type, -1)}`,
        {
          hint: 'You will need to rewrite or cast the expression.',
        },
      );
    }
    throw err;
  }
}

/** A column definition's CHECK constraint, validated once the table's columns are known. */
export interface NewCheck {
  name: string | undefined;
  column: string | undefined;
  expr: Node;
  location: number;
}

/**
 * One column of CREATE TABLE or ALTER TABLE … ADD COLUMN: its type (serial types included), NOT
 * NULL and DEFAULT, and the constraints written on it.
 */
export function columnDefinition(
  cd: ColumnDef,
  name: string,
): { col: NewColumn; indexes: NewIndex[]; checks: NewCheck[]; foreignKeys: Constraint[] } {
  const colName = cd.colname ?? '';
  const indexes: NewIndex[] = [];
  const checks: NewCheck[] = [];
  const foreignKeys: Constraint[] = [];
  const tn = cd.typeName!;
  const names = (tn.names ?? []).map(strVal);
  const last = names[names.length - 1] ?? '';
  const serialType = names.length === 1 ? serialTypes[last] : undefined;
  const { type, typmod } =
    serialType !== undefined ? { type: serialType, typmod: -1 } : typeFromTypeName(tn);
  const col: NewColumn = {
    name: colName,
    type,
    typmod,
    notNull: cd.is_not_null === true,
    defaultNode: undefined,
    serialSequence: undefined,
    identity: '',
    location: cd.location ?? -1,
  };
  if (serialType !== undefined) {
    col.serialSequence = truncateIdentifier(`${name}_${colName}_seq`);
    col.notNull = true;
    col.defaultNode = rawExpression(`nextval(${quoteLiteral(col.serialSequence)}::regclass)`);
  }
  // Two ways of giving the column its value are one too many.
  const both = (a: string, b: string, c: Constraint): PgError =>
    new PgError(
      '42601',
      `both ${a} and ${b} specified for column "${colName}" of table "${name}"`,
    ).at(c.location ?? -1);
  for (const cn of cd.constraints ?? []) {
    const c = (cn as Extract<Node, { Constraint: unknown }>).Constraint;
    switch (c.contype) {
      case 'CONSTR_NOTNULL':
        col.notNull = true;
        break;
      case 'CONSTR_NULL':
        break;
      case 'CONSTR_DEFAULT':
        if (col.generated) throw both('default', 'generation expression', c);
        if (col.identity !== '') throw both('default', 'identity', c);
        if (col.serialSequence)
          throw new PgError(
            '42601',
            `multiple default values specified for column "${colName}" of table "${name}"`,
          );
        col.defaultNode = c.raw_expr;
        break;
      case 'CONSTR_GENERATED':
        if (col.identity !== '') throw both('identity', 'generation expression', c);
        if (col.defaultNode !== undefined) throw both('default', 'generation expression', c);
        col.generated = true;
        col.defaultNode = c.raw_expr;
        break;
      case 'CONSTR_IDENTITY':
        if (col.generated) throw both('identity', 'generation expression', c);
        if (col.identity !== '')
          throw new PgError(
            '42601',
            `multiple identity specifications for column "${colName}" of table "${name}"`,
          ).at(c.location ?? -1);
        if (col.defaultNode !== undefined) throw both('default', 'identity', c);
        if (col.type !== T.int2 && col.type !== T.int4 && col.type !== T.int8)
          throw new PgError('22023', 'identity column type must be smallint, integer, or bigint');
        if ((c.options ?? []).length > 0)
          throw new PgError(
            '0A000',
            'sequence options of identity columns are not supported yet',
          ).at(c.location ?? -1);
        col.identity = c.generated_when === 'd' ? 'd' : 'a';
        col.notNull = true;
        col.serialSequence = truncateIdentifier(`${name}_${colName}_seq`);
        col.defaultNode = rawExpression(`nextval(${quoteLiteral(col.serialSequence)}::regclass)`);
        break;
      case 'CONSTR_PRIMARY':
      case 'CONSTR_UNIQUE':
        indexes.push({
          name: c.conname,
          columns: [colName],
          primary: c.contype === 'CONSTR_PRIMARY',
          unique: true,
          location: c.location ?? -1,
        });
        break;
      case 'CONSTR_CHECK':
        checks.push({
          name: c.conname,
          column: colName,
          expr: c.raw_expr!,
          location: c.location ?? -1,
        });
        break;
      case 'CONSTR_FOREIGN':
        foreignKeys.push({ ...c, fk_attrs: [{ String: { sval: colName } }] });
        break;
      case 'CONSTR_ATTR_DEFERRABLE':
      case 'CONSTR_ATTR_NOT_DEFERRABLE':
      case 'CONSTR_ATTR_DEFERRED':
      case 'CONSTR_ATTR_IMMEDIATE':
        applyConstraintAttribute(foreignKeys[foreignKeys.length - 1], c);
        break;
      default:
        throw new PgError(
          '0A000',
          `${(c.contype ?? '').replace('CONSTR_', '')} constraints are not supported yet`,
        ).at(c.location ?? -1);
    }
  }
  return { col, indexes, checks, foreignKeys };
}

/**
 * DEFERRABLE / INITIALLY DEFERRED written after a column's REFERENCES clause (the grammar gives
 * them as separate items): they belong to that constraint.
 */
function applyConstraintAttribute(fk: Constraint | undefined, attr: Constraint): void {
  if (!fk) throw new PgError('42601', 'misplaced DEFERRABLE clause').at(attr.location ?? -1);
  if (attr.contype === 'CONSTR_ATTR_DEFERRABLE') fk.deferrable = true;
  else if (attr.contype === 'CONSTR_ATTR_NOT_DEFERRABLE') fk.deferrable = false;
  else if (attr.contype === 'CONSTR_ATTR_DEFERRED') {
    fk.initdeferred = true;
    fk.deferrable = true;
  } else fk.initdeferred = false;
  if (fk.initdeferred && attr.contype === 'CONSTR_ATTR_NOT_DEFERRABLE')
    throw new PgError('42601', 'constraint declared INITIALLY DEFERRED must be DEFERRABLE').at(
      attr.location ?? -1,
    );
}

function constraintColumns(c: Constraint): string[] {
  return (c.keys ?? []).map(strVal);
}

export async function createTable(ctx: UtilityContext, stmt: CreateStmt): Promise<void> {
  const rv = stmt.relation!;
  const name = truncateIdentifier(rv.relname ?? '');
  if (stmt.inhRelations?.length || stmt.partspec || stmt.partbound || stmt.ofTypename) {
    throw new PgError('0A000', 'table inheritance and partitioning are not supported yet');
  }
  if (rv.relpersistence === 't')
    throw new PgError('0A000', 'temporary tables are not supported yet').at(rv.location ?? -1);
  const ns = creationNamespace(ctx, rv);
  if (relationExists(ctx, ns.oid, name)) {
    if (stmt.if_not_exists) {
      ctx.notice(`relation "${name}" already exists, skipping`, '42P07');
      return;
    }
    throw new PgError('42P07', `relation "${name}" already exists`);
  }
  const columns: NewColumn[] = [];
  const indexes: NewIndex[] = [];
  const tableConstraints: Constraint[] = [];
  const checks: NewCheck[] = [];
  const foreignKeys: Constraint[] = [];
  for (const elt of stmt.tableElts ?? []) {
    if ('ColumnDef' in elt) {
      const cd: ColumnDef = elt.ColumnDef;
      const colName = cd.colname ?? '';
      if (columns.some((c) => c.name === colName))
        throw new PgError('42701', `column "${colName}" specified more than once`);
      const d = columnDefinition(cd, name);
      indexes.push(...d.indexes);
      checks.push(...d.checks);
      foreignKeys.push(...d.foreignKeys);
      const col = d.col;
      columns.push(col);
    } else if ('Constraint' in elt) {
      tableConstraints.push(elt.Constraint);
    } else {
      throw new PgError(
        '0A000',
        `${Object.keys(elt)[0] ?? '?'} in CREATE TABLE is not supported yet`,
      );
    }
  }
  for (const c of tableConstraints) {
    if (c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_UNIQUE') {
      indexes.push({
        name: c.conname,
        columns: constraintColumns(c),
        primary: c.contype === 'CONSTR_PRIMARY',
        unique: true,
        location: c.location ?? -1,
      });
    } else if (c.contype === 'CONSTR_CHECK') {
      checks.push({
        name: c.conname,
        column: firstColumnRef(c.raw_expr),
        expr: c.raw_expr!,
        location: c.location ?? -1,
      });
    } else if (c.contype === 'CONSTR_FOREIGN') {
      foreignKeys.push(c);
    } else {
      throw new PgError(
        '0A000',
        `${(c.contype ?? '').replace('CONSTR_', '')} constraints are not supported yet`,
      ).at(c.location ?? -1);
    }
  }
  if (indexes.filter((i) => i.primary).length > 1) {
    const second = indexes.filter((i) => i.primary)[1]!;
    throw new PgError('42P16', `multiple primary keys for table "${name}" are not allowed`).at(
      second.location,
    );
  }
  for (const ix of indexes) {
    for (const cname of ix.columns) {
      const col = columns.find((c) => c.name === cname);
      if (!col)
        throw new PgError('42703', `column "${cname}" named in key does not exist`).at(ix.location);
      if (ix.primary) col.notNull = true;
      if (!typeByOid(col.type).keyType) {
        throw new PgError(
          '42704',
          `data type ${formatType(col.type, -1)} has no default operator class for access method "btree"`,
          {
            hint: 'You must specify an operator class for the index or define a default operator class for the data type.',
          },
        );
      }
    }
  }
  // SERIAL defaults name a sequence that does not exist yet; they are generated, so skip them.
  for (const col of columns) if (!col.serialSequence && !col.generated) checkDefault(ctx, col);
  checkGenerationExpressions(ctx, name, columns);

  ctx.catalogChanged();
  const relOid = ctx.store.allocateOid();
  const typeOid = ctx.store.allocateOid();
  insertRowType(ctx, typeOid, name, ns.oid, relOid);
  insertRelation(ctx, {
    oid: relOid,
    name,
    namespace: ns.oid,
    kind: 'r',
    natts: columns.length,
    reltype: typeOid,
    hasIndex: indexes.length > 0,
    checks: checks.length,
    am: HEAP_AM_OID,
  });
  insertDepend(ctx, RelOid.pg_type, typeOid, 0, RelOid.pg_class, relOid, 0, 'i');
  ctx.store.db.createRelation(relOid);
  for (let i = 0; i < columns.length; i++) insertColumn(ctx, ns.oid, relOid, i + 1, columns[i]!);
  for (const ix of indexes) {
    const ixName =
      ix.name ??
      uniqueRelationName(
        ctx,
        ns.oid,
        ix.primary ? `${name}_pkey` : `${name}_${ix.columns.join('_')}_key`,
      );
    if (ix.name && relationExists(ctx, ns.oid, ix.name))
      throw new PgError('42P07', `relation "${ix.name}" already exists`);
    const attnums = ix.columns.map((c) => columns.findIndex((col) => col.name === c) + 1);
    createIndexConstraint(ctx, ns.oid, relOid, ixName, attnums, ix.primary, columns);
  }
  const checkNames = new Set<string>();
  for (const chk of checks)
    insertCheckConstraint(ctx, ns.oid, relOid, name, columns, chk, checkNames);
  // A new table has no rows to check.
  const taken = new Set<string>();
  for (const fk of foreignKeys) await addForeignKey(ctx, relOid, fk, { validate: false, taken });
}

/**
 * One CHECK constraint's pg_constraint row (named as PostgreSQL names it), after analyzing its
 * expression over the table's columns (errors such as 42703 surface here). Returns its name.
 */
export function insertCheckConstraint(
  ctx: UtilityContext,
  ns: number,
  relOid: number,
  table: string,
  columns: Array<{ name: string; type: number; typmod: number }>,
  chk: NewCheck,
  taken: Set<string>,
  validated = true,
): string {
  const ps = new ParseState({ ...ctx.env, paramTypes: [] });
  ps.addEntry(
    table,
    columns.map((c, k) => ({
      name: c.name,
      type: c.type,
      typmod: c.typmod,
      tableOid: relOid,
      attnum: k + 1,
    })),
  );
  coerceToBoolean(ps, transformExpr(ps, chk.expr), 'CHECK');
  const column = chk.column ?? firstColumnRef(chk.expr);
  const conName =
    chk.name ??
    uniqueConstraintName(
      ctx,
      relOid,
      `${table}_${column ?? ''}`.replace(/_$/, '') + '_check',
      taken,
    );
  const conOid = ctx.store.allocateOid();
  ctx.store.insert(ctx.txn, RelOid.pg_constraint, {
    oid: conOid,
    conname: conName,
    connamespace: ns,
    contype: 'c',
    convalidated: validated,
    conrelid: relOid,
    confupdtype: ' ',
    confdeltype: ' ',
    confmatchtype: ' ',
    conislocal: true,
    conkey: column ? [columns.findIndex((c) => c.name === column) + 1] : null,
    conbin: JSON.stringify(chk.expr),
  });
  insertDepend(ctx, RelOid.pg_constraint, conOid, 0, RelOid.pg_class, relOid, 0, 'a');
  return conName;
}

/**
 * GENERATED … STORED expressions, over the new table's other columns: of the column's type, not
 * reading another generated column, and immutable (PostgreSQL's rules and messages).
 */
function checkGenerationExpressions(
  ctx: UtilityContext,
  table: string,
  columns: NewColumn[],
): void {
  for (const col of columns) {
    if (!col.generated || !col.defaultNode) continue;
    const ps = new ParseState({ ...ctx.env, paramTypes: [] });
    ps.exprKind = 'other';
    ps.addEntry(
      table,
      columns.map((c, k) => ({
        name: c.name,
        type: c.type,
        typmod: c.typmod,
        tableOid: 0,
        attnum: k + 1,
      })),
    );
    const e = transformExpr(ps, col.defaultNode);
    let other: { name: string; location: number } | undefined;
    exprContains(e, (n: Expr) => {
      if (n.k !== 'var' || n.levelsUp !== 0 || columns[n.index]?.generated !== true) return false;
      other = { name: columns[n.index]!.name, location: n.location };
      return true;
    });
    if (other)
      throw new PgError(
        '42P17',
        `cannot use generated column "${other.name}" in column generation expression`,
        { detail: 'A generated column cannot reference another generated column.' },
      ).at(other.location);
    if (exprContains(e, (n) => n.k === 'func' && n.volatile === true))
      throw new PgError('42P17', 'generation expression is not immutable');
    coerceForAssignment(ps, e, col.type, col.typmod, col.name);
  }
}

/** The column a raw expression mentions, if it mentions exactly one (CHECK constraint naming). */
function firstColumnRef(node: Node | undefined): string | undefined {
  const names = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) return;
    if ('ColumnRef' in v) {
      const fields = (v as { ColumnRef: { fields?: Node[] } }).ColumnRef.fields ?? [];
      const last = fields[fields.length - 1];
      if (last && 'String' in last && last.String.sval) names.add(last.String.sval);
      return;
    }
    for (const child of Object.values(v)) visit(child);
  };
  visit(node);
  return names.size === 1 ? [...names][0] : undefined;
}

/**
 * A free CHECK constraint name on the table: `taken` holds the names this statement already gave
 * (its own new rows are not visible to its snapshot).
 */
function uniqueConstraintName(
  ctx: UtilityContext,
  relOid: number,
  base: string,
  taken: Set<string>,
): string {
  let candidate = truncateIdentifier(base);
  const used = (n: string): boolean =>
    taken.has(n) ||
    ctx.store.find(
      RelOid.pg_constraint,
      ctx.snapshot,
      (r) => r.conrelid === relOid && r.conname === n,
    ) !== undefined;
  for (let i = 1; used(candidate); i++)
    candidate = truncateIdentifier(base.replace(/_check$/, '')) + `_check${i}`;
  taken.add(candidate);
  return candidate;
}

export function uniqueRelationName(ctx: UtilityContext, ns: number, base: string): string {
  let name = truncateIdentifier(base);
  for (let i = 1; relationExists(ctx, ns, name); i++) name = truncateIdentifier(base) + String(i);
  return name;
}

function createIndexObject(
  ctx: UtilityContext,
  ns: number,
  relOid: number,
  name: string,
  attnums: number[],
  unique: boolean,
  primary: boolean,
  columns: Array<{ name: string; type: number }>,
): number {
  const ixOid = ctx.store.allocateOid();
  insertRelation(ctx, {
    oid: ixOid,
    name,
    namespace: ns,
    kind: 'i',
    natts: attnums.length,
    reltype: 0,
    am: BTREE_AM_OID,
  });
  attnums.forEach((n, i) => {
    // Index columns are named after the table columns they index, as in PostgreSQL.
    const col = columns[n - 1]!;
    insertAttribute(ctx, ixOid, i + 1, col.name, col.type, -1, false, false);
  });
  ctx.store.insert(ctx.txn, RelOid.pg_index, {
    indexrelid: ixOid,
    indrelid: relOid,
    indnatts: attnums.length,
    indnkeyatts: attnums.length,
    indisunique: unique,
    indisprimary: primary,
    indimmediate: true,
    indisvalid: true,
    indisready: true,
    indislive: true,
    indkey: attnums,
    indcollation: attnums.map(() => 0),
    indclass: attnums.map(() => 0),
    indoption: attnums.map(() => 0),
  });
  insertDepend(ctx, RelOid.pg_class, ixOid, 0, RelOid.pg_class, relOid, 0, 'a');
  ctx.store.db.createRelation(ixOid);
  return ixOid;
}

/**
 * A PRIMARY KEY or UNIQUE constraint's index and its pg_constraint row (with the dependencies
 * PostgreSQL records: index → constraint internal, constraint → table auto). Returns the index OID.
 */
export function createIndexConstraint(
  ctx: UtilityContext,
  ns: number,
  relOid: number,
  name: string,
  attnums: number[],
  primary: boolean,
  columns: Array<{ name: string; type: number }>,
): number {
  const ixOid = createIndexObject(ctx, ns, relOid, name, attnums, true, primary, columns);
  const conOid = ctx.store.allocateOid();
  ctx.store.insert(ctx.txn, RelOid.pg_constraint, {
    oid: conOid,
    conname: name,
    connamespace: ns,
    contype: primary ? 'p' : 'u',
    convalidated: true,
    conrelid: relOid,
    conindid: ixOid,
    confupdtype: ' ',
    confdeltype: ' ',
    confmatchtype: ' ',
    conislocal: true,
    connoinherit: true,
    conkey: attnums,
  });
  insertDepend(ctx, RelOid.pg_class, ixOid, 0, RelOid.pg_constraint, conOid, 0, 'i');
  insertDepend(ctx, RelOid.pg_constraint, conOid, 0, RelOid.pg_class, relOid, 0, 'a');
  return ixOid;
}

/** Returns the indexed table's OID, or undefined when IF NOT EXISTS skipped the statement. */
export function createIndex(ctx: UtilityContext, stmt: IndexStmt): number | undefined {
  const rv = stmt.relation!;
  const rel = ctx.relcache.resolve(
    rv.schemaname,
    rv.relname ?? '',
    ctx.env.searchPath,
    ctx.snapshot,
  );
  if (!rel)
    throw new PgError('42P01', `relation "${rv.relname}" does not exist`).at(rv.location ?? -1);
  requireRelationOwner(ctx.store, ctx.snapshot, currentUser(ctx), rel);
  if (stmt.whereClause) throw new PgError('0A000', 'partial indexes are not supported yet');
  const attnums = (stmt.indexParams ?? []).map((p) => {
    const ie = (p as Extract<Node, { IndexElem: unknown }>).IndexElem;
    if (!ie.name) throw new PgError('0A000', 'expression indexes are not supported yet');
    const i = rel.columns.findIndex((c) => c.name === ie.name);
    if (i < 0) throw new PgError('42703', `column "${ie.name}" does not exist`);
    if (ie.ordering === 'SORTBY_DESC')
      throw new PgError('0A000', 'DESC index columns are not supported yet');
    return rel.columns[i]!.attnum;
  });
  const base =
    stmt.idxname ?? `${rel.name}_${attnums.map((n) => rel.columns[n - 1]!.name).join('_')}_idx`;
  if (stmt.idxname && relationExists(ctx, rel.namespace, stmt.idxname)) {
    if (stmt.if_not_exists) {
      ctx.notice(`relation "${stmt.idxname}" already exists, skipping`, '42P07');
      return undefined;
    }
    throw new PgError('42P07', `relation "${stmt.idxname}" already exists`);
  }
  ctx.catalogChanged();
  const name = stmt.idxname ?? uniqueRelationName(ctx, rel.namespace, base);
  const ixOid = createIndexObject(
    ctx,
    rel.namespace,
    rel.oid,
    name,
    attnums,
    stmt.unique === true,
    false,
    rel.columns.map((c) => ({ name: c.name, type: c.type })),
  );
  // Fill the index from the rows this transaction can see (a new command sees the new catalog rows).
  ctx.txn.commandCounterIncrement();
  ctx.relcache.invalidate();
  const snapshot = ctx.txn.statementSnapshot();
  try {
    const fresh = ctx.relcache.byRelOid(rel.oid, snapshot)!;
    const index = fresh.indexes.find((ix) => ix.oid === ixOid)!;
    index.btree.build(
      ctx.txn,
      (function* () {
        for (const t of fresh.heap.scan(snapshot))
          yield { key: attnums.map((n) => t.row[n - 1] ?? null), rowId: t.rowId };
      })(),
    );
  } finally {
    snapshot.release();
  }
  return rel.oid;
}

/** Sets pg_class.relhasindex once a table gains an index (psql's \d reads it to list indexes). */
export async function markHasIndex(ctx: UtilityContext, relOid: number): Promise<void> {
  ctx.txn.commandCounterIncrement();
  const snapshot = ctx.txn.statementSnapshot();
  try {
    const t = ctx.store.find(RelOid.pg_class, snapshot, (r) => r.oid === relOid);
    if (t && t.rec.relhasindex !== true)
      await ctx.store.update(ctx.txn, snapshot, RelOid.pg_class, t, { relhasindex: true });
  } finally {
    snapshot.release();
  }
}

/** DROP TABLE / DROP INDEX / DROP SEQUENCE. */
export async function dropObjects(ctx: UtilityContext, stmt: DropStmt): Promise<void> {
  const kind = stmt.removeType;
  if (kind === 'OBJECT_SCHEMA') {
    await dropSchemas(ctx, stmt);
    return;
  }
  const want =
    kind === 'OBJECT_TABLE'
      ? 'r'
      : kind === 'OBJECT_INDEX'
        ? 'i'
        : kind === 'OBJECT_SEQUENCE'
          ? 'S'
          : kind === 'OBJECT_VIEW'
            ? 'v'
            : undefined;
  if (!want)
    throw new PgError('0A000', `DROP ${(kind ?? '').replace('OBJECT_', '')} is not supported yet`);
  const noun = want === 'r' ? 'table' : want === 'i' ? 'index' : want === 'S' ? 'sequence' : 'view';
  const targets: RelationInfo[] = [];
  for (const obj of stmt.objects ?? []) {
    const names = ('List' in obj ? (obj.List.items ?? []) : [obj]).map(strVal);
    const relname = names[names.length - 1] ?? '';
    const schema = names.length > 1 ? names[names.length - 2] : undefined;
    const rel = ctx.relcache.resolve(schema, relname, ctx.env.searchPath, ctx.snapshot);
    if (!rel) {
      const shown = schema ? `${schema}.${relname}` : relname;
      if (stmt.missing_ok) {
        ctx.notice(`${noun} "${shown}" does not exist, skipping`, '00000');
        continue;
      }
      throw new PgError('42P01', `${noun} "${shown}" does not exist`);
    }
    if (rel.kind !== want) {
      throw new PgError('42809', `"${rel.name}" is not a${noun === 'index' ? 'n' : ''} ${noun}`, {
        hint: `Use DROP ${rel.kind === 'r' ? 'TABLE' : rel.kind === 'i' ? 'INDEX' : rel.kind === 'S' ? 'SEQUENCE' : 'VIEW'} to remove a ${rel.kind === 'r' ? 'table' : rel.kind === 'i' ? 'index' : rel.kind === 'S' ? 'sequence' : 'view'}.`,
      });
    }
    requireRelationOwner(ctx.store, ctx.snapshot, currentUser(ctx), rel);
    if (rel.namespace === 11)
      throw new PgError('42501', `permission denied: "${rel.name}" is a system catalog`);
    targets.push(rel);
  }
  if (targets.length === 0) return;
  checkDependents(ctx, targets, stmt.behavior === 'DROP_CASCADE');
  ctx.catalogChanged();
  for (const rel of targets) await dropRelation(ctx, rel.oid);
}

const relkindNoun: Record<string, string> = { r: 'table', v: 'view', S: 'sequence', i: 'index' };

/**
 * Objects that depend normally on the ones being dropped (views over a table): without CASCADE
 * they make DROP fail, as in PostgreSQL; with it they go too, each named in a NOTICE.
 */
function checkDependents(ctx: UtilityContext, targets: RelationInfo[], cascade: boolean): void {
  const dropping = new Set(targets.map((t) => t.oid));
  const describe = (oid: number): string => {
    const c = ctx.store.find(RelOid.pg_class, ctx.snapshot, (r) => r.oid === oid);
    return c
      ? `${relkindNoun[c.rec.relkind as string] ?? 'relation'} ${c.rec.relname as string}`
      : '?';
  };
  // PostgreSQL's order: a depth-first walk visiting the newest dependents first and listing an
  // object after everything that depends on it, reported in reverse.
  const found: Array<{ oid: number; via: number }> = [];
  const visit = (oid: number): void => {
    const deps = [
      ...ctx.store.scan(
        RelOid.pg_depend,
        ctx.snapshot,
        (r) =>
          r.refclassid === RelOid.pg_class &&
          r.refobjid === oid &&
          r.classid === RelOid.pg_class &&
          r.deptype === 'n',
      ),
    ]
      .map((d) => d.rec.objid as number)
      .sort((a, b) => b - a);
    for (const dep of deps) {
      if (dropping.has(dep)) continue;
      dropping.add(dep);
      visit(dep);
      found.push({ oid: dep, via: oid });
    }
  };
  for (const t of targets) visit(t.oid);
  found.reverse();
  const lines = found.map((f) => `${describe(f.oid)} depends on ${describe(f.via)}`);
  const cascaded = found.map((f) => `drop cascades to ${describe(f.oid)}`);
  // Foreign keys of other tables lose only the constraint (dropRelation removes it).
  for (const fk of referencingForeignKeys(ctx, dropping)) {
    lines.push(`constraint ${fk.name} on table ${fk.table} depends on table ${fk.referenced}`);
    cascaded.push(`drop cascades to constraint ${fk.name} on table ${fk.table}`);
  }
  if (lines.length === 0) return;
  if (!cascade) {
    const first = targets[0]!;
    throw new PgError(
      '2BP01',
      `cannot drop ${describe(first.oid)} because other objects depend on it`,
      { detail: lines.join('\n'), hint: 'Use DROP ... CASCADE to drop the dependent objects too.' },
    );
  }
  if (cascaded.length === 1) ctx.notice(cascaded[0]!, '00000');
  else
    ctx.notice(`drop cascades to ${cascaded.length} other objects`, '00000', cascaded.join('\n'));
}

export async function dropRelation(ctx: UtilityContext, oid: number): Promise<void> {
  const { store, txn, snapshot } = ctx;
  const cls = store.find(RelOid.pg_class, snapshot, (r) => r.oid === oid);
  if (!cls) return;
  // Dependent objects first: indexes, owned sequences, defaults, constraints.
  const dependents = [
    ...store.scan(
      RelOid.pg_depend,
      snapshot,
      (r) =>
        r.refclassid === RelOid.pg_class && r.refobjid === oid && r.classid === RelOid.pg_class,
    ),
  ];
  for (const d of dependents) await dropRelation(ctx, d.rec.objid as number);
  const constraints = [...store.scan(RelOid.pg_constraint, snapshot, (r) => r.conrelid === oid)];
  for (const c of constraints) {
    const conOid = c.rec.oid as number;
    for (const d of store.scan(
      RelOid.pg_depend,
      snapshot,
      (r) => r.refclassid === RelOid.pg_constraint && r.refobjid === conOid,
    )) {
      await dropRelation(ctx, d.rec.objid as number);
    }
  }
  // Its constraints, and foreign keys elsewhere that reference it, with their dependencies.
  for (const c of [
    ...store.scan(
      RelOid.pg_constraint,
      snapshot,
      (r) => r.conrelid === oid || (r.contype === 'f' && r.confrelid === oid),
    ),
  ])
    await deleteConstraint(ctx, c.rec.oid as number);
  await store.deleteWhere(txn, snapshot, RelOid.pg_attrdef, (r) => r.adrelid === oid);
  await dropDescriptions(ctx, oid, RelOid.pg_class);
  await store.deleteWhere(txn, snapshot, RelOid.pg_attribute, (r) => r.attrelid === oid);
  await store.deleteWhere(
    txn,
    snapshot,
    RelOid.pg_index,
    (r) => r.indexrelid === oid || r.indrelid === oid,
  );
  await store.deleteWhere(txn, snapshot, RelOid.pg_sequence, (r) => r.seqrelid === oid);
  // A view's _RETURN rule (pg_dump refuses to run while a rule's relation is missing).
  await store.deleteWhere(txn, snapshot, RelOid.pg_rewrite, (r) => r.ev_class === oid);
  await store.deleteWhere(
    txn,
    snapshot,
    RelOid.pg_depend,
    (r) =>
      (r.classid === RelOid.pg_class && r.objid === oid) ||
      (r.refclassid === RelOid.pg_class && r.refobjid === oid),
  );
  const reltype = cls.rec.reltype as number;
  if (reltype) await store.deleteWhere(txn, snapshot, RelOid.pg_type, (r) => r.oid === reltype);
  await store.deleteWhere(txn, snapshot, RelOid.pg_class, (r) => r.oid === oid);
  const relfilenode = cls.rec.relfilenode as number;
  if (cls.rec.relkind === 'S') {
    ctx.onCommit(() => store.db.sequences.drop(relfilenode));
  } else {
    store.db.dropRelationAtCommit(txn, relfilenode);
  }
}

function seqOption(def: Node): { name: string; value: bigint | boolean | undefined } {
  const d = (def as Extract<Node, { DefElem: unknown }>).DefElem;
  const arg = d.arg;
  let value: bigint | boolean | undefined;
  if (arg && 'Integer' in arg) value = BigInt(arg.Integer.ival ?? 0);
  else if (arg && 'Float' in arg) value = BigInt(arg.Float.fval ?? '0');
  else if (arg && 'Boolean' in arg) value = arg.Boolean.boolval === true;
  else if (arg === undefined) value = undefined;
  return { name: d.defname ?? '', value };
}

/**
 * A sequence's parameters from CREATE SEQUENCE (or identity) options; `defaultType` is the value
 * type when there is no AS clause.
 */
export function sequenceParams(
  options: Node[] | undefined,
  defaultType: number,
): { params: SequenceParams; type: number } {
  let increment = 1n;
  let min: bigint | undefined;
  let max: bigint | undefined;
  let start: bigint | undefined;
  let cycle = false;
  let type = defaultType;
  for (const opt of options ?? []) {
    const { name: o, value } = seqOption(opt);
    if (o === 'increment') increment = value as bigint;
    else if (o === 'minvalue') min = value as bigint | undefined;
    else if (o === 'maxvalue') max = value as bigint | undefined;
    else if (o === 'start') start = value as bigint;
    else if (o === 'cycle') cycle = value === true;
    else if (o === 'as') {
      const tn = (opt as Extract<Node, { DefElem: unknown }>).DefElem.arg;
      if (tn && 'TypeName' in tn) type = typeFromTypeName(tn.TypeName).type;
    } else if (o === 'cache' || o === 'owned_by' || o === 'sequence_name') continue;
    else throw new PgError('0A000', `sequence option "${o}" is not supported yet`);
  }
  if (increment === 0n) throw new PgError('22023', 'INCREMENT must not be zero');
  const typeMax = type === T.int2 ? 32767n : type === T.int4 ? 2147483647n : 9223372036854775807n;
  const typeMin = -typeMax - 1n;
  const minValue = min ?? (increment > 0n ? 1n : typeMin);
  const maxValue = max ?? (increment > 0n ? typeMax : -1n);
  const params: SequenceParams = {
    increment,
    minValue,
    maxValue,
    start: start ?? (increment > 0n ? minValue : maxValue),
    cycle,
  };
  if (params.start < minValue)
    throw new PgError(
      '22023',
      `START value (${params.start}) cannot be less than MINVALUE (${minValue})`,
    );
  if (params.start > maxValue)
    throw new PgError(
      '22023',
      `START value (${params.start}) cannot be greater than MAXVALUE (${maxValue})`,
    );
  return { params, type };
}

export function createSequence(ctx: UtilityContext, stmt: CreateSeqStmt): void {
  const rv = stmt.sequence!;
  const name = truncateIdentifier(rv.relname ?? '');
  const ns = creationNamespace(ctx, rv);
  if (relationExists(ctx, ns.oid, name)) {
    if (stmt.if_not_exists) {
      ctx.notice(`relation "${name}" already exists, skipping`, '42P07');
      return;
    }
    throw new PgError('42P07', `relation "${name}" already exists`);
  }
  const { params, type } = sequenceParams(stmt.options, T.int8);
  ctx.catalogChanged();
  createSequenceObject(ctx, ns.oid, name, type, params);
}

export { formatType };
