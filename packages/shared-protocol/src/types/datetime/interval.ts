/**
 * interval: the JS value is PostgreSQL's own triple { months, days, microseconds } (int32, int32,
 * int64 as bigint), fields kept separate as PostgreSQL does ('1 mon' ≠ '30 days' in output).
 * Text output in all four IntervalStyles; input in the postgres, postgres_verbose ('@ … ago'),
 * sql_standard ('1-2 3 4:05:06') and ISO 8601 ('P1Y2M3DT4H5M6S') forms, with PostgreSQL's rules
 * for fractional units spilling into smaller fields. Binary: int64 µs, int32 days, int32 months.
 */
import type { TypeCodec } from '../codec.js';
import type { TypeSettings, IntervalStyle } from '../settings.js';
import { TypeInputError } from '../errors.js';
import { expectLength, readInt32, readInt64, writeInt32, writeInt64 } from '../binary.js';
import { Oid } from '../oids.js';
import { pad2, formatFraction } from './format.js';
import { rint } from './parse.js';

export interface Interval {
  months: number;
  days: number;
  microseconds: bigint;
}

const USECS_PER_SEC = 1_000_000n;
const USECS_PER_MINUTE = 60_000_000n;
const USECS_PER_HOUR = 3_600_000_000n;
const USECS_PER_DAY = 86_400_000_000;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function outOfRange(): TypeInputError {
  return new TypeInputError('22008', 'interval out of range');
}

/** Marker: a single field's value does not fit (PostgreSQL: 22015 with the input text). */
class FieldOverflow extends Error {}
function fieldOutOfRange(): Error {
  return new FieldOverflow();
}

/* ---------------------------------------------------------------------------------------------- */
/* Output                                                                                         */
/* ---------------------------------------------------------------------------------------------- */

interface Parts {
  year: number;
  mon: number;
  mday: number;
  hour: bigint;
  min: number;
  sec: number;
  fsec: number;
}

function toParts(v: Interval): Parts {
  const year = Math.trunc(v.months / 12);
  const mon = v.months - year * 12;
  const t = v.microseconds;
  const hour = t / USECS_PER_HOUR;
  const rest = Number(t - hour * USECS_PER_HOUR);
  const min = Math.trunc(rest / 60_000_000);
  const rest2 = rest - min * 60_000_000;
  const sec = Math.trunc(rest2 / 1_000_000);
  const fsec = rest2 - sec * 1_000_000;
  return {
    year: year + 0,
    mon: mon + 0,
    mday: v.days,
    hour,
    min: min + 0,
    sec: sec + 0,
    fsec: fsec + 0,
  };
}

function abs(n: number): number {
  return n < 0 ? -n : n;
}
function absBig(n: bigint): bigint {
  return n < 0n ? -n : n;
}

/** AppendSeconds: seconds (two digits when `fill`), then the trimmed fraction, signs dropped. */
function seconds(sec: number, fsec: number, fill: boolean): string {
  const s = fill ? pad2(abs(sec)) : String(abs(sec));
  return fsec === 0 ? s : s + formatFraction(abs(fsec));
}

function hours(h: bigint): string {
  const a = absBig(h);
  return a < 10n ? '0' + a : a.toString();
}

function formatPostgres(p: Parts): string {
  let out = '';
  let isZero = true;
  let isBefore = false;
  const part = (value: number, unit: string): void => {
    if (value === 0) return;
    out +=
      (isZero ? '' : ' ') +
      (isBefore && value > 0 ? '+' : '') +
      value +
      ' ' +
      unit +
      (value !== 1 ? 's' : '');
    isBefore = value < 0;
    isZero = false;
  };
  part(p.year, 'year');
  part(p.mon, 'mon');
  part(p.mday, 'day');
  if (isZero || p.hour !== 0n || p.min !== 0 || p.sec !== 0 || p.fsec !== 0) {
    const minus = p.hour < 0n || p.min < 0 || p.sec < 0 || p.fsec < 0;
    out +=
      (isZero ? '' : ' ') +
      (minus ? '-' : isBefore ? '+' : '') +
      hours(p.hour) +
      ':' +
      pad2(abs(p.min)) +
      ':' +
      seconds(p.sec, p.fsec, true);
  }
  return out;
}

function formatVerbose(p: Parts): string {
  let out = '@';
  let isZero = true;
  let isBefore = false;
  const part = (value: number, unit: string): void => {
    if (value === 0) return;
    if (isZero) {
      isBefore = value < 0;
      value = abs(value);
    } else if (isBefore) value = -value;
    out += ' ' + value + ' ' + unit + (value === 1 ? '' : 's');
    isZero = false;
  };
  part(p.year, 'year');
  part(p.mon, 'mon');
  part(p.mday, 'day');
  // Hours can exceed int32 only for absurd intervals; print them exactly anyway.
  if (p.hour !== 0n) {
    let h = p.hour;
    if (isZero) {
      isBefore = h < 0n;
      h = absBig(h);
    } else if (isBefore) h = -h;
    out += ' ' + h.toString() + ' hour' + (h === 1n ? '' : 's');
    isZero = false;
  }
  part(p.min, 'min');
  if (p.sec !== 0 || p.fsec !== 0) {
    out += ' ';
    if (p.sec < 0 || (p.sec === 0 && p.fsec < 0)) {
      if (isZero) isBefore = true;
      else if (!isBefore) out += '-';
    } else if (isBefore) out += '-';
    out += seconds(p.sec, p.fsec, false) + ' sec' + (abs(p.sec) !== 1 || p.fsec !== 0 ? 's' : '');
    isZero = false;
  }
  if (isZero) out += ' 0';
  if (isBefore) out += ' ago';
  return out;
}

function formatIso(p: Parts): string {
  if (
    p.year === 0 &&
    p.mon === 0 &&
    p.mday === 0 &&
    p.hour === 0n &&
    p.min === 0 &&
    p.sec === 0 &&
    p.fsec === 0
  ) {
    return 'PT0S';
  }
  let out = 'P';
  if (p.year !== 0) out += p.year + 'Y';
  if (p.mon !== 0) out += p.mon + 'M';
  if (p.mday !== 0) out += p.mday + 'D';
  if (p.hour !== 0n || p.min !== 0 || p.sec !== 0 || p.fsec !== 0) out += 'T';
  if (p.hour !== 0n) out += p.hour.toString() + 'H';
  if (p.min !== 0) out += p.min + 'M';
  if (p.sec !== 0 || p.fsec !== 0) {
    if (p.sec < 0 || p.fsec < 0) out += '-';
    out += seconds(p.sec, p.fsec, false) + 'S';
  }
  return out;
}

function formatSqlStandard(p0: Parts): string {
  let p = p0;
  const hasNegative =
    p.year < 0 || p.mon < 0 || p.mday < 0 || p.hour < 0n || p.min < 0 || p.sec < 0 || p.fsec < 0;
  const hasPositive =
    p.year > 0 || p.mon > 0 || p.mday > 0 || p.hour > 0n || p.min > 0 || p.sec > 0 || p.fsec > 0;
  const hasYearMonth = p.year !== 0 || p.mon !== 0;
  const hasDayTime = p.mday !== 0 || p.hour !== 0n || p.min !== 0 || p.sec !== 0 || p.fsec !== 0;
  const standard = !(hasNegative && hasPositive) && !(hasYearMonth && hasDayTime);
  let out = '';
  if (hasNegative && standard) {
    // One sign in front of the whole value.
    out = '-';
    p = {
      year: -p.year,
      mon: -p.mon,
      mday: -p.mday,
      hour: -p.hour,
      min: -p.min,
      sec: -p.sec,
      fsec: -p.fsec,
    };
  }
  if (!hasNegative && !hasPositive) return '0';
  if (!standard) {
    const yearSign = p.year < 0 || p.mon < 0 ? '-' : '+';
    const daySign = p.mday < 0 ? '-' : '+';
    const secSign = p.hour < 0n || p.min < 0 || p.sec < 0 || p.fsec < 0 ? '-' : '+';
    return (
      out +
      yearSign +
      abs(p.year) +
      '-' +
      abs(p.mon) +
      ' ' +
      daySign +
      abs(p.mday) +
      ' ' +
      secSign +
      absBig(p.hour).toString() +
      ':' +
      pad2(abs(p.min)) +
      ':' +
      seconds(p.sec, p.fsec, true)
    );
  }
  if (hasYearMonth) return out + p.year + '-' + p.mon;
  const time = p.hour.toString() + ':' + pad2(p.min) + ':' + seconds(p.sec, p.fsec, true);
  if (p.mday !== 0) return out + p.mday + ' ' + time;
  return out + time;
}

export function formatInterval(v: Interval, settings?: TypeSettings): string {
  const p = toParts(v);
  const style: IntervalStyle = settings?.intervalStyle ?? 'postgres';
  switch (style) {
    case 'postgres':
      return formatPostgres(p);
    case 'postgres_verbose':
      return formatVerbose(p);
    case 'iso_8601':
      return formatIso(p);
    case 'sql_standard':
      return formatSqlStandard(p);
  }
}

/* ---------------------------------------------------------------------------------------------- */
/* Input                                                                                          */
/* ---------------------------------------------------------------------------------------------- */

type Unit =
  | 'microsecond'
  | 'millisecond'
  | 'second'
  | 'minute'
  | 'hour'
  | 'day'
  | 'week'
  | 'month'
  | 'year'
  | 'decade'
  | 'century'
  | 'millennium';

/** PostgreSQL's interval unit words (compared on their first 10 characters, as it does). */
const UNITS: Record<string, Unit> = {
  us: 'microsecond',
  usec: 'microsecond',
  usecs: 'microsecond',
  usecond: 'microsecond',
  useconds: 'microsecond',
  microsecon: 'microsecond',
  ms: 'millisecond',
  msec: 'millisecond',
  msecs: 'millisecond',
  msecond: 'millisecond',
  mseconds: 'millisecond',
  millisecon: 'millisecond',
  s: 'second',
  sec: 'second',
  secs: 'second',
  second: 'second',
  seconds: 'second',
  m: 'minute',
  min: 'minute',
  mins: 'minute',
  minute: 'minute',
  minutes: 'minute',
  h: 'hour',
  hr: 'hour',
  hrs: 'hour',
  hour: 'hour',
  hours: 'hour',
  d: 'day',
  day: 'day',
  days: 'day',
  w: 'week',
  week: 'week',
  weeks: 'week',
  mon: 'month',
  mons: 'month',
  month: 'month',
  months: 'month',
  y: 'year',
  yr: 'year',
  yrs: 'year',
  year: 'year',
  years: 'year',
  dec: 'decade',
  decs: 'decade',
  decade: 'decade',
  decades: 'decade',
  c: 'century',
  cent: 'century',
  century: 'century',
  centuries: 'century',
  mil: 'millennium',
  mils: 'millennium',
  millennium: 'millennium',
  millennia: 'millennium',
};

/**
 * Accumulator mirroring PostgreSQL's pg_itm_in: years and months are separate int32 fields that are
 * combined (and range-checked) only at the end, after an `ago` has negated them — so
 * '@ 178956970 years 8 mons ago' (-2^31 months) is accepted, as PostgreSQL accepts it.
 */
class Acc {
  years = 0;
  mons = 0;
  days = 0;
  us = 0n;

  addYears(n: number): void {
    this.years += n;
    if (this.years < INT32_MIN || this.years > INT32_MAX) throw outOfRange();
  }
  addMonths(n: number): void {
    this.mons += n;
    if (this.mons < INT32_MIN || this.mons > INT32_MAX) throw outOfRange();
  }
  /** Total months (years × 12 + months), which must fit in an int32. */
  get months(): number {
    const total = this.years * 12 + this.mons;
    if (total < INT32_MIN || total > INT32_MAX) throw outOfRange();
    return total;
  }
  /** `ago`: every field negated; a field at its minimum cannot be. */
  negate(): void {
    if (
      this.years === INT32_MIN ||
      this.mons === INT32_MIN ||
      this.days === INT32_MIN ||
      this.us === INT64_MIN
    )
      throw outOfRange();
    this.years = 0 - this.years;
    this.mons = 0 - this.mons;
    this.days = 0 - this.days;
    this.us = 0n - this.us;
  }
  addDays(n: number): void {
    this.days += n;
    if (this.days < INT32_MIN || this.days > INT32_MAX) throw outOfRange();
  }
  addMicros(n: bigint): void {
    this.us += n;
    if (this.us < INT64_MIN || this.us > INT64_MAX) throw outOfRange();
  }
  /** AdjustFractMicroseconds: frac × scale, truncated, plus the rounded remainder. */
  fractMicros(frac: number, scale: number): void {
    if (frac === 0) return;
    const f = frac * scale;
    const whole = Math.trunc(f);
    this.addMicros(BigInt(whole + rint(f - whole)));
  }
  /** AdjustFractDays. */
  fractDays(frac: number, scale: number): void {
    if (frac === 0) return;
    const f = frac * scale;
    const whole = Math.trunc(f);
    this.addDays(whole);
    this.fractMicros(f - whole, USECS_PER_DAY);
  }
  /** AdjustFractYears: whole months, rounded. */
  fractYears(frac: number, scale: number): void {
    if (frac === 0) return;
    this.addMonths(Math.round(frac * scale * 12) + 0);
  }

  add(val: number, frac: number, unit: Unit): void {
    switch (unit) {
      case 'microsecond':
        this.addMicros(BigInt(val));
        this.fractMicros(frac, 1);
        break;
      case 'millisecond':
        this.addMicros(BigInt(val) * 1000n);
        this.fractMicros(frac, 1000);
        break;
      case 'second':
        this.addMicros(BigInt(val) * USECS_PER_SEC);
        this.fractMicros(frac, 1_000_000);
        break;
      case 'minute':
        this.addMicros(BigInt(val) * USECS_PER_MINUTE);
        this.fractMicros(frac, 60_000_000);
        break;
      case 'hour':
        this.addMicros(BigInt(val) * USECS_PER_HOUR);
        this.fractMicros(frac, 3_600_000_000);
        break;
      case 'day':
        if (val < INT32_MIN || val > INT32_MAX) throw fieldOutOfRange();
        this.addDays(val);
        this.fractMicros(frac, USECS_PER_DAY);
        break;
      case 'week':
        this.addDays(val * 7);
        this.fractDays(frac, 7);
        break;
      case 'month':
        this.addMonths(val);
        this.fractDays(frac, 30);
        break;
      case 'year':
        this.addYears(val);
        this.fractYears(frac, 1);
        break;
      case 'decade':
        this.addYears(val * 10);
        this.fractYears(frac, 10);
        break;
      case 'century':
        this.addYears(val * 100);
        this.fractYears(frac, 100);
        break;
      case 'millennium':
        this.addYears(val * 1000);
        this.fractYears(frac, 1000);
        break;
    }
  }
}

/** Integer part and signed fraction of a decimal token, as strtoi64 + strtod split it. */
function splitNumber(text: string): [number, number] | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) return undefined;
  const negative = m[1] === '-';
  const whole = Number(m[2] || '0');
  if (!Number.isSafeInteger(whole)) throw outOfRange();
  const frac = m[3] ? Number('0.' + m[3]) : 0;
  return [negative ? -whole : whole, negative ? -frac : frac];
}

const TIME_FIELD = /^([+-]?)(\d+):(\d+)(?::(\d+))?(?:\.(\d*))?$/;

function addTime(acc: Acc, m: RegExpExecArray, negateAll: boolean): void {
  const hour = BigInt(m[2]!);
  const min = Number(m[3]);
  const sec = Number(m[4] ?? 0);
  if (min > 59 || sec > 59 || (m[4] === undefined && m[5] !== undefined)) throw new Error('bad');
  const frac = m[5] ? rint(Number('0.' + m[5]) * 1_000_000) : 0;
  let us =
    hour * USECS_PER_HOUR +
    BigInt(min) * USECS_PER_MINUTE +
    BigInt(sec) * USECS_PER_SEC +
    BigInt(frac);
  if (m[1] === '-' || (negateAll && m[1] === '')) us = -us;
  acc.addMicros(us);
}

function parseIso8601(text: string, body: string): Interval {
  const acc = new Acc();
  let i = 0;
  let inTime = false;
  const re = /([+-]?\d*(?:\.\d*)?)([YMWDHS])/y;
  if (body.length === 0) throw new Error('bad');
  while (i < body.length) {
    if (body[i] === 'T') {
      if (inTime) throw new Error('bad');
      inTime = true;
      i++;
      continue;
    }
    re.lastIndex = i;
    const m = re.exec(body);
    if (!m) throw new Error('bad');
    const num = splitNumber(m[1]!);
    if (!num) throw new Error('bad');
    const [val, frac] = num;
    switch (m[2]) {
      case 'Y':
        if (inTime) throw new Error('bad');
        acc.add(val, frac, 'year');
        break;
      case 'M':
        acc.add(val, frac, inTime ? 'minute' : 'month');
        break;
      case 'W':
        if (inTime) throw new Error('bad');
        acc.add(val, frac, 'week');
        break;
      case 'D':
        if (inTime) throw new Error('bad');
        acc.add(val, frac, 'day');
        break;
      case 'H':
        if (!inTime) throw new Error('bad');
        acc.add(val, frac, 'hour');
        break;
      case 'S':
        if (!inTime) throw new Error('bad');
        acc.add(val, frac, 'second');
        break;
    }
    i = re.lastIndex;
  }
  void text;
  return { months: acc.months, days: acc.days, microseconds: acc.us };
}

/** interval_in (without typmod). */
export function parseInterval(text: string, settings?: TypeSettings): Interval {
  try {
    return parseIntervalInner(text, settings);
  } catch (e) {
    if (e instanceof TypeInputError) throw e;
    if (e instanceof FieldOverflow) {
      throw new TypeInputError('22015', `interval field value out of range: "${text}"`);
    }
    throw new TypeInputError('22007', `invalid input syntax for type interval: "${text}"`);
  }
}

function parseIntervalInner(text: string, settings?: TypeSettings): Interval {
  const input = text.trim().toLowerCase();
  if (input.startsWith('p')) return parseIso8601(text, input.slice(1).toUpperCase());
  // Split "1day", "1.5h" into number and unit; tokens are whitespace separated.
  const tokens = input
    .split(/\s+/)
    .filter((t) => t.length > 0)
    .flatMap((t) => {
      const m = /^([+-]?\d*\.?\d+|[+-]?\d+\.)([a-z]+)$/.exec(t);
      return m ? [m[1]!, m[2]!] : [t];
    });
  if (tokens.length === 0) throw new Error('bad');
  const acc = new Acc();
  let ago = false;
  // sql_standard: a leading '-' negates every field that has no sign of its own.
  const negateAll = settings?.intervalStyle === 'sql_standard' && tokens[0]!.startsWith('-');
  let seenField = false;
  // Each unit may appear once ("1 day 1 day" is rejected), as PostgreSQL's field mask enforces.
  const used = new Set<string>();
  const use = (...units: string[]): void => {
    for (const u of units) {
      if (used.has(u)) throw new Error('bad');
      used.add(u);
    }
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '@') continue;
    if (token === 'ago') {
      if (i !== tokens.length - 1 || ago) throw new Error('bad');
      ago = true;
      continue;
    }
    const tm = TIME_FIELD.exec(token);
    if (tm) {
      use('hour', 'minute', 'second', 'millisecond', 'microsecond');
      addTime(acc, tm, negateAll && i > 0);
      seenField = true;
      continue;
    }
    const ym = /^([+-]?)(\d+)-(\d+)$/.exec(token);
    if (ym) {
      use('year', 'month');
      if (Number(ym[3]) > 11)
        throw new TypeInputError('22008', `interval field value out of range: "${text}"`);
      const sign = ym[1] === '-' || (negateAll && ym[1] === '') ? -1 : 1;
      acc.addYears(sign * Number(ym[2]));
      acc.addMonths(sign * Number(ym[3]));
      seenField = true;
      continue;
    }
    const num = splitNumber(token);
    if (!num) throw new Error('bad');
    let [val, frac] = num;
    if (negateAll && i > 0 && !/^[+-]/.test(token)) {
      val = -val;
      frac = -frac;
    }
    const next = tokens[i + 1];
    const unit = next === undefined ? undefined : UNITS[next.slice(0, 10)];
    if (unit !== undefined) {
      // Seconds with a fraction also claim the millisecond and microsecond fields.
      if (unit === 'second' && frac !== 0) use('second', 'millisecond', 'microsecond');
      else use(unit);
      acc.add(val, frac, unit);
      i++;
    } else if (next !== undefined && TIME_FIELD.test(next)) {
      // A bare number before a time field counts days ("1 2:03:04").
      use('day');
      acc.add(val, frac, 'day');
    } else if (next === undefined || next === 'ago') {
      if (frac !== 0) use('second', 'millisecond', 'microsecond');
      else use('second');
      acc.add(val, frac, 'second');
    } else throw new Error('bad');
    seenField = true;
  }
  if (!seenField) throw new Error('bad');
  if (ago) acc.negate();
  return { months: acc.months, days: acc.days, microseconds: acc.us };
}

export const intervalCodec: TypeCodec<Interval> = {
  oid: Oid.interval,
  name: 'interval',
  arrayOid: Oid._interval,
  fromText: parseInterval,
  toText: formatInterval,
  fromBinary(bytes) {
    expectLength(bytes, 16);
    // Same key order as the parsers produce, so values compare (and print) alike.
    return {
      months: readInt32(bytes, 12),
      days: readInt32(bytes, 8),
      microseconds: readInt64(bytes, 0),
    };
  },
  toBinary(v) {
    const out = new Uint8Array(16);
    writeInt64(out, 0, v.microseconds);
    writeInt32(out, 8, v.days);
    writeInt32(out, 12, v.months);
    return out;
  },
};
