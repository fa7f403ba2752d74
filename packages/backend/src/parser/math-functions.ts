/**
 * Mathematical functions beyond the basics in functions.ts: numeric ceil/floor/trunc/sign/div,
 * ceiling, cbrt, pi, exp, ln, log, log10, trigonometry, degrees/radians, gcd/lcm, factorial and
 * width_bucket, with PostgreSQL's errors for values outside their domains.
 */
import { PgError } from '../utils/errors.js';
import { T, type Value } from '../utils/adt/types.js';
import * as numeric from '../utils/adt/numeric.js';
import { checkInt, checkInt8 } from '../utils/adt/int.js';
import type { BuiltinFunction } from './functions.js';

const float = (name: string, fn: (x: number) => number): BuiltinFunction => ({
  name,
  args: [T.float8],
  result: T.float8,
  impl: (a) => fn(a[0] as number),
});

function logarithm(x: number, fn: (x: number) => number): number {
  if (x === 0) throw new PgError('2201E', 'cannot take logarithm of zero');
  if (x < 0) throw new PgError('2201E', 'cannot take logarithm of a negative number');
  return fn(x);
}

function inDomain(x: number, lo: number, hi: number, fn: (x: number) => number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < lo || x > hi) throw new PgError('22003', 'input is out of range');
  return fn(x);
}

/** numeric → integral toward -infinity / +infinity / zero, keeping numeric's text form. */
function numericIntegral(v: string, mode: 'floor' | 'ceil' | 'trunc'): string {
  if (numeric.isNaNText(v) || v.includes('Infinity')) return v;
  const d = numeric.parse(v);
  const div = 10n ** BigInt(d.s);
  let q = d.m / div;
  const rem = d.m % div;
  if (rem !== 0n) {
    if (mode === 'floor' && d.m < 0n) q -= 1n;
    if (mode === 'ceil' && d.m > 0n) q += 1n;
  }
  return q.toString();
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function widthBucket(x: number, lo: number, hi: number, count: number): number {
  if (count <= 0) throw new PgError('2201G', 'count must be greater than zero');
  if (lo === hi) throw new PgError('2201G', 'lower bound cannot equal upper bound');
  if (Number.isNaN(x) || Number.isNaN(lo) || Number.isNaN(hi))
    throw new PgError('2201G', 'operand, lower bound, and upper bound cannot be NaN');
  if (lo < hi) {
    if (x < lo) return 0;
    if (x >= hi) return checkInt(count + 1, 'int4');
    return Math.floor(((x - lo) / (hi - lo)) * count) + 1;
  }
  if (x > lo) return 0;
  if (x <= hi) return checkInt(count + 1, 'int4');
  return Math.floor(((lo - x) / (lo - hi)) * count) + 1;
}

export function mathFunctions(): BuiltinFunction[] {
  const num = T.numeric;
  return [
    {
      name: 'ceil',
      args: [num],
      result: num,
      impl: (a) => numericIntegral(a[0] as string, 'ceil'),
    },
    {
      name: 'ceiling',
      args: [num],
      result: num,
      impl: (a) => numericIntegral(a[0] as string, 'ceil'),
    },
    float('ceiling', Math.ceil),
    {
      name: 'floor',
      args: [num],
      result: num,
      impl: (a) => numericIntegral(a[0] as string, 'floor'),
    },
    {
      name: 'trunc',
      args: [num],
      result: num,
      impl: (a) => numericIntegral(a[0] as string, 'trunc'),
    },
    {
      name: 'trunc',
      args: [num, T.int4],
      result: num,
      impl: (a) => {
        const v = a[0] as string;
        const scale = a[1] as number;
        if (numeric.isNaNText(v) || v.includes('Infinity')) return v;
        const d = numeric.parse(v);
        if (scale >= d.s) return numeric.round(v, scale);
        const cut = 10n ** BigInt(d.s - Math.max(scale, 0));
        const kept = d.m / cut;
        if (scale >= 0) return numeric.toText({ m: kept, s: scale });
        const more = 10n ** BigInt(-scale);
        return ((kept / more) * more).toString();
      },
    },
    {
      name: 'sign',
      args: [num],
      result: num,
      impl: (a) => {
        const c = numeric.compare(a[0] as string, '0');
        return c > 0 ? '1' : c < 0 ? '-1' : '0';
      },
    },
    float('sign', (x) => (x > 0 ? 1 : x < 0 ? -1 : 0)),
    {
      name: 'div',
      args: [num, num],
      result: num,
      impl: (a) => {
        if (numeric.compare(a[1] as string, '0') === 0)
          throw new PgError('22012', 'division by zero');
        return numericIntegral(numeric.divWithScale(a[0] as string, a[1] as string, 20), 'trunc');
      },
    },
    {
      name: 'scale',
      args: [num],
      result: T.int4,
      impl: (a) => numericScale(a[0] as string),
    },
    {
      name: 'min_scale',
      args: [num],
      result: T.int4,
      impl: (a) => numericScale(trimScale(a[0] as string)),
    },
    {
      name: 'trim_scale',
      args: [num],
      result: num,
      impl: (a) => trimScale(a[0] as string),
    },
    float('cbrt', Math.cbrt),
    { name: 'pi', args: [], result: T.float8, impl: () => Math.PI },
    float('exp', (x) => {
      const r = Math.exp(x);
      if (!Number.isFinite(r) && Number.isFinite(x))
        throw new PgError('22003', 'value out of range: overflow');
      return r;
    }),
    float('ln', (x) => logarithm(x, Math.log)),
    float('log', (x) => logarithm(x, Math.log10)),
    float('log10', (x) => logarithm(x, Math.log10)),
    float('sin', Math.sin),
    float('cos', Math.cos),
    float('tan', Math.tan),
    float('cot', (x) => 1 / Math.tan(x)),
    float('asin', (x) => inDomain(x, -1, 1, Math.asin)),
    float('acos', (x) => inDomain(x, -1, 1, Math.acos)),
    float('atan', Math.atan),
    {
      name: 'atan2',
      args: [T.float8, T.float8],
      result: T.float8,
      impl: (a) => Math.atan2(a[0] as number, a[1] as number),
    },
    float('degrees', (x) => (x * 180) / Math.PI),
    float('radians', (x) => (x * Math.PI) / 180),
    float('sinh', Math.sinh),
    float('cosh', Math.cosh),
    float('tanh', Math.tanh),
    {
      name: 'gcd',
      args: [T.int4, T.int4],
      result: T.int4,
      impl: (a) => checkInt(Number(gcd(BigInt(a[0] as number), BigInt(a[1] as number))), 'int4'),
    },
    {
      name: 'gcd',
      args: [T.int8, T.int8],
      result: T.int8,
      impl: (a) => checkInt8(gcd(a[0] as bigint, a[1] as bigint)),
    },
    {
      name: 'lcm',
      args: [T.int4, T.int4],
      result: T.int4,
      impl: (a) => {
        const x = BigInt(a[0] as number);
        const y = BigInt(a[1] as number);
        if (x === 0n || y === 0n) return 0;
        const l = (x / gcd(x, y)) * y;
        return checkInt(Number(l < 0n ? -l : l), 'int4');
      },
    },
    {
      name: 'lcm',
      args: [T.int8, T.int8],
      result: T.int8,
      impl: (a) => {
        const x = a[0] as bigint;
        const y = a[1] as bigint;
        if (x === 0n || y === 0n) return 0n;
        const l = (x / gcd(x, y)) * y;
        return checkInt8(l < 0n ? -l : l);
      },
    },
    {
      name: 'factorial',
      args: [T.int8],
      result: num,
      impl: (a) => {
        const n = a[0] as bigint;
        if (n < 0n) throw new PgError('22003', 'factorial of a negative number is undefined');
        if (n > 32177n) throw new PgError('22003', 'value overflows numeric format');
        let r = 1n;
        for (let i = 2n; i <= n; i++) r *= i;
        return r.toString();
      },
    },
    {
      name: 'width_bucket',
      args: [T.float8, T.float8, T.float8, T.int4],
      result: T.int4,
      impl: (a) => widthBucket(a[0] as number, a[1] as number, a[2] as number, a[3] as number),
    },
    {
      name: 'width_bucket',
      args: [num, num, num, T.int4],
      result: T.int4,
      impl: (a) =>
        widthBucket(
          numeric.toNumber(a[0] as string),
          numeric.toNumber(a[1] as string),
          numeric.toNumber(a[2] as string),
          a[3] as number,
        ),
    },
  ];
}

/** Digits after the decimal point of a numeric's text (NaN and infinities have none: NULL there). */
function numericScale(v: string): Value {
  if (numeric.isNaNText(v) || v.includes('Infinity')) return null;
  const dot = v.indexOf('.');
  return dot < 0 ? 0 : v.length - dot - 1;
}

/** The numeric with trailing fractional zeros removed. */
function trimScale(v: string): string {
  if (numeric.isNaNText(v) || v.includes('Infinity') || !v.includes('.')) return v;
  const t = v.replace(/0+$/, '');
  return t.endsWith('.') ? t.slice(0, -1) : t;
}
