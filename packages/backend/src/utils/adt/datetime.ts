/**
 * date, timestamp and timestamptz: PostgreSQL's representations (days / microseconds since
 * 2000-01-01, as number / bigint) and their text forms in DateStyle ISO, with time zones resolved
 * through the platform's IANA database (Intl).
 */
import { PgError } from '../errors.js';

export const DATE_INFINITY = 2147483647;
export const DATE_NEG_INFINITY = -2147483648;
export const TS_INFINITY = 9223372036854775807n;
export const TS_NEG_INFINITY = -9223372036854775808n;
export const USECS_PER_DAY = 86_400_000_000n;
/** Days from 1970-01-01 to 2000-01-01. */
export const PG_EPOCH_DAYS = 10957;

/** Days since 1970-01-01 → civil date (proleptic Gregorian; year 0 = 1 BC). */
export function civilFromDays(z0: number): [number, number, number] {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? y + 1 : y, m, d];
}

export function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function formatYmd(y: number, m: number, d: number): string {
  // Year 0 is 1 BC.
  const bc = y <= 0;
  return `${pad(bc ? 1 - y : y, 4)}-${pad(m)}-${pad(d)}`;
}

/* Time zones --------------------------------------------------------------------------------- */

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
/** Offset east of UTC in seconds of `zone` at the instant `utcMs`. */
export function zoneOffsetSeconds(zone: string, utcMs: number): number {
  const fixed = /^([-+]?)(\d+(?:\.\d+)?)$/.exec(zone);
  if (fixed) return Math.round((fixed[1] === '-' ? -1 : 1) * Number(fixed[2]) * 3600);
  if (zone === 'UTC' || zone === 'Etc/UTC' || zone === 'GMT') return 0;
  let f = offsetFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    offsetFormatters.set(zone, f);
  }
  const clamped = Math.max(Math.min(utcMs, 8.64e15), -8.64e15);
  const name =
    f.formatToParts(new Date(clamped)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([-+])(\d{2}):(\d{2})(?::(\d{2}))?/.exec(name);
  if (!m) return 0;
  const secs = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0);
  return m[1] === '-' ? -secs : secs;
}

function formatOffset(secs: number): string {
  const sign = secs < 0 ? '-' : '+';
  const a = Math.abs(secs);
  const h = Math.floor(a / 3600);
  const mi = Math.floor((a % 3600) / 60);
  const s = a % 60;
  return `${sign}${pad(h)}${mi || s ? ':' + pad(mi) : ''}${s ? ':' + pad(s) : ''}`;
}

/* Parsing -------------------------------------------------------------------------------------- */

interface Parsed {
  days: number;
  usec: bigint;
  /** Explicit offset in seconds east of UTC, if the text had one. */
  offset?: number;
  special?: 'infinity' | '-infinity';
}

function badSyntax(typeName: string, text: string): PgError {
  return new PgError('22007', `invalid input syntax for type ${typeName}: "${text}"`);
}

function parseDateTime(text: string, typeName: string, today: () => number): Parsed {
  const t = text.trim().toLowerCase();
  if (t === 'infinity' || t === '+infinity') return { days: 0, usec: 0n, special: 'infinity' };
  if (t === '-infinity') return { days: 0, usec: 0n, special: '-infinity' };
  if (t === 'epoch') return { days: -PG_EPOCH_DAYS, usec: 0n, offset: 0 };
  if (t === 'today' || t === 'now') return { days: today(), usec: 0n };
  if (t === 'tomorrow') return { days: today() + 1, usec: 0n };
  if (t === 'yesterday') return { days: today() - 1, usec: 0n };
  const m =
    /^(\d{1,})-(\d{1,2})-(\d{1,2})(?:[ t]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(z|utc|gmt|[-+]\d{1,2}(?::?\d{2})?(?::\d{2})?)?\s*(bc|ad)?$/.exec(
      t,
    );
  if (!m) throw badSyntax(typeName, text);
  let y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (m[9] === 'bc') y = 1 - y;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) {
    throw new PgError('22008', `date/time field value out of range: "${text}"`, {
      hint:
        mo > 12 && mo <= 31 && d <= 12
          ? 'Perhaps you need a different "datestyle" setting.'
          : undefined,
    });
  }
  const h = Number(m[4] ?? 0);
  const mi = Number(m[5] ?? 0);
  const s = Number(m[6] ?? 0);
  if (h > 24 || mi > 59 || s > 60 || (h === 24 && (mi > 0 || s > 0))) {
    throw new PgError('22008', `date/time field value out of range: "${text}"`);
  }
  const frac = (m[7] ?? '').padEnd(7, '0').slice(0, 7);
  // Round to microseconds (the 7th digit decides).
  let micros = BigInt(frac.slice(0, 6) || '0');
  if (Number(frac[6] ?? '0') >= 5) micros += 1n;
  const usec = BigInt(h * 3600 + mi * 60 + s) * 1_000_000n + micros;
  const result: Parsed = { days: daysFromCivil(y, mo, d) - PG_EPOCH_DAYS, usec };
  const tz = m[8];
  if (tz !== undefined) {
    if (tz === 'z' || tz === 'utc' || tz === 'gmt') result.offset = 0;
    else {
      const tm = /^([-+])(\d{1,2})(?::?(\d{2}))?(?::(\d{2}))?$/.exec(tz);
      if (!tm) throw badSyntax(typeName, text);
      const secs = Number(tm[2]) * 3600 + Number(tm[3] ?? 0) * 60 + Number(tm[4] ?? 0);
      result.offset = tm[1] === '-' ? -secs : secs;
    }
  }
  return result;
}

function nowDays(zone: string): number {
  const ms = Date.now();
  return Math.floor((ms / 1000 + zoneOffsetSeconds(zone, ms)) / 86400) - PG_EPOCH_DAYS;
}

export function dateIn(text: string, zone: string): number {
  const p = parseDateTime(text, 'date', () => nowDays(zone));
  if (p.special === 'infinity') return DATE_INFINITY;
  if (p.special === '-infinity') return DATE_NEG_INFINITY;
  return p.days;
}

export function dateOut(days: number): string {
  if (days === DATE_INFINITY) return 'infinity';
  if (days === DATE_NEG_INFINITY) return '-infinity';
  const [y, m, d] = civilFromDays(days + PG_EPOCH_DAYS);
  return formatYmd(y, m, d) + (y <= 0 ? ' BC' : '');
}

export function timestampIn(text: string, zone: string): bigint {
  const p = parseDateTime(text, 'timestamp without time zone', () => nowDays(zone));
  if (p.special === 'infinity') return TS_INFINITY;
  if (p.special === '-infinity') return TS_NEG_INFINITY;
  return BigInt(p.days) * USECS_PER_DAY + p.usec;
}

/** Local wall-clock microseconds → UTC microseconds in `zone`. */
export function localToUtc(local: bigint, zone: string): bigint {
  const localMs = Number(local / 1000n) + PG_EPOCH_DAYS * 86_400_000;
  let off = zoneOffsetSeconds(zone, localMs);
  // Second pass: the offset at the corrected instant (handles DST boundaries the way mktime does).
  off = zoneOffsetSeconds(zone, localMs - off * 1000);
  return local - BigInt(off) * 1_000_000n;
}

export function timestamptzIn(text: string, zone: string): bigint {
  const p = parseDateTime(text, 'timestamp with time zone', () => nowDays(zone));
  if (p.special === 'infinity') return TS_INFINITY;
  if (p.special === '-infinity') return TS_NEG_INFINITY;
  const local = BigInt(p.days) * USECS_PER_DAY + p.usec;
  if (p.offset !== undefined) return local - BigInt(p.offset) * 1_000_000n;
  return localToUtc(local, zone);
}

function formatTimestamp(usec: bigint): { text: string; bc: boolean } {
  let days = usec / USECS_PER_DAY;
  let rem = usec % USECS_PER_DAY;
  if (rem < 0n) {
    rem += USECS_PER_DAY;
    days -= 1n;
  }
  const [y, m, d] = civilFromDays(Number(days) + PG_EPOCH_DAYS);
  const secs = Number(rem / 1_000_000n);
  const micros = Number(rem % 1_000_000n);
  let text = `${formatYmd(y, m, d)} ${pad(Math.floor(secs / 3600))}:${pad(Math.floor((secs % 3600) / 60))}:${pad(secs % 60)}`;
  if (micros) text += '.' + pad(micros, 6).replace(/0+$/, '');
  return { text, bc: y <= 0 };
}

export function timestampOut(usec: bigint): string {
  if (usec === TS_INFINITY) return 'infinity';
  if (usec === TS_NEG_INFINITY) return '-infinity';
  const f = formatTimestamp(usec);
  return f.text + (f.bc ? ' BC' : '');
}

export function timestamptzOut(usec: bigint, zone: string): string {
  if (usec === TS_INFINITY) return 'infinity';
  if (usec === TS_NEG_INFINITY) return '-infinity';
  const ms = Number(usec / 1000n) + PG_EPOCH_DAYS * 86_400_000;
  const off = zoneOffsetSeconds(zone, ms);
  const f = formatTimestamp(usec + BigInt(off) * 1_000_000n);
  return f.text + formatOffset(off) + (f.bc ? ' BC' : '');
}

/** The current transaction timestamp as PostgreSQL microseconds (UTC). */
export function nowTimestamp(): bigint {
  return (BigInt(Date.now()) - BigInt(PG_EPOCH_DAYS) * 86_400_000n) * 1000n;
}

export function timestampToDate(usec: bigint): number {
  if (usec === TS_INFINITY) return DATE_INFINITY;
  if (usec === TS_NEG_INFINITY) return DATE_NEG_INFINITY;
  let days = usec / USECS_PER_DAY;
  if (usec % USECS_PER_DAY < 0n) days -= 1n;
  return Number(days);
}

export function dateToTimestamp(days: number): bigint {
  if (days === DATE_INFINITY) return TS_INFINITY;
  if (days === DATE_NEG_INFINITY) return TS_NEG_INFINITY;
  return BigInt(days) * USECS_PER_DAY;
}

/** Seconds since 1970 of a timestamp (for to_timestamp / extract(epoch)). */
export function timestampToUnixSeconds(usec: bigint): number {
  return Number(usec) / 1e6 + PG_EPOCH_DAYS * 86400;
}

/** UTC microseconds → local wall-clock microseconds in `zone`. */
export function utcToLocal(utc: bigint, zone: string): bigint {
  const ms = Number(utc / 1000n) + PG_EPOCH_DAYS * 86_400_000;
  return utc + BigInt(zoneOffsetSeconds(zone, ms)) * 1_000_000n;
}

/** Splits a timestamp into its civil fields (usec of the day included). */
export function timestampFields(usec: bigint): {
  year: number;
  month: number;
  day: number;
  /** Microseconds since midnight. */
  time: bigint;
  /** Days since 2000-01-01. */
  days: number;
} {
  const days = timestampToDate(usec);
  const time = usec - BigInt(days) * USECS_PER_DAY;
  const [year, month, day] = civilFromDays(days + PG_EPOCH_DAYS);
  return { year, month, day, time, days };
}

/** Civil fields → timestamp; out-of-range results are PostgreSQL's 22008. */
export function timestampFromFields(
  year: number,
  month: number,
  day: number,
  time: bigint,
): bigint {
  const days = daysFromCivil(year, month, day) - PG_EPOCH_DAYS;
  const ts = BigInt(days) * USECS_PER_DAY + time;
  // PostgreSQL's range: 4713 BC to 294276 AD.
  if (days < -2451545 || days > 106741034) {
    throw new PgError('22008', 'timestamp out of range');
  }
  return ts;
}
