/**
 * Compiles typed expression trees into JS closures once per statement, so evaluating a row is a
 * chain of direct calls rather than a walk over the tree. Three-valued logic, strictness and
 * runtime error positions follow PostgreSQL.
 */
import { PgError } from '../utils/errors.js';
import { arrayElementType, flattenArray, type Value } from '../utils/adt/types.js';
import type { EvalContext, Expr } from '../parser/primnodes.js';

export type Row = readonly Value[];
export type Compiled = (row: Row, ctx: EvalContext) => Value;

/**
 * Runtime errors carry no cursor position in PostgreSQL (only errors raised while analyzing, such
 * as a bad literal, do), so compiled expressions do not attach one.
 */
function withPosition(fn: Compiled, _location: number): Compiled {
  return fn;
}

/**
 * x op ANY / ALL over `n` items (read lazily, so ANY stops at the first match), with SQL's
 * three-valued logic: a null item or comparison makes an otherwise-undecided result null.
 */
function anyAll(
  x: Value,
  n: number,
  item: (i: number) => Value,
  cmp: (a: Value, b: Value, ctx: EvalContext) => Value,
  ctx: EvalContext,
  useOr: boolean,
): Value {
  if (x === null) return n === 0 ? !useOr : null;
  let sawNull = false;
  for (let i = 0; i < n; i++) {
    const y = item(i);
    if (y === null) {
      sawNull = true;
      continue;
    }
    const r = cmp(x, y, ctx);
    if (r === null) sawNull = true;
    else if (useOr && r === true) return true;
    else if (!useOr && r === false) return false;
  }
  return sawNull ? null : !useOr;
}

export function compileExpr(e: Expr): Compiled {
  switch (e.k) {
    case 'const': {
      const v = e.value;
      return () => v;
    }
    case 'param': {
      const i = e.index;
      return (_r, ctx) => ctx.params[i] ?? null;
    }
    case 'var': {
      const i = e.index;
      if (e.levelsUp === 0) return (row) => row[i] ?? null;
      const up = e.levelsUp - 1;
      return (_r, ctx) => ctx.outer[up]?.[i] ?? null;
    }
    case 'aggref':
      throw new PgError('XX000', 'aggregate reference outside of an aggregation');
    case 'func': {
      const args = e.args.map(compileExpr);
      const impl = e.impl;
      let fn: Compiled;
      if (args.length === 0) fn = (_r, ctx) => impl([], ctx);
      else if (args.length === 1) {
        const a0 = args[0]!;
        fn = e.strict
          ? (row, ctx) => {
              const v = a0(row, ctx);
              return v === null ? null : impl([v], ctx);
            }
          : (row, ctx) => impl([a0(row, ctx)], ctx);
      } else if (args.length === 2) {
        const a0 = args[0]!;
        const a1 = args[1]!;
        fn = e.strict
          ? (row, ctx) => {
              const x = a0(row, ctx);
              if (x === null) return null;
              const y = a1(row, ctx);
              return y === null ? null : impl([x, y], ctx);
            }
          : (row, ctx) => impl([a0(row, ctx), a1(row, ctx)], ctx);
      } else {
        fn = (row, ctx) => {
          const vals = args.map((a) => a(row, ctx));
          if (e.strict && vals.includes(null)) return null;
          return impl(vals, ctx);
        };
      }
      return withPosition(fn, e.location);
    }
    case 'bool': {
      const args = e.args.map(compileExpr);
      if (e.op === 'not') {
        const a = args[0]!;
        return (row, ctx) => {
          const v = a(row, ctx);
          return v === null ? null : !v;
        };
      }
      if (e.op === 'and') {
        return (row, ctx) => {
          let sawNull = false;
          for (const a of args) {
            const v = a(row, ctx);
            if (v === false) return false;
            if (v === null) sawNull = true;
          }
          return sawNull ? null : true;
        };
      }
      return (row, ctx) => {
        let sawNull = false;
        for (const a of args) {
          const v = a(row, ctx);
          if (v === true) return true;
          if (v === null) sawNull = true;
        }
        return sawNull ? null : false;
      };
    }
    case 'nulltest': {
      const a = compileExpr(e.arg);
      return e.isNull ? (row, ctx) => a(row, ctx) === null : (row, ctx) => a(row, ctx) !== null;
    }
    case 'booltest': {
      const a = compileExpr(e.arg);
      const t = e.test;
      return (row, ctx) => {
        const v = a(row, ctx);
        switch (t) {
          case 'true':
            return v === true;
          case 'not true':
            return v !== true;
          case 'false':
            return v === false;
          case 'not false':
            return v !== false;
          case 'unknown':
            return v === null;
          default:
            return v !== null;
        }
      };
    }
    case 'case': {
      const whens = e.whens.map((w) => ({
        cond: compileExpr(w.cond),
        result: compileExpr(w.result),
      }));
      const other = compileExpr(e.otherwise);
      return (row, ctx) => {
        for (const w of whens) if (w.cond(row, ctx) === true) return w.result(row, ctx);
        return other(row, ctx);
      };
    }
    case 'coalesce': {
      const args = e.args.map(compileExpr);
      return (row, ctx) => {
        for (const a of args) {
          const v = a(row, ctx);
          if (v !== null) return v;
        }
        return null;
      };
    }
    case 'minmax': {
      const args = e.args.map(compileExpr);
      const cmp = e.compare;
      const greatest = e.op === 'greatest';
      return (row, ctx) => {
        let best: Value = null;
        for (const a of args) {
          const v = a(row, ctx);
          if (v === null) continue;
          if (best === null || (greatest ? cmp(v, best) > 0 : cmp(v, best) < 0)) best = v;
        }
        return best;
      };
    }
    case 'array': {
      const els = e.elements.map(compileExpr);
      const nested = e.elements.length > 0 && arrayElementType(e.elements[0]!.type) !== 0;
      if (!nested) return (row, ctx) => els.map((el) => el(row, ctx));
      return (row, ctx) => {
        const values = els.map((el) => el(row, ctx));
        // Sub-arrays of a multidimensional array must all have one shape.
        const shape = (v: Value): string =>
          Array.isArray(v) ? `${v.length}[${shape((v as Value[])[0] ?? null)}]` : '';
        const first = shape(values[0] ?? null);
        if (values.some((v) => v === null || shape(v) !== first))
          throw new PgError(
            '2202E',
            'multidimensional arrays must have array expressions with matching dimensions',
          );
        return values;
      };
    }
    case 'saop': {
      const arg = compileExpr(e.arg);
      const list = e.list.map(compileExpr);
      const cmp = e.compare;
      const useOr = e.useOr;
      if (e.overArray) {
        const array = list[0]!;
        return withPosition((row, ctx) => {
          const a = array(row, ctx);
          if (a === null) return null;
          const items = flattenArray(a as readonly Value[]);
          return anyAll(arg(row, ctx), items.length, (i) => items[i]!, cmp, ctx, useOr);
        }, e.location);
      }
      return withPosition(
        (row, ctx) =>
          anyAll(arg(row, ctx), list.length, (i) => list[i]!(row, ctx), cmp, ctx, useOr),
        e.location,
      );
    }
    case 'sublink': {
      const plan = e.plan;
      const kind = e.kind;
      const test = e.testexpr ? compileExpr(e.testexpr) : undefined;
      const cmp = e.compare;
      return withPosition((row, ctx) => {
        const run = ctx.runSubquery;
        if (!run) throw new PgError('XX000', 'subquery evaluation is not available here');
        const rows = run(plan, ctx, row);
        switch (kind) {
          case 'exists':
            return rows.length > 0;
          case 'expr':
            if (rows.length > 1)
              throw new PgError(
                '21000',
                'more than one row returned by a subquery used as an expression',
              );
            return rows[0]?.[0] ?? null;
          case 'array':
            return rows.map((r) => r[0] ?? null);
          default: {
            const x = test!(row, ctx);
            const any = kind === 'any';
            let sawNull = false;
            const whole = e.rowWidth !== undefined;
            for (const r of rows) {
              const v = cmp!(x, whole ? r : (r[0] ?? null), ctx);
              if (v === null) sawNull = true;
              else if (any && v === true) return true;
              else if (!any && v === false) return false;
            }
            return sawNull ? null : !any;
          }
        }
      }, e.location);
    }
  }
}

/** Compiles a qualification: only TRUE passes (NULL and FALSE reject). */
export function compileQual(
  e: Expr | undefined,
): ((row: Row, ctx: EvalContext) => boolean) | undefined {
  if (!e) return undefined;
  const f = compileExpr(e);
  return (row, ctx) => f(row, ctx) === true;
}
