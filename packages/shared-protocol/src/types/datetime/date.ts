/**
 * date: the JS value is the day number PostgreSQL stores, days since 2000-01-01 (negative before),
 * with DATE_NEG_INFINITY / DATE_POS_INFINITY for '-infinity' / 'infinity'. Range 4714-11-24 BC to
 * 5874897-12-31. Binary is that int32.
 */
import type { TypeCodec } from '../codec.js';
import { parseDateStyle, type TypeSettings } from '../settings.js';
import { TypeInputError } from '../errors.js';
import { expectLength, readInt32, writeInt32 } from '../binary.js';
import { Oid } from '../oids.js';
import {
  DATE_MAX_DAYS,
  DATE_MIN_DAYS,
  DATE_NEG_INFINITY,
  DATE_POS_INFINITY,
  UNIX_TO_PG_DAYS,
  daysFromCivil,
  daysInMonth,
  splitMicros,
} from './calendar.js';
import { formatDateDays } from './format.js';
import { fieldOverflow, parseDateTimeFields } from './parse.js';
import { offsetAtMicros, resolveTimeZone } from './timezone.js';

export function dateOutOfRange(text: string): TypeInputError {
  return new TypeInputError('22008', `date out of range: "${text}"`);
}

/** The current transaction time, µs since 2000-01-01 UTC. */
export function currentMicros(settings?: TypeSettings): bigint {
  if (settings?.now !== undefined) return settings.now;
  return BigInt(Date.now() - UNIX_TO_PG_DAYS * 86_400_000) * 1000n;
}

/** Today's day number in the session time zone. */
function localToday(settings?: TypeSettings): number {
  const now = currentMicros(settings);
  const offset = offsetAtMicros(resolveTimeZone(settings?.timeZone), now);
  return splitMicros(now + BigInt(offset) * 1_000_000n)[0];
}

/** Digits at text[at..at+n) as a number, or -1. */
function digitsAt(text: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

/** Fast path for 'YYYY-MM-DD' at the start of `text`; undefined when it is not that form. */
export function isoDatePrefix(text: string): number | undefined {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (year <= 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return undefined;
  return daysFromCivil(year, month, day);
}

export function parseDate(text: string, settings?: TypeSettings): number {
  if (text.length === 10) {
    const fast = isoDatePrefix(text);
    if (fast !== undefined) return fast;
  }
  const f = parseDateTimeFields(text, 'date', parseDateStyle(settings?.dateStyle).order);
  switch (f.special) {
    case 'infinity':
      return DATE_POS_INFINITY;
    case '-infinity':
      return DATE_NEG_INFINITY;
    case 'epoch':
      return -UNIX_TO_PG_DAYS;
    case 'today':
    case 'now':
      return localToday(settings);
    case 'tomorrow':
      return localToday(settings) + 1;
    case 'yesterday':
      return localToday(settings) - 1;
    case 'allballs':
    case undefined:
      break;
  }
  if (f.year === undefined)
    throw new TypeInputError('22007', `invalid input syntax for type date: "${text}"`);
  if (f.year > 5874897 + 1 || f.year < -4713 - 1) throw fieldOverflow(text);
  const days = daysFromCivil(f.year, f.month!, f.day!);
  if (days < DATE_MIN_DAYS || days > DATE_MAX_DAYS) throw dateOutOfRange(text);
  return days;
}

export function formatDate(days: number, settings?: TypeSettings): string {
  if (days === DATE_POS_INFINITY) return 'infinity';
  if (days === DATE_NEG_INFINITY) return '-infinity';
  return formatDateDays(days, parseDateStyle(settings?.dateStyle));
}

export const dateCodec: TypeCodec<number> = {
  oid: Oid.date,
  name: 'date',
  arrayOid: Oid._date,
  fromText: parseDate,
  toText: formatDate,
  fromBinary(bytes) {
    expectLength(bytes, 4);
    return readInt32(bytes, 0);
  },
  toBinary(v) {
    const out = new Uint8Array(4);
    writeInt32(out, 0, v);
    return out;
  },
};

/** A JS Date (UTC midnight) for a finite day number; undefined when JS Date cannot hold it. */
export function pgDateToJsDate(days: number): Date | undefined {
  if (days === DATE_POS_INFINITY || days === DATE_NEG_INFINITY) return undefined;
  const ms = (days + UNIX_TO_PG_DAYS) * 86_400_000;
  return Math.abs(ms) <= 8.64e15 ? new Date(ms) : undefined;
}

/** The day number of a JS Date's UTC calendar date. */
export function jsDateToPgDate(date: Date): number {
  return Math.floor(date.getTime() / 86_400_000) - UNIX_TO_PG_DAYS;
}
