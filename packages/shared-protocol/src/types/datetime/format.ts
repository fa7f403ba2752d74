/**
 * Text layout of dates, times and time zone offsets as PostgreSQL's EncodeDateOnly /
 * EncodeTimeOnly / EncodeDateTime write them (DateStyle ISO; SQL, Postgres and German for dates
 * and zone-less timestamps), with fractional seconds trimmed of trailing zeros.
 */
import type { ParsedDateStyle } from '../settings.js';
import { civilFromDays, dayOfWeek } from './calendar.js';

const TWO: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' + i : String(i)));

export function pad2(n: number): string {
  return n < 100 ? TWO[n]! : String(n);
}

function pad4(n: number): string {
  if (n >= 1000) return String(n);
  if (n >= 100) return '0' + n;
  if (n >= 10) return '00' + n;
  return '000' + n;
}

/** 'HH:MM:SS[.ffffff]' of µs into the day (hours may reach 24 for time '24:00:00'). */
export function formatTimeOfDay(us: number): string {
  const totalSeconds = Math.floor(us / 1_000_000);
  const frac = us - totalSeconds * 1_000_000;
  const hour = Math.floor(totalSeconds / 3600);
  const minute = Math.floor(totalSeconds / 60) % 60;
  const second = totalSeconds % 60;
  let s = pad2(hour) + ':' + TWO[minute]! + ':' + TWO[second]!;
  if (frac !== 0) s += formatFraction(frac);
  return s;
}

/** '.ffffff' without trailing zeros, for 0 < frac < 1e6. */
export function formatFraction(frac: number): string {
  let digits = String(frac + 1_000_000).slice(1);
  let end = 6;
  while (digits.charCodeAt(end - 1) === 48) end--;
  if (end < 6) digits = digits.slice(0, end);
  return '.' + digits;
}

/** '+HH', '+HH:MM' or '+HH:MM:SS' for an offset in seconds east of UTC. */
export function formatOffset(offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? '-' : '+';
  const a = Math.abs(offsetSeconds);
  const hour = Math.floor(a / 3600);
  const minute = Math.floor(a / 60) % 60;
  const second = a % 60;
  let s = sign + pad2(hour);
  if (minute !== 0 || second !== 0) s += ':' + TWO[minute]!;
  if (second !== 0) s += ':' + TWO[second]!;
  return s;
}

/** Displayed year and whether it is BC (astronomical year 0 is 1 BC). */
function era(year: number): [number, boolean] {
  return year > 0 ? [year, false] : [1 - year, true];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** date_out for a finite day number. */
export function formatDateDays(days: number, style: ParsedDateStyle): string {
  const [y, month, day] = civilFromDays(days);
  const [year, bc] = era(y);
  let s: string;
  switch (style.style) {
    case 'ISO':
      s = pad4(year) + '-' + TWO[month]! + '-' + TWO[day]!;
      break;
    case 'SQL':
      s =
        style.order === 'DMY'
          ? TWO[day]! + '/' + TWO[month]! + '/' + pad4(year)
          : TWO[month]! + '/' + TWO[day]! + '/' + pad4(year);
      break;
    case 'German':
      s = TWO[day]! + '.' + TWO[month]! + '.' + pad4(year);
      break;
    case 'Postgres':
      s =
        style.order === 'DMY'
          ? TWO[day]! + '-' + TWO[month]! + '-' + pad4(year)
          : TWO[month]! + '-' + TWO[day]! + '-' + pad4(year);
      break;
  }
  return bc ? s + ' BC' : s;
}

/**
 * timestamp_out / timestamptz_out for a finite local time (days + µs into the day). `zone` is the
 * offset text and abbreviation for timestamptz, undefined for timestamp.
 */
export function formatDateTime(
  days: number,
  timeUs: number,
  style: ParsedDateStyle,
  zone?: { offset: number; abbrev: string },
): string {
  const [y, month, day] = civilFromDays(days);
  const [year, bc] = era(y);
  const time = formatTimeOfDay(timeUs);
  let s: string;
  switch (style.style) {
    case 'ISO':
      s = pad4(year) + '-' + TWO[month]! + '-' + TWO[day]! + ' ' + time;
      if (zone) s += formatOffset(zone.offset);
      break;
    case 'SQL':
      s =
        (style.order === 'DMY' ? TWO[day]! + '/' + TWO[month]! : TWO[month]! + '/' + TWO[day]!) +
        '/' +
        pad4(year) +
        ' ' +
        time;
      if (zone) s += ' ' + zone.abbrev;
      break;
    case 'German':
      s = TWO[day]! + '.' + TWO[month]! + '.' + pad4(year) + ' ' + time;
      if (zone) s += ' ' + zone.abbrev;
      break;
    case 'Postgres':
      s =
        DAYS[dayOfWeek(days)]! +
        ' ' +
        (style.order === 'DMY'
          ? TWO[day]! + ' ' + MONTHS[month - 1]!
          : MONTHS[month - 1]! + ' ' + TWO[day]!) +
        ' ' +
        time +
        ' ' +
        pad4(year);
      if (zone) s += ' ' + zone.abbrev;
      break;
  }
  return bc ? s + ' BC' : s;
}
