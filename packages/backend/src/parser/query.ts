/**
 * Analyzed queries (PostgreSQL's Query): the output of the analyzer and the input of the planner.
 * Rows flowing through a query are flat arrays; `FromNode`s say which slice of the row each
 * FROM item fills.
 */
import type { LockWaitPolicy, RowLockMode } from '../access/api.js';
import type { IndexInfo, RelationInfo } from '../catalog/relcache.js';
import type { BuiltinAggregate } from './functions.js';
import type { EvalContext, Expr } from './primnodes.js';
import type { Value } from '../utils/adt/types.js';

export type FromNode =
  | { k: 'rel'; rel: RelationInfo; offset: number; width: number; alias: string }
  | {
      k: 'join';
      type: 'inner' | 'left' | 'right' | 'full' | 'cross';
      left: FromNode;
      right: FromNode;
      quals: Expr | undefined;
      offset: number;
      width: number;
    }
  | { k: 'values'; rows: Expr[][]; offset: number; width: number }
  /** `lateral`: re-evaluated for each row of the FROM items to its left (which it refers to). */
  | { k: 'subquery'; query: SelectQuery; offset: number; width: number; lateral?: boolean }
  /** A set-returning function in FROM (generate_series …): one column. */
  | {
      k: 'function';
      name: string;
      args: Expr[];
      type: number;
      /** The rows: a set-returning function's values, or a scalar function's one value. */
      run: (args: Value[], ctx: EvalContext) => Iterable<Value>;
      /** Each value is a whole row of `width` (minus ordinality) columns (OUT parameters). */
      multiColumn: boolean;
      /** Its arguments read columns of FROM items to its left: evaluated per row of those. */
      lateral: boolean;
      ordinality: boolean;
      offset: number;
      width: number;
    }
  /** A WITH query named in FROM; `worktable` is the recursive term's reference to its own query. */
  | { k: 'cte'; cte: CommonTable; offset: number; width: number; location: number }
  | { k: 'worktable'; cte: CommonTable; offset: number; width: number; location: number }
  /** A FROM-less SELECT produces one empty row. */
  | { k: 'result'; offset: number; width: number };

/**
 * A WITH query: evaluated at most once per execution, as far as its readers need it, and shared by
 * every reference. A recursive one is `query` (the non-recursive term) UNION [ALL] `recursive`
 * evaluated repeatedly over the rows the previous round produced.
 */
export interface CommonTable {
  name: string;
  columns: Array<{ name: string; type: number; typmod: number }>;
  query: SelectQuery;
  recursive: { term: SelectQuery; all: boolean } | undefined;
}

export interface TargetEntry {
  expr: Expr;
  name: string;
  /** RowDescription table OID / column number when the column is a plain table column. */
  tableOid: number;
  attnum: number;
}

export interface SortKey {
  /** Index into the query's targets. */
  target: number;
  desc: boolean;
  nullsFirst: boolean;
  compare: (a: unknown, b: unknown) => number;
}

export interface AggCall {
  agg: BuiltinAggregate;
  args: Expr[];
  distinct: boolean;
  filter: Expr | undefined;
  /** ORDER BY inside the call: the rows are fed to the aggregate in this order. */
  orderBy: WindowOrderKey[];
  location?: number;
  /** GROUPING(args): its arguments, then the grouping expressions they are (by index). */
  grouping?: Expr[];
  groupingRefs?: number[];
}

export interface WindowOrderKey {
  expr: Expr;
  desc: boolean;
  nullsFirst: boolean;
  compare: (a: unknown, b: unknown) => number;
}

/** A window frame bound: UNBOUNDED, CURRENT ROW or an offset (ROWS only) before/after the row. */
export type FrameBound =
  { k: 'unbounded' } | { k: 'current' } | { k: 'offset'; offset: Expr; preceding: boolean };

export type WindowFunctionKind =
  | 'aggregate'
  | 'row_number'
  | 'rank'
  | 'dense_rank'
  | 'percent_rank'
  | 'cume_dist'
  | 'ntile'
  | 'lag'
  | 'lead'
  | 'first_value'
  | 'last_value'
  | 'nth_value';

/** One window function call (fn(args) OVER (PARTITION BY … ORDER BY … frame)). */
export interface WindowCall {
  kind: WindowFunctionKind;
  /** The aggregate, for aggregates used as window functions. */
  agg: BuiltinAggregate | undefined;
  args: Expr[];
  filter: Expr | undefined;
  partitionBy: Expr[];
  orderBy: WindowOrderKey[];
  frame: { mode: 'range' | 'rows'; start: FrameBound; end: FrameBound };
}

/** A set-returning function in the select list. */
export interface ProjectSetCall {
  run: (args: Value[], ctx: EvalContext) => Iterable<Value>;
  args: Expr[];
}

export interface SelectQuery {
  kind: 'select';
  from: FromNode;
  where: Expr | undefined;
  /** Grouping: the input row is reduced to [groupBy values…, aggregate results…]. */
  grouped: boolean;
  groupBy: Expr[];
  /** GROUPING SETS / ROLLUP / CUBE: each set as indices into groupBy (undefined = one set of all). */
  groupingSets: number[][] | undefined;
  aggs: AggCall[];
  having: Expr | undefined;
  /** Window functions, computed after grouping; their results are appended to the row. */
  windows: WindowCall[];
  /** Set-returning functions of the select list, expanded after the window functions. */
  srfs: ProjectSetCall[];
  /** Output columns; entries at or after `visible` are sort-only (resjunk). */
  targets: TargetEntry[];
  visible: number;
  sort: SortKey[];
  distinct: boolean;
  /** DISTINCT ON: the first row (in `sort` order) of each run of equal values of these targets. */
  distinctOn: number[] | undefined;
  limit: Expr | undefined;
  offset: Expr | undefined;
  /** UNION / INTERSECT / EXCEPT: the two inputs; `from`, `where` … are unused then. */
  setOp:
    | { op: 'union' | 'intersect' | 'except'; all: boolean; left: SelectQuery; right: SelectQuery }
    | undefined;
  /** Row-locking clause (FOR UPDATE …) on the single table. */
  lockRows: { mode: RowLockMode; wait: LockWaitPolicy } | undefined;
  /** The query's own WITH queries (evaluated afresh each time the query runs). */
  ctes: CommonTable[];
}

/**
 * ON CONFLICT: what to do when a proposed row collides with an existing one in an arbiter index.
 * DO UPDATE's expressions see the existing row followed by the proposed row (`excluded`).
 */
export interface OnConflict {
  action: 'nothing' | 'update';
  /** The unique indexes checked; undefined = every unique index (DO NOTHING without a target). */
  arbiters: IndexInfo[] | undefined;
  assignments: Map<number, Expr>;
  where: Expr | undefined;
}

/**
 * What a new row version must pass, in order: generated columns are computed first (`generates`:
 * the column index the expression fills), then NOT NULL and CHECK constraints are tested.
 */
export interface RowConstraint {
  name: string;
  expr: Expr;
  generates?: number;
}

export interface InsertQuery {
  /** The statement's WITH queries. */
  ctes: CommonTable[];
  kind: 'insert';
  rel: RelationInfo;
  /** For each table column (by position), how to compute it from the source row. */
  columnExprs: Expr[];
  source: SelectQuery;
  returning: TargetEntry[];
  onConflict: OnConflict | undefined;
  /** CHECK constraints over the new row. */
  checks: RowConstraint[];
}

export interface UpdateQuery {
  /** The statement's WITH queries. */
  ctes: CommonTable[];
  kind: 'update';
  rel: RelationInfo;
  /** The scan over the target table; WHERE sees the table's columns, then `extra`'s. */
  scan: SelectQuery;
  /** FROM items joined to each target row by the WHERE clause. */
  extra: FromNode | undefined;
  /** New values per table column (index → expression over the scan row). */
  assignments: Map<number, Expr>;
  returning: TargetEntry[];
  checks: RowConstraint[];
}

export interface DeleteQuery {
  /** The statement's WITH queries. */
  ctes: CommonTable[];
  kind: 'delete';
  rel: RelationInfo;
  scan: SelectQuery;
  /** USING items joined to each target row by the WHERE clause. */
  extra: FromNode | undefined;
  returning: TargetEntry[];
}

export type Query = SelectQuery | InsertQuery | UpdateQuery | DeleteQuery;
