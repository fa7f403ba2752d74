import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fifo } from './fifo.js';

describe('Fifo', () => {
  it('behaves like an array used as a queue', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer(), fc.constant('shift' as const)), { maxLength: 5000 }),
        (ops) => {
          const q = new Fifo<number>();
          const model: number[] = [];
          for (const op of ops) {
            if (op === 'shift') expect(q.shift()).toBe(model.shift());
            else {
              q.push(op);
              model.push(op);
            }
            expect(q.length).toBe(model.length);
          }
        },
      ),
    );
  });

  it('shifts a long queue in linear time', () => {
    const q = new Fifo<number>();
    for (let i = 0; i < 300_000; i++) q.push(i);
    let sum = 0;
    for (let v = q.shift(); v !== undefined; v = q.shift()) sum += v;
    expect(sum).toBe((300_000 * 299_999) / 2);
  });
});
