/**
 * interval inside the engine: months, days and microseconds kept apart (a month is not a fixed
 * number of days, nor a day of hours across DST), as PostgreSQL does. A value is held as its
 * 16-byte binary wire form (int64 microseconds, int32 days, int32 months), so it travels through the
 * engine's Value type unchanged. Text forms come from @tuskdb/shared-protocol's codec (every
 * IntervalStyle); the arithmetic PostgreSQL defines on intervals is here.
 */
import {
  formatInterval,
  parseInterval,
  TypeInputError,
  type IntervalStyle,
} from '@tuskdb/shared-protocol';
import { PgError } from '../errors.js';

/** Runs a shared-protocol codec, reporting its input errors as the engine's errors. */
export function sharedCodecCall<R>(fn: () => R): R {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TypeInputError) {
      throw new PgError(err.code, err.message, err.detail ? { detail: err.detail } : {});
    }
    throw err;
  }
}

export interface Interval {
  months: number;
  days: number;
  usec: bigint;
}

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

/* Text forms (the shared codec's parser and IntervalStyle printer) ------------------------------- */

export function intervalIn(text: string, style: IntervalStyle | undefined): Interval {
  const v = sharedCodecCall(() => parseInterval(text, { intervalStyle: style }));
  return { months: v.months, days: v.days, usec: v.microseconds };
}

export function intervalOut(i: Interval, style: IntervalStyle | undefined): string {
  return formatInterval(
    { months: i.months, days: i.days, microseconds: i.usec },
    { intervalStyle: style },
  );
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

/** Moves a day between the days and the time part so that their signs agree. */
function agreeDaysAndTime(days: number, usec: bigint): [number, bigint] {
  if (days > 0 && usec < 0n) return [days - 1, usec + USECS_PER_DAY];
  if (days < 0 && usec > 0n) return [days + 1, usec - USECS_PER_DAY];
  return [days, usec];
}

/** justify_hours: whole days out of the time part, signs made to agree. */
export function justifyHours(a: Interval): Interval {
  const [days, usec] = agreeDaysAndTime(
    a.days + Number(a.usec / USECS_PER_DAY),
    a.usec % USECS_PER_DAY,
  );
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
  const h = justifyHours(a);
  let months = h.months + Math.trunc(h.days / DAYS_PER_MONTH);
  let days = h.days % DAYS_PER_MONTH;
  const usec = h.usec;
  if (months > 0 && (days < 0 || (days === 0 && usec < 0n))) {
    days += DAYS_PER_MONTH;
    months--;
  } else if (months < 0 && (days > 0 || (days === 0 && usec > 0n))) {
    days -= DAYS_PER_MONTH;
    months++;
  }
  const [d, t] = agreeDaysAndTime(days, usec);
  return { months: checkInt32(months), days: d, usec: t };
}
