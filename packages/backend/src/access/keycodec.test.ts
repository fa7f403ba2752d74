// Property tests: the btree key encoding sorts exactly like PostgreSQL's btree
// comparison of the values (memcmp order == SQL order), per type and for
// composite keys with DESC / NULLS FIRST columns.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeKey } from './keycodec.js';
import type { KeyColumnSpec } from './api.js';

const P = Buffer.alloc(0);
const enc = (cols: KeyColumnSpec[], key: unknown[]): Buffer => encodeKey(cols, key, P);
const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

function cmpNumeric(a: string, b: string): number {
  // exact comparison of decimal strings via scaled BigInt
  const norm = (s: string): [bigint, number] => {
    const [i = '', f = ''] = s.replace(/^[+]/, '').split('.');
    return [BigInt((i === '-' ? '-0' : i || '0') + f), f.length];
  };
  const [ai, as] = norm(a);
  const [bi, bs] = norm(b);
  const scale = Math.max(as, bs);
  const x = ai * 10n ** BigInt(scale - as);
  const y = bi * 10n ** BigInt(scale - bs);
  // "-0.5" parses as -0 * .. + 5: handle the sign of the whole string
  const sx = a.trim().startsWith('-') && x > 0n ? -x : x;
  const sy = b.trim().startsWith('-') && y > 0n ? -y : y;
  return sx < sy ? -1 : sx > sy ? 1 : 0;
}

function cmpFloat(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

// Strings over a small alphabet that includes NUL, 0xFF-adjacent and multi-byte characters.
const text = fc
  .array(fc.constantFrom('', 'a', 'b', '\u0000', '\u00ff', '\u0100', 'é', '€', '😀', 'z'), {
    maxLength: 8,
  })
  .map((parts) => parts.join(''));

describe('btree key encoding', () => {
  it('integers (number and bigint) sort numerically', () => {
    const int = fc.oneof(
      fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    );
    fc.assert(
      fc.property(int, int, (a, b) => {
        const c = [{ type: 'integer' as const }];
        const expected = sign(
          Number(BigInt(a) - BigInt(b) > 0n ? 1 : BigInt(a) === BigInt(b) ? 0 : -1),
        );
        expect(sign(Buffer.compare(enc(c, [a]), enc(c, [b])))).toBe(expected);
      }),
    );
  });

  it('floats sort like PostgreSQL (NaN last, -0 = 0)', () => {
    fc.assert(
      fc.property(fc.double(), fc.double(), (a, b) => {
        const c = [{ type: 'float' as const }];
        expect(sign(Buffer.compare(enc(c, [a]), enc(c, [b])))).toBe(cmpFloat(a, b));
      }),
    );
  });

  it('numerics sort by value, equal values encode equally', () => {
    const dec = fc
      .tuple(fc.boolean(), fc.stringMatching(/^[0-9]{1,12}$/), fc.stringMatching(/^[0-9]{0,8}$/))
      .map(([neg, i, f]) => `${neg ? '-' : ''}${i}${f ? '.' + f : ''}`);
    fc.assert(
      fc.property(dec, dec, (a, b) => {
        const c = [{ type: 'numeric' as const }];
        expect(sign(Buffer.compare(enc(c, [a]), enc(c, [b])))).toBe(cmpNumeric(a, b));
      }),
    );
    const c = [{ type: 'numeric' as const }];
    expect(enc(c, ['1.50'])).toEqual(enc(c, ['1.5']));
    expect(enc(c, ['-0.0'])).toEqual(enc(c, ['0']));
    const ordered = ['-Infinity', '-1e3', '-2.5', '0', '0.001', '1e-2', '7', 'Infinity', 'NaN'];
    const sorted = [...ordered].sort((x, y) => Buffer.compare(enc(c, [x]), enc(c, [y])));
    expect(sorted).toEqual(ordered);
  });

  it('text sorts in C collation (UTF-8 byte order), prefixes first', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        const c = [{ type: 'text' as const }];
        expect(sign(Buffer.compare(enc(c, [a]), enc(c, [b])))).toBe(
          sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))),
        );
      }),
    );
  });

  it('composite keys with DESC and NULLS FIRST/LAST sort column by column', () => {
    const cols: KeyColumnSpec[] = [
      { type: 'text', desc: true },
      { type: 'integer' },
      { type: 'bytea', nullsFirst: true },
      { type: 'bool', desc: true, nullsFirst: false },
    ];
    const val = fc.tuple(
      fc.option(text),
      fc.option(fc.integer({ min: -5, max: 5 })),
      fc.option(fc.uint8Array({ maxLength: 3 })),
      fc.option(fc.boolean()),
    );
    const cmpCol = (i: number, x: unknown, y: unknown): number => {
      const spec = cols[i]!;
      const desc = spec.desc ?? false;
      const nullsFirst = spec.nullsFirst ?? desc;
      if (x === null || y === null) {
        if (x === y) return 0;
        return x === null ? (nullsFirst ? -1 : 1) : nullsFirst ? 1 : -1;
      }
      let r: number;
      if (typeof x === 'string') r = Buffer.compare(Buffer.from(x), Buffer.from(y as string));
      else if (typeof x === 'number') r = sign(x - (y as number));
      else if (typeof x === 'boolean') r = sign(Number(x) - Number(y));
      else r = Buffer.compare(Buffer.from(x as Uint8Array), Buffer.from(y as Uint8Array));
      return desc ? -r : r;
    };
    fc.assert(
      fc.property(val, val, (a, b) => {
        let expected = 0;
        for (let i = 0; i < 4 && expected === 0; i++) expected = cmpCol(i, a[i], b[i]);
        expect(sign(Buffer.compare(enc(cols, a), enc(cols, b)))).toBe(sign(expected));
      }),
    );
  });
});
