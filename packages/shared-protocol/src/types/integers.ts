/**
 * smallint, integer, bigint, oid (and the other unsigned 32-bit ids xid, cid, regproc & co. in
 * numeric form), xid8: decimal text with PostgreSQL's whitespace and range rules, big-endian binary.
 */
import type { TypeCodec } from './codec.js';
import { invalidSyntax, valueOutOfRange } from './errors.js';
import {
  expectLength,
  isPgSpace,
  readInt16,
  readInt32,
  readInt64,
  readUint32,
  writeInt16,
  writeInt32,
  writeInt64,
} from './binary.js';
import { Oid } from './oids.js';

/**
 * Parses an integer the way pg_strtoint16/32 do: optional surrounding whitespace, optional sign,
 * decimal digits. Returns a JS number; range is checked against [min, max].
 */
function parseSmallInt(text: string, min: number, max: number, typeName: string): number {
  const len = text.length;
  let i = 0;
  while (i < len && isPgSpace(text.charCodeAt(i))) i++;
  let negative = false;
  let c = text.charCodeAt(i);
  if (c === 45 /* - */) {
    negative = true;
    i++;
  } else if (c === 43 /* + */) i++;
  const digitsStart = i;
  let value = 0;
  for (; i < len; i++) {
    c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    // Saturate: anything this large is out of range for 32 bits, and stays exact below 2^53.
    if (value < 1e15) value = value * 10 + (c - 48);
  }
  if (i === digitsStart) throw invalidSyntax(typeName, text);
  while (i < len && isPgSpace(text.charCodeAt(i))) i++;
  if (i !== len) throw invalidSyntax(typeName, text);
  if (negative) value = -value;
  if (value < min || value > max) throw valueOutOfRange(typeName, text);
  return value === 0 ? 0 : value;
}

export function parseInt2(text: string): number {
  return parseSmallInt(text, -32768, 32767, 'smallint');
}
export function parseInt4(text: string): number {
  return parseSmallInt(text, -2147483648, 2147483647, 'integer');
}

const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;

/** pg_strtoint64: like parseInt4 but to a bigint in int8 range. */
export function parseInt8(text: string): bigint {
  const len = text.length;
  let i = 0;
  while (i < len && isPgSpace(text.charCodeAt(i))) i++;
  let negative = false;
  let c = text.charCodeAt(i);
  if (c === 45) {
    negative = true;
    i++;
  } else if (c === 43) i++;
  const digitsStart = i;
  let small = 0;
  for (; i < len; i++) {
    c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    small = small * 10 + (c - 48);
  }
  const digitsEnd = i;
  if (digitsEnd === digitsStart) throw invalidSyntax('bigint', text);
  while (i < len && isPgSpace(text.charCodeAt(i))) i++;
  if (i !== len) throw invalidSyntax('bigint', text);
  // Up to 15 digits are exact in a double; beyond that go through BigInt.
  if (digitsEnd - digitsStart <= 15) return BigInt(negative ? -small : small);
  let value = BigInt(text.slice(digitsStart, digitsEnd));
  if (negative) value = -value;
  if (value < INT8_MIN || value > INT8_MAX) throw valueOutOfRange('bigint', text);
  return value;
}

/**
 * oidin: an unsigned 32-bit value; like PostgreSQL (strtoul) a negative input down to -2^31 wraps
 * around (-1 → 4294967295).
 */
export function parseOid(text: string, typeName = 'oid'): number {
  const len = text.length;
  let i = 0;
  while (i < len && isPgSpace(text.charCodeAt(i))) i++;
  let negative = false;
  let c = text.charCodeAt(i);
  if (c === 45) {
    negative = true;
    i++;
  } else if (c === 43) i++;
  const digitsStart = i;
  let value = 0;
  for (; i < len; i++) {
    c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    if (value < 1e15) value = value * 10 + (c - 48);
  }
  if (i === digitsStart) throw invalidSyntax(typeName, text);
  while (i < len && isPgSpace(text.charCodeAt(i))) i++;
  if (i !== len) throw invalidSyntax(typeName, text);
  if (negative) {
    if (value > 2147483648) throw valueOutOfRange(typeName, text);
    return value === 0 ? 0 : 4294967296 - value;
  }
  if (value > 4294967295) throw valueOutOfRange(typeName, text);
  return value;
}

function int2Binary(v: number): Uint8Array {
  const out = new Uint8Array(2);
  writeInt16(out, 0, v);
  return out;
}
function int4Binary(v: number): Uint8Array {
  const out = new Uint8Array(4);
  writeInt32(out, 0, v);
  return out;
}
function int8Binary(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  writeInt64(out, 0, v);
  return out;
}

export const int2Codec: TypeCodec<number> = {
  oid: Oid.int2,
  name: 'int2',
  arrayOid: Oid._int2,
  fromText: parseInt2,
  toText: (v) => String(v),
  fromBinary(bytes) {
    expectLength(bytes, 2);
    return readInt16(bytes, 0);
  },
  toBinary: int2Binary,
};

export const int4Codec: TypeCodec<number> = {
  oid: Oid.int4,
  name: 'int4',
  arrayOid: Oid._int4,
  fromText: parseInt4,
  toText: (v) => String(v),
  fromBinary(bytes) {
    expectLength(bytes, 4);
    return readInt32(bytes, 0);
  },
  toBinary: int4Binary,
};

export const int8Codec: TypeCodec<bigint> = {
  oid: Oid.int8,
  name: 'int8',
  arrayOid: Oid._int8,
  fromText: parseInt8,
  toText: (v) => v.toString(),
  fromBinary(bytes) {
    expectLength(bytes, 8);
    return readInt64(bytes, 0);
  },
  toBinary: int8Binary,
};

/** A codec for an unsigned 32-bit type whose text form is its decimal value (oid, xid, cid, and the reg* types given numerically). */
export function makeUint32Codec(
  oid: number,
  name: string,
  arrayOid: number,
  typeName: string,
): TypeCodec<number> {
  return {
    oid,
    name,
    arrayOid,
    fromText: (text) => parseOid(text, typeName),
    toText: (v) => String(v),
    fromBinary(bytes) {
      expectLength(bytes, 4);
      return readUint32(bytes, 0);
    },
    toBinary: int4Binary,
  };
}

export const oidCodec = makeUint32Codec(Oid.oid, 'oid', Oid._oid, 'oid');

/** xid8: unsigned 64-bit transaction id (full epoch form). */
export const xid8Codec: TypeCodec<bigint> = {
  oid: Oid.xid8,
  name: 'xid8',
  arrayOid: Oid._xid8,
  fromText(text) {
    const t = text.trim();
    if (!/^\d+$/.test(t)) throw invalidSyntax('xid8', text);
    const v = BigInt(t);
    if (v >= 2n ** 64n) throw valueOutOfRange('xid8', text);
    return v;
  },
  toText: (v) => v.toString(),
  fromBinary(bytes) {
    expectLength(bytes, 8);
    return BigInt.asUintN(64, readInt64(bytes, 0));
  },
  toBinary: int8Binary,
};
