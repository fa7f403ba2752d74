/**
 * The wall clock as PostgreSQL keeps it: microseconds since 2000-01-01 00:00 UTC (its timestamp
 * epoch). Date.now() counts whole milliseconds only, so the sub-millisecond part comes from the
 * monotonic high-resolution clock, anchored to the wall clock and re-anchored whenever the two
 * drift more than a millisecond apart (the system clock was set, or NTP slewed it) — backends are
 * long-lived processes.
 */
import { performance } from 'node:perf_hooks';

/** 2000-01-01 minus 1970-01-01, in milliseconds. */
const POSTGRES_EPOCH_MS = 946_684_800_000;

let anchor = Date.now() - performance.now();

export function nowMicros(): bigint {
  const fine = performance.now();
  const wall = Date.now();
  let ms = anchor + fine;
  if (Math.abs(ms - wall) > 1) {
    anchor = wall - fine;
    ms = wall;
  }
  return BigInt(Math.round((ms - POSTGRES_EPOCH_MS) * 1000));
}
