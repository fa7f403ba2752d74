// interval text round trips (output → input gives the same fields) and the span order.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compareIntervals,
  intervalIn,
  intervalOut,
  intervalParts,
  intervalValue,
  intervalSpan,
  type Interval,
} from './interval.js';
import { timeIn, timeOut } from './time.js';

const interval = fc.record({
  months: fc.integer({ min: -1_000_000, max: 1_000_000 }),
  days: fc.integer({ min: -1_000_000, max: 1_000_000 }),
  usec: fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
});

describe('interval', () => {
  it('reads back what it prints, in every IntervalStyle', () => {
    const styles = ['postgres', 'postgres_verbose', 'sql_standard', 'iso_8601'] as const;
    fc.assert(
      fc.property(interval, fc.constantFrom(...styles), (i: Interval, style) => {
        expect(intervalIn(intervalOut(i, style), style)).toEqual(i);
      }),
    );
  });

  it('keeps its fields through the binary form', () => {
    fc.assert(
      fc.property(interval, (i: Interval) => {
        expect(intervalParts(intervalValue(i))).toEqual(i);
      }),
    );
  });

  it('orders by span, a month counting 30 days', () => {
    fc.assert(
      fc.property(interval, interval, (a: Interval, b: Interval) => {
        const x = intervalSpan(a);
        const y = intervalSpan(b);
        expect(Math.sign(compareIntervals(intervalValue(a), intervalValue(b)))).toBe(
          x < y ? -1 : x > y ? 1 : 0,
        );
      }),
    );
    expect(
      compareIntervals(
        intervalValue(intervalIn('1 mon', undefined)),
        intervalValue(intervalIn('30 days', undefined)),
      ),
    ).toBe(0);
  });

  it('rejects malformed text with 22007', () => {
    for (const bad of ['', 'abc', '1 fortnight', '1:2:3:4', 'P', '@']) {
      expect(() => intervalIn(bad, undefined)).toThrow(expect.objectContaining({ code: '22007' }));
    }
  });
});

describe('time', () => {
  it('reads back what it prints', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 86_400_000_000n }), (us) => {
        expect(timeIn(timeOut(us), 'UTC')).toBe(us);
      }),
    );
  });
});
