/**
 * Proleptic Gregorian calendar arithmetic on PostgreSQL's day numbers (days since 2000-01-01),
 * with astronomical years (1 BC = year 0), plus the range limits of date and timestamp.
 */

/** Days from 1970-01-01 to 2000-01-01. */
export const UNIX_TO_PG_DAYS = 10957;
export const USECS_PER_DAY = 86_400_000_000;
export const USECS_PER_DAY_N = 86_400_000_000n;
/** Seconds from 1970-01-01 to 2000-01-01. */
export const UNIX_TO_PG_SECONDS = 946_684_800;

/** First valid date: 4714-11-24 BC (Julian day 0). */
export const DATE_MIN_DAYS = -2_451_545;
/** Last valid date: 5874897-12-31. */
export const DATE_MAX_DAYS = 2_145_031_948;
/** date 'infinity' / '-infinity' are stored as the int32 extremes. */
export const DATE_NEG_INFINITY = -2_147_483_648;
export const DATE_POS_INFINITY = 2_147_483_647;

/** First valid timestamp (4714-11-24 00:00:00 BC) in µs since 2000-01-01. */
export const TIMESTAMP_MIN = -211_813_488_000_000_000n;
/** One past the last valid timestamp (294277-01-01 00:00:00). */
export const TIMESTAMP_END = 9_223_371_331_200_000_000n;
/** timestamp 'infinity' / '-infinity' are stored as the int64 extremes. */
export const TIMESTAMP_NEG_INFINITY = -9_223_372_036_854_775_808n;
export const TIMESTAMP_POS_INFINITY = 9_223_372_036_854_775_807n;

/** Days since 2000-01-01 of a Gregorian date (astronomical year, month 1–12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468 - UNIX_TO_PG_DAYS;
}

/** The Gregorian date of a day number: [astronomical year, month, day]. */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + UNIX_TO_PG_DAYS + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!;
}

/** Day of the week, 0 = Sunday. */
export function dayOfWeek(days: number): number {
  // 2000-01-01 was a Saturday.
  return (((days + 6) % 7) + 7) % 7;
}

/**
 * Splits µs since 2000-01-01 into whole days and µs into the day (0 ≤ time < 1 day), staying in
 * doubles while the value is exactly representable (±285 years around 2000).
 */
export function splitMicros(us: bigint): [number, number] {
  if (us >= -9_007_199_254_740_991n && us <= 9_007_199_254_740_991n) {
    const n = Number(us);
    const days = Math.floor(n / USECS_PER_DAY);
    return [days, n - days * USECS_PER_DAY];
  }
  let days = us / USECS_PER_DAY_N;
  let rest = us - days * USECS_PER_DAY_N;
  if (rest < 0n) {
    days -= 1n;
    rest += USECS_PER_DAY_N;
  }
  return [Number(days), Number(rest)];
}

/** µs since 2000-01-01 of a day number plus µs into the day. */
export function joinMicros(days: number, timeUs: number): bigint {
  const n = days * USECS_PER_DAY + timeUs;
  if (Number.isSafeInteger(n)) return BigInt(n);
  return BigInt(days) * USECS_PER_DAY_N + BigInt(timeUs);
}
