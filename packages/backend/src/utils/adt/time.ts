/** time (without time zone) inside the engine: microseconds since midnight, as in PostgreSQL. */
import { formatTime, parseTime } from '@tuskdb/shared-protocol';
import { sharedCodecCall } from './interval.js';

const USECS_PER_DAY = 86_400_000_000n;

/** time_in through the shared codec ('now' is the current time in `timeZone`). */
export function timeIn(text: string, timeZone: string): bigint {
  return sharedCodecCall(() => parseTime(text, { timeZone }));
}

export function timeOut(usec: bigint): string {
  return formatTime(usec);
}

/** Wraps a time of day into [0, 24h) (time ± interval, the time part of a timestamp). */
export function wrapTime(usec: bigint): bigint {
  const r = usec % USECS_PER_DAY;
  return r < 0n ? r + USECS_PER_DAY : r;
}
