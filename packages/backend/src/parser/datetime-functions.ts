/**
 * Date/time functions: extract / date_part (PostgreSQL 14+: extract returns numeric), date_trunc,
 * age, justify_*, isfinite — over date, time, timestamp, timestamptz and interval.
 */
import { PgError } from '../utils/errors.js';
import { T, formatType, type Value } from '../utils/adt/types.js';
import * as numeric from '../utils/adt/numeric.js';
import {
  DATE_INFINITY,
  DATE_NEG_INFINITY,
  PG_EPOCH_DAYS,
  TS_INFINITY,
  TS_NEG_INFINITY,
  USECS_PER_DAY,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  localToUtc,
  timestampFields,
  timestampFromFields,
  utcToLocal,
  zoneOffsetSeconds,
} from '../utils/adt/datetime.js';
import {
  intervalParts,
  intervalValue,
  justifyDays,
  justifyHours,
  justifyInterval,
  type Interval,
} from '../utils/adt/interval.js';
import type { BuiltinFunction } from './functions.js';
import type { EvalContext } from './primnodes.js';

type Field =
  | 'microseconds'
  | 'milliseconds'
  | 'second'
  | 'minute'
  | 'hour'
  | 'day'
  | 'week'
  | 'month'
  | 'quarter'
  | 'year'
  | 'decade'
  | 'century'
  | 'millennium'
  | 'dow'
  | 'isodow'
  | 'doy'
  | 'isoyear'
  | 'julian'
  | 'epoch'
  | 'timezone'
  | 'timezone_hour'
  | 'timezone_minute';

const fieldNames: Record<string, Field> = {};
const alias = (f: Field, ...names: string[]): void => {
  for (const n of [f, ...names]) fieldNames[n] = f;
};
alias('microseconds', 'microsecond', 'us', 'usec', 'usecs', 'useconds', 'microsecon');
alias('milliseconds', 'millisecond', 'ms', 'msec', 'msecs', 'mseconds', 'millisecon');
alias('second', 'seconds', 's', 'sec', 'secs');
alias('minute', 'minutes', 'm', 'min', 'mins');
alias('hour', 'hours', 'h', 'hr', 'hrs');
alias('day', 'days', 'd');
alias('week', 'weeks', 'w');
alias('month', 'months', 'mon', 'mons');
alias('quarter', 'qtr');
alias('year', 'years', 'y', 'yr', 'yrs');
alias('decade', 'decades', 'dec', 'decs');
alias('century', 'centuries', 'c', 'cent');
alias('millennium', 'millennia', 'mil', 'mils', 'millenniums');
alias('dow');
alias('isodow');
alias('doy');
alias('isoyear');
alias('julian', 'j');
alias('epoch');
alias('timezone');
alias('timezone_hour');
alias('timezone_minute');

function fieldOf(text: string, type: number): Field {
  const f = fieldNames[text.toLowerCase()];
  if (!f) {
    throw new PgError(
      '22023',
      `unit "${text.toLowerCase()}" not recognized for type ${formatType(type, -1)}`,
    );
  }
  return f;
}

function unsupported(f: string, type: number): PgError {
  return new PgError('0A000', `unit "${f}" not supported for type ${formatType(type, -1)}`);
}

/** A fixed-point number given as value × 10^scale, printed with `scale` decimals (numeric text). */
function fixed(scaled: bigint, scale: number): string {
  if (scale === 0) return scaled.toString();
  const neg = scaled < 0n;
  const digits = (neg ? -scaled : scaled).toString().padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** Seconds-and-below fields of a time of day (or the time part of an interval). */
function clockField(f: Field, us: bigint): string | undefined {
  switch (f) {
    case 'microseconds':
      return fixed(us % 60_000_000n, 0);
    case 'milliseconds':
      return fixed(us % 60_000_000n, 3);
    case 'second':
      return fixed(us % 60_000_000n, 6);
    case 'minute':
      return fixed((us / 60_000_000n) % 60n, 0);
    default:
      return undefined;
  }
}

/** Gregorian → Julian day number. */
function julianDay(y: number, m: number, d: number): number {
  return daysFromCivil(y, m, d) + 2440588;
}

/** ISO 8601 week number and week-numbering year of a civil date. */
function isoWeek(y: number, m: number, d: number): { week: number; year: number } {
  const days = daysFromCivil(y, m, d);
  const isoDow = ((((days + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday
  const thursday = days - isoDow + 4;
  const [ty] = civilFromDays(thursday);
  const jan1 = daysFromCivil(ty, 1, 1);
  return { week: Math.floor((thursday - jan1) / 7) + 1, year: ty };
}

/** The year-based fields PostgreSQL derives (BC years are negative: year 0 internally is 1 BC). */
function dateField(f: Field, y: number, m: number, d: number, type: number): string {
  const year = y <= 0 ? y - 1 : y;
  switch (f) {
    case 'day':
      return String(d);
    case 'month':
      return String(m);
    case 'quarter':
      return String(Math.floor((m - 1) / 3) + 1);
    case 'year':
      return String(year);
    case 'decade':
      return String(year >= 0 ? Math.floor(year / 10) : -Math.floor((8 - (year - 1)) / 10));
    case 'century':
      return String(
        year > 0 ? Math.floor((year + 99) / 100) : -Math.floor((99 - (year - 1)) / 100),
      );
    case 'millennium':
      return String(
        year > 0 ? Math.floor((year + 999) / 1000) : -Math.floor((999 - (year - 1)) / 1000),
      );
    case 'dow':
      return String((((daysFromCivil(y, m, d) + 4) % 7) + 7) % 7);
    case 'isodow': {
      const dow = (((daysFromCivil(y, m, d) + 4) % 7) + 7) % 7;
      return String(dow === 0 ? 7 : dow);
    }
    case 'doy':
      return String(daysFromCivil(y, m, d) - daysFromCivil(y, 1, 1) + 1);
    case 'week':
      return String(isoWeek(y, m, d).week);
    case 'isoyear': {
      const iy = isoWeek(y, m, d).year;
      return String(iy <= 0 ? iy - 1 : iy);
    }
    default:
      throw unsupported(f, type);
  }
}

function infiniteField(f: Field, positive: boolean): string | null {
  // PostgreSQL 15: monotonic fields give ±Infinity (float), the others NULL.
  const monotonic: Field[] = [
    'year',
    'decade',
    'century',
    'millennium',
    'julian',
    'isoyear',
    'epoch',
  ];
  if (monotonic.includes(f)) return positive ? 'Infinity' : '-Infinity';
  return null;
}

function extractTimestamp(f: Field, ts: bigint, type: number, ctx: EvalContext): Value {
  if (ts === TS_INFINITY || ts === TS_NEG_INFINITY) return infiniteField(f, ts > 0n);
  const zone = ctx.session.format.timeZone;
  const local = type === T.timestamptz ? utcToLocal(ts, zone) : ts;
  const t = timestampFields(local);
  const clock = clockField(f, t.time);
  if (clock !== undefined) return clock;
  switch (f) {
    case 'hour':
      return String(t.time / 3_600_000_000n);
    case 'epoch':
      return fixed(ts + BigInt(PG_EPOCH_DAYS) * USECS_PER_DAY, 6);
    case 'julian': {
      // Julian day plus the fraction of the day elapsed (numeric).
      const jd = BigInt(julianDay(t.year, t.month, t.day));
      return numeric.add(jd.toString(), numeric.div(t.time.toString(), USECS_PER_DAY.toString()));
    }
    case 'timezone':
    case 'timezone_hour':
    case 'timezone_minute': {
      if (type !== T.timestamptz) throw unsupported(f, type);
      const off = zoneOffsetSeconds(zone, Number(ts / 1000n) + PG_EPOCH_DAYS * 86_400_000);
      if (f === 'timezone') return String(off);
      if (f === 'timezone_hour') return String(Math.trunc(off / 3600));
      return String(Math.trunc((off % 3600) / 60));
    }
    default:
      return dateField(f, t.year, t.month, t.day, type);
  }
}

function extractDate(f: Field, days: number): Value {
  if (days === DATE_INFINITY || days === DATE_NEG_INFINITY) {
    return infiniteField(f, days > 0);
  }
  const [y, m, d] = civilFromDays(days + PG_EPOCH_DAYS);
  switch (f) {
    case 'epoch':
      return String(BigInt(days + PG_EPOCH_DAYS) * 86400n);
    case 'julian':
      return String(julianDay(y, m, d));
    case 'microseconds':
    case 'milliseconds':
    case 'second':
    case 'minute':
    case 'hour':
    case 'timezone':
    case 'timezone_hour':
    case 'timezone_minute':
      throw unsupported(f, T.date);
    default:
      return dateField(f, y, m, d, T.date);
  }
}

function extractTime(f: Field, us: bigint): Value {
  const clock = clockField(f, us);
  if (clock !== undefined) return clock;
  if (f === 'hour') return String(us / 3_600_000_000n);
  if (f === 'epoch') return fixed(us, 6);
  throw unsupported(f, T.time);
}

function extractInterval(f: Field, i: Interval): Value {
  const clock = clockField(f, i.usec);
  if (clock !== undefined) return clock;
  const years = Math.trunc(i.months / 12);
  switch (f) {
    case 'hour':
      return String(i.usec / 3_600_000_000n);
    case 'day':
      return String(i.days);
    case 'month':
      return String(i.months % 12);
    case 'quarter':
      return String(Math.trunc((i.months % 12) / 3) + 1);
    case 'year':
      return String(years);
    case 'decade':
      return String(Math.trunc(years / 10));
    case 'century':
      return String(Math.trunc(years / 100));
    case 'millennium':
      return String(Math.trunc(years / 1000));
    case 'epoch': {
      // A year is 365.25 days here, a month 30 days (PostgreSQL's interval_part).
      const secs =
        BigInt(years) * 31_557_600n +
        BigInt(i.months % 12) * 30n * 86_400n +
        BigInt(i.days) * 86_400n;
      return fixed(secs * 1_000_000n + i.usec, 6);
    }
    default:
      throw unsupported(f, T.interval);
  }
}

function extract(fieldText: string, v: Value, type: number, ctx: EvalContext): Value {
  const f = fieldOf(fieldText, type);
  switch (type) {
    case T.date:
      return extractDate(f, v as number);
    case T.time:
      return extractTime(f, v as bigint);
    case T.interval:
      return extractInterval(f, intervalParts(v as Uint8Array));
    default:
      return extractTimestamp(f, v as bigint, type, ctx);
  }
}

/* date_trunc ------------------------------------------------------------------------------------ */

function truncLocal(f: Field, local: bigint, type: number): bigint {
  const t = timestampFields(local);
  const clock = (unit: bigint): bigint => local - (((t.time % unit) + unit) % unit);
  switch (f) {
    case 'microseconds':
      return local;
    case 'milliseconds':
      return clock(1000n);
    case 'second':
      return clock(1_000_000n);
    case 'minute':
      return clock(60_000_000n);
    case 'hour':
      return clock(3_600_000_000n);
    case 'day':
      return BigInt(t.days) * USECS_PER_DAY;
    case 'week': {
      const dow = (((t.days + 5) % 7) + 7) % 7; // 2000-01-01 was a Saturday; Monday = 0
      return BigInt(t.days - dow) * USECS_PER_DAY;
    }
    case 'month':
      return timestampFromFields(t.year, t.month, 1, 0n);
    case 'quarter':
      return timestampFromFields(t.year, Math.floor((t.month - 1) / 3) * 3 + 1, 1, 0n);
    case 'year':
      return timestampFromFields(t.year, 1, 1, 0n);
    case 'decade':
      return timestampFromFields(t.year - (((t.year % 10) + 10) % 10), 1, 1, 0n);
    case 'century': {
      const c = t.year > 0 ? Math.floor((t.year - 1) / 100) * 100 + 1 : t.year;
      return timestampFromFields(c, 1, 1, 0n);
    }
    case 'millennium': {
      const m = t.year > 0 ? Math.floor((t.year - 1) / 1000) * 1000 + 1 : t.year;
      return timestampFromFields(m, 1, 1, 0n);
    }
    default:
      throw unsupported(f, type);
  }
}

function dateTrunc(fieldText: string, v: Value, type: number, ctx: EvalContext): Value {
  const f = fieldOf(fieldText, type);
  if (type === T.interval) {
    const i = intervalParts(v as Uint8Array);
    const keep = (unit: bigint): bigint => i.usec - (i.usec % unit);
    const out = (months: number, days: number, usec: bigint): Value =>
      intervalValue({ months, days, usec });
    switch (f) {
      case 'microseconds':
        return v;
      case 'milliseconds':
        return out(i.months, i.days, keep(1000n));
      case 'second':
        return out(i.months, i.days, keep(1_000_000n));
      case 'minute':
        return out(i.months, i.days, keep(60_000_000n));
      case 'hour':
        return out(i.months, i.days, keep(3_600_000_000n));
      case 'day':
        return out(i.months, i.days, 0n);
      case 'month':
        return out(i.months, 0, 0n);
      case 'quarter':
        return out(i.months - (i.months % 3), 0, 0n);
      case 'year':
        return out(i.months - (i.months % 12), 0, 0n);
      case 'decade':
        return out(i.months - (i.months % 120), 0, 0n);
      case 'century':
        return out(i.months - (i.months % 1200), 0, 0n);
      case 'millennium':
        return out(i.months - (i.months % 12000), 0, 0n);
      default:
        throw new PgError('0A000', `unit "${f}" not supported for type interval`);
    }
  }
  const ts = v as bigint;
  if (ts === TS_INFINITY || ts === TS_NEG_INFINITY) return ts;
  if (type === T.timestamptz) {
    const zone = ctx.session.format.timeZone;
    const truncated = truncLocal(f, utcToLocal(ts, zone), type);
    // Sub-hour units keep the instant's own offset; coarser ones are re-resolved in the zone.
    return f === 'microseconds' || f === 'milliseconds' || f === 'second' || f === 'minute'
      ? ts - (utcToLocal(ts, zone) - truncated)
      : localToUtc(truncated, zone);
  }
  return truncLocal(f, ts, type);
}

/* age ------------------------------------------------------------------------------------------- */

function age(a: bigint, b: bigint): Interval {
  if (a === TS_INFINITY || a === TS_NEG_INFINITY || b === TS_INFINITY || b === TS_NEG_INFINITY) {
    throw new PgError('22008', 'timestamp out of range');
  }
  const t1 = timestampFields(a);
  const t2 = timestampFields(b);
  const split = (time: bigint): [number, number, number, number] => [
    Number(time / 3_600_000_000n),
    Number((time / 60_000_000n) % 60n),
    Number((time / 1_000_000n) % 60n),
    Number(time % 1_000_000n),
  ];
  const [h1, mi1, s1, f1] = split(t1.time);
  const [h2, mi2, s2, f2] = split(t2.time);
  const flip = a < b ? -1 : 1;
  let fsec = (f1 - f2) * flip;
  let sec = (s1 - s2) * flip;
  let min = (mi1 - mi2) * flip;
  let hour = (h1 - h2) * flip;
  let mday = (t1.day - t2.day) * flip;
  let mon = (t1.month - t2.month) * flip;
  let year = (t1.year - t2.year) * flip;
  while (fsec < 0) {
    fsec += 1_000_000;
    sec--;
  }
  while (sec < 0) {
    sec += 60;
    min--;
  }
  while (min < 0) {
    min += 60;
    hour--;
  }
  while (hour < 0) {
    hour += 24;
    mday--;
  }
  while (mday < 0) {
    // Borrow the length of the earlier timestamp's month.
    const ref = a < b ? t1 : t2;
    mday += daysInMonth(ref.year, ref.month);
    mon--;
  }
  while (mon < 0) {
    mon += 12;
    year--;
  }
  const usec = BigInt(((hour * 60 + min) * 60 + sec) * 1_000_000 + fsec) * BigInt(flip);
  return { months: (year * 12 + mon) * flip, days: mday * flip, usec };
}

/** Midnight of the current date in the session's zone, as a wall-clock timestamp. */
function todayLocal(ctx: EvalContext): bigint {
  const local = utcToLocal(ctx.session.transactionTimestamp(), ctx.session.format.timeZone);
  return local - (((local % USECS_PER_DAY) + USECS_PER_DAY) % USECS_PER_DAY);
}

/* Registration ---------------------------------------------------------------------------------- */

const iv = (v: Value): Interval => intervalParts(v as Uint8Array);

export function datetimeFunctions(): BuiltinFunction[] {
  const out: BuiltinFunction[] = [];
  for (const type of [T.timestamp, T.timestamptz, T.date, T.time, T.interval]) {
    out.push({
      name: 'extract',
      args: [T.text, type],
      result: T.numeric,
      impl: (a, c) => extract(a[0] as string, a[1]!, type, c),
    });
    out.push({
      name: 'date_part',
      args: [T.text, type],
      result: T.float8,
      impl: (a, c) => {
        const r = extract(a[0] as string, a[1]!, type, c);
        return r === null ? null : Number(r);
      },
    });
  }
  for (const type of [T.timestamp, T.timestamptz, T.interval]) {
    out.push({
      name: 'date_trunc',
      args: [T.text, type],
      result: type,
      impl: (a, c) => dateTrunc(a[0] as string, a[1]!, type, c),
    });
  }
  out.push(
    {
      name: 'age',
      args: [T.timestamp, T.timestamp],
      result: T.interval,
      impl: (a) => intervalValue(age(a[0] as bigint, a[1] as bigint)),
    },
    {
      name: 'age',
      args: [T.timestamptz, T.timestamptz],
      result: T.interval,
      impl: (a, c) => {
        const zone = c.session.format.timeZone;
        return intervalValue(
          age(utcToLocal(a[0] as bigint, zone), utcToLocal(a[1] as bigint, zone)),
        );
      },
    },
    {
      name: 'age',
      args: [T.timestamp],
      result: T.interval,
      impl: (a, c) => intervalValue(age(todayLocal(c), a[0] as bigint)),
      volatile: true,
    },
    {
      name: 'age',
      args: [T.timestamptz],
      result: T.interval,
      impl: (a, c) =>
        intervalValue(age(todayLocal(c), utcToLocal(a[0] as bigint, c.session.format.timeZone))),
      volatile: true,
    },
    {
      name: 'justify_hours',
      args: [T.interval],
      result: T.interval,
      impl: (a) => intervalValue(justifyHours(iv(a[0]!))),
    },
    {
      name: 'justify_days',
      args: [T.interval],
      result: T.interval,
      impl: (a) => intervalValue(justifyDays(iv(a[0]!))),
    },
    {
      name: 'justify_interval',
      args: [T.interval],
      result: T.interval,
      impl: (a) => intervalValue(justifyInterval(iv(a[0]!))),
    },
    {
      name: 'isfinite',
      args: [T.date],
      result: T.bool,
      impl: (a) => a[0] !== DATE_INFINITY && a[0] !== DATE_NEG_INFINITY,
    },
    {
      name: 'isfinite',
      args: [T.timestamp],
      result: T.bool,
      impl: (a) => a[0] !== TS_INFINITY && a[0] !== TS_NEG_INFINITY,
    },
    {
      name: 'isfinite',
      args: [T.timestamptz],
      result: T.bool,
      impl: (a) => a[0] !== TS_INFINITY && a[0] !== TS_NEG_INFINITY,
    },
    { name: 'isfinite', args: [T.interval], result: T.bool, impl: () => true },
    {
      name: 'make_date',
      args: [T.int4, T.int4, T.int4],
      result: T.date,
      impl: (a) => makeDays(a[0] as number, a[1] as number, a[2] as number),
    },
    {
      name: 'make_time',
      args: [T.int4, T.int4, T.float8],
      result: T.time,
      impl: (a) => makeTime(a[0] as number, a[1] as number, a[2] as number),
    },
    {
      name: 'make_timestamp',
      args: [T.int4, T.int4, T.int4, T.int4, T.int4, T.float8],
      result: T.timestamp,
      impl: (a) => makeTimestamp(a),
    },
    {
      name: 'make_timestamptz',
      args: [T.int4, T.int4, T.int4, T.int4, T.int4, T.float8],
      result: T.timestamptz,
      impl: (a, c) => localToUtc(makeTimestamp(a), c.session.format.timeZone),
    },
    {
      name: 'make_timestamptz',
      args: [T.int4, T.int4, T.int4, T.int4, T.int4, T.float8, T.text],
      result: T.timestamptz,
      impl: (a) => localToUtc(makeTimestamp(a), a[6] as string),
    },
  );
  return out;
}

/** make_date's day number (days from 2000-01-01); negative years are BC. */
function makeDays(year: number, month: number, day: number): number {
  const bad = (): PgError =>
    new PgError('22008', `date field value out of range: ${year}-${pad2(month)}-${pad2(day)}`);
  if (year === 0 || month < 1 || month > 12) throw bad();
  const astronomical = year < 0 ? year + 1 : year;
  if (day < 1 || day > daysInMonth(astronomical, month)) throw bad();
  const days = daysFromCivil(astronomical, month, day) - PG_EPOCH_DAYS;
  if (days < -2451545 || days > 2147483494) throw new PgError('22008', 'date out of range');
  return days;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** make_time's microseconds since midnight (24:00:00 allowed, as in PostgreSQL). */
function makeTime(hour: number, minute: number, sec: number): bigint {
  const usec = BigInt(Math.round(sec * 1e6));
  const total = (BigInt(hour) * 60n + BigInt(minute)) * 60_000_000n + usec;
  if (
    hour < 0 ||
    minute < 0 ||
    minute > 59 ||
    sec < 0 ||
    sec > 60 ||
    total > 24n * 3_600_000_000n
  ) {
    const secText = Number.isInteger(sec) ? pad2(sec) : String(sec);
    throw new PgError('22008', `time field value out of range: ${hour}:${pad2(minute)}:${secText}`);
  }
  return total;
}

function makeTimestamp(a: Value[]): bigint {
  const [year, month, day, hour, minute, sec] = a as number[];
  const days = makeDays(year!, month!, day!);
  return BigInt(days) * USECS_PER_DAY + makeTime(hour!, minute!, sec!);
}
