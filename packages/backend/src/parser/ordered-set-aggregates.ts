/**
 * Ordered-set aggregates (… WITHIN GROUP (ORDER BY x)): percentile_cont, percentile_disc and
 * mode. The executor feeds them the non-null sort values in order (the aggregate ORDER BY
 * machinery); they pick their result from the whole ordered list at the end.
 */
import { PgError } from '../utils/errors.js';
import { T, type Value } from '../utils/adt/types.js';
import type { BuiltinAggregate } from './functions.js';

export const orderedSetNames = new Set(['percentile_cont', 'percentile_disc', 'mode']);

function fraction(v: Value): number {
  const f = v as number;
  if (!(f >= 0 && f <= 1))
    throw new PgError('22003', `percentile value ${f} is not between 0 and 1`);
  return f;
}

/**
 * The aggregate for `name` ordering values of type `sortType`. Its arguments per row are the sort
 * value then the direct arguments (the fraction).
 */
export function orderedSetAggregate(name: string, sortType: number): BuiltinAggregate {
  const collect =
    (finalize: (values: Value[], direct: Value[]) => Value): BuiltinAggregate['make'] =>
    () => ({
      init: () => ({ values: [] as Value[], direct: [] as Value[] }),
      step: (s, a) => {
        const st = s as { values: Value[]; direct: Value[] };
        st.values.push(a[0] ?? null);
        st.direct = a.slice(1);
        return st;
      },
      final: (s) => {
        const st = s as { values: Value[]; direct: Value[] };
        return st.values.length === 0 ? null : finalize(st.values, st.direct);
      },
    });
  if (name === 'percentile_cont')
    return {
      name,
      args: [T.float8],
      result: T.float8,
      strict: true,
      make: collect((values, [f]) => {
        const pos = fraction(f ?? null) * (values.length - 1);
        const lo = Math.floor(pos);
        const hi = Math.ceil(pos);
        const a = values[lo] as number;
        const b = values[hi] as number;
        return lo === hi ? a : a + (pos - lo) * (b - a);
      }),
    };
  if (name === 'percentile_disc')
    return {
      name,
      args: [T.float8],
      result: sortType,
      strict: true,
      make: collect((values, [f]) => {
        const p = fraction(f ?? null);
        return values[Math.max(Math.ceil(p * values.length) - 1, 0)] ?? null;
      }),
    };
  return {
    name,
    args: [],
    result: sortType,
    strict: true,
    make: collect((values) => {
      // The most frequent value; among equally frequent ones the first in sort order.
      let best: Value = null;
      let bestCount = 0;
      let run = 0;
      let prev: string | undefined;
      for (const v of values) {
        const key = JSON.stringify(v, (_k, x: unknown) =>
          typeof x === 'bigint' ? x.toString() : x,
        );
        run = key === prev ? run + 1 : 1;
        prev = key;
        if (run > bestCount) {
          bestCount = run;
          best = v;
        }
      }
      return best;
    }),
  };
}
