/*
 * access/keycodec.ts — order-preserving binary encoding of btree keys.
 *
 * memcmp order of the encoding = PostgreSQL's btree order of the values, so
 * LMDB's key order is the index order. Each column is self-delimiting
 * (prefix-free), which makes "all keys starting with these columns" a plain
 * byte-prefix range:
 *   NULL           0x01 (NULLS FIRST) or 0x03 (NULLS LAST), no payload
 *   value          0x02 then the payload; DESC columns invert every payload byte
 *   integer        8 bytes, two's complement with the sign bit flipped
 *   float          8 bytes IEEE: sign flipped (positive) or all bits flipped
 *                  (negative); one canonical NaN above +Infinity; -0 = 0
 *   numeric        class byte (-Inf, <0, 0, >0, +Inf, NaN), then for finite
 *                  non-zero values a 16-bit decimal exponent and one byte per
 *                  significant digit, ended by a terminator (inverted for <0)
 *   text, bytea    the bytes (UTF-8 for text: C collation) with 0x00 escaped
 *                  as 00 FF, ended by 00 00
 *   bool           00 / 01
 */
import type { KeyColumnSpec } from './api.js';

const NULL_FIRST = 0x01;
const NOT_NULL = 0x02;
const NULL_LAST = 0x03;

/** A growable byte buffer reused across encodings. */
class Bytes {
  buf = Buffer.allocUnsafe(256);
  len = 0;
  reset(): void {
    this.len = 0;
  }
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const b = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(b, 0, 0, this.len);
    this.buf = b;
  }
  byte(v: number): void {
    this.ensure(1);
    this.buf[this.len++] = v;
  }
}

const out = new Bytes();

function invertFrom(start: number): void {
  for (let i = start; i < out.len; i++) out.buf[i] = ~(out.buf[i] ?? 0) & 0xff;
}

function encodeInteger(v: unknown): void {
  out.ensure(8);
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new TypeError(`integer index key expected, got ${v}`);
    const hi = Math.floor(v / 0x1_0000_0000);
    const lo = v - hi * 0x1_0000_0000;
    out.buf.writeUInt32BE((hi ^ 0x8000_0000) >>> 0, out.len);
    out.buf.writeUInt32BE(lo >>> 0, out.len + 4);
  } else if (typeof v === 'bigint') {
    if (v < -(2n ** 63n) || v >= 2n ** 63n)
      throw new RangeError('integer index key out of int8 range');
    out.buf.writeBigUInt64BE(BigInt.asUintN(64, v) ^ (1n << 63n), out.len);
  } else {
    throw new TypeError(`integer index key expected, got ${typeof v}`);
  }
  out.len += 8;
}

function encodeFloat(v: unknown): void {
  let f = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : NaN;
  if (typeof v !== 'number' && typeof v !== 'bigint')
    throw new TypeError('float index key expected');
  if (Number.isNaN(f)) f = NaN;
  if (f === 0) f = 0; // -0 == 0
  out.ensure(8);
  const at = out.len;
  out.buf.writeDoubleBE(f, at);
  out.len += 8;
  if (Number.isNaN(f)) {
    // canonical NaN, above +Infinity after the sign flip
    out.buf.writeUInt32BE(0x7ff8_0000, at);
    out.buf.writeUInt32BE(0, at + 4);
  }
  if ((out.buf[at] ?? 0) & 0x80) invertFrom(at);
  else out.buf[at] = (out.buf[at] ?? 0) | 0x80;
}

function encodeEscaped(bytes: Uint8Array): void {
  out.ensure(bytes.length * 2 + 2);
  for (const c of bytes) {
    out.buf[out.len++] = c;
    if (c === 0) out.buf[out.len++] = 0xff;
  }
  out.buf[out.len++] = 0;
  out.buf[out.len++] = 0;
}

const NUM_RE = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

function encodeNumeric(v: unknown): void {
  let s: string;
  if (typeof v === 'string') s = v;
  else if (typeof v === 'number' || typeof v === 'bigint') s = String(v);
  else throw new TypeError('numeric index key expected');
  const lower = s.trim().toLowerCase();
  if (lower === 'nan') return out.byte(0x06);
  if (lower === 'infinity' || lower === '+infinity' || lower === 'inf' || lower === '+inf')
    return out.byte(0x05);
  if (lower === '-infinity' || lower === '-inf') return out.byte(0x00);
  const m = NUM_RE.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === ''))
    throw new TypeError(`invalid numeric index key "${s}"`);
  const negative = m[1] === '-';
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? '';
  let digits = intPart + fracPart;
  let exp = intPart.length + (m[4] ? parseInt(m[4], 10) : 0);
  let lead = 0;
  while (lead < digits.length && digits.charCodeAt(lead) === 48) lead++;
  digits = digits.slice(lead);
  exp -= lead;
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48) end--;
  digits = digits.slice(0, end);
  if (digits.length === 0) return out.byte(0x02); // zero
  out.byte(negative ? 0x01 : 0x03);
  const at = out.len;
  out.ensure(2 + digits.length + 1);
  out.buf.writeUInt16BE((exp + 0x8000) & 0xffff, out.len);
  out.len += 2;
  for (let i = 0; i < digits.length; i++) out.buf[out.len++] = digits.charCodeAt(i) - 48 + 1;
  out.buf[out.len++] = 0;
  if (negative) invertFrom(at);
}

function encodeColumn(spec: KeyColumnSpec, v: unknown): void {
  const desc = spec.desc ?? false;
  if (v === null || v === undefined) {
    out.byte((spec.nullsFirst ?? desc) ? NULL_FIRST : NULL_LAST);
    return;
  }
  out.byte(NOT_NULL);
  const at = out.len;
  switch (spec.type) {
    case 'integer':
      encodeInteger(v);
      break;
    case 'float':
      encodeFloat(v);
      break;
    case 'numeric':
      encodeNumeric(v);
      break;
    case 'text':
      if (typeof v !== 'string') throw new TypeError('text index key expected');
      encodeEscaped(Buffer.from(v, 'utf8'));
      break;
    case 'bytea':
      if (!(v instanceof Uint8Array)) throw new TypeError('bytea index key expected');
      encodeEscaped(v);
      break;
    case 'bool':
      out.byte(v ? 1 : 0);
      break;
  }
  if (desc) invertFrom(at);
}

/**
 * Encodes the first `key.length` columns (a full key or a prefix for range
 * bounds) after `prefix`. Returns a fresh Buffer.
 */
export function encodeKey(
  columns: readonly KeyColumnSpec[],
  key: readonly unknown[],
  prefix: Uint8Array,
): Buffer {
  out.reset();
  out.ensure(prefix.length);
  out.buf.set(prefix, 0);
  out.len = prefix.length;
  const n = Math.min(key.length, columns.length);
  for (let i = 0; i < n; i++) {
    const spec = columns[i];
    if (spec) encodeColumn(spec, key[i]);
  }
  return Buffer.from(out.buf.subarray(0, out.len));
}
