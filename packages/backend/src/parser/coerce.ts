/**
 * Type coercion (PostgreSQL's parse_coerce + pg_cast for the built-in types): which casts exist,
 * in which contexts (implicit / assignment / explicit) they apply, and the functions that perform
 * them — including typmod enforcement for varchar(n), char(n) and numeric(p,s).
 */
import { PgError } from '../utils/errors.js';
import {
  T,
  typeByOid,
  arrayElementType,
  coerceCharLength,
  formatType,
  type FormatContext,
  type Value,
} from '../utils/adt/types.js';
import * as numeric from '../utils/adt/numeric.js';
import { toIntKind, type IntKind } from '../utils/adt/int.js';
import { dateToTimestamp, localToUtc, timestampToDate } from '../utils/adt/datetime.js';
import { floatOut } from '../utils/adt/float.js';

export type CoercionContext = 'implicit' | 'assignment' | 'explicit';
export type CastFn = (v: Value, ctx: FormatContext) => Value;

const numericRank: Record<number, number> = {
  [T.int2]: 1,
  [T.int4]: 2,
  [T.int8]: 3,
  [T.numeric]: 4,
  [T.float4]: 5,
  [T.float8]: 6,
};
const stringTypes = new Set<number>([T.text, T.varchar, T.bpchar, T.name]);
const intKinds: Record<number, IntKind> = { [T.int2]: 'int2', [T.int4]: 'int4', [T.int8]: 'int8' };

export function isNumericType(oid: number): boolean {
  return numericRank[oid] !== undefined;
}
export function isStringType(oid: number): boolean {
  return stringTypes.has(oid);
}
export function numericTypeRank(oid: number): number {
  return numericRank[oid] ?? 0;
}

/** rint(): round half to even, as PostgreSQL's float → int casts do. */
export function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function numberToInt(kind: IntKind, v: number): number | bigint {
  if (Number.isNaN(v) || !Number.isFinite(v))
    throw new PgError(
      '22003',
      `${kind === 'int2' ? 'smallint' : kind === 'int4' ? 'integer' : 'bigint'} out of range`,
    );
  return toIntKind(rint(v), kind);
}

/** The conversion from one numeric type to another. */
function numericCast(from: number, to: number): CastFn {
  const toKind = intKinds[to];
  if (toKind) {
    if (intKinds[from]) return (v) => toIntKind(v as number | bigint, toKind);
    if (from === T.numeric) return (v) => toIntKind(numeric.toBigInt(v as string), toKind);
    return (v) => numberToInt(toKind, v as number);
  }
  if (to === T.numeric) {
    if (intKinds[from]) return (v) => numeric.fromInteger(v as number | bigint);
    const digits = from === T.float4 ? 6 : 15;
    return (v) => numeric.fromFloat(v as number, digits);
  }
  // to float4 / float8
  const round = to === T.float4 ? Math.fround : (x: number): number => x;
  if (from === T.numeric) {
    return (v) => {
      const n = round(numeric.toNumber(v as string));
      if (to === T.float4 && !Number.isFinite(n) && Number.isFinite(Number(v)))
        throw new PgError('22003', 'value out of range: overflow');
      return n;
    };
  }
  if (from === T.float8 && to === T.float4) {
    return (v) => {
      const x = v as number;
      const f = Math.fround(x);
      if (!Number.isFinite(f) && Number.isFinite(x))
        throw new PgError('22003', 'value out of range: overflow');
      if (f === 0 && x !== 0) throw new PgError('22003', 'value out of range: underflow');
      return f;
    };
  }
  return (v) => round(Number(v));
}

/**
 * Finds the cast from `from` to `to` usable in `context`; undefined if none. Identity returns
 * a function too (the caller may still need typmod coercion).
 */
/** oid and its alias types (regclass, regtype …). */
export const regTypes: ReadonlySet<number> = new Set([
  T.regclass,
  T.regproc,
  T.regtype,
  T.regnamespace,
  T.regrole,
]);

export function findCast(from: number, to: number, context: CoercionContext): CastFn | undefined {
  if (from === to) return (v) => v;
  if (from === T.unknown) return (v, c) => typeByOid(to).input(v as string, -1, c);
  const fromRank = numericRank[from];
  const toRank = numericRank[to];
  if (fromRank !== undefined && toRank !== undefined) {
    if (toRank > fromRank || context !== 'implicit') return numericCast(from, to);
    return undefined;
  }
  // "char" widens to text implicitly (pg_dump compares relkind with text arrays).
  if (from === T.char && to === T.text) return (v) => v;
  // Everything converts to a string type through its output function (an assignment cast),
  // and string types convert among themselves implicitly.
  if (stringTypes.has(to)) {
    if (stringTypes.has(from)) {
      if (from === T.bpchar && to !== T.bpchar) return (v) => (v as string).replace(/ +$/, '');
      return (v) => v;
    }
    if (context === 'implicit') return undefined;
    const out = typeByOid(from);
    if (from === T.float4 || from === T.float8) {
      // PostgreSQL's float → text cast uses the output function (shortest round-trip form).
      return (v, c) => floatOut(v as number, c.extraFloatDigits, from === T.float4);
    }
    if (from === T.bool) return (v) => (v ? 'true' : 'false');
    return (v, c) => out.output(v, c);
  }
  if (stringTypes.has(from)) {
    if (context !== 'explicit') return undefined;
    const input = typeByOid(to);
    return (v, c) =>
      input.input(from === T.bpchar ? (v as string).replace(/ +$/, '') : (v as string), -1, c);
  }
  if (from === T.int4 && to === T.bool && context === 'explicit') return (v) => v !== 0;
  if (from === T.bool && to === T.int4 && context === 'explicit') return (v) => (v ? 1 : 0);
  if ((from === T.int4 || from === T.int8) && to === T.oid) return (v) => Number(v);
  if (from === T.oid && (to === T.int4 || to === T.int8)) {
    if (context === 'implicit' && to === T.int4) return undefined;
    return (v) => (to === T.int8 ? BigInt(v as number) : (v as number) | 0);
  }
  // Arrays convert element by element when their element types do.
  const fromElem = arrayElementType(from);
  const toElem = arrayElementType(to);
  if (fromElem !== 0 && toElem !== 0 && typeByOid(to).category === 'A' && fromElem !== toElem) {
    const elemCast = findCast(fromElem, toElem, context);
    if (!elemCast) return undefined;
    const convert = (v: Value, c: FormatContext): Value =>
      Array.isArray(v)
        ? (v as readonly Value[]).map((x) => convert(x, c))
        : v === null
          ? null
          : elemCast(v, c);
    return convert;
  }
  // The catalog vector types are arrays underneath (PostgreSQL's binary-coercible casts).
  if ((from === T.int2vector && to === T.int2Array) || (from === T.oidvector && to === T.oidArray))
    return (v) => v;
  // The OID alias types are binary-coercible with oid (and int4/int8 convert to them).
  if (regTypes.has(to) && (from === T.oid || regTypes.has(from))) {
    return from === T.oid || context !== 'implicit' ? (v) => v : undefined;
  }
  if (regTypes.has(from) && to === T.oid) return (v) => v;
  if ((from === T.int4 || from === T.int8) && regTypes.has(to)) return (v) => Number(v);
  if (regTypes.has(from) && (to === T.int4 || to === T.int8) && context !== 'implicit')
    return (v) => (to === T.int8 ? BigInt(v as number) : (v as number) | 0);
  if (from === T.date && (to === T.timestamp || to === T.timestamptz)) {
    if (to === T.timestamp) return (v) => dateToTimestamp(v as number);
    return (v, c) => localToUtc(dateToTimestamp(v as number), c.timeZone);
  }
  if ((from === T.timestamp || from === T.timestamptz) && to === T.date && context !== 'implicit') {
    if (from === T.timestamp) return (v) => timestampToDate(v as bigint);
    return (v, c) => timestampToDate(toLocal(v as bigint, c.timeZone));
  }
  if (from === T.timestamp && to === T.timestamptz)
    return (v, c) => localToUtc(v as bigint, c.timeZone);
  // time of day out of timestamps and intervals (assignment casts), and time as an interval.
  if (to === T.time && context !== 'implicit') {
    if (from === T.timestamp) return (v) => wrapTime(v as bigint);
    if (from === T.timestamptz) return (v, c) => wrapTime(toLocal(v as bigint, c.timeZone));
    if (from === T.interval) return (v) => wrapTime(intervalParts(v as Uint8Array).usec);
  }
  if (from === T.time && to === T.interval)
    return (v) => intervalValue({ months: 0, days: 0, usec: v as bigint });
  if (from === T.timestamptz && to === T.timestamp && context !== 'implicit') {
    return (v, c) => toLocal(v as bigint, c.timeZone);
  }
  if ((from === T.json && to === T.jsonb) || (from === T.jsonb && to === T.json)) {
    if (context === 'implicit') return undefined;
    const input = typeByOid(to);
    return (v, c) => input.input(v as string, -1, c);
  }
  return undefined;
}

import { zoneOffsetSeconds } from '../utils/adt/datetime.js';
import { intervalParts, intervalValue } from '../utils/adt/interval.js';
import { wrapTime } from '../utils/adt/time.js';

function toLocal(utc: bigint, zone: string): bigint {
  const ms = Number(utc / 1000n) + 946_684_800_000;
  return utc + BigInt(zoneOffsetSeconds(zone, ms)) * 1_000_000n;
}

/** Applies a target typmod (varchar(n), char(n), numeric(p,s)). */
export function typmodCoercer(
  type: number,
  typmod: number,
  explicit: boolean,
): ((v: Value) => Value) | undefined {
  if (typmod < 0) return undefined;
  if (type === T.varchar || type === T.bpchar)
    return (v) => coerceCharLength(v as string, type, typmod, explicit);
  if (type === T.numeric) return (v) => numeric.applyTypmod(v as string, typmod);
  return undefined;
}

export function cannotCast(from: number, to: number): PgError {
  return new PgError('42846', `cannot cast type ${formatType(from, -1)} to ${formatType(to, -1)}`);
}

/**
 * Picks the common type of a set of expressions (UNION, CASE, COALESCE, VALUES columns), as
 * PostgreSQL's select_common_type does for the built-in types.
 */
export function selectCommonType(types: number[], context: string, location?: number): number {
  const known = types.filter((t) => t !== T.unknown);
  if (known.length === 0) return T.text;
  let result = known[0]!;
  for (const t of known.slice(1)) {
    if (t === result) continue;
    if (isNumericType(t) && isNumericType(result)) {
      result = numericRank[t]! > numericRank[result]! ? t : result;
    } else if (isStringType(t) && isStringType(result)) {
      result = T.text;
    } else if (findCast(t, result, 'implicit')) {
      continue;
    } else if (findCast(result, t, 'implicit')) {
      result = t;
    } else {
      const e = new PgError(
        '42804',
        `${context} types ${formatType(result, -1)} and ${formatType(t, -1)} cannot be matched`,
      );
      throw location === undefined ? e : e.at(location);
    }
  }
  return result;
}
