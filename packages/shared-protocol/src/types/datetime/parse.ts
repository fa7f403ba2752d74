/**
 * Reads the date/time input forms PostgreSQL accepts in practice: ISO 8601 ('2020-01-31',
 * '2020-01-31 12:34:56.789+05:30', 'T' separator, 'Z'), slash, dot and dash dates in DateStyle
 * field order, YYYYMMDD, month names ('Jan 5 2020', '5 January 2020'), weekday names (ignored),
 * AM/PM, BC/AD, numeric offsets, zone names (IANA through Intl, common abbreviations) and the
 * special words (infinity, -infinity, epoch, allballs, now, today, tomorrow, yesterday).
 */
import type { DateFieldOrder } from '../settings.js';
import { TypeInputError, invalidSyntax } from '../errors.js';
import { daysInMonth } from './calendar.js';
import { resolveTimeZone, type TimeZone } from './timezone.js';

export type SpecialDateTime =
  'infinity' | '-infinity' | 'epoch' | 'now' | 'today' | 'tomorrow' | 'yesterday' | 'allballs';

export interface DateTimeFields {
  special?: SpecialDateTime;
  /** Astronomical year (1 BC = 0). */
  year?: number;
  month?: number;
  day?: number;
  /** µs into the day; 24:00:00 is allowed (86400e6). */
  timeUs?: number;
  /** An explicit numeric offset or fixed abbreviation, seconds east of UTC. */
  offset?: number;
  /** An explicit named time zone. */
  zone?: TimeZone;
}

export function fieldOverflow(text: string): TypeInputError {
  return new TypeInputError('22008', `date/time field value out of range: "${text}"`);
}

const MONTH_NAMES: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};
const DAY_NAMES = new Set([
  'sun',
  'sunday',
  'mon',
  'monday',
  'tue',
  'tues',
  'tuesday',
  'wed',
  'wednesday',
  'thu',
  'thur',
  'thurs',
  'thursday',
  'fri',
  'friday',
  'sat',
  'saturday',
]);
/** Fixed-offset abbreviations from PostgreSQL's Default set that clients commonly send (seconds east). */
const ABBREVIATIONS: Record<string, number> = {
  utc: 0,
  gmt: 0,
  z: 0,
  zulu: 0,
  ut: 0,
  est: -18000,
  edt: -14400,
  cst: -21600,
  cdt: -18000,
  mst: -25200,
  mdt: -21600,
  pst: -28800,
  pdt: -25200,
  akst: -32400,
  akdt: -28800,
  hst: -36000,
  wet: 0,
  west: 3600,
  bst: 3600,
  cet: 3600,
  cest: 7200,
  met: 3600,
  mest: 7200,
  eet: 7200,
  eest: 10800,
  msk: 10800,
  ist: 7200,
  jst: 32400,
  kst: 32400,
  aest: 36000,
  aedt: 39600,
  acst: 34200,
  awst: 28800,
  nzst: 43200,
  nzdt: 46800,
};
const SPECIALS = new Set<string>([
  'infinity',
  '-infinity',
  'epoch',
  'now',
  'today',
  'tomorrow',
  'yesterday',
  'allballs',
]);

/** rint(): round half to even, as PostgreSQL rounds fractional seconds to µs. */
export function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Fractional-second digits (after the point) to µs, the way strtod + rint do it. */
export function fractionToMicros(digits: string): number {
  if (digits.length === 0) return 0;
  return rint(Number('0.' + digits) * 1_000_000);
}

const TIME = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d*))?)?$/;
const DATE = /^(\d+)([-/.])(\d+)\2(\d+)$/;
const OFFSET = /^([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/;

function parseOffset(m: RegExpExecArray): number {
  const seconds = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  return m[1] === '-' ? -seconds : seconds;
}

function adjustTwoDigitYear(text: string, year: number): number {
  if (text.length > 2) return year;
  return year < 70 ? year + 2000 : year + 1900;
}

/**
 * Splits a date/time input into fields. `typeName` names the target type in error messages.
 */
export function parseDateTimeFields(
  text: string,
  typeName: string,
  order: DateFieldOrder,
): DateTimeFields {
  const bad = (): TypeInputError => invalidSyntax(typeName, text, '22007');
  const input = text.trim().toLowerCase();
  if (input.length === 0) throw bad();
  if (SPECIALS.has(input)) return { special: input as SpecialDateTime };
  if (input === '+infinity') return { special: 'infinity' };
  // ISO 8601 'T' between date and time; the comma in "January 5, 2020" is noise.
  const tokens = input
    .replace(/^(\d+-\d+-\d+)t(?=\d)/, '$1 ')
    .replace(/,/g, ' ')
    .split(/\s+/);
  const fields: DateTimeFields = {};
  let bc = false;
  let ampm: 'am' | 'pm' | undefined;
  const loose: string[] = [];
  let dateSeen = false;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let fracUs = 0;
  let timeSeen = false;

  const setTime = (m: RegExpExecArray): void => {
    if (timeSeen) throw bad();
    timeSeen = true;
    hour = Number(m[1]);
    minute = Number(m[2]);
    second = Number(m[3] ?? 0);
    fracUs = fractionToMicros(m[4] ?? '');
  };
  const setZone = (zoneText: string): void => {
    if (fields.offset !== undefined || fields.zone !== undefined) throw bad();
    const om = OFFSET.exec(zoneText);
    if (om) {
      fields.offset = parseOffset(om);
      return;
    }
    const abbrev = ABBREVIATIONS[zoneText];
    if (abbrev !== undefined) {
      fields.offset = abbrev;
      return;
    }
    // A bare unknown word is a syntax error; a path-like name is an unknown zone.
    if (!zoneText.includes('/')) {
      try {
        fields.zone = resolveTimeZone(zoneText);
        if (fields.zone.fixedOffset === undefined) return;
      } catch {
        // fall through
      }
      throw bad();
    }
    try {
      fields.zone = resolveTimeZone(zoneText);
    } catch {
      throw new TypeInputError('22023', `time zone "${zoneText}" not recognized`);
    }
  };

  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    if (token.length === 0) continue;
    const c = token.charCodeAt(0);
    if (c >= 48 && c <= 57) {
      const tm = TIME.exec(token);
      if (tm) {
        setTime(tm);
        continue;
      }
      // A time with its zone attached: 12:00:00+05:30, 12:00:00-08, 12:00z.
      const zm = /^(\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d*)?)?)([+-].*|z)$/.exec(token);
      if (zm) {
        setTime(TIME.exec(zm[1]!)!);
        setZone(zm[2]!);
        continue;
      }
      const dm = DATE.exec(token);
      if (dm) {
        if (dateSeen) throw bad();
        dateSeen = true;
        const [a, b, cc] = [dm[1]!, dm[3]!, dm[4]!];
        let y: string, mo: string, d: string;
        if (a.length >= 3 || order === 'YMD') [y, mo, d] = [a, b, cc];
        else if (order === 'DMY') [d, mo, y] = [a, b, cc];
        else [mo, d, y] = [a, b, cc];
        fields.year = adjustTwoDigitYear(y, Number(y));
        fields.month = Number(mo);
        fields.day = Number(d);
        continue;
      }
      if (/^\d+$/.test(token)) {
        if (token.length === 8 && !dateSeen && fields.month === undefined) {
          dateSeen = true;
          fields.year = Number(token.slice(0, 4));
          fields.month = Number(token.slice(4, 6));
          fields.day = Number(token.slice(6, 8));
        } else loose.push(token);
        continue;
      }
      throw bad();
    }
    if (c === 43 || c === 45) {
      // "-" or "+" alone before an offset: join with the next token.
      if (token.length === 1 && t + 1 < tokens.length) {
        setZone(token + tokens[++t]!);
      } else setZone(token);
      continue;
    }
    const month = MONTH_NAMES[token.replace(/\.$/, '')];
    if (month !== undefined) {
      if (fields.month !== undefined) throw bad();
      fields.month = month;
      continue;
    }
    // "05-jan-2020", "jan-05-2020"
    const named =
      /^(\d{1,2})-([a-z]+)-(\d+)$/.exec(token) ?? /^([a-z]+)-(\d{1,2})-(\d+)$/.exec(token);
    if (named) {
      const mName = MONTH_NAMES[isNaN(Number(named[1])) ? named[1]! : named[2]!];
      if (mName === undefined) throw bad();
      fields.month = mName;
      fields.day = Number(isNaN(Number(named[1])) ? named[2] : named[1]);
      fields.year = adjustTwoDigitYear(named[3]!, Number(named[3]));
      dateSeen = true;
      continue;
    }
    if (DAY_NAMES.has(token.replace(/\.$/, ''))) continue;
    if (token === 'bc') {
      bc = true;
      continue;
    }
    if (token === 'ad') continue;
    if (token === 'am' || token === 'pm' || token === 'a.m.' || token === 'p.m.') {
      ampm = token.charAt(0) === 'a' ? 'am' : 'pm';
      continue;
    }
    if (token === 't') continue;
    if (SPECIALS.has(token)) {
      if (token === 'allballs') {
        setTime(TIME.exec('00:00:00')!);
        continue;
      }
      if (fields.special !== undefined) throw bad();
      fields.special = token as SpecialDateTime;
      continue;
    }
    setZone(token);
  }

  // Loose numbers: with a month name, the day then the year.
  for (const n of loose) {
    const v = Number(n);
    if (fields.month !== undefined && !dateSeen) {
      if (fields.day === undefined && n.length <= 2 && v <= 31) fields.day = v;
      else if (fields.year === undefined) fields.year = adjustTwoDigitYear(n, v);
      else throw bad();
    } else if (dateSeen && fields.year === undefined) fields.year = v;
    else throw bad();
  }
  if (fields.month !== undefined && fields.year === undefined && fields.special === undefined)
    throw bad();
  if (fields.month !== undefined && fields.day === undefined) throw bad();

  if (fields.year !== undefined) {
    if (fields.year === 0 && !bc) throw fieldOverflow(text);
    if (bc) {
      if (fields.year <= 0) throw fieldOverflow(text);
      fields.year = 1 - fields.year;
    }
    const month = fields.month!;
    if (month < 1 || month > 12) throw fieldOverflow(text);
    const day = fields.day!;
    if (day < 1 || day > daysInMonth(fields.year, month)) throw fieldOverflow(text);
  } else if (bc) throw bad();

  if (timeSeen) {
    if (ampm !== undefined) {
      if (hour < 1 || hour > 12) throw fieldOverflow(text);
      if (ampm === 'am' && hour === 12) hour = 0;
      else if (ampm === 'pm' && hour !== 12) hour += 12;
    }
    if (minute > 59 || second > 60 || fracUs < 0 || fracUs > 1_000_000) throw fieldOverflow(text);
    if (hour > 24 || (hour === 24 && (minute > 0 || second > 0 || fracUs > 0)))
      throw fieldOverflow(text);
    if (second === 60 && fracUs > 0) throw fieldOverflow(text);
    fields.timeUs = ((hour * 60 + minute) * 60 + second) * 1_000_000 + fracUs;
  } else if (ampm !== undefined) throw bad();
  return fields;
}
