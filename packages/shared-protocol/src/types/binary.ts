/**
 * Big-endian reads and writes for the binary (send/recv) value formats, on plain Uint8Arrays.
 */
import { badBinary } from './errors.js';

export function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function expectLength(bytes: Uint8Array, length: number): void {
  if (bytes.length !== length) {
    throw badBinary(
      bytes.length < length ? 'insufficient data left in message' : 'incorrect binary data format',
    );
  }
}

export function readInt16(bytes: Uint8Array, at: number): number {
  return (((bytes[at]! << 8) | bytes[at + 1]!) << 16) >> 16;
}
export function readUint16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}
export function readInt32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
}
export function readUint32(bytes: Uint8Array, at: number): number {
  return readInt32(bytes, at) >>> 0;
}
export function readInt64(bytes: Uint8Array, at: number): bigint {
  const hi = BigInt(readInt32(bytes, at));
  const lo = BigInt(readUint32(bytes, at + 4));
  return (hi << 32n) | lo;
}

export function writeInt16(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = (value >> 8) & 0xff;
  bytes[at + 1] = value & 0xff;
}
export function writeInt32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = (value >>> 24) & 0xff;
  bytes[at + 1] = (value >>> 16) & 0xff;
  bytes[at + 2] = (value >>> 8) & 0xff;
  bytes[at + 3] = value & 0xff;
}
export function writeInt64(bytes: Uint8Array, at: number, value: bigint): void {
  const v = BigInt.asUintN(64, value);
  writeInt32(bytes, at, Number(v >> 32n));
  writeInt32(bytes, at + 4, Number(v & 0xffffffffn));
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8Encode(s: string): Uint8Array {
  return encoder.encode(s);
}
export function utf8Decode(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw badBinary('invalid byte sequence for encoding "UTF8"');
  }
}
/** Length of `s` in UTF-8 bytes without encoding it. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** PostgreSQL's isspace(): space, \t, \n, \v, \f, \r. */
export function isPgSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
