/**
 * WITH queries (PostgreSQL's parse_cte.c): each WITH item is analyzed once, in order, and becomes a
 * CommonTable that FROM items may name. WITH RECURSIVE items that name themselves must have the
 * form `non-recursive-term UNION [ALL] recursive-term`; the recursive term sees the rows of the
 * previous round through a work table, and PostgreSQL's restrictions on where that reference may
 * appear are enforced here with its messages.
 */
import type { CommonTableExpr, RangeVar, SelectStmt, WithClause } from 'libpg-query';
import { PgError } from '../utils/errors.js';
import { formatType } from '../utils/adt/types.js';
import { nodeLocation, resolveUnknown, strVal, tryCoerce } from './analyze-expr.js';
import { selectCommonType } from './coerce.js';
import { ParseState, type AnalyzeEnv, type CteEntry, type ScopeColumn } from './parse-state.js';
import type { CommonTable, FromNode, SelectQuery } from './query.js';

/** Analyzes a SELECT statement (supplied by analyze.ts, which imports this module). */
export const cteHooks: { transformSelectStmt?: (ps: ParseState, stmt: SelectStmt) => SelectQuery } =
  {};

function analyzeSelect(ps: ParseState, stmt: SelectStmt): SelectQuery {
  return cteHooks.transformSelectStmt!(ps, stmt);
}

const recursionError = (message: string, location: number): PgError =>
  new PgError('42P19', message).at(location);

/** Whether a raw tree names the (unqualified) relation `name` anywhere. */
function mentionsRelation(node: unknown, name: string): boolean {
  if (Array.isArray(node)) return node.some((n) => mentionsRelation(n, name));
  if (node === null || typeof node !== 'object') return false;
  const rv = (node as { RangeVar?: RangeVar }).RangeVar;
  if (rv && rv.relname === name && rv.schemaname === undefined) return true;
  return Object.values(node).some((v) => mentionsRelation(v, name));
}

function selectBody(cte: CommonTableExpr): SelectStmt {
  const q = cte.ctequery;
  if (q && 'SelectStmt' in q) return q.SelectStmt;
  throw new PgError('0A000', 'data-modifying statements in WITH are not supported yet').at(
    cte.location ?? -1,
  );
}

/** A fresh level for a WITH item's query: outer columns as the owner sees them, earlier items too. */
function itemState(env: AnalyzeEnv, owner: ParseState | undefined): ParseState {
  const ps = new ParseState(env, owner?.parent);
  ps.cteParent = owner;
  return ps;
}

function outputColumns(
  q: SelectQuery,
  ps: ParseState,
  aliases: string[],
  cteName: string,
  location: number,
): CommonTable['columns'] {
  const visible = q.targets.slice(0, q.visible);
  if (aliases.length > visible.length) {
    throw new PgError(
      '42P10',
      `WITH query "${cteName}" has ${visible.length} columns available but ${aliases.length} columns specified`,
    ).at(location);
  }
  // Unknown-typed literals come out of a WITH query as text.
  for (const t of visible) t.expr = resolveUnknown(ps, t.expr);
  return visible.map((t, i) => ({
    name: aliases[i] ?? t.name,
    type: t.expr.type,
    typmod: t.expr.typmod,
  }));
}

/** A self-referencing WITH RECURSIVE item. */
function transformRecursive(
  env: AnalyzeEnv,
  owner: ParseState | undefined,
  entry: CteEntry,
  item: CommonTableExpr,
  stmt: SelectStmt,
): void {
  const name = entry.cte.name;
  const location = item.location ?? -1;
  if (stmt.op !== 'SETOP_UNION' || !stmt.larg || !stmt.rarg) {
    throw recursionError(
      `recursive query "${name}" does not have the form non-recursive-term UNION [ALL] recursive-term`,
      location,
    );
  }
  const firstSort = stmt.sortClause?.[0];
  for (const [present, clause, at] of [
    [
      firstSort !== undefined,
      'ORDER BY',
      firstSort && 'SortBy' in firstSort ? nodeLocation(firstSort.SortBy.node) : -1,
    ],
    [stmt.limitOffset !== undefined, 'OFFSET', nodeLocation(stmt.limitOffset)],
    [stmt.limitCount !== undefined, 'LIMIT', nodeLocation(stmt.limitCount)],
    [(stmt.lockingClause?.length ?? 0) > 0, 'FOR UPDATE/SHARE', -1],
  ] as const) {
    if (present)
      throw new PgError('0A000', `${clause} in a recursive query is not implemented`).at(at);
  }
  const ownerLocation = (node: unknown): number => {
    let found = -1;
    const walk = (n: unknown): void => {
      if (found >= 0 || n === null || typeof n !== 'object') return;
      const rv = (n as { RangeVar?: RangeVar }).RangeVar;
      if (rv && rv.relname === name && rv.schemaname === undefined) found = rv.location ?? -1;
      else Object.values(n).forEach(walk);
    };
    walk(node);
    return found;
  };
  if (mentionsRelation(stmt.larg, name)) {
    throw recursionError(
      `recursive reference to query "${name}" must not appear within its non-recursive term`,
      ownerLocation(stmt.larg),
    );
  }
  const leftState = itemState(env, owner);
  const left = analyzeSelect(leftState, stmt.larg);
  const aliases = (item.aliascolnames ?? []).map(strVal);
  entry.cte.columns = outputColumns(left, leftState, aliases, name, location);
  entry.cte.query = left;
  entry.pending = false;
  entry.inRecursiveTerm = true;
  const rightState = itemState(env, owner);
  rightState.keepUnknownTargets = true;
  let right: SelectQuery;
  try {
    right = analyzeSelect(rightState, stmt.rarg);
  } finally {
    entry.inRecursiveTerm = false;
  }
  if (right.visible !== left.visible) {
    throw new PgError('42601', 'each UNION query must have the same number of columns').at(
      right.targets[0]?.expr.location ?? -1,
    );
  }
  if (right.aggs.length > 0) {
    throw new PgError(
      '42P19',
      "aggregate functions are not allowed in a recursive query's recursive term",
    ).at(right.aggs[0]!.location ?? -1);
  }
  entry.cte.columns.forEach((col, i) => {
    const lt = left.targets[i]!;
    const rt = right.targets[i]!;
    const common = selectCommonType([col.type, rt.expr.type], 'UNION');
    if (common !== col.type) {
      throw new PgError(
        '42804',
        `recursive query "${name}" column ${i + 1} has type ${formatType(col.type, col.typmod)} in non-recursive term but type ${formatType(common, -1)} overall`,
        { hint: 'Cast the output of the non-recursive term to the correct type.' },
      ).at(lt.expr.location);
    }
    const coerced = tryCoerce(rightState, rt.expr, col.type, -1, 'implicit');
    if (!coerced) {
      throw new PgError(
        '42804',
        `UNION types ${formatType(col.type, -1)} and ${formatType(rt.expr.type, -1)} cannot be matched`,
      ).at(rt.expr.location);
    }
    rt.expr = coerced;
    // The column keeps its modifier only when both terms agree on it.
    if (rt.expr.typmod !== col.typmod) col.typmod = -1;
  });
  entry.cte.recursive = { term: right, all: stmt.all === true };
}

/**
 * Analyzes a WITH clause into `scope` (a query level's own WITH names, or a data-modifying
 * statement's), returning the items in order.
 */
export function transformWithClause(
  env: AnalyzeEnv,
  owner: ParseState | undefined,
  scope: Map<string, CteEntry>,
  w: WithClause,
): CommonTable[] {
  const items = (w.ctes ?? []).map((n) => {
    if (!('CommonTableExpr' in n)) throw new PgError('0A000', 'unexpected WITH item');
    return n.CommonTableExpr;
  });
  const entries: CteEntry[] = [];
  for (const item of items) {
    const name = item.ctename ?? '';
    if (scope.has(name)) {
      throw new PgError('42712', `WITH query name "${name}" specified more than once`).at(
        item.location ?? -1,
      );
    }
    if (item.search_clause || item.cycle_clause) {
      throw new PgError('0A000', 'SEARCH and CYCLE clauses are not supported yet').at(
        item.location ?? -1,
      );
    }
    const cte: CommonTable = { name, columns: [], query: undefined!, recursive: undefined };
    const entry: CteEntry = { cte, owner, inRecursiveTerm: false, recursiveRefs: 0, pending: true };
    scope.set(name, entry);
    entries.push(entry);
  }
  items.forEach((item, i) => {
    const entry = entries[i]!;
    const stmt = selectBody(item);
    if (w.recursive && mentionsRelation(stmt, entry.cte.name)) {
      transformRecursive(env, owner, entry, item, stmt);
      return;
    }
    const ps = itemState(env, owner);
    const query = analyzeSelect(ps, stmt);
    const aliases = (item.aliascolnames ?? []).map(strVal);
    entry.cte.columns = outputColumns(query, ps, aliases, entry.cte.name, item.location ?? -1);
    entry.cte.query = query;
    entry.pending = false;
  });
  return entries.map((e) => e.cte);
}

/** A FROM item naming a WITH query (or, inside its recursive term, the work table). */
export function transformCteReference(
  ps: ParseState,
  rv: RangeVar,
  entry: CteEntry,
  aliases: string[],
  rename: <C extends { name: string }>(cols: C[], names: string[], alias: string) => C[],
): FromNode {
  const name = entry.cte.name;
  const location = rv.location ?? -1;
  if (entry.pending) {
    throw new PgError('42P01', `relation "${name}" does not exist`, {
      detail: `There is a WITH item named "${name}", but it cannot be referenced from this part of the query.`,
      hint: 'Use WITH RECURSIVE, or re-order the WITH items to remove forward references.',
    }).at(location);
  }
  let worktable = false;
  if (entry.inRecursiveTerm) {
    for (let s: ParseState | undefined = ps; s && s !== entry.owner; s = s.cteParent ?? s.parent) {
      if (s.inSublink)
        throw recursionError(
          `recursive reference to query "${name}" must not appear within a subquery`,
          location,
        );
    }
    if (++entry.recursiveRefs > 1)
      throw recursionError(
        `recursive reference to query "${name}" must not appear more than once`,
        location,
      );
    worktable = true;
  }
  const alias = rv.alias?.aliasname ?? name;
  const columns: Array<Omit<ScopeColumn, 'index' | 'relAlias'>> = entry.cte.columns.map((c) => ({
    ...c,
    tableOid: 0,
    attnum: 0,
  }));
  const offset = ps.width;
  ps.checkRefName(alias);
  ps.addEntry(alias, rename(columns, aliases, alias));
  const at = { cte: entry.cte, offset, width: columns.length, location };
  return worktable ? { k: 'worktable', ...at } : { k: 'cte', ...at };
}

/** The work-table reference inside a FROM tree, if any (for the outer-join restriction). */
export function findWorktable(node: FromNode): Extract<FromNode, { k: 'worktable' }> | undefined {
  if (node.k === 'worktable') return node;
  if (node.k === 'join') return findWorktable(node.left) ?? findWorktable(node.right);
  return undefined;
}

/** Raises PostgreSQL's error for a recursive reference on the nullable side of an outer join. */
export function checkOuterJoinRecursion(
  type: 'inner' | 'left' | 'right' | 'full' | 'cross',
  left: FromNode,
  right: FromNode,
): void {
  const nullable =
    type === 'left' ? [right] : type === 'right' ? [left] : type === 'full' ? [left, right] : [];
  for (const side of nullable) {
    const w = findWorktable(side);
    if (w)
      throw recursionError(
        `recursive reference to query "${w.cte.name}" must not appear within an outer join`,
        w.location,
      );
  }
}
