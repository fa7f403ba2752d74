/**
 * The session TimeZone: UTC, fixed offsets (PostgreSQL's numeric form '5' = 5 hours east, or
 * POSIX form 'UTC+5' / '+05:30' / '<-08>+08' = hours WEST), and IANA zones through Intl (with the
 * historic local mean time and DST rules the tz database has). Offsets are seconds east of UTC.
 */
import { TypeInputError } from '../errors.js';
import { UNIX_TO_PG_SECONDS } from './calendar.js';

export interface TimeZone {
  readonly name: string;
  /** Set when the zone never changes offset. */
  readonly fixedOffset: number | undefined;
  /** Offset (seconds east of UTC) in force at `unixSeconds`. */
  offsetAt(unixSeconds: number): number;
  /**
   * The zone abbreviation the non-ISO DateStyles print ('UTC', 'EDT', '+05'). Exact for UTC and
   * fixed zones; for IANA zones Intl only knows some (US zones in English), otherwise the
   * numeric form is used where PostgreSQL's tz database may have a name (CEST, IST, LMT).
   */
  abbreviationAt(unixSeconds: number, offset: number): string;
}

function fixedZone(name: string, offset: number, abbreviation: string): TimeZone {
  return { name, fixedOffset: offset, offsetAt: () => offset, abbreviationAt: () => abbreviation };
}

export const UTC: TimeZone = fixedZone('UTC', 0, 'UTC');

/** tz database style numeric abbreviation: +05, -03:30 (with colon, as PostgreSQL names numeric zones). */
function numericAbbreviation(offset: number, colon: boolean): string {
  const a = Math.abs(offset);
  const h = String(Math.floor(a / 3600)).padStart(2, '0');
  const m = Math.floor(a / 60) % 60;
  return (
    (offset < 0 ? '-' : '+') + h + (m !== 0 ? (colon ? ':' : '') + String(m).padStart(2, '0') : '')
  );
}

/** 400 Gregorian years in seconds: the calendar, and so every yearly DST rule, repeats. */
const CYCLE_SECONDS = 146097 * 86400;
/** Keep Intl inside JS Date's range (±8.64e15 ms). */
const INTL_LIMIT_SECONDS = 8.6e12;

class IntlZone implements TimeZone {
  readonly fixedOffset = undefined;
  private readonly format: Intl.DateTimeFormat;
  private abbrevFormat: Intl.DateTimeFormat | undefined;
  constructor(readonly name: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Offsets by hour bucket, for hours whose start and end share one offset (so the whole hour does). */
  private readonly hourCache = new Map<number, number>();

  offsetAt(unixSeconds: number): number {
    const hour = Math.floor(unixSeconds / 3600);
    const cached = this.hourCache.get(hour);
    if (cached !== undefined) return cached;
    const start = this.lookup(hour * 3600);
    const end = this.lookup(hour * 3600 + 3599);
    if (start !== end) return this.lookup(unixSeconds);
    if (this.hourCache.size >= 20000) this.hourCache.clear();
    this.hourCache.set(hour, start);
    return start;
  }

  /** Asks Intl for the offset at one instant. */
  private lookup(unixSeconds: number): number {
    let t = Math.floor(unixSeconds);
    if (t > INTL_LIMIT_SECONDS)
      t -= Math.ceil((t - INTL_LIMIT_SECONDS) / CYCLE_SECONDS) * CYCLE_SECONDS;
    else if (t < -INTL_LIMIT_SECONDS)
      t += Math.ceil((-INTL_LIMIT_SECONDS - t) / CYCLE_SECONDS) * CYCLE_SECONDS;
    let day = 0;
    let hour = 0;
    let minute = 0;
    let second = 0;
    for (const part of this.format.formatToParts(t * 1000)) {
      if (part.type === 'day') day = Number(part.value);
      else if (part.type === 'hour') hour = Number(part.value);
      else if (part.type === 'minute') minute = Number(part.value);
      else if (part.type === 'second') second = Number(part.value);
    }
    const utcSecondOfDay = ((t % 86400) + 86400) % 86400;
    const utcDay = new Date(t * 1000).getUTCDate();
    let dayShift = 0;
    // Offsets are under a day, so local and UTC dates differ by at most one (across a month end).
    if (day !== utcDay) dayShift = day === utcDay + 1 || (day === 1 && utcDay >= 28) ? 1 : -1;
    return dayShift * 86400 + hour * 3600 + minute * 60 + second - utcSecondOfDay;
  }

  abbreviationAt(unixSeconds: number, offset: number): string {
    const format = (this.abbrevFormat ??= new Intl.DateTimeFormat('en-US', {
      timeZone: this.name,
      timeZoneName: 'short',
    }));
    const named = (t: number): string | undefined => {
      const part = format.formatToParts(t * 1000).find((p) => p.type === 'timeZoneName');
      return part && /^[A-Z]{3,5}$/.test(part.value) && part.value !== 'GMT'
        ? part.value
        : undefined;
    };
    const t = Math.max(-INTL_LIMIT_SECONDS, Math.min(INTL_LIMIT_SECONDS, unixSeconds));
    const direct = named(t);
    if (direct !== undefined) return direct;
    // ICU names US zones only from 1970 on; earlier times with the same offset as today's
    // standard or daylight time take that name (EST/EDT before 1970 too).
    for (const probe of [1_577_836_800, 1_593_561_600]) {
      if (this.offsetAt(probe) === offset) {
        const name = named(probe);
        if (name !== undefined) return name;
      }
    }
    if (offset === 0) return 'GMT';
    return numericAbbreviation(offset, false);
  }
}

const POSIX = /^(?:[A-Za-z]{3,}|<[^>]*>)?([+-]?)(\d{1,2})(?::(\d{1,2}))?(?::(\d{1,2}))?$/;
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;

const cache = new Map<string, TimeZone>();

/** Resolves a TimeZone setting; throws for a name PostgreSQL would not accept either. */
export function resolveTimeZone(name: string | undefined): TimeZone {
  if (name === undefined) return UTC;
  const hit = cache.get(name);
  if (hit) return hit;
  const zone = lookup(name);
  cache.set(name, zone);
  return zone;
}

function lookup(name: string): TimeZone {
  const lower = name.toLowerCase();
  if (
    lower === 'utc' ||
    lower === 'gmt' ||
    lower === 'z' ||
    lower === 'etc/utc' ||
    lower === 'zulu' ||
    lower === 'uct' ||
    lower === 'universal'
  ) {
    return fixedZone(name, 0, lower === 'gmt' ? 'GMT' : 'UTC');
  }
  if (NUMERIC.test(name)) {
    // SET TIME ZONE 5: hours EAST of UTC (ISO sign), unlike the POSIX form.
    const hours = Number(name);
    const offset = Math.round(hours * 3600);
    if (Math.abs(hours) <= 15) return fixedZone(name, offset, numericAbbreviation(offset, true));
  }
  if (/[A-Za-z]/.test(name) && !name.startsWith('<')) {
    try {
      return new IntlZone(name);
    } catch {
      // Not in the tz database: maybe a POSIX spec such as XYZ+3.
    }
  }
  const m = POSIX.exec(name);
  if (m) {
    const seconds = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
    // POSIX offsets count WEST of Greenwich.
    const east = m[1] === '-' ? seconds : -seconds;
    // The abbreviation is the spec's name part: UTC in UTC-3, -08 in <-08>+08, nothing in +05:30.
    const head = /^(?:<([^>]*)>|([A-Za-z]*))/.exec(name);
    return fixedZone(name, east, head?.[1] ?? head?.[2] ?? '');
  }
  throw new TypeInputError('22023', `invalid value for parameter "TimeZone": "${name}"`);
}

/** Offset (seconds east) of `zone` at a timestamp given as µs since 2000-01-01 UTC. */
export function offsetAtMicros(zone: TimeZone, us: bigint): number {
  if (zone.fixedOffset !== undefined) return zone.fixedOffset;
  // Floor to whole seconds: tz transitions fall on second boundaries.
  const seconds = Number(us / 1_000_000n) - (us < 0n && us % 1_000_000n !== 0n ? 1 : 0);
  return zone.offsetAt(seconds + UNIX_TO_PG_SECONDS);
}

/**
 * The UTC offset to apply to a local wall-clock time (seconds since 2000-01-01, local), resolving
 * gaps and overlaps as PostgreSQL does: in a spring-forward gap use the offset from before the
 * transition, in a fall-back overlap the offset from after it.
 */
export function offsetForLocal(zone: TimeZone, localSeconds: number): number {
  if (zone.fixedOffset !== undefined) return zone.fixedOffset;
  const local = localSeconds + UNIX_TO_PG_SECONDS;
  const before = zone.offsetAt(local - 86400);
  const after = zone.offsetAt(local + 86400);
  if (before === after) {
    const guess = zone.offsetAt(local - before);
    if (guess === before) return before;
    // A transition within the day and back again; take whatever holds at the candidate instant.
    return zone.offsetAt(local - guess) === guess ? guess : before;
  }
  const beforeValid = zone.offsetAt(local - before) === before;
  const afterValid = zone.offsetAt(local - after) === after;
  if (beforeValid && afterValid) return after;
  if (beforeValid) return before;
  if (afterValid) return after;
  return before;
}
