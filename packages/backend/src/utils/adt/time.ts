/**
 * time (without time zone): microseconds since midnight, 00:00:00 to 24:00:00 inclusive, as in
 * PostgreSQL. Input takes 'HH:MM[:SS[.frac]]' (a leading date, a trailing zone and AM/PM are
 * accepted as PostgreSQL does), 'allballs' and 'now'; output is 'HH:MM:SS[.ffffff]'.
 */
import { PgError } from '../errors.js';
import { formatClock } from './interval.js';

export const USECS_PER_DAY_TIME = 86_400_000_000n;

function badTime(text: string): PgError {
  return new PgError('22007', `invalid input syntax for type time: "${text}"`);
}

export function timeIn(text: string, nowLocalTime: () => bigint): bigint {
  const t = text.trim().toLowerCase();
  if (t === 'allballs') return 0n;
  if (t === 'now') return nowLocalTime();
  const m =
    /^(?:\d{1,}-\d{1,2}-\d{1,2}[ t]+)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(am|pm)?\s*(?:z|utc|gmt|[a-z][a-z/_]*|[-+]\d{1,2}(?::?\d{2})?)?$/.exec(
      t,
    );
  if (!m) throw badTime(text);
  let h = Number(m[1]);
  const mi = Number(m[2]);
  const s = Number(m[3] ?? 0);
  if (m[5]) {
    if (h < 1 || h > 12)
      throw new PgError('22008', `date/time field value out of range: "${text}"`);
    if (m[5] === 'pm' && h !== 12) h += 12;
    if (m[5] === 'am' && h === 12) h = 0;
  }
  const frac = (m[4] ?? '').padEnd(7, '0').slice(0, 7);
  let micros = BigInt(frac.slice(0, 6) || '0');
  if (Number(frac[6] ?? '0') >= 5) micros += 1n;
  const usec = BigInt(h * 3600 + mi * 60 + s) * 1_000_000n + micros;
  if (h > 24 || mi > 59 || s > 60 || usec > USECS_PER_DAY_TIME) {
    throw new PgError('22008', `date/time field value out of range: "${text}"`);
  }
  return usec;
}

export function timeOut(usec: bigint): string {
  return formatClock(usec);
}

/** Wraps a time of day into [0, 24h) (time ± interval). */
export function wrapTime(usec: bigint): bigint {
  const r = usec % USECS_PER_DAY_TIME;
  return r < 0n ? r + USECS_PER_DAY_TIME : r;
}
