/**
 * Constant folding (PostgreSQL's eval_const_expressions): calls of non-volatile functions and
 * operators whose arguments are all constants are evaluated once at plan time, AND/OR/CASE with
 * constant conditions are simplified. As in PostgreSQL, an error raised while folding (1/0,
 * overflow) surfaces when the statement is planned — before any RowDescription — and CASE arms
 * that can never be taken are dropped without being evaluated.
 */
import type { Value } from '../utils/adt/types.js';
import type { EvalContext, Expr } from '../parser/primnodes.js';
import { mapChildren } from '../parser/expr-utils.js';
import type { CommonTable, FromNode, Query, SelectQuery } from '../parser/query.js';
import { compileExpr } from '../executor/compile-expr.js';

const isConst = (e: Expr): e is Extract<Expr, { k: 'const' }> => e.k === 'const';

function constOf(e: Expr, value: Value): Expr {
  return { k: 'const', type: e.type, typmod: e.typmod, location: e.location, value };
}

export function foldExpr(e: Expr, ctx: EvalContext): Expr {
  switch (e.k) {
    case 'case': {
      const whens: Array<{ cond: Expr; result: Expr }> = [];
      for (const w of e.whens) {
        const cond = foldExpr(w.cond, ctx);
        if (isConst(cond) && cond.value !== true) continue; // never taken
        const result = foldExpr(w.result, ctx);
        if (isConst(cond) && whens.length === 0) return result; // always taken first
        whens.push({ cond, result });
        if (isConst(cond)) {
          return { ...e, whens, otherwise: constOf(e, null) };
        }
      }
      const otherwise = foldExpr(e.otherwise, ctx);
      if (whens.length === 0) return otherwise;
      return { ...e, whens, otherwise };
    }
    case 'bool': {
      const args = e.args.map((a) => foldExpr(a, ctx));
      if (e.op === 'not') {
        const a = args[0]!;
        return isConst(a) ? constOf(e, a.value === null ? null : !a.value) : { ...e, args };
      }
      const decisive = e.op === 'and' ? false : true;
      if (args.some((a) => isConst(a) && a.value === decisive)) return constOf(e, decisive);
      const rest = args.filter((a) => !(isConst(a) && a.value === !decisive));
      if (rest.length === 0) return constOf(e, !decisive);
      if (rest.every(isConst)) return constOf(e, null);
      return rest.length === 1 ? rest[0]! : { ...e, args: rest };
    }
    case 'func': {
      const args = e.args.map((a) => foldExpr(a, ctx));
      const folded = { ...e, args };
      if (e.volatile || !args.every(isConst)) return folded;
      if (e.strict && args.some((a) => a.value === null)) return constOf(e, null);
      const value = compileExpr(folded)([], ctx);
      if ((value as unknown) instanceof Promise) return folded;
      return constOf(e, value);
    }
    case 'sublink':
    case 'aggref':
    case 'var':
    case 'param':
    case 'const':
      return e.k === 'sublink' && e.testexpr ? { ...e, testexpr: foldExpr(e.testexpr, ctx) } : e;
    default:
      return mapChildren(e, (c) => foldExpr(c, ctx));
  }
}

function foldFrom(node: FromNode, ctx: EvalContext): void {
  if (node.k === 'join') {
    foldFrom(node.left, ctx);
    foldFrom(node.right, ctx);
    if (node.quals) node.quals = foldExpr(node.quals, ctx);
  } else if (node.k === 'values') {
    node.rows = node.rows.map((r) => r.map((e) => foldExpr(e, ctx)));
  } else if (node.k === 'subquery') {
    foldSelect(node.query, ctx);
  }
}

function foldCtes(ctes: CommonTable[], ctx: EvalContext): void {
  for (const c of ctes) {
    foldSelect(c.query, ctx);
    if (c.recursive) foldSelect(c.recursive.term, ctx);
  }
}

function foldSelect(q: SelectQuery, ctx: EvalContext): void {
  foldCtes(q.ctes, ctx);
  if (q.setOp) {
    foldSelect(q.setOp.left, ctx);
    foldSelect(q.setOp.right, ctx);
  }
  foldFrom(q.from, ctx);
  if (q.where) q.where = foldExpr(q.where, ctx);
  q.targets = q.targets.map((t) => ({ ...t, expr: foldExpr(t.expr, ctx) }));
  if (q.having) q.having = foldExpr(q.having, ctx);
  q.groupBy = q.groupBy.map((g) => foldExpr(g, ctx));
  for (const a of q.aggs) a.args = a.args.map((x) => foldExpr(x, ctx));
}

/** Folds every expression of a query in place (the planner's first step). */
export function foldQuery(q: Query, ctx: EvalContext): void {
  if (q.kind !== 'select') foldCtes(q.ctes, ctx);
  switch (q.kind) {
    case 'select':
      foldSelect(q, ctx);
      return;
    case 'insert':
      foldSelect(q.source, ctx);
      q.columnExprs = q.columnExprs.map((e) => foldExpr(e, ctx));
      q.checks = q.checks.map((c) => ({ ...c, expr: foldExpr(c.expr, ctx) }));
      return;
    case 'update':
      if (q.scan.where) q.scan.where = foldExpr(q.scan.where, ctx);
      for (const [k, v] of q.assignments) q.assignments.set(k, foldExpr(v, ctx));
      return;
    case 'delete':
      if (q.scan.where) q.scan.where = foldExpr(q.scan.where, ctx);
      return;
  }
}
