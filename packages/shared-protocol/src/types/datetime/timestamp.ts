/**
 * timestamp and timestamptz: the JS value is PostgreSQL's own, a bigint of µs since
 * 2000-01-01 00:00:00 (UTC for timestamptz), with TIMESTAMP_NEG_INFINITY / TIMESTAMP_POS_INFINITY
 * (the int64 extremes) for '-infinity' / 'infinity'. Range 4714-11-24 BC to 294276-12-31.
 * timestamptz text is written in the session TimeZone. Binary is that int64.
 */
import type { TypeCodec } from '../codec.js';
import { parseDateStyle, type TypeSettings } from '../settings.js';
import { TypeInputError } from '../errors.js';
import { expectLength, readInt64, writeInt64 } from '../binary.js';
import { Oid } from '../oids.js';
import {
  TIMESTAMP_END,
  TIMESTAMP_MIN,
  TIMESTAMP_NEG_INFINITY,
  TIMESTAMP_POS_INFINITY,
  UNIX_TO_PG_DAYS,
  UNIX_TO_PG_SECONDS,
  daysFromCivil,
  joinMicros,
  splitMicros,
} from './calendar.js';
import { currentMicros, isoDatePrefix } from './date.js';
import { formatDateTime } from './format.js';
import { parseDateTimeFields, type DateTimeFields } from './parse.js';
import { offsetAtMicros, offsetForLocal, resolveTimeZone, type TimeZone } from './timezone.js';

function outOfRange(text: string): TypeInputError {
  return new TypeInputError('22008', `timestamp out of range: "${text}"`);
}

/**
 * Fast path for PostgreSQL's own ISO output without zone or era: 'YYYY-MM-DD HH:MM:SS[.f…]'.
 * Returns local µs, or undefined for anything else.
 */
function isoTimestampFast(text: string): bigint | undefined {
  const len = text.length;
  if (
    len < 19 ||
    text.charCodeAt(10) !== 32 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58
  ) {
    return undefined;
  }
  const days = isoDatePrefix(text);
  if (days === undefined) return undefined;
  let time = 0;
  for (const at of [11, 14, 17]) {
    const a = text.charCodeAt(at) - 48;
    const b = text.charCodeAt(at + 1) - 48;
    if (a < 0 || a > 9 || b < 0 || b > 9) return undefined;
    time = time * 60 + a * 10 + b;
  }
  if (time >= 86400 || text.charCodeAt(14) > 53 || text.charCodeAt(17) > 53) return undefined;
  let frac = 0;
  if (len > 19) {
    if (text.charCodeAt(19) !== 46 || len > 26 || len === 20) return undefined;
    for (let i = 20; i < len; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
    }
    frac = Number(text.slice(20).padEnd(6, '0'));
  }
  return joinMicros(days, time * 1_000_000 + frac);
}

function localMicros(f: DateTimeFields, text: string, typeName: string): bigint {
  if (f.year === undefined)
    throw new TypeInputError('22007', `invalid input syntax for type ${typeName}: "${text}"`);
  if (f.year > 294277 || f.year < -4714) throw outOfRange(text);
  return joinMicros(daysFromCivil(f.year, f.month!, f.day!), f.timeUs ?? 0);
}

function checkRange(us: bigint, text: string): bigint {
  if (us < TIMESTAMP_MIN || us >= TIMESTAMP_END) throw outOfRange(text);
  return us;
}

function specialValue(
  f: DateTimeFields,
  settings: TypeSettings | undefined,
  zone: TimeZone,
): bigint | undefined {
  switch (f.special) {
    case undefined:
    case 'allballs':
      return undefined;
    case 'infinity':
      return TIMESTAMP_POS_INFINITY;
    case '-infinity':
      return TIMESTAMP_NEG_INFINITY;
    case 'epoch':
      return -BigInt(UNIX_TO_PG_DAYS) * 86_400_000_000n;
    case 'now':
      return currentMicros(settings);
  }
  // today / tomorrow / yesterday: local midnight in `zone`.
  const now = currentMicros(settings);
  const [day] = splitMicros(now + BigInt(offsetAtMicros(zone, now)) * 1_000_000n);
  const shift = f.special === 'tomorrow' ? 1 : f.special === 'yesterday' ? -1 : 0;
  const local = joinMicros(day + shift, 0);
  return local - BigInt(offsetForLocal(zone, Number(local / 1_000_000n))) * 1_000_000n;
}

/** timestamp_in: an explicit zone in the input is ignored, as PostgreSQL does. */
export function parseTimestamp(text: string, settings?: TypeSettings): bigint {
  const fast = isoTimestampFast(text);
  if (fast !== undefined) return checkRange(fast, text);
  const f = parseDateTimeFields(text, 'timestamp', parseDateStyle(settings?.dateStyle).order);
  if (f.special !== undefined && f.special !== 'allballs') {
    if (f.special === 'infinity' || f.special === '-infinity' || f.special === 'epoch') {
      return specialValue(f, settings, resolveTimeZone('UTC'))!;
    }
    // Relative words mean the session's local wall-clock time.
    const zone = resolveTimeZone(settings?.timeZone);
    const now = currentMicros(settings);
    const local = now + BigInt(offsetAtMicros(zone, now)) * 1_000_000n;
    if (f.special === 'now') return local;
    const shift = f.special === 'tomorrow' ? 1 : f.special === 'yesterday' ? -1 : 0;
    return joinMicros(splitMicros(local)[0] + shift, 0);
  }
  return checkRange(localMicros(f, text, 'timestamp'), text);
}

/** timestamptz_in: the input's zone, else the session TimeZone, decides the offset. */
export function parseTimestamptz(text: string, settings?: TypeSettings): bigint {
  const zone = resolveTimeZone(settings?.timeZone);
  const fast = isoTimestampFast(text);
  if (fast !== undefined) {
    const offset = offsetForLocal(
      zone,
      Number(fast / 1_000_000n) - (fast < 0n && fast % 1_000_000n !== 0n ? 1 : 0),
    );
    return checkRange(fast - BigInt(offset) * 1_000_000n, text);
  }
  // PostgreSQL's output with a numeric offset: 'YYYY-MM-DD HH:MM:SS[.f]+HH[:MM[:SS]]'.
  const withOffset =
    /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,6})?)([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?$/.exec(
      text,
    );
  if (withOffset) {
    const local = isoTimestampFast(withOffset[1]!);
    if (local !== undefined) {
      const seconds =
        Number(withOffset[3]) * 3600 + Number(withOffset[4] ?? 0) * 60 + Number(withOffset[5] ?? 0);
      const offset = withOffset[2] === '-' ? -seconds : seconds;
      return checkRange(local - BigInt(offset) * 1_000_000n, text);
    }
  }
  const f = parseDateTimeFields(
    text,
    'timestamp with time zone',
    parseDateStyle(settings?.dateStyle).order,
  );
  const special = specialValue(f, settings, zone);
  if (special !== undefined) return special;
  const local = localMicros(f, text, 'timestamp with time zone');
  let offset: number;
  if (f.offset !== undefined) offset = f.offset;
  else {
    const z = f.zone ?? zone;
    const seconds = Number(local / 1_000_000n) - (local < 0n && local % 1_000_000n !== 0n ? 1 : 0);
    offset = offsetForLocal(z, seconds);
  }
  return checkRange(local - BigInt(offset) * 1_000_000n, text);
}

export function formatTimestamp(us: bigint, settings?: TypeSettings): string {
  if (us === TIMESTAMP_POS_INFINITY) return 'infinity';
  if (us === TIMESTAMP_NEG_INFINITY) return '-infinity';
  const [days, time] = splitMicros(us);
  return formatDateTime(days, time, parseDateStyle(settings?.dateStyle));
}

export function formatTimestamptz(us: bigint, settings?: TypeSettings): string {
  if (us === TIMESTAMP_POS_INFINITY) return 'infinity';
  if (us === TIMESTAMP_NEG_INFINITY) return '-infinity';
  const zone = resolveTimeZone(settings?.timeZone);
  const offset = offsetAtMicros(zone, us);
  const [days, time] = splitMicros(offset === 0 ? us : us + BigInt(offset) * 1_000_000n);
  const style = parseDateStyle(settings?.dateStyle);
  const abbrev =
    style.style === 'ISO'
      ? ''
      : zone.abbreviationAt(Number(us / 1_000_000n) + UNIX_TO_PG_SECONDS, offset);
  return formatDateTime(days, time, style, { offset, abbrev });
}

function readTimestamp(bytes: Uint8Array): bigint {
  expectLength(bytes, 8);
  return readInt64(bytes, 0);
}
function writeTimestamp(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  writeInt64(out, 0, v);
  return out;
}

export const timestampCodec: TypeCodec<bigint> = {
  oid: Oid.timestamp,
  name: 'timestamp',
  arrayOid: Oid._timestamp,
  fromText: parseTimestamp,
  toText: formatTimestamp,
  fromBinary: readTimestamp,
  toBinary: writeTimestamp,
};

export const timestamptzCodec: TypeCodec<bigint> = {
  oid: Oid.timestamptz,
  name: 'timestamptz',
  arrayOid: Oid._timestamptz,
  fromText: parseTimestamptz,
  toText: formatTimestamptz,
  fromBinary: readTimestamp,
  toBinary: writeTimestamp,
};

const PG_EPOCH_MS = UNIX_TO_PG_DAYS * 86_400_000;

/**
 * A JS Date for a timestamp (µs since 2000-01-01, read as UTC); µs below the millisecond are
 * dropped (floored). Undefined for ±infinity and instants outside JS Date's range.
 */
export function timestampToJsDate(us: bigint): Date | undefined {
  if (us === TIMESTAMP_POS_INFINITY || us === TIMESTAMP_NEG_INFINITY) return undefined;
  let ms = us / 1000n;
  if (us < 0n && us % 1000n !== 0n) ms -= 1n;
  const t = Number(ms) + PG_EPOCH_MS;
  return Math.abs(t) <= 8.64e15 ? new Date(t) : undefined;
}

/** µs since 2000-01-01 of a JS Date (exact: a Date has whole milliseconds). */
export function jsDateToTimestamp(date: Date): bigint {
  const t = date.getTime();
  if (!Number.isFinite(t)) throw new RangeError('invalid Date');
  return BigInt(t - PG_EPOCH_MS) * 1000n;
}
