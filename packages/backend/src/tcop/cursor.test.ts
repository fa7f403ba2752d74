// CursorScan against a model that keeps the whole result in an array (what a SCROLL cursor means).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CursorScan, type FetchDirection } from './cursor.js';
import type { Row } from '../executor/compile-expr.js';

const ALL = 2147483647;

/** PostgreSQL's cursor semantics over a materialized result. */
class Model {
  pos = 0;
  constructor(private readonly rows: Row[]) {}
  private on(k: number): Row[] {
    if (k < 1) {
      this.pos = 0;
      return [];
    }
    if (k > this.rows.length) {
      this.pos = this.rows.length + 1;
      return [];
    }
    this.pos = k;
    return [this.rows[k - 1]!];
  }
  fetch(direction: FetchDirection, count: number): Row[] {
    const n = count >= ALL ? Infinity : count;
    const step = (forward: boolean, m: number): Row[] => {
      const out: Row[] = [];
      while (out.length < m) {
        const next = this.pos + (forward ? 1 : -1);
        const got = this.on(next);
        if (got.length === 0) break;
        out.push(...got);
      }
      return out;
    };
    switch (direction) {
      case 'FETCH_FORWARD':
        return n === 0 ? this.current() : n < 0 ? step(false, -n) : step(true, n);
      case 'FETCH_BACKWARD':
        return n === 0 ? this.current() : n < 0 ? step(true, -n) : step(false, n);
      case 'FETCH_ABSOLUTE':
        return count < 0 ? this.on(this.rows.length + 1 + count) : this.on(count);
      default:
        return count === 0 ? this.current() : this.on(this.pos + count);
    }
  }
  private current(): Row[] {
    return this.pos >= 1 && this.pos <= this.rows.length ? [this.rows[this.pos - 1]!] : [];
  }
}

const direction = fc.constantFrom<FetchDirection>(
  'FETCH_FORWARD',
  'FETCH_BACKWARD',
  'FETCH_ABSOLUTE',
  'FETCH_RELATIVE',
);
const count = fc.oneof(fc.integer({ min: -12, max: 12 }), fc.constant(ALL));
const op = fc.tuple(direction, count);

function rowsOf(n: number): Row[] {
  return Array.from({ length: n }, (_, i) => [i + 1]);
}

describe('CursorScan', () => {
  it('a SCROLL cursor moves like the materialized model', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 15 }), fc.array(op, { maxLength: 30 }), (n, ops) => {
        const rows = rowsOf(n);
        const model = new Model(rows);
        const scan = new CursorScan(rows[Symbol.iterator](), 'scroll');
        for (const [d, c] of ops) {
          const expected = model.fetch(d, c);
          const got = scan.fetch(d, c);
          expect(got.rows).toEqual(expected);
          expect(got.count).toBe(expected.length);
        }
      }),
    );
  });

  it('a default cursor agrees with the model, or refuses to go back past its window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.array(op, { maxLength: 30 }), (n, ops) => {
        const rows = rowsOf(n);
        const model = new Model(rows);
        const scan = new CursorScan(rows[Symbol.iterator](), 'default', 4);
        for (const [d, c] of ops) {
          let got;
          try {
            got = scan.fetch(d, c);
          } catch (err) {
            expect((err as { code?: string }).code).toBe('55000');
            return;
          }
          expect(got.rows).toEqual(model.fetch(d, c));
        }
      }),
    );
  });

  it('a NO SCROLL cursor only goes forward, and streams without keeping rows', () => {
    let produced = 0;
    function* source(): Generator<Row> {
      for (let i = 1; i <= 100_000; i++) {
        produced++;
        yield [i];
      }
    }
    const scan = new CursorScan(source(), 'no scroll');
    expect(scan.fetch('FETCH_FORWARD', 2).rows).toEqual([[1], [2]]);
    expect(produced).toBe(2);
    expect(scan.fetch('FETCH_ABSOLUTE', 10).rows).toEqual([[10]]);
    expect(() => scan.fetch('FETCH_BACKWARD', 1)).toThrow('cursor can only scan forward');
    expect(() => scan.fetch('FETCH_RELATIVE', 0)).toThrow('cursor can only scan forward');
    expect(scan.fetch('FETCH_FORWARD', ALL).count).toBe(99_990);
    expect(scan.fetch('FETCH_FORWARD', 1).rows).toEqual([]);
  });

  it('materialize() keeps the position and the rows still to come', () => {
    const rows = rowsOf(5);
    const scan = new CursorScan(rows[Symbol.iterator](), 'no scroll');
    scan.fetch('FETCH_FORWARD', 2);
    scan.materialize();
    expect(scan.fetch('FETCH_FORWARD', ALL).rows).toEqual([[3], [4], [5]]);
  });
});
