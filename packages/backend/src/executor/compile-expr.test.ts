import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node } from 'libpg-query';
import { loadParser, parseStatements } from '../parser/parse.js';
import { ParseState, type AnalyzeEnv } from '../parser/parse-state.js';
import { resolveUnknown, transformExpr } from '../parser/analyze-expr.js';
import type { EvalContext } from '../parser/primnodes.js';
import { typeByOid, type Value } from '../utils/adt/types.js';
import { floatOut } from '../utils/adt/float.js';
import * as numeric from '../utils/adt/numeric.js';
import { PgError } from '../utils/errors.js';
import { compileExpr } from './compile-expr.js';

const format = { extraFloatDigits: 1, timeZone: 'UTC', byteaOutput: 'hex' };

beforeAll(async () => {
  await loadParser();
});

/** Analyzes and evaluates a constant expression (no FROM), returning its text output. */
function evaluate(sql: string, params: Value[] = []): string | null {
  const [raw] = parseStatements(`SELECT ${sql}`);
  const stmt = raw!.stmt as Extract<Node, { SelectStmt: unknown }>;
  const target = stmt.SelectStmt.targetList![0] as Extract<Node, { ResTarget: unknown }>;
  const env = { searchPath: ['public'], format, paramTypes: [] } as unknown as AnalyzeEnv;
  const ps = new ParseState(env);
  const e = resolveUnknown(ps, transformExpr(ps, target.ResTarget.val!));
  const ctx = { params, outer: [], session: { format } } as unknown as EvalContext;
  const v = compileExpr(e)([], ctx);
  return v === null ? null : typeByOid(e.type).output(v, format);
}

function evalError(sql: string): PgError {
  try {
    evaluate(sql);
  } catch (e) {
    if (e instanceof PgError) return e;
    throw e;
  }
  throw new Error(`expected ${sql} to fail`);
}

describe('expression evaluation', () => {
  it('follows PostgreSQL type resolution and arithmetic', () => {
    expect(evaluate('1 + 2 * 3')).toBe('7');
    expect(evaluate('7 / 2')).toBe('3');
    expect(evaluate('-7 / 2')).toBe('-3');
    expect(evaluate('7 % -3')).toBe('1');
    expect(evaluate('1 / 3.0')).toBe('0.33333333333333333333');
    expect(evaluate('10::numeric / 4')).toBe('2.5000000000000000');
    expect(evaluate('1000000::numeric / 7')).toBe('142857.142857142857');
    expect(evaluate('2.50 * 1.5')).toBe('3.750');
    expect(evaluate('0.1::float8 + 0.2')).toBe('0.30000000000000004');
    expect(evaluate('3000000000')).toBe('3000000000');
    expect(evaluate("'abc' || 1")).toBe('abc1');
    expect(evaluate("'2024-02-28'::date + 1")).toBe('2024-02-29');
  });

  it('uses three-valued logic', () => {
    expect(evaluate('true and null')).toBeNull();
    expect(evaluate('false and null')).toBe('f');
    expect(evaluate('true or null')).toBe('t');
    expect(evaluate('null::int is null')).toBe('t');
    expect(evaluate('2 in (1, null)')).toBeNull();
    expect(evaluate('1 in (1, null)')).toBe('t');
    expect(evaluate('null is distinct from 1')).toBe('t');
    expect(evaluate('case when null then 1 else 2 end')).toBe('2');
  });

  it('raises PostgreSQL errors', () => {
    expect(evalError('2147483647 + 1').message).toBe('integer out of range');
    expect(evalError('1 / 0').code).toBe('22012');
    const bad = evalError("'x'::int");
    expect([bad.code, bad.message]).toEqual([
      '22P02',
      'invalid input syntax for type integer: "x"',
    ]);
    const op = evalError("1 = 'a'::text");
    expect([op.code, op.message]).toEqual(['42883', 'operator does not exist: integer = text']);
    expect(op.hint).toMatch(/explicit type casts/);
  });

  it('binds parameters', () => {
    expect(evaluate('$1::int + 1', [41])).toBe('42');
  });
});

describe('float output', () => {
  it('matches PostgreSQL for known values', () => {
    expect(floatOut(1e15, 1, false)).toBe('1e+15');
    expect(floatOut(1e14, 1, false)).toBe('100000000000000');
    expect(floatOut(Number('123456789012345678'), 1, false)).toBe('1.2345678901234568e+17');
    expect(floatOut(0.0001, 1, false)).toBe('0.0001');
    expect(floatOut(0.00001, 1, false)).toBe('1e-05');
    expect(floatOut(Math.fround(1.1), 1, true)).toBe('1.1');
    expect(floatOut(Math.fround(1234567), 1, true)).toBe('1.234567e+06');
    expect(floatOut(0.1 + 0.2, 0, false)).toBe('0.3');
    expect(floatOut(-0, 1, false)).toBe('-0');
    expect(floatOut(NaN, 1, false)).toBe('NaN');
  });

  it('round-trips every double with extra_float_digits > 0', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => {
        expect(Number(floatOut(x, 1, false).replace('Infinity', 'Infinity'))).toBe(x === 0 ? x : x);
      }),
    );
  });
});

describe('numeric', () => {
  it('keeps display scale and rounds half away from zero', () => {
    expect(numeric.numericIn(' 1.50 ')).toBe('1.50');
    expect(numeric.numericIn('1e3')).toBe('1000');
    expect(numeric.applyTypmod('2.345', ((5 << 16) | 2) + 4)).toBe('2.35');
    expect(numeric.applyTypmod('-2.345', ((5 << 16) | 2) + 4)).toBe('-2.35');
    expect(() => numeric.applyTypmod('12345', ((3 << 16) | 1) + 4)).toThrow(
      'numeric field overflow',
    );
  });

  it('adds and subtracts exactly', () => {
    const dec = fc.tuple(
      fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
      fc.integer({ min: 0, max: 12 }),
    );
    fc.assert(
      fc.property(dec, dec, ([m1, s1], [m2, s2]) => {
        const a = numeric.toText({ m: m1, s: s1 });
        const b = numeric.toText({ m: m2, s: s2 });
        expect(numeric.compare(numeric.sub(numeric.add(a, b), b), a)).toBe(0);
        expect(numeric.numericIn(a)).toBe(a);
      }),
    );
  });
});
