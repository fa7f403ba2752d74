/**
 * Analyzed expression trees (PostgreSQL's primnodes): every node knows its result type, so the
 * executor can compile it once into a closure. Produced by the analyzer from raw parse trees.
 */
import type { Value } from '../utils/adt/types.js';

interface Typed {
  /** Result type OID. */
  type: number;
  /** Result typmod (-1 = none). */
  typmod: number;
  /** UTF-8 byte offset in the statement, -1 if unknown (for runtime error positions). */
  location: number;
}

export interface Const extends Typed {
  k: 'const';
  value: Value;
  /** A numeric literal as written and its own type: deparsing shows it bare, as ruleutils does. */
  literal?: { text: string; type: number };
}
/** $n parameter of an extended-protocol statement. */
export interface Param extends Typed {
  k: 'param';
  /** 0-based. */
  index: number;
}
/** A column of the current input row (flat layout decided by the analyzer). */
export interface Var extends Typed {
  k: 'var';
  /** Index into the input row. */
  index: number;
  /** Column name (for messages and result descriptions). */
  name: string;
  /** Source table OID and attribute number (RowDescription), 0 if none. */
  tableOid: number;
  attnum: number;
  /** Levels up for correlated subqueries (0 = this query). */
  levelsUp: number;
  /** The FROM item's name, for messages. */
  relAlias?: string;
  /** Set on the result of a window function (its index among the query's windows). */
  windowIndex?: number;
  /** Set on the current value of a set-returning function in the select list. */
  srfIndex?: number;
}
/** Operator or function call with a resolved implementation. */
export interface FuncExpr extends Typed {
  k: 'func';
  name: string;
  args: Expr[];
  /** Returns null when any argument is null, without calling `impl`. */
  strict: boolean;
  impl: (args: Value[], ctx: EvalContext) => Value;
  /** Volatile functions (random, nextval, now …) are not folded at analysis time. */
  volatile: boolean;
  /**
   * How the call reads back as SQL (pg_get_expr): an operator, an implicit or explicit cast, or
   * a fixed spelling (CURRENT_TIMESTAMP); plain function-call syntax when absent.
   */
  display?: 'operator' | 'implicit-cast' | 'explicit-cast' | { sql: string };
}
export interface BoolExpr extends Typed {
  k: 'bool';
  op: 'and' | 'or' | 'not';
  args: Expr[];
}
export interface NullTest extends Typed {
  k: 'nulltest';
  arg: Expr;
  isNull: boolean;
}
export interface BooleanTest extends Typed {
  k: 'booltest';
  arg: Expr;
  test: 'true' | 'not true' | 'false' | 'not false' | 'unknown' | 'not unknown';
}
export interface CaseExpr extends Typed {
  k: 'case';
  whens: Array<{ cond: Expr; result: Expr }>;
  otherwise: Expr;
}
export interface CoalesceExpr extends Typed {
  k: 'coalesce';
  args: Expr[];
}
export interface MinMaxExpr extends Typed {
  k: 'minmax';
  op: 'greatest' | 'least';
  args: Expr[];
  compare: (a: Value, b: Value) => number;
}
/** Reference to the result of aggregate number `index` of the current grouped row. */
export interface AggRef extends Typed {
  k: 'aggref';
  index: number;
}
/** Scalar / EXISTS / IN / ANY subquery. */
export interface SubLink extends Typed {
  k: 'sublink';
  kind: 'expr' | 'exists' | 'any' | 'all' | 'array';
  /** Planned lazily by the executor. */
  plan: unknown;
  /** For ANY/ALL: the left-hand expression and the comparison (left, subquery column) → bool. */
  testexpr?: Expr;
  compare?: (a: Value, b: Value, ctx: EvalContext) => Value;
  /**
   * (a, b) IN (SELECT x, y …): the test is an array of the row's values and `compare` gets the
   * subquery's whole row as its second argument.
   */
  rowWidth?: number;
}
/** ARRAY[...] constructor. */
export interface ArrayExpr extends Typed {
  k: 'array';
  elements: Expr[];
}
/** x IN (list) / x = ANY(array): evaluated with PostgreSQL's three-valued logic. */
export interface ScalarArrayOp extends Typed {
  k: 'saop';
  arg: Expr;
  list: Expr[];
  /** x op ANY (array value): `list` holds the one array-valued expression. */
  overArray?: boolean;
  /** The operator's name (for deparsing). */
  opName?: string;
  useOr: boolean;
  compare: (a: Value, b: Value, ctx: EvalContext) => Value;
}

export type Expr =
  | Const
  | Param
  | Var
  | FuncExpr
  | BoolExpr
  | NullTest
  | BooleanTest
  | CaseExpr
  | CoalesceExpr
  | MinMaxExpr
  | AggRef
  | SubLink
  | ArrayExpr
  | ScalarArrayOp;

/** What a running expression may need from its surroundings. */
export interface EvalContext {
  params: readonly Value[];
  /** Rows of enclosing queries, innermost first (for correlated subqueries). */
  outer: ReadonlyArray<readonly Value[]>;
  session: SessionInfo;
  /** Runs a subquery plan and returns its rows (set by the executor). */
  runSubquery?: (plan: unknown, ctx: EvalContext, row: readonly Value[]) => Value[][];
}

/** Session facts that built-in functions read. */
export interface SessionInfo {
  /** current_user (SET ROLE changes it). */
  user: string;
  /** session_user (SET SESSION AUTHORIZATION changes it). */
  sessionUser: string;
  database: string;
  processId: number;
  /** Transaction start time (now()), PostgreSQL microseconds. */
  transactionTimestamp(): bigint;
  statementTimestamp(): bigint;
  setting(name: string): string;
  /** set_config(): SET (or SET LOCAL) from SQL; returns the new value as SHOW prints it. */
  setConfig?(name: string, value: string, isLocal: boolean): string;
  /** pg_show_all_settings() rows (pg_settings). */
  settingsRows?(): Array<Array<string | boolean | number | null>>;
  nextval(sequence: string | number): bigint;
  /** SELECT * FROM a sequence: last_value, log_cnt, is_called of the sequence with this OID. */
  sequenceRow(oid: number): [bigint, bigint, boolean];
  currval(sequence: string | number): bigint;
  setval(sequence: string | number, value: bigint, isCalled: boolean): bigint;
  format: import('../utils/adt/types.js').FormatContext;
  /** Catalog lookups for pg_get_userbyid, pg_table_is_visible, pg_get_expr … */
  catalog?: CatalogAccess;
}

/** What catalog-reading built-in functions need (implemented per session). */
export interface CatalogAccess {
  names: import('../utils/adt/types.js').CatalogNames;
  roleName(oid: number): string | undefined;
  /** null when no relation has that OID. */
  relationVisible(oid: number): boolean | null;
  typeVisible(oid: number): boolean | null;
  namespaceName(oid: number): string | undefined;
  /** pg_get_expr: a stored expression tree (pg_attrdef.adbin …) as SQL. */
  expressionDef(nodeText: string, relid: number, pretty: boolean): string;
  indexDef(oid: number, column: number): string | null;
  constraintDef(oid: number, pretty: boolean): string | null;
  description(objoid: number, classoid: number, objsubid: number): string | null;
  /** pg_get_viewdef: a view's query; null when no view has the OID. */
  viewDef(oid: number): string | null;
  /**
   * pg_relation_size and friends: the relation's (or its indexes') stored bytes in 8 kB pages, an
   * estimate of PostgreSQL's file sizes from what the storage holds; null if there is no such
   * relation.
   */
  relationSize(oid: number, part: 'main' | 'table' | 'indexes' | 'total'): number | null;
  /** pg_get_serial_sequence: the qualified name of the sequence a serial or identity column uses. */
  serialSequence(table: string, column: string): string | null;
  /** pg_get_function_result / pg_get_function_arguments; null when no function has the OID. */
  functionResult(oid: number): string | null;
  functionArguments(oid: number): string | null;
  functionVisible(oid: number): boolean | null;
  /**
   * has_table_privilege and friends: whether `user` (name, OID, or the current user) holds any
   * of the comma-separated `privileges` on the object (name or OID); null for an unknown OID.
   */
  hasPrivilege(
    kind: 'table' | 'sequence' | 'schema' | 'database',
    user: string | number | undefined,
    object: string | number,
    privileges: string,
  ): boolean | null;
  /** pg_has_role: MEMBER (privileges through membership), USAGE (inherited) or SET. */
  hasRole(user: string | number | undefined, role: string | number, mode: string): boolean | null;
}

export function makeConst(type: number, value: Value, location = -1, typmod = -1): Const {
  return { k: 'const', type, typmod, location, value };
}
