/**
 * Array functions and operators over one-dimensional arrays (multi-dimensional ones where noted):
 * array_append/prepend/cat, array_position(s), array_remove/replace, array_ndims/array_dims, and the
 * operators `||`, `@>`, `<@`, `&&`. Element equality uses the element type's comparison.
 */
import { PgError } from '../utils/errors.js';
import { T, arrayElementType, flattenArray, typeByOid, type Value } from '../utils/adt/types.js';
import type { BuiltinFunction } from './functions.js';
import type { ResolvedOperator } from './operators.js';

const isArrayType = (t: number | undefined): t is number =>
  t !== undefined && t !== T.unknown && arrayElementType(t) !== 0;

type Compare = (a: Value, b: Value) => number;

function comparator(arrayType: number): Compare {
  return typeByOid(arrayElementType(arrayType)).compare;
}

/** array_position & co.: an element matches `target` by equality, or both are NULL. */
function elementMatcher(arrayType: number, target: Value): (x: Value) => boolean {
  const cmp = comparator(arrayType);
  return target === null ? (x) => x === null : (x) => x !== null && cmp(x, target) === 0;
}

/** Whether `v` occurs in `items` (NULL never matches, as in PostgreSQL's containment). */
function contains(items: readonly Value[], v: Value, cmp: Compare): boolean {
  if (v === null) return false;
  return items.some((x) => x !== null && cmp(x, v) === 0);
}

function dims(v: readonly Value[]): number[] {
  const out: number[] = [];
  let cur: Value = v;
  while (Array.isArray(cur) && cur.length > 0) {
    out.push(cur.length);
    cur = (cur as Value[])[0] ?? null;
  }
  return out;
}

/** array || element and array_append (a NULL array counts as empty). */
const appendElement = (a: readonly Value[] | null, v: Value): Value[] => [...(a ?? []), v];
/** element || array and array_prepend. */
const prependElement = (v: Value, a: readonly Value[] | null): Value[] => [v, ...(a ?? [])];

/** array || array: concatenated along the first dimension (an element-sized array is appended). */
function concatArrays(a: readonly Value[] | null, b: readonly Value[] | null): Value {
  if (a === null) return b === null ? null : [...b];
  if (b === null) return [...a];
  if (a.length === 0) return [...b];
  if (b.length === 0) return [...a];
  const sa = dims(a);
  const sb = dims(b);
  const same = (x: number[], y: number[]): boolean =>
    x.length === y.length && x.every((n, i) => n === y[i]);
  const incompatible = (what: string): PgError =>
    new PgError('2202E', 'cannot concatenate incompatible arrays', {
      detail: `Arrays with differing ${what} are not compatible for concatenation.`,
    });
  if (sa.length === sb.length) {
    if (!same(sa.slice(1), sb.slice(1))) throw incompatible('element dimensions');
    return [...a, ...b];
  }
  if (sa.length === sb.length + 1) {
    if (!same(sa.slice(1), sb)) throw incompatible('dimensions');
    return [...a, b];
  }
  if (sb.length === sa.length + 1) {
    if (!same(sb.slice(1), sa)) throw incompatible('dimensions');
    return [a, ...b];
  }
  throw incompatible('dimensions');
}

/** The array operators, or undefined when neither side is an array. */
export function arrayOperator(name: string, l: number, r: number): ResolvedOperator | undefined {
  if (!isArrayType(l) && !isArrayType(r)) return undefined;
  if (name === '||') {
    if (isArrayType(l) && isArrayType(r) && l === r)
      return {
        left: l,
        right: r,
        result: l,
        strict: false,
        impl: (a) => concatArrays(a[0] as Value[] | null, a[1] as Value[] | null),
      };
    if (isArrayType(l) && arrayElementType(l) === r)
      return {
        left: l,
        right: r,
        result: l,
        strict: false,
        impl: (a) => appendElement(a[0] as Value[] | null, a[1]!),
      };
    if (isArrayType(r) && arrayElementType(r) === l)
      return {
        left: l,
        right: r,
        result: r,
        strict: false,
        impl: (a) => prependElement(a[0]!, a[1] as Value[] | null),
      };
    return undefined;
  }
  if ((name === '@>' || name === '<@' || name === '&&') && l === r && isArrayType(l)) {
    const cmp = comparator(l);
    const impl = (a: Value[]): Value => {
      const x = flattenArray(a[0] as Value[]);
      const y = flattenArray(a[1] as Value[]);
      if (name === '@>') return y.every((v) => contains(x, v, cmp));
      if (name === '<@') return x.every((v) => contains(y, v, cmp));
      return x.some((v) => contains(y, v, cmp));
    };
    return { left: l, right: r, result: T.bool, strict: true, impl };
  }
  return undefined;
}

/** Argument types of the call being evaluated (set by the analyzer for polymorphic arguments). */
function argTypes(ctx: unknown): number[] {
  return (ctx as { argTypes?: number[] }).argTypes ?? [];
}

const sameArray = ([a]: number[]): number => (isArrayType(a) ? a : 0);

export function arrayManipulationFunctions(): BuiltinFunction[] {
  return [
    {
      name: 'array_append',
      args: [T.unknown, T.unknown],
      result: T.unknown,
      polymorphic: ['array', 'element'],
      resultFrom: sameArray,
      strict: false,
      impl: (a) => appendElement(a[0] as Value[] | null, a[1]!),
    },
    {
      name: 'array_prepend',
      args: [T.unknown, T.unknown],
      result: T.unknown,
      polymorphic: ['element', 'array'],
      resultFrom: ([, a]) => (isArrayType(a) ? a : 0),
      strict: false,
      impl: (a) => prependElement(a[0]!, a[1] as Value[] | null),
    },
    {
      name: 'array_cat',
      args: [T.unknown, T.unknown],
      result: T.unknown,
      polymorphic: ['array', 'array'],
      resultFrom: sameArray,
      strict: false,
      impl: (a) => concatArrays(a[0] as Value[] | null, a[1] as Value[] | null),
    },
    {
      name: 'array_ndims',
      args: [T.unknown],
      result: T.int4,
      resultFrom: (t) => (sameArray(t) ? T.int4 : 0),
      impl: (a) => {
        const d = dims(a[0] as Value[]).length;
        return d === 0 ? null : d;
      },
    },
    {
      name: 'array_dims',
      args: [T.unknown],
      result: T.text,
      resultFrom: (t) => (sameArray(t) ? T.text : 0),
      impl: (a) => {
        const d = dims(a[0] as Value[]);
        return d.length === 0 ? null : d.map((n) => `[1:${n}]`).join('');
      },
    },
    ...[2, 3].map((n): BuiltinFunction => ({
      name: 'array_position',
      args: n === 2 ? [T.unknown, T.unknown] : [T.unknown, T.unknown, T.int4],
      polymorphic: ['array', 'element'],
      result: T.int4,
      resultFrom: (t) => (sameArray(t) ? T.int4 : 0),
      strict: false,
      impl: (a, c) => {
        if (a[0] === null) return null;
        const items = a[0] as Value[];
        if (dims(items).length > 1)
          throw new PgError(
            '0A000',
            'searching for elements in multidimensional arrays is not supported',
          );
        const start = n === 3 ? ((a[2] as number | null) ?? 1) : 1;
        const same = elementMatcher(argTypes(c)[0]!, a[1]!);
        for (let i = Math.max(start, 1) - 1; i < items.length; i++)
          if (same(items[i]!)) return i + 1;
        return null;
      },
    })),
    {
      name: 'array_positions',
      args: [T.unknown, T.unknown],
      polymorphic: ['array', 'element'],
      result: T.int4,
      resultFrom: (t) => (sameArray(t) ? typeByOid(T.int4).arrayOid : 0),
      strict: false,
      impl: (a, c) => {
        if (a[0] === null) return null;
        const same = elementMatcher(argTypes(c)[0]!, a[1]!);
        const out: Value[] = [];
        (a[0] as Value[]).forEach((x, i) => {
          if (same(x)) out.push(i + 1);
        });
        return out;
      },
    },
    {
      name: 'array_remove',
      args: [T.unknown, T.unknown],
      polymorphic: ['array', 'element'],
      result: T.unknown,
      resultFrom: sameArray,
      strict: false,
      impl: (a, c) => {
        if (a[0] === null) return null;
        const same = elementMatcher(argTypes(c)[0]!, a[1]!);
        return (a[0] as Value[]).filter((x) => !same(x));
      },
    },
    {
      name: 'array_replace',
      args: [T.unknown, T.unknown, T.unknown],
      polymorphic: ['array', 'element', 'element'],
      result: T.unknown,
      resultFrom: sameArray,
      strict: false,
      impl: (a, c) => {
        if (a[0] === null) return null;
        const same = elementMatcher(argTypes(c)[0]!, a[1]!);
        return (a[0] as Value[]).map((x) => (same(x) ? a[2]! : x));
      },
    },
  ];
}
