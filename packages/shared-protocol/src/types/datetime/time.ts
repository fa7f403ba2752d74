/**
 * time and timetz. time's JS value is a bigint of µs since midnight (0 to 24:00:00 inclusive);
 * timetz's is { microseconds, offsetSeconds } with the offset in seconds EAST of UTC (ISO sign;
 * on the wire PostgreSQL stores seconds west, so the binary form negates it).
 */
import type { TypeCodec } from '../codec.js';
import { parseDateStyle, type TypeSettings } from '../settings.js';
import { TypeInputError, badBinary } from '../errors.js';
import { expectLength, readInt32, readInt64, writeInt32, writeInt64 } from '../binary.js';
import { Oid } from '../oids.js';
import { USECS_PER_DAY, daysFromCivil, joinMicros, splitMicros } from './calendar.js';
import { currentMicros } from './date.js';
import { formatOffset, formatTimeOfDay } from './format.js';
import { parseDateTimeFields } from './parse.js';
import { offsetAtMicros, offsetForLocal, resolveTimeZone } from './timezone.js';

export interface TimeTz {
  /** µs since midnight, local to the offset. */
  microseconds: bigint;
  /** Seconds east of UTC (+05:30 → 19800). */
  offsetSeconds: number;
}

const MAX_TIME = BigInt(USECS_PER_DAY);
/** timetz offsets are limited to ±15:59:59. */
const MAX_OFFSET = 15 * 3600 + 59 * 60 + 59;

/** Fast path: 'HH:MM:SS[.ffffff]' as PostgreSQL prints it. */
function isoTimeFast(text: string): number | undefined {
  const m = /^(\d\d):([0-5]\d):([0-5]\d)(?:\.(\d{1,6}))?$/.exec(text);
  if (!m) return undefined;
  const hour = Number(m[1]);
  if (hour > 24) return undefined;
  const us =
    ((hour * 60 + Number(m[2])) * 60 + Number(m[3])) * 1_000_000 +
    (m[4] ? Number(m[4].padEnd(6, '0')) : 0);
  return us > USECS_PER_DAY ? undefined : us;
}

function timeFields(text: string, typeName: string, settings?: TypeSettings) {
  const f = parseDateTimeFields(text, typeName, parseDateStyle(settings?.dateStyle).order);
  if (f.special === 'allballs') return { ...f, timeUs: 0 };
  if (f.special === 'now') {
    const now = currentMicros(settings);
    const zone = resolveTimeZone(settings?.timeZone);
    const offset = offsetAtMicros(zone, now);
    return {
      ...f,
      timeUs: splitMicros(now + BigInt(offset) * 1_000_000n)[1],
      offset,
      special: undefined,
    };
  }
  if (f.special !== undefined || f.timeUs === undefined) {
    throw new TypeInputError('22007', `invalid input syntax for type ${typeName}: "${text}"`);
  }
  return f;
}

export function parseTime(text: string, settings?: TypeSettings): bigint {
  const fast = isoTimeFast(text);
  if (fast !== undefined) return BigInt(fast);
  return BigInt(timeFields(text, 'time without time zone', settings).timeUs!);
}

export function formatTime(us: bigint): string {
  return formatTimeOfDay(Number(us));
}

export function parseTimetz(text: string, settings?: TypeSettings): TimeTz {
  const m = /^(\d\d:[0-5]\d:[0-5]\d(?:\.\d{1,6})?)([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?$/.exec(text);
  if (m) {
    const us = isoTimeFast(m[1]!);
    if (us !== undefined) {
      const seconds = Number(m[3]) * 3600 + Number(m[4] ?? 0) * 60 + Number(m[5] ?? 0);
      if (seconds <= MAX_OFFSET) {
        return { microseconds: BigInt(us), offsetSeconds: m[2] === '-' ? -seconds : seconds };
      }
    }
  }
  const f = timeFields(text, 'time with time zone', settings);
  let offset = f.offset;
  if (offset === undefined) {
    // No zone given: the zone's offset on the given date, or today.
    const zone = f.zone ?? resolveTimeZone(settings?.timeZone);
    if (f.year !== undefined) {
      const local = joinMicros(daysFromCivil(f.year, f.month!, f.day!), f.timeUs!);
      offset = offsetForLocal(zone, Number(local / 1_000_000n));
    } else offset = offsetAtMicros(zone, currentMicros(settings));
  }
  if (Math.abs(offset) > MAX_OFFSET)
    throw new TypeInputError('22009', `numeric time zone "${text}" out of range`);
  return { microseconds: BigInt(f.timeUs!), offsetSeconds: offset };
}

export function formatTimetz(v: TimeTz): string {
  return formatTimeOfDay(Number(v.microseconds)) + formatOffset(v.offsetSeconds);
}

export const timeCodec: TypeCodec<bigint> = {
  oid: Oid.time,
  name: 'time',
  arrayOid: Oid._time,
  fromText: parseTime,
  toText: formatTime,
  fromBinary(bytes) {
    expectLength(bytes, 8);
    const v = readInt64(bytes, 0);
    if (v < 0n || v > MAX_TIME) throw new TypeInputError('22008', 'time out of range');
    return v;
  },
  toBinary(v) {
    const out = new Uint8Array(8);
    writeInt64(out, 0, v);
    return out;
  },
};

export const timetzCodec: TypeCodec<TimeTz> = {
  oid: Oid.timetz,
  name: 'timetz',
  arrayOid: Oid._timetz,
  fromText: parseTimetz,
  toText: formatTimetz,
  fromBinary(bytes) {
    expectLength(bytes, 12);
    const microseconds = readInt64(bytes, 0);
    const west = readInt32(bytes, 8);
    if (microseconds < 0n || microseconds > MAX_TIME)
      throw new TypeInputError('22008', 'time out of range');
    if (Math.abs(west) > MAX_OFFSET) throw badBinary('time zone displacement out of range');
    return { microseconds, offsetSeconds: west === 0 ? 0 : -west };
  },
  toBinary(v) {
    const out = new Uint8Array(12);
    writeInt64(out, 0, v.microseconds);
    writeInt32(out, 8, -v.offsetSeconds);
    return out;
  },
};
