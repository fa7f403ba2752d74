/**
 * Walking and rewriting typed expression trees: a structural key (to match GROUP BY and ORDER BY
 * expressions against the select list) and a bottom-up mapper.
 */
import type { Expr } from './primnodes.js';

/** A string that is equal for structurally equal expressions. */
export function exprKey(e: Expr): string {
  switch (e.k) {
    case 'const':
      return `c:${e.type}:${typeof e.value === 'bigint' ? e.value.toString() + 'n' : JSON.stringify(e.value)}`;
    case 'param':
      return `p:${e.index}`;
    case 'var':
      return `v:${e.levelsUp}:${e.index}`;
    case 'func':
      return `f:${e.name}:${e.type}(${e.args.map(exprKey).join(',')})`;
    case 'bool':
      return `b:${e.op}(${e.args.map(exprKey).join(',')})`;
    case 'nulltest':
      return `n:${e.isNull}(${exprKey(e.arg)})`;
    case 'booltest':
      return `bt:${e.test}(${exprKey(e.arg)})`;
    case 'case':
      return `case(${e.whens.map((w) => exprKey(w.cond) + '=>' + exprKey(w.result)).join(',')};${exprKey(e.otherwise)})`;
    case 'coalesce':
      return `coalesce(${e.args.map(exprKey).join(',')})`;
    case 'minmax':
      return `${e.op}(${e.args.map(exprKey).join(',')})`;
    case 'aggref':
      return `agg:${e.index}`;
    case 'array':
      return `arr(${e.elements.map(exprKey).join(',')})`;
    case 'saop':
      return `saop:${e.useOr}(${exprKey(e.arg)};${e.list.map(exprKey).join(',')})`;
    case 'sublink':
      // Subqueries never match each other (each is planned separately).
      return `sub:${Math.random()}`;
  }
}

/** Rebuilds `e` with `fn` applied to each child (fn decides whether to recurse). */
export function mapChildren(e: Expr, fn: (child: Expr) => Expr): Expr {
  switch (e.k) {
    case 'func':
      return { ...e, args: e.args.map(fn) };
    case 'bool':
      return { ...e, args: e.args.map(fn) };
    case 'nulltest':
      return { ...e, arg: fn(e.arg) };
    case 'booltest':
      return { ...e, arg: fn(e.arg) };
    case 'case':
      return {
        ...e,
        whens: e.whens.map((w) => ({ cond: fn(w.cond), result: fn(w.result) })),
        otherwise: fn(e.otherwise),
      };
    case 'coalesce':
      return { ...e, args: e.args.map(fn) };
    case 'minmax':
      return { ...e, args: e.args.map(fn) };
    case 'array':
      return { ...e, elements: e.elements.map(fn) };
    case 'saop':
      return { ...e, arg: fn(e.arg), list: e.list.map(fn) };
    case 'sublink':
      return e.testexpr ? { ...e, testexpr: fn(e.testexpr) } : e;
    default:
      return e;
  }
}

/** True if any node satisfies `pred`. */
export function exprContains(e: Expr, pred: (n: Expr) => boolean): boolean {
  if (pred(e)) return true;
  let found = false;
  mapChildren(e, (c) => {
    if (!found && exprContains(c, pred)) found = true;
    return c;
  });
  return found;
}
