/**
 * uuid: the JS value is the canonical lowercase 8-4-4-4-12 text. Input accepts what uuid_in does:
 * upper or lower case hex, optional braces, a hyphen optionally after any group of four digits.
 */
import type { TypeCodec } from './codec.js';
import { invalidSyntax } from './errors.js';
import { expectLength } from './binary.js';
import { Oid } from './oids.js';

const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** uuid_in, to the 16 bytes. */
export function uuidToBytes(text: string): Uint8Array {
  const out = new Uint8Array(16);
  let i = 0;
  const braces = text.charCodeAt(0) === 123;
  if (braces) i++;
  for (let b = 0; b < 16; b++) {
    const hi = hexDigit(text.charCodeAt(i));
    const lo = hexDigit(text.charCodeAt(i + 1));
    if (hi < 0 || lo < 0) throw invalidSyntax('uuid', text);
    out[b] = (hi << 4) | lo;
    i += 2;
    if (b % 2 === 1 && b < 15 && text.charCodeAt(i) === 45) i++;
  }
  if (braces) {
    if (text.charCodeAt(i) !== 125) throw invalidSyntax('uuid', text);
    i++;
  }
  if (i !== text.length) throw invalidSyntax('uuid', text);
  return out;
}

const HEX = '0123456789abcdef';

export function uuidFromBytes(bytes: Uint8Array): string {
  let s = '';
  for (let b = 0; b < 16; b++) {
    const v = bytes[b]!;
    s += HEX[v >> 4]! + HEX[v & 15]!;
    if (b === 3 || b === 5 || b === 7 || b === 9) s += '-';
  }
  return s;
}

export function parseUuid(text: string): string {
  return CANONICAL.test(text) ? text : uuidFromBytes(uuidToBytes(text));
}

export const uuidCodec: TypeCodec<string> = {
  oid: Oid.uuid,
  name: 'uuid',
  arrayOid: Oid._uuid,
  fromText: parseUuid,
  toText: parseUuid,
  fromBinary(bytes) {
    expectLength(bytes, 16);
    return uuidFromBytes(bytes);
  },
  toBinary: uuidToBytes,
};
