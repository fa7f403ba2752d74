/**
 * Operator resolution and implementations for the built-in types (PostgreSQL's parse_oper plus the
 * operator entries of pg_operator): picks the operator for the argument types following
 * PostgreSQL's rules for the common cases (unknown literals take the other side's type, numeric
 * promotion, string types meet at text) and raises 42883 with PostgreSQL's text otherwise.
 */
import { jsonOperator } from './json-functions.js';
import { arrayOperator } from './array-functions.js';
import { pgRegExp } from '../utils/adt/regexp.js';
import { PgError } from '../utils/errors.js';
import { T, typeByOid, formatType, arrayElementType, type Value } from '../utils/adt/types.js';
import * as numeric from '../utils/adt/numeric.js';
import { checkInt, checkInt8 } from '../utils/adt/int.js';
import { isNumericType, isStringType, numericTypeRank, regTypes } from './coerce.js';
import type { EvalContext } from './primnodes.js';

export interface ResolvedOperator {
  /** Types the arguments must be coerced to. */
  left: number | null;
  right: number;
  result: number;
  impl: (args: Value[], ctx: EvalContext) => Value;
  /** Operators that return non-null for null inputs (none of the built-ins we have). */
  strict: boolean;
}

const comparisonOps = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);

function compareImpl(name: string, type: number): (args: Value[]) => Value {
  const cmp = typeByOid(type).compare;
  switch (name) {
    case '=':
      return (a) => cmp(a[0]!, a[1]!) === 0;
    case '<>':
    case '!=':
      return (a) => cmp(a[0]!, a[1]!) !== 0;
    case '<':
      return (a) => cmp(a[0]!, a[1]!) < 0;
    case '>':
      return (a) => cmp(a[0]!, a[1]!) > 0;
    case '<=':
      return (a) => cmp(a[0]!, a[1]!) <= 0;
    default:
      return (a) => cmp(a[0]!, a[1]!) >= 0;
  }
}

function intArith(name: string, kind: 'int2' | 'int4'): ((a: Value[]) => Value) | undefined {
  const chk = (v: number): number => checkInt(v, kind);
  switch (name) {
    case '+':
      return (a) => chk((a[0] as number) + (a[1] as number));
    case '-':
      return (a) => chk((a[0] as number) - (a[1] as number));
    case '*':
      return (a) => {
        const r = (a[0] as number) * (a[1] as number);
        if (!Number.isSafeInteger(r))
          throw new PgError('22003', `${kind === 'int4' ? 'integer' : 'smallint'} out of range`);
        return chk(r);
      };
    case '/':
      return (a) => {
        if (a[1] === 0) throw new PgError('22012', 'division by zero');
        return chk(Math.trunc((a[0] as number) / (a[1] as number)));
      };
    case '%':
      return (a) => {
        if (a[1] === 0) throw new PgError('22012', 'division by zero');
        return (a[0] as number) % (a[1] as number) || 0;
      };
    default:
      return undefined;
  }
}

function int8Arith(name: string): ((a: Value[]) => Value) | undefined {
  switch (name) {
    case '+':
      return (a) => checkInt8((a[0] as bigint) + (a[1] as bigint));
    case '-':
      return (a) => checkInt8((a[0] as bigint) - (a[1] as bigint));
    case '*':
      return (a) => checkInt8((a[0] as bigint) * (a[1] as bigint));
    case '/':
      return (a) => {
        if (a[1] === 0n) throw new PgError('22012', 'division by zero');
        return checkInt8((a[0] as bigint) / (a[1] as bigint));
      };
    case '%':
      return (a) => {
        if (a[1] === 0n) throw new PgError('22012', 'division by zero');
        return (a[0] as bigint) % (a[1] as bigint);
      };
    default:
      return undefined;
  }
}

function floatArith(name: string, isFloat4: boolean): ((a: Value[]) => Value) | undefined {
  const fin = (r: number, x: number, y: number): number => {
    const v = isFloat4 ? Math.fround(r) : r;
    if (!Number.isFinite(v) && !Number.isNaN(v) && Number.isFinite(x) && Number.isFinite(y)) {
      throw new PgError('22003', 'value out of range: overflow');
    }
    if (v === 0 && r !== 0) throw new PgError('22003', 'value out of range: underflow');
    return v;
  };
  switch (name) {
    case '+':
      return (a) => fin((a[0] as number) + (a[1] as number), a[0] as number, a[1] as number);
    case '-':
      return (a) => fin((a[0] as number) - (a[1] as number), a[0] as number, a[1] as number);
    case '*':
      return (a) => {
        const x = a[0] as number;
        const y = a[1] as number;
        const r = x * y;
        if (r === 0 && x !== 0 && y !== 0)
          throw new PgError('22003', 'value out of range: underflow');
        return fin(r, x, y);
      };
    case '/':
      return (a) => {
        if (a[1] === 0) throw new PgError('22012', 'division by zero');
        const x = a[0] as number;
        const y = a[1] as number;
        const r = x / y;
        if (r === 0 && x !== 0 && Number.isFinite(y))
          throw new PgError('22003', 'value out of range: underflow');
        return fin(r, x, y);
      };
    default:
      return undefined;
  }
}

function numericArith(name: string): ((a: Value[]) => Value) | undefined {
  switch (name) {
    case '+':
      return (a) => numeric.add(a[0] as string, a[1] as string);
    case '-':
      return (a) => numeric.sub(a[0] as string, a[1] as string);
    case '*':
      return (a) => numeric.mul(a[0] as string, a[1] as string);
    case '/':
      return (a) => numeric.div(a[0] as string, a[1] as string);
    case '%':
      return (a) => numeric.mod(a[0] as string, a[1] as string);
    default:
      return undefined;
  }
}

function arith(name: string, type: number): ((a: Value[]) => Value) | undefined {
  switch (type) {
    case T.int2:
      return intArith(name, 'int2');
    case T.int4:
      return intArith(name, 'int4');
    case T.int8:
      return int8Arith(name);
    case T.float4:
      return floatArith(name, true);
    case T.float8:
      return floatArith(name, false);
    case T.numeric:
      return numericArith(name);
    default:
      return undefined;
  }
}

/** LIKE pattern → RegExp (with '\' as the default escape). */
const likeCache = new Map<string, RegExp>();
export function likeRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const key = (caseInsensitive ? 'i' : 'c') + pattern;
  let re = likeCache.get(key);
  if (re) return re;
  let src = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      if (i >= pattern.length) {
        throw new PgError('22025', 'LIKE pattern must not end with escape character');
      }
      src += pattern[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (c === '%') src += '[\\s\\S]*';
    else if (c === '_') src += '[\\s\\S]';
    else src += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  re = new RegExp(src + '$', caseInsensitive ? 'isu' : 'su');
  if (likeCache.size > 1000) likeCache.clear();
  likeCache.set(key, re);
  return re;
}

function stringOp(name: string): ((a: Value[]) => Value) | undefined {
  switch (name) {
    case '||':
      return (a) => (a[0] as string) + (a[1] as string);
    case '~~':
      return (a) => likeRegExp(a[1] as string, false).test(a[0] as string);
    case '!~~':
      return (a) => !likeRegExp(a[1] as string, false).test(a[0] as string);
    case '~~*':
      return (a) => likeRegExp(a[1] as string, true).test(a[0] as string);
    case '!~~*':
      return (a) => !likeRegExp(a[1] as string, true).test(a[0] as string);
    case '~':
      return (a) => pgRegExp(a[1] as string).test(a[0] as string);
    case '!~':
      return (a) => !pgRegExp(a[1] as string).test(a[0] as string);
    case '~*':
      return (a) => pgRegExp(a[1] as string, 'i').test(a[0] as string);
    case '!~*':
      return (a) => !pgRegExp(a[1] as string, 'i').test(a[0] as string);
    case '^@':
      return (a) => (a[0] as string).startsWith(a[1] as string);
    default:
      return undefined;
  }
}

function noOperator(name: string, left: number | null, right: number, location: number): PgError {
  const l = left === null ? '' : formatType(left, -1) + ' ';
  return new PgError('42883', `operator does not exist: ${l}${name} ${formatType(right, -1)}`, {
    hint:
      left === null
        ? 'No operator matches the given name and argument type. You might need to add an explicit type cast.'
        : 'No operator matches the given name and argument types. You might need to add explicit type casts.',
  }).at(location);
}

function unaryOperator(name: string, type: number, location: number): ResolvedOperator {
  const t = type === T.unknown ? T.numeric : type;
  if (name === '+' && isNumericType(t))
    return { left: null, right: t, result: t, impl: (a) => a[0]!, strict: true };
  if (name === '-' && isNumericType(t)) {
    let impl: (a: Value[]) => Value;
    if (t === T.int8) impl = (a) => checkInt8(-(a[0] as bigint));
    else if (t === T.int4 || t === T.int2)
      impl = (a) => checkInt(-(a[0] as number), t === T.int4 ? 'int4' : 'int2');
    else if (t === T.numeric) impl = (a) => numeric.neg(a[0] as string);
    else impl = (a) => -(a[0] as number);
    return { left: null, right: t, result: t, impl, strict: true };
  }
  if (name === '@' && isNumericType(t)) {
    const impl =
      t === T.numeric
        ? (a: Value[]) => numeric.abs(a[0] as string)
        : t === T.int8
          ? (a: Value[]) => checkInt8((a[0] as bigint) < 0n ? -(a[0] as bigint) : (a[0] as bigint))
          : (a: Value[]) => Math.abs(a[0] as number);
    return { left: null, right: t, result: t, impl, strict: true };
  }
  if ((name === '|/' || name === '||/') && isNumericType(t)) {
    // Square and cube root: defined on double precision only, other numbers are cast to it.
    const impl =
      name === '|/'
        ? (a: Value[]) => {
            if ((a[0] as number) < 0)
              throw new PgError('2201F', 'cannot take square root of a negative number');
            return Math.sqrt(a[0] as number);
          }
        : (a: Value[]) => Math.cbrt(a[0] as number);
    return { left: null, right: T.float8, result: T.float8, impl, strict: true };
  }
  if (name === '~' && (t === T.int2 || t === T.int4 || t === T.int8)) {
    const impl =
      t === T.int8 ? (a: Value[]) => ~(a[0] as bigint) : (a: Value[]) => ~(a[0] as number);
    return { left: null, right: t, result: t, impl, strict: true };
  }
  throw noOperator(name, null, type, location);
}

/** The type both sides of a binary operator meet at, or undefined. */
function commonOperandType(l: number, r: number): number | undefined {
  if (l === r) return l;
  if (isNumericType(l) && isNumericType(r)) {
    if ((l === T.float4 || r === T.float4) && l !== r) return T.float8;
    return numericTypeRank(l) > numericTypeRank(r) ? l : r;
  }
  if (isStringType(l) && isStringType(r)) return T.text;
  const dt = [T.date, T.timestamp, T.timestamptz] as number[];
  if (dt.includes(l) && dt.includes(r)) return dt.indexOf(l) > dt.indexOf(r) ? l : r;
  const oidLike = (t: number): boolean => t === T.oid || regTypes.has(t);
  if (oidLike(l) && (r === T.int4 || r === T.int8 || oidLike(r))) return T.oid;
  if (oidLike(r) && (l === T.int4 || l === T.int8)) return T.oid;
  return undefined;
}

/** Resolves `left name right` (left null for a prefix operator). */
export function resolveOperator(
  name: string,
  left: number | null,
  right: number,
  location: number,
): ResolvedOperator {
  if (left === null) return unaryOperator(name, right, location);
  const json = jsonOperator(name, left, right);
  if (json) return json;
  // Array operators; an untyped literal beside an array is an array of the same type.
  const arrayOp = arrayOperator(
    name,
    left === T.unknown ? right : left,
    right === T.unknown ? left : right,
  );
  if (arrayOp) return arrayOp;
  let l = left;
  let r = right;
  if (name === '||' && (l === T.unknown || r === T.unknown)) {
    // There is no || for most types: an untyped literal next to one is text (textanycat).
    if (l === T.unknown) l = T.text;
    if (r === T.unknown) r = T.text;
  }
  if (l === T.unknown && r !== T.unknown) l = r;
  else if (r === T.unknown && l !== T.unknown) r = l;
  else if (l === T.unknown && r === T.unknown) {
    l = T.text;
    r = T.text;
  }
  // textcat with a non-string side: anytextcat / textanycat convert that side with its output function.
  if (
    name === '||' &&
    (isStringType(l) || isStringType(r)) &&
    !(isStringType(l) && isStringType(r))
  ) {
    const lt = isStringType(l) ? T.text : l;
    const rt = isStringType(r) ? T.text : r;
    const lo = typeByOid(lt);
    const ro = typeByOid(rt);
    return {
      left: lt,
      right: rt,
      result: T.text,
      impl: (a, ctx) => lo.output(a[0]!, ctx.session.format) + ro.output(a[1]!, ctx.session.format),
      strict: true,
    };
  }
  if (name === '^' && isNumericType(l) && isNumericType(r)) {
    // float8 ^ float8 (numeric ^ numeric is computed through float8 for now).
    const t = l === T.numeric || r === T.numeric ? T.numeric : T.float8;
    const impl =
      t === T.float8
        ? (a: Value[]): Value => powFloat(a[0] as number, a[1] as number)
        : (a: Value[]): Value => numeric.numericIn(String(powFloat(Number(a[0]), Number(a[1]))));
    return { left: t, right: t, result: t, impl, strict: true };
  }
  const bitwise = integerBitOperator(name, l, r);
  if (bitwise) return bitwise;
  const common = commonOperandType(l, r);
  if (common === undefined) throw noOperator(name, left, right, location);
  if (comparisonOps.has(name)) {
    const t = typeByOid(common);
    if (common === T.json || (t.category === 'A' && arrayElementType(common) === 0))
      throw noOperator(name, left, right, location);
    return {
      left: common,
      right: common,
      result: T.bool,
      impl: compareImpl(name, common),
      strict: true,
    };
  }
  if (isNumericType(common)) {
    const impl = arith(name, common);
    if (impl) return { left: common, right: common, result: common, impl, strict: true };
  }
  if (isStringType(common)) {
    const impl = stringOp(name);
    if (impl) {
      const result = name === '||' ? T.text : T.bool;
      return { left: T.text, right: T.text, result, impl, strict: true };
    }
  }
  if (common === T.date && name === '-' && l === T.date && r === T.date) {
    return {
      left: T.date,
      right: T.date,
      result: T.int4,
      impl: (a) => (a[0] as number) - (a[1] as number),
      strict: true,
    };
  }
  if (common === T.bool && (name === 'AND' || name === 'OR'))
    throw noOperator(name, left, right, location);
  throw noOperator(name, left, right, location);
}

const isIntegerType = (t: number): boolean => t === T.int2 || t === T.int4 || t === T.int8;

/**
 * Integer bitwise operators: & | # on two integers of their common type, << >> on an integer
 * and an int4 shift count (masked by the word size, as the C shifts PostgreSQL uses are on x86).
 */
function integerBitOperator(name: string, l: number, r: number): ResolvedOperator | undefined {
  if (!isIntegerType(l) || !isIntegerType(r)) return undefined;
  if (name === '<<' || name === '>>') {
    const left = name === '<<';
    const impl =
      l === T.int8
        ? (a: Value[]): Value => {
            const n = BigInt((a[1] as number) & 63);
            return BigInt.asIntN(64, left ? (a[0] as bigint) << n : (a[0] as bigint) >> n);
          }
        : l === T.int4
          ? (a: Value[]): Value =>
              left ? (a[0] as number) << (a[1] as number) : (a[0] as number) >> (a[1] as number)
          : (a: Value[]): Value => {
              const v = left
                ? (a[0] as number) << (a[1] as number)
                : (a[0] as number) >> (a[1] as number);
              return (v << 16) >> 16;
            };
    return { left: l, right: T.int4, result: l, impl, strict: true };
  }
  if (name !== '&' && name !== '|' && name !== '#') return undefined;
  const t = l === T.int8 || r === T.int8 ? T.int8 : l === T.int4 || r === T.int4 ? T.int4 : T.int2;
  const impl =
    t === T.int8
      ? (a: Value[]): Value => {
          const x = a[0] as bigint;
          const y = a[1] as bigint;
          return name === '&' ? x & y : name === '|' ? x | y : x ^ y;
        }
      : (a: Value[]): Value => {
          const x = a[0] as number;
          const y = a[1] as number;
          return name === '&' ? x & y : name === '|' ? x | y : x ^ y;
        };
  return { left: t, right: t, result: t, impl, strict: true };
}

function powFloat(x: number, y: number): number {
  if (x === 0 && y < 0) {
    throw new PgError('2201F', 'zero raised to a negative power is undefined');
  }
  if (x < 0 && !Number.isInteger(y)) {
    throw new PgError(
      '2201F',
      'a negative number raised to a non-integer power yields a complex result',
    );
  }
  const r = Math.pow(x, y);
  if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) {
    throw new PgError('22003', 'value out of range: overflow');
  }
  return r;
}
