/**
 * Date/time arithmetic operators (PostgreSQL's timestamp_pl_interval, timestamp_mi, date_pl_interval,
 * time_pl_interval, interval_mul …) and their resolution, including PostgreSQL's handling of an
 * untyped literal on one side: `ts + '1 day'` is an interval, `date + '1'` is ambiguous.
 */
import { PgError } from '../utils/errors.js';
import { T, formatType, type Value } from '../utils/adt/types.js';
import {
  TS_INFINITY,
  TS_NEG_INFINITY,
  USECS_PER_DAY,
  dateToTimestamp,
  daysInMonth,
  localToUtc,
  timestampFields,
  timestampFromFields,
  utcToLocal,
} from '../utils/adt/datetime.js';
import {
  intervalAdd,
  intervalDivide,
  intervalMultiply,
  intervalNegate,
  intervalParts,
  intervalValue,
  justifyHours,
  type Interval,
} from '../utils/adt/interval.js';
import { wrapTime } from '../utils/adt/time.js';
import { findCast } from './coerce.js';
import type { ResolvedOperator } from './operators.js';
import type { EvalContext } from './primnodes.js';

const iv = (v: Value): Interval => intervalParts(v as Uint8Array);
const ivOut = (i: Interval): Value => intervalValue(i);
const isInfinite = (ts: bigint): boolean => ts === TS_INFINITY || ts === TS_NEG_INFINITY;

/** Adds months and days to a wall-clock timestamp, clamping the day to the month's length. */
function addCalendar(local: bigint, months: number, days: number): bigint {
  let ts = local;
  if (months !== 0) {
    const f = timestampFields(ts);
    const total = f.year * 12 + (f.month - 1) + months;
    const year = Math.floor(total / 12);
    const month = (((total % 12) + 12) % 12) + 1;
    const day = Math.min(f.day, daysInMonth(year, month));
    ts = timestampFromFields(year, month, day, f.time);
  }
  if (days !== 0) ts += BigInt(days) * USECS_PER_DAY;
  return ts;
}

export function timestampPlusInterval(ts: bigint, i: Interval): bigint {
  if (isInfinite(ts)) return ts;
  const out = addCalendar(ts, i.months, i.days) + i.usec;
  checkTimestamp(out);
  return out;
}

/** timestamptz: months and days move the local wall clock (DST-aware), the time part is absolute. */
export function timestamptzPlusInterval(ts: bigint, i: Interval, zone: string): bigint {
  if (isInfinite(ts)) return ts;
  let out = ts;
  if (i.months !== 0 || i.days !== 0) {
    out = localToUtc(addCalendar(utcToLocal(ts, zone), i.months, i.days), zone);
  }
  out += i.usec;
  checkTimestamp(out);
  return out;
}

function checkTimestamp(ts: bigint): void {
  // PostgreSQL's valid range: 4713 BC to 294276 AD.
  if (ts < -211813488000000000n || ts >= 9224318016000000000n) {
    throw new PgError('22008', 'timestamp out of range');
  }
}

export function timestampDifference(a: bigint, b: bigint): Interval {
  if (isInfinite(a) || isInfinite(b)) {
    throw new PgError('22008', 'cannot subtract infinite timestamps');
  }
  return justifyHours({ months: 0, days: 0, usec: a - b });
}

type Impl = (a: Value[], ctx: EvalContext) => Value;
interface Signature {
  name: string;
  left: number | null;
  right: number;
  result: number;
  impl: Impl;
}

const zone = (ctx: EvalContext): string => ctx.session.format.timeZone;

const signatures: Signature[] = [
  // date ± integer, date - date
  {
    name: '+',
    left: T.date,
    right: T.int4,
    result: T.date,
    impl: (a) => (a[0] as number) + (a[1] as number),
  },
  {
    name: '+',
    left: T.int4,
    right: T.date,
    result: T.date,
    impl: (a) => (a[0] as number) + (a[1] as number),
  },
  {
    name: '-',
    left: T.date,
    right: T.int4,
    result: T.date,
    impl: (a) => (a[0] as number) - (a[1] as number),
  },
  {
    name: '-',
    left: T.date,
    right: T.date,
    result: T.int4,
    impl: (a) => (a[0] as number) - (a[1] as number),
  },
  // date with interval and time
  {
    name: '+',
    left: T.date,
    right: T.interval,
    result: T.timestamp,
    impl: (a) => timestampPlusInterval(dateToTimestamp(a[0] as number), iv(a[1]!)),
  },
  {
    name: '+',
    left: T.interval,
    right: T.date,
    result: T.timestamp,
    impl: (a) => timestampPlusInterval(dateToTimestamp(a[1] as number), iv(a[0]!)),
  },
  {
    name: '-',
    left: T.date,
    right: T.interval,
    result: T.timestamp,
    impl: (a) => timestampPlusInterval(dateToTimestamp(a[0] as number), intervalNegate(iv(a[1]!))),
  },
  {
    name: '+',
    left: T.date,
    right: T.time,
    result: T.timestamp,
    impl: (a) => dateToTimestamp(a[0] as number) + (a[1] as bigint),
  },
  {
    name: '+',
    left: T.time,
    right: T.date,
    result: T.timestamp,
    impl: (a) => dateToTimestamp(a[1] as number) + (a[0] as bigint),
  },
  // timestamp
  {
    name: '+',
    left: T.timestamp,
    right: T.interval,
    result: T.timestamp,
    impl: (a) => timestampPlusInterval(a[0] as bigint, iv(a[1]!)),
  },
  {
    name: '+',
    left: T.interval,
    right: T.timestamp,
    result: T.timestamp,
    impl: (a) => timestampPlusInterval(a[1] as bigint, iv(a[0]!)),
  },
  {
    name: '-',
    left: T.timestamp,
    right: T.interval,
    result: T.timestamp,
    impl: (a) => timestampPlusInterval(a[0] as bigint, intervalNegate(iv(a[1]!))),
  },
  {
    name: '-',
    left: T.timestamp,
    right: T.timestamp,
    result: T.interval,
    impl: (a) => ivOut(timestampDifference(a[0] as bigint, a[1] as bigint)),
  },
  // timestamptz
  {
    name: '+',
    left: T.timestamptz,
    right: T.interval,
    result: T.timestamptz,
    impl: (a, c) => timestamptzPlusInterval(a[0] as bigint, iv(a[1]!), zone(c)),
  },
  {
    name: '+',
    left: T.interval,
    right: T.timestamptz,
    result: T.timestamptz,
    impl: (a, c) => timestamptzPlusInterval(a[1] as bigint, iv(a[0]!), zone(c)),
  },
  {
    name: '-',
    left: T.timestamptz,
    right: T.interval,
    result: T.timestamptz,
    impl: (a, c) => timestamptzPlusInterval(a[0] as bigint, intervalNegate(iv(a[1]!)), zone(c)),
  },
  {
    name: '-',
    left: T.timestamptz,
    right: T.timestamptz,
    result: T.interval,
    impl: (a) => ivOut(timestampDifference(a[0] as bigint, a[1] as bigint)),
  },
  // time
  {
    name: '+',
    left: T.time,
    right: T.interval,
    result: T.time,
    impl: (a) => wrapTime((a[0] as bigint) + iv(a[1]!).usec),
  },
  {
    name: '+',
    left: T.interval,
    right: T.time,
    result: T.time,
    impl: (a) => wrapTime((a[1] as bigint) + iv(a[0]!).usec),
  },
  {
    name: '-',
    left: T.time,
    right: T.interval,
    result: T.time,
    impl: (a) => wrapTime((a[0] as bigint) - iv(a[1]!).usec),
  },
  {
    name: '-',
    left: T.time,
    right: T.time,
    result: T.interval,
    impl: (a) => ivOut({ months: 0, days: 0, usec: (a[0] as bigint) - (a[1] as bigint) }),
  },
  // interval
  {
    name: '+',
    left: T.interval,
    right: T.interval,
    result: T.interval,
    impl: (a) => ivOut(intervalAdd(iv(a[0]!), iv(a[1]!))),
  },
  {
    name: '-',
    left: T.interval,
    right: T.interval,
    result: T.interval,
    impl: (a) => ivOut(intervalAdd(iv(a[0]!), intervalNegate(iv(a[1]!)))),
  },
  {
    name: '*',
    left: T.interval,
    right: T.float8,
    result: T.interval,
    impl: (a) => ivOut(intervalMultiply(iv(a[0]!), a[1] as number)),
  },
  {
    name: '*',
    left: T.float8,
    right: T.interval,
    result: T.interval,
    impl: (a) => ivOut(intervalMultiply(iv(a[1]!), a[0] as number)),
  },
  {
    name: '/',
    left: T.interval,
    right: T.float8,
    result: T.interval,
    impl: (a) => ivOut(intervalDivide(iv(a[0]!), a[1] as number)),
  },
  {
    name: '-',
    left: null,
    right: T.interval,
    result: T.interval,
    impl: (a) => ivOut(intervalNegate(iv(a[0]!))),
  },
  { name: '+', left: null, right: T.interval, result: T.interval, impl: (a) => a[0]! },
];

const datetimeTypes = new Set<number>([T.date, T.time, T.timestamp, T.timestamptz, T.interval]);
const arithmetic = new Set(['+', '-', '*', '/']);

function resolved(s: Signature): ResolvedOperator {
  return { left: s.left, right: s.right, result: s.result, impl: s.impl, strict: true };
}

/**
 * Resolves an arithmetic operator with a date/time operand, or returns undefined when the operator
 * involves none (the general resolver handles it).
 */
export function resolveDatetimeOperator(
  name: string,
  left: number | null,
  right: number,
  location: number,
): ResolvedOperator | undefined {
  if (!arithmetic.has(name)) return undefined;
  if (!(left !== null && datetimeTypes.has(left)) && !datetimeTypes.has(right)) return undefined;
  const candidates = signatures.filter(
    (s) => s.name === name && (s.left === null) === (left === null),
  );
  const exact = candidates.find((s) => s.left === left && s.right === right);
  if (exact) return resolved(exact);
  // An untyped literal is first taken to be of the other side's type (PostgreSQL's rule).
  if (left === T.unknown || right === T.unknown) {
    const known = left === T.unknown ? right : left!;
    const same = candidates.find((s) => s.left === known && s.right === known);
    if (same) return resolved(same);
  }
  let best: Signature[] = [];
  let bestScore = -1;
  for (const s of candidates) {
    const pairs: Array<[number, number]> = [[right, s.right]];
    if (left !== null) pairs.push([left, s.left!]);
    let score = 0;
    let ok = true;
    for (const [have, want] of pairs) {
      if (have === want) score += 2;
      else if (have === T.unknown) score += 1;
      else if (!findCast(have, want, 'implicit')) ok = false;
    }
    if (!ok) continue;
    if (score > bestScore) {
      best = [s];
      bestScore = score;
    } else if (score === bestScore) best.push(s);
  }
  if (best.length > 1) {
    // With an untyped literal, an interval reading wins unless the other side is a date (where
    // PostgreSQL finds integer, interval and time equally plausible).
    const unknownRight = right === T.unknown;
    const other = unknownRight ? left : right;
    const interval = best.filter((s) => (unknownRight ? s.right : s.left) === T.interval);
    if (other !== T.date && interval.length === 1) best = interval;
  }
  if (best.length === 1) return resolved(best[0]!);
  if (best.length === 0) return undefined;
  const shown = (t: number): string => (t === T.unknown ? 'unknown' : formatType(t, -1));
  throw new PgError(
    '42725',
    `operator is not unique: ${left === null ? '' : shown(left) + ' '}${name} ${shown(right)}`,
    {
      hint: 'Could not choose a best candidate operator. You might need to add explicit type casts.',
    },
  ).at(location);
}
