/**
 * GROUP BY GROUPING SETS / ROLLUP / CUBE (PostgreSQL's parse_agg expand_grouping_sets): the
 * distinct grouping expressions, and each grouping set as the indices of the expressions it groups
 * by. Several GROUP BY items combine as a cross product. GROUPING(…) is analyzed as a pseudo
 * aggregate whose value is the bit mask of its arguments missing from the row's grouping set.
 */
import type { Node } from 'libpg-query';
import { PgError } from '../utils/errors.js';
import { T } from '../utils/adt/types.js';
import { exprKey } from './expr-utils.js';
import type { BuiltinAggregate } from './functions.js';
import type { Expr } from './primnodes.js';
import type { AggCall } from './query.js';

/** GROUPING(…): computed from the grouping set, not from the rows. */
export const groupingAggregate: BuiltinAggregate = {
  name: 'grouping',
  args: [],
  result: T.int4,
  strict: false,
  make: () => ({ init: () => 0, step: (s) => s, final: () => 0 }),
};

export function usesGroupingSets(items: Node[]): boolean {
  return items.some((n) => 'GroupingSet' in n);
}

/**
 * Expands GROUP BY items into distinct expressions and grouping sets. `transform` analyzes one
 * grouping expression (resolving output-column references as plain GROUP BY does).
 */
export function expandGroupingSets(
  items: Node[],
  transform: (n: Node) => Expr,
): { groupBy: Expr[]; sets: number[][] } {
  const groupBy: Expr[] = [];
  const indexOf = (n: Node): number => {
    const e = transform(n);
    const key = exprKey(e);
    const at = groupBy.findIndex((g) => exprKey(g) === key);
    if (at >= 0) return at;
    groupBy.push(e);
    return groupBy.length - 1;
  };
  // One element of ROLLUP/CUBE: an expression or a parenthesized list of them.
  const element = (n: Node): number[] =>
    'RowExpr' in n ? (n.RowExpr.args ?? []).map(indexOf) : [indexOf(n)];
  const setsOf = (n: Node): number[][] => {
    if (!('GroupingSet' in n)) return [element(n)];
    const g = n.GroupingSet;
    const content = g.content ?? [];
    switch (g.kind) {
      case 'GROUPING_SET_EMPTY':
        return [[]];
      case 'GROUPING_SET_SIMPLE':
        return [content.flatMap(element)];
      case 'GROUPING_SET_ROLLUP': {
        const parts = content.map(element);
        const out: number[][] = [];
        for (let k = parts.length; k >= 0; k--) out.push(parts.slice(0, k).flat());
        return out;
      }
      case 'GROUPING_SET_CUBE': {
        const parts = content.map(element);
        if (parts.length > 12)
          throw new PgError('54001', 'CUBE is limited to 12 elements').at(g.location ?? -1);
        const out: number[][] = [];
        // PostgreSQL lists the sets from the full one down, larger sets first.
        for (let size = parts.length; size >= 0; size--) {
          const pick = (from: number, chosen: number[][]): void => {
            if (chosen.length === size) {
              out.push(chosen.flat());
              return;
            }
            for (let i = from; i < parts.length; i++) pick(i + 1, [...chosen, parts[i]!]);
          };
          pick(0, []);
        }
        return out;
      }
      case 'GROUPING_SET_SETS':
        return content.flatMap(setsOf);
      default:
        return [content.flatMap(element)];
    }
  };
  let sets: number[][] = [[]];
  for (const item of items) {
    const mine = setsOf(item);
    const next: number[][] = [];
    for (const s of sets) for (const m of mine) next.push([...new Set([...s, ...m])]);
    sets = next;
  }
  if (sets.length > 4096)
    throw new PgError('54001', 'too many grouping sets present (maximum 4096)');
  return { groupBy, sets };
}

/** Points each GROUPING(…) call at the grouping expressions it names. */
export function resolveGroupingCalls(aggs: AggCall[], groupBy: Expr[]): void {
  const keys = groupBy.map(exprKey);
  for (const a of aggs) {
    if (!a.grouping) continue;
    a.groupingRefs = a.grouping.map((arg) => {
      const i = keys.indexOf(exprKey(arg));
      if (i < 0)
        throw new PgError(
          '42803',
          'arguments to GROUPING must be grouping expressions of the associated query level',
        ).at(arg.location);
      return i;
    });
  }
}

/** GROUPING's value for a row of grouping set `set`: bit 1 for each argument not grouped by. */
export function groupingMask(refs: number[], set: ReadonlySet<number> | undefined): number {
  let mask = 0;
  for (const r of refs) mask = (mask << 1) | (set && !set.has(r) ? 1 : 0);
  return mask;
}
