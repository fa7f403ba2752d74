// jsonb normalization: round trips keep the value, normalizing twice changes nothing, containment
// is reflexive, and json keeps every sub-value's text exactly as written.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { contains, parseJson, step, toJsonb } from './json.js';

// -0 prints as 0 in jsonb (a numeric), so compare with -0 folded away.
const fold = (v: unknown): unknown =>
  JSON.parse(JSON.stringify(v, (_k, x: unknown) => (Object.is(x, -0) ? 0 : x)));

describe('jsonb', () => {
  it('round-trips any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(JSON.parse(toJsonb(JSON.stringify(v)))).toEqual(fold(v));
      }),
    );
  });

  it('is idempotent and containment is reflexive', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const once = toJsonb(JSON.stringify(v));
        expect(toJsonb(once)).toBe(once);
        expect(contains(parseJson(once), parseJson(once))).toBe(true);
      }),
    );
  });

  it('json sub-values keep their source text', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const text = JSON.stringify(obj, null, 1);
        const node = parseJson(text);
        for (const key of Object.keys(obj)) {
          const sub = step(node, key)!;
          expect(fold(JSON.parse(sub.raw))).toEqual(fold(obj[key]));
        }
      }),
    );
  });

  it('reports PostgreSQL details for bad input', () => {
    expect(() => parseJson('{"a" 1}')).toThrow('invalid input syntax for type json');
    const caught = (text: string): { detail?: string; where?: string } => {
      try {
        parseJson(text);
      } catch (e) {
        return e as { detail?: string; where?: string };
      }
      throw new Error(`${text} was accepted`);
    };
    expect(caught('[1,2').detail).toBe('The input string ended unexpectedly.');
    expect(caught('{"a":1,}').detail).toBe('Expected string, but found "}".');
    expect(caught('nul').where).toBe('JSON data, line 1: nul');
  });
});
