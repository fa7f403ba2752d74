/**
 * interval: months, days and microseconds kept apart (a month is not a fixed number of days, nor a
 * day of hours across DST), as PostgreSQL does. A value is held as its 16-byte binary wire form
 * (int64 microseconds, int32 days, int32 months), so it travels through the engine's Value type
 * unchanged. Text input accepts PostgreSQL's unit syntax ('1 year 2 mons', '3 days 04:05:06',
 * '@ 1 hour ago') and ISO 8601 ('P1Y2M3DT4H'); output is IntervalStyle postgres.
 */
import { PgError } from '../errors.js';

export interface Interval {
  months: number;
  days: number;
  usec: bigint;
}

export const USECS_PER_SEC = 1_000_000n;
const USECS_PER_DAY = 86_400_000_000n;
const DAYS_PER_MONTH = 30;
const SECS_PER_DAY = 86400;

export function intervalValue(i: Interval): Uint8Array {
  const b = Buffer.alloc(16);
  b.writeBigInt64BE(BigInt.asIntN(64, i.usec), 0);
  b.writeInt32BE(checkInt32(i.days), 8);
  b.writeInt32BE(checkInt32(i.months), 12);
  return b;
}

export function intervalParts(v: Uint8Array): Interval {
  const b = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return { usec: b.readBigInt64BE(0), days: b.readInt32BE(8), months: b.readInt32BE(12) };
}

function checkInt32(n: number): number {
  if (!Number.isFinite(n) || n > 2147483647 || n < -2147483648) {
    throw new PgError('22008', 'interval out of range');
  }
  return n;
}

function checkTime(us: bigint): bigint {
  if (us > 9223372036854775807n || us < -9223372036854775808n) {
    throw new PgError('22008', 'interval out of range');
  }
  return us;
}

/** The span an interval stands for when comparing: months as 30 days, days as 24 hours. */
export function intervalSpan(i: Interval): bigint {
  return (BigInt(i.months) * BigInt(DAYS_PER_MONTH) + BigInt(i.days)) * USECS_PER_DAY + i.usec;
}

export function compareIntervals(a: Uint8Array, b: Uint8Array): number {
  const x = intervalSpan(intervalParts(a));
  const y = intervalSpan(intervalParts(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

/* Input ----------------------------------------------------------------------------------------- */

type Unit = 'us' | 'ms' | 's' | 'min' | 'h' | 'd' | 'w' | 'mon' | 'y' | 'dec' | 'c' | 'mil';

const unitNames: Record<string, Unit> = {};
const addUnit = (unit: Unit, ...names: string[]): void => {
  for (const n of names) unitNames[n] = unit;
};
addUnit('us', 'microsecond', 'microseconds', 'microsecon', 'us', 'usec', 'usecs', 'useconds');
addUnit('ms', 'millisecond', 'milliseconds', 'millisecon', 'ms', 'msec', 'msecs', 'mseconds');
addUnit('s', 'second', 'seconds', 's', 'sec', 'secs');
addUnit('min', 'minute', 'minutes', 'm', 'min', 'mins');
addUnit('h', 'hour', 'hours', 'h', 'hr', 'hrs');
addUnit('d', 'day', 'days', 'd');
addUnit('w', 'week', 'weeks', 'w');
addUnit('mon', 'month', 'months', 'mon', 'mons');
addUnit('y', 'year', 'years', 'y', 'yr', 'yrs');
addUnit('dec', 'decade', 'decades', 'dec', 'decs');
addUnit('c', 'century', 'centuries', 'c', 'cent');
addUnit('mil', 'millennium', 'millennia', 'mil', 'mils', 'millenniums');

/** Accumulates fields with PostgreSQL's cascading of fractions (1.5 months = 1 mon 15 days). */
class Accumulator {
  months = 0;
  days = 0;
  usec = 0;

  addMonths(v: number): void {
    const whole = Math.trunc(v);
    this.months += whole;
    this.addDays((v - whole) * DAYS_PER_MONTH);
  }
  addDays(v: number): void {
    const whole = Math.trunc(v);
    this.days += whole;
    this.usec += Math.round((v - whole) * SECS_PER_DAY * 1e6);
  }
  add(unit: Unit, v: number): void {
    switch (unit) {
      case 'us':
        this.usec += Math.round(v);
        return;
      case 'ms':
        this.usec += Math.round(v * 1000);
        return;
      case 's':
        this.usec += Math.round(v * 1e6);
        return;
      case 'min':
        this.usec += Math.round(v * 60e6);
        return;
      case 'h':
        this.usec += Math.round(v * 3600e6);
        return;
      case 'd':
        this.addDays(v);
        return;
      case 'w':
        this.addDays(v * 7);
        return;
      case 'mon':
        this.addMonths(v);
        return;
      case 'y':
        this.addMonths(v * 12);
        return;
      case 'dec':
        this.addMonths(v * 120);
        return;
      case 'c':
        this.addMonths(v * 1200);
        return;
      case 'mil':
        this.addMonths(v * 12000);
        return;
    }
  }
}

function badInterval(text: string): PgError {
  return new PgError('22007', `invalid input syntax for type interval: "${text}"`);
}

/** '[-]H:MM[:SS[.frac]]' → microseconds (signed). */
function parseClock(token: string, text: string): number {
  const m = /^([-+]?)(\d+):(\d+)(?::(\d+(?:\.\d*)?))?$/.exec(token);
  if (!m) throw badInterval(text);
  const sign = m[1] === '-' ? -1 : 1;
  const h = Number(m[2]);
  const mi = Number(m[3]);
  const s = Number(m[4] ?? 0);
  if (mi > 59 || s >= 60) {
    throw new PgError('22015', `interval field value out of range: "${text}"`);
  }
  return sign * (h * 3600e6 + mi * 60e6 + Math.round(s * 1e6));
}

function parseIso(text: string): Interval | undefined {
  const m =
    /^p(?:([-+]?\d+(?:\.\d+)?)y)?(?:([-+]?\d+(?:\.\d+)?)m)?(?:([-+]?\d+(?:\.\d+)?)w)?(?:([-+]?\d+(?:\.\d+)?)d)?(?:t(?:([-+]?\d+(?:\.\d+)?)h)?(?:([-+]?\d+(?:\.\d+)?)m)?(?:([-+]?\d+(?:\.\d+)?)s)?)?$/.exec(
      text,
    );
  if (!m || text === 'p' || text.endsWith('t')) return undefined;
  const acc = new Accumulator();
  const units: Unit[] = ['y', 'mon', 'w', 'd', 'h', 'min', 's'];
  units.forEach((u, i) => {
    const v = m[i + 1];
    if (v !== undefined) acc.add(u, Number(v));
  });
  return { months: acc.months, days: acc.days, usec: BigInt(acc.usec) };
}

export function intervalIn(text: string): Interval {
  let t = text.trim().toLowerCase();
  if (t === '') throw badInterval(text);
  if (t.startsWith('p')) {
    const iso = parseIso(t);
    if (iso) return iso;
    throw badInterval(text);
  }
  if (t.startsWith('@')) t = t.slice(1).trim();
  let ago = false;
  const tokens = t.split(/\s+/).filter((w) => w !== '');
  if (tokens[tokens.length - 1] === 'ago') {
    ago = true;
    tokens.pop();
  }
  if (tokens.length === 0) throw badInterval(text);
  const acc = new Accumulator();
  for (let i = 0; i < tokens.length; i++) {
    let tok = tokens[i]!;
    if (tok.includes(':')) {
      acc.usec += parseClock(tok, text);
      continue;
    }
    // A number glued to its unit ('5min', '1day') or followed by it.
    const glued = /^([-+]?(?:\d+(?:\.\d*)?|\.\d+))([a-z]+)$/.exec(tok);
    let unitName: string | undefined;
    if (glued) {
      tok = glued[1]!;
      unitName = glued[2];
    }
    if (!/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/.test(tok)) throw badInterval(text);
    const v = Number(tok);
    if (unitName === undefined) {
      const next = tokens[i + 1];
      if (next !== undefined && unitNames[next] !== undefined) {
        unitName = next;
        i++;
      }
    }
    if (unitName === undefined) {
      // A bare number is seconds (or, before a clock field, days: '1 12:00' is 1 day 12 hours).
      const next = tokens[i + 1];
      acc.add(next !== undefined && next.includes(':') ? 'd' : 's', v);
      continue;
    }
    const unit = unitNames[unitName];
    if (!unit) throw badInterval(text);
    acc.add(unit, v);
  }
  const sign = ago ? -1 : 1;
  return {
    months: checkInt32(sign * acc.months),
    days: checkInt32(sign * acc.days),
    usec: checkTime(BigInt(sign * acc.usec)),
  };
}

/* Output ---------------------------------------------------------------------------------------- */

const pad2 = (n: bigint): string => n.toString().padStart(2, '0');

/** Seconds with up to six fraction digits, trailing zeros dropped ('05', '05.5'). */
function formatSeconds(us: bigint): string {
  const secs = us / USECS_PER_SEC;
  const frac = us % USECS_PER_SEC;
  let out = pad2(secs);
  if (frac !== 0n) out += '.' + frac.toString().padStart(6, '0').replace(/0+$/, '');
  return out;
}

/** The clock part of a time span: 'HH:MM:SS[.ffffff]' with hours unbounded. */
export function formatClock(us: bigint): string {
  const abs = us < 0n ? -us : us;
  const h = abs / 3_600_000_000n;
  const mi = (abs / 60_000_000n) % 60n;
  return `${us < 0n ? '-' : ''}${pad2(h)}:${pad2(mi)}:${formatSeconds(abs % 60_000_000n)}`;
}

export function intervalOut(i: Interval): string {
  const parts: string[] = [];
  let before = false;
  let zero = true;
  const field = (value: number, unit: string): void => {
    if (value === 0) return;
    parts.push(`${before && value > 0 ? '+' : ''}${value} ${unit}${value !== 1 ? 's' : ''}`);
    before = value < 0;
    zero = false;
  };
  field(Math.trunc(i.months / 12), 'year');
  field(i.months % 12, 'mon');
  field(i.days, 'day');
  if (zero || i.usec !== 0n) {
    const minus = i.usec < 0n;
    const clock = formatClock(minus ? -i.usec : i.usec);
    parts.push(`${minus ? '-' : before ? '+' : ''}${clock}`);
  }
  return parts.join(' ');
}

/* Arithmetic ------------------------------------------------------------------------------------ */

export function intervalAdd(a: Interval, b: Interval): Interval {
  return {
    months: checkInt32(a.months + b.months),
    days: checkInt32(a.days + b.days),
    usec: checkTime(a.usec + b.usec),
  };
}

export function intervalNegate(a: Interval): Interval {
  return { months: checkInt32(-a.months), days: checkInt32(-a.days), usec: checkTime(-a.usec) };
}

const tsRound = (x: number): number => Math.round(x * 1e6) / 1e6;

/** interval * factor, spilling fractional months into days and fractional days into time. */
export function intervalMultiply(a: Interval, factor: number): Interval {
  if (Number.isNaN(factor)) throw new PgError('22008', 'interval out of range');
  const months = Math.trunc(a.months * factor);
  let days = Math.trunc(a.days * factor);
  const monthRemainderDays = tsRound((a.months * factor - months) * DAYS_PER_MONTH);
  let secRemainder = tsRound(
    (a.days * factor - days + monthRemainderDays - Math.trunc(monthRemainderDays)) * SECS_PER_DAY,
  );
  if (Math.abs(secRemainder) >= SECS_PER_DAY) {
    const extra = Math.trunc(secRemainder / SECS_PER_DAY);
    days += extra;
    secRemainder -= extra * SECS_PER_DAY;
  }
  days += Math.trunc(monthRemainderDays);
  const usec = Math.round(Number(a.usec) * factor + secRemainder * 1e6);
  if (!Number.isFinite(usec) || Math.abs(usec) > 9.2e18) {
    throw new PgError('22008', 'interval out of range');
  }
  return { months: checkInt32(months), days: checkInt32(days), usec: BigInt(usec) };
}

export function intervalDivide(a: Interval, divisor: number): Interval {
  if (divisor === 0) throw new PgError('22012', 'division by zero');
  return intervalMultiply(a, 1 / divisor);
}

/** justify_hours: whole days out of the time part, signs made to agree. */
export function justifyHours(a: Interval): Interval {
  let days = a.days + Number(a.usec / USECS_PER_DAY);
  let usec = a.usec % USECS_PER_DAY;
  if (days > 0 && usec < 0n) {
    usec += USECS_PER_DAY;
    days--;
  } else if (days < 0 && usec > 0n) {
    usec -= USECS_PER_DAY;
    days++;
  }
  return { months: a.months, days: checkInt32(days), usec };
}

/** justify_days: whole 30-day months out of the days. */
export function justifyDays(a: Interval): Interval {
  let months = a.months + Math.trunc(a.days / DAYS_PER_MONTH);
  let days = a.days % DAYS_PER_MONTH;
  if (months > 0 && days < 0) {
    days += DAYS_PER_MONTH;
    months--;
  } else if (months < 0 && days > 0) {
    days -= DAYS_PER_MONTH;
    months++;
  }
  return { months: checkInt32(months), days, usec: a.usec };
}

export function justifyInterval(a: Interval): Interval {
  const h = justifyHours({ months: a.months, days: a.days, usec: a.usec });
  let months = h.months + Math.trunc(h.days / DAYS_PER_MONTH);
  let days = h.days % DAYS_PER_MONTH;
  let usec = h.usec;
  if (months > 0 && (days < 0 || (days === 0 && usec < 0n))) {
    days += DAYS_PER_MONTH;
    months--;
  } else if (months < 0 && (days > 0 || (days === 0 && usec > 0n))) {
    days -= DAYS_PER_MONTH;
    months++;
  }
  if (days > 0 && usec < 0n) {
    usec += USECS_PER_DAY;
    days--;
  } else if (days < 0 && usec > 0n) {
    usec -= USECS_PER_DAY;
    days++;
  }
  return { months: checkInt32(months), days, usec };
}
