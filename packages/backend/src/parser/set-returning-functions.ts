/**
 * Set-returning functions (one output column): generate_series over integers, numerics and
 * timestamps, unnest, generate_subscripts. Usable in FROM (with ORDINALITY) and in the select list,
 * where several run in lockstep as PostgreSQL 10+ does.
 */
import { PgError } from '../utils/errors.js';
import { T, arrayElementType, flattenArray, type Value } from '../utils/adt/types.js';
import * as numeric from '../utils/adt/numeric.js';
import { intervalParts, intervalSpan } from '../utils/adt/interval.js';
import { checkForInterrupts } from '../utils/interrupts.js';
import { timestampPlusInterval, timestamptzPlusInterval } from './datetime-operators.js';
import type { BuiltinFunction } from './functions.js';
import type { EvalContext } from './primnodes.js';

let produced = 0;
function tick(): void {
  if (++produced >= 1000) {
    produced = 0;
    checkForInterrupts();
  }
}

const notScalar = (): Value => {
  throw new PgError('XX000', 'set-valued function called in context that cannot accept a set');
};

function* integerSeries(args: Value[], type: number): Generator<Value> {
  const [start, stop, step = 1n] = args.map((a) => BigInt(a as number | bigint)) as [
    bigint,
    bigint,
    bigint?,
  ];
  if (step === 0n) throw new PgError('22023', 'step size cannot equal zero');
  for (let v = start; step > 0n ? v <= stop : v >= stop; v += step) {
    tick();
    yield type === T.int8 ? v : Number(v);
  }
}

function* numericSeries(args: Value[]): Generator<Value> {
  const [start, stop, step = '1'] = args as string[];
  for (const v of [start!, stop!, step]) {
    if (numeric.isNaNText(v)) {
      throw new PgError(
        '22023',
        `${v === step ? 'step size' : v === start ? 'start value' : 'stop value'} cannot be NaN`,
      );
    }
  }
  if (numeric.compare(step, '0') === 0) throw new PgError('22023', 'step size cannot equal zero');
  const up = numeric.compare(step, '0') > 0;
  for (
    let v = start!;
    up ? numeric.compare(v, stop!) <= 0 : numeric.compare(v, stop!) >= 0;
    v = numeric.add(v, step)
  ) {
    tick();
    yield v;
  }
}

function* timestampSeries(args: Value[], tz: boolean, ctx: EvalContext): Generator<Value> {
  const [start, stop] = args as [bigint, bigint];
  const step = intervalParts(args[2] as Uint8Array);
  const span = intervalSpan(step);
  if (span === 0n) throw new PgError('22023', 'step size cannot equal zero');
  const zone = ctx.session.format.timeZone;
  for (
    let v = start;
    span > 0n ? v <= stop : v >= stop;
    v = tz ? timestamptzPlusInterval(v, step, zone) : timestampPlusInterval(v, step)
  ) {
    tick();
    yield v;
  }
}

/** The element type of an array argument, or 0 when the argument is not an array. */
const elementOf = (types: number[]): number => arrayElementType(types[0] ?? 0);

export function setReturningFunctions(): BuiltinFunction[] {
  const series = (args: number[], srf: BuiltinFunction['srf']): BuiltinFunction => ({
    name: 'generate_series',
    args,
    result: args[0]!,
    impl: notScalar,
    srf,
    volatile: false,
  });
  return [
    series([T.int4, T.int4], (a) => integerSeries(a, T.int4)),
    series([T.int4, T.int4, T.int4], (a) => integerSeries(a, T.int4)),
    series([T.int8, T.int8], (a) => integerSeries(a, T.int8)),
    series([T.int8, T.int8, T.int8], (a) => integerSeries(a, T.int8)),
    series([T.numeric, T.numeric], (a) => numericSeries(a)),
    series([T.numeric, T.numeric, T.numeric], (a) => numericSeries(a)),
    series([T.timestamp, T.timestamp, T.interval], (a, c) => timestampSeries(a, false, c)),
    series([T.timestamptz, T.timestamptz, T.interval], (a, c) => timestampSeries(a, true, c)),
    {
      name: 'unnest',
      args: [T.unknown],
      result: T.unknown,
      resultFrom: elementOf,
      impl: notScalar,
      srf: (a) => flattenArray(a[0] as readonly Value[]),
    },
    {
      // No partitioning here: a relation's only "ancestor" is itself (psql's \d reads this).
      name: 'pg_partition_ancestors',
      args: [T.regclass],
      result: T.regclass,
      columnName: 'relid',
      impl: notScalar,
      srf: (a, ctx) =>
        ctx.session.catalog?.relationVisible(a[0] as number) === null ? [] : [a[0]!],
    },
    {
      name: 'generate_subscripts',
      args: [T.unknown, T.int4],
      result: T.int4,
      resultFrom: (types) => (elementOf(types) ? T.int4 : 0),
      impl: notScalar,
      srf: function* (a) {
        // Subscripts of dimension `dim` (1-based; arrays here start at 1).
        let v = a[0] as readonly Value[];
        for (let d = 1; d < (a[1] as number); d++) {
          const first = v[0];
          if (!Array.isArray(first)) return;
          v = first as readonly Value[];
        }
        if ((a[1] as number) < 1) return;
        for (let i = 1; i <= v.length; i++) yield i;
      },
    },
  ];
}
