/**
 * The planner, for now a small one: for each table scan it looks for equality conditions on all
 * columns of a btree index in the WHERE clause (col = constant, parameter or outer value) and turns
 * the sequential scan into an index lookup; everything else runs as sequential scans and nested
 * loops. The full WHERE clause is still applied to every row the scan returns.
 */
import type { IndexInfo, RelationInfo } from '../catalog/relcache.js';
import { exprContains } from '../parser/expr-utils.js';
import type { Expr } from '../parser/primnodes.js';

export interface IndexLookup {
  index: IndexInfo;
  /** One expression per index column, evaluated once per scan (no references to the scanned row). */
  keys: Expr[];
}

/** The AND-ed conditions of a qualification. */
export function conjuncts(e: Expr | undefined): Expr[] {
  if (!e) return [];
  if (e.k === 'bool' && e.op === 'and') return e.args.flatMap(conjuncts);
  return [e];
}

/** True if `e` reads any column of the current query level. */
function readsCurrentRow(e: Expr): boolean {
  return exprContains(
    e,
    (n) =>
      (n.k === 'var' && n.levelsUp === 0) || n.k === 'aggref' || (n.k === 'func' && n.volatile),
  );
}

/**
 * Picks an index whose every key column is constrained by `col = value` in `where`, where the
 * columns of `rel` sit at row positions offset … offset + n - 1.
 */
export function chooseIndexLookup(
  rel: RelationInfo,
  offset: number,
  where: Expr | undefined,
): IndexLookup | undefined {
  if (rel.indexes.length === 0) return undefined;
  const equalities = new Map<number, Expr>();
  for (const c of conjuncts(where)) {
    if (c.k !== 'func' || c.name !== '=' || c.args.length !== 2) continue;
    const [a, b] = c.args as [Expr, Expr];
    for (const [col, val] of [
      [a, b],
      [b, a],
    ] as const) {
      if (col.k !== 'var' || col.levelsUp !== 0) continue;
      const i = col.index - offset;
      const column = rel.columns[i];
      if (!column || column.type !== col.type || val.type !== col.type) continue;
      if (readsCurrentRow(val)) continue;
      if (!equalities.has(column.attnum)) equalities.set(column.attnum, val);
    }
  }
  let best: IndexLookup | undefined;
  for (const index of rel.indexes) {
    const keys = index.columns.map((attnum) => equalities.get(attnum));
    if (keys.some((k) => k === undefined)) continue;
    if (!best || (index.unique && !best.index.unique)) best = { index, keys: keys as Expr[] };
  }
  return best;
}
