/**
 * int2 / int4 / int8 text input (PostgreSQL's strict pg_strtoint*: optional sign, digits, surrounding
 * whitespace) and overflow-checked arithmetic. int2/int4 are JS numbers, int8 is a bigint.
 */
import { PgError } from '../errors.js';

export type IntKind = 'int2' | 'int4' | 'int8';

export const intNames: Record<IntKind, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
};
const bounds: Record<IntKind, [bigint, bigint]> = {
  int2: [-32768n, 32767n],
  int4: [-2147483648n, 2147483647n],
  int8: [-9223372036854775808n, 9223372036854775807n],
};

export function intIn(text: string, kind: IntKind): number | bigint {
  const m = /^\s*([-+]?\d+)\s*$/.exec(text);
  if (!m) throw new PgError('22P02', `invalid input syntax for type ${intNames[kind]}: "${text}"`);
  const v = BigInt(m[1] ?? '0');
  const [lo, hi] = bounds[kind];
  if (v < lo || v > hi) {
    throw new PgError('22003', `value "${text}" is out of range for type ${intNames[kind]}`);
  }
  return kind === 'int8' ? v : Number(v);
}

/** Range check for the result of int2/int4 arithmetic. */
export function checkInt(v: number, kind: 'int2' | 'int4'): number {
  if (kind === 'int4' ? v < -2147483648 || v > 2147483647 : v < -32768 || v > 32767) {
    throw new PgError('22003', `${intNames[kind]} out of range`);
  }
  return v;
}

export function checkInt8(v: bigint): bigint {
  if (v < -9223372036854775808n || v > 9223372036854775807n) {
    throw new PgError('22003', 'bigint out of range');
  }
  return v;
}

/** Converts a number/bigint into the kind's representation, raising "<type> out of range". */
export function toIntKind(v: number | bigint, kind: IntKind): number | bigint {
  const b = typeof v === 'bigint' ? v : BigInt(Math.round(v));
  const [lo, hi] = bounds[kind];
  if (b < lo || b > hi) throw new PgError('22003', `${intNames[kind]} out of range`);
  return kind === 'int8' ? b : Number(b);
}
