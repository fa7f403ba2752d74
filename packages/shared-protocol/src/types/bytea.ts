/**
 * bytea: text output in hex (\x0a1b) or escape format (bytea_output), input in both; binary is the
 * bytes themselves. The JS value is a Uint8Array.
 */
import type { TypeCodec } from './codec.js';
import type { TypeSettings } from './settings.js';
import { TypeInputError, invalidSyntax } from './errors.js';
import { isPgSpace, utf8Encode } from './binary.js';
import { Oid } from './oids.js';

const HEX = '0123456789abcdef';
const HEX_PAIRS: string[] = Array.from({ length: 256 }, (_, i) => HEX[i >> 4]! + HEX[i & 15]!);

export function byteaToHex(bytes: Uint8Array): string {
  let out = '\\x';
  for (let i = 0; i < bytes.length; i++) out += HEX_PAIRS[bytes[i]!]!;
  return out;
}

/** Escape format: printable ASCII stays, backslash doubles, everything else is \ooo. */
export function byteaToEscape(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 92) out += '\\\\';
    else if (b < 0x20 || b > 0x7e) out += '\\' + b.toString(8).padStart(3, '0');
    else out += String.fromCharCode(b);
  }
  return out;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** byteain. */
export function parseBytea(text: string): Uint8Array {
  if (text.charCodeAt(0) === 92 && (text.charCodeAt(1) === 120 || text.charCodeAt(1) === 88)) {
    const out = new Uint8Array((text.length - 2) >> 1);
    let n = 0;
    let i = 2;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      // Whitespace may separate the pairs.
      if (isPgSpace(c)) {
        i++;
        continue;
      }
      const hi = hexValue(c);
      if (hi < 0) throw new TypeInputError('22023', `invalid hexadecimal digit: "${text[i]}"`);
      if (i + 1 >= text.length) {
        throw new TypeInputError('22023', 'invalid hexadecimal data: odd number of digits');
      }
      const lo = hexValue(text.charCodeAt(i + 1));
      if (lo < 0) throw new TypeInputError('22023', `invalid hexadecimal digit: "${text[i + 1]}"`);
      out[n++] = (hi << 4) | lo;
      i += 2;
    }
    return n === out.length ? out : out.slice(0, n);
  }
  const raw = utf8Encode(text);
  const out = new Uint8Array(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b !== 92) {
      out[n++] = b;
      continue;
    }
    const b1 = raw[i + 1];
    if (b1 === 92) {
      out[n++] = 92;
      i++;
      continue;
    }
    const b2 = raw[i + 2];
    const b3 = raw[i + 3];
    if (
      b1 !== undefined &&
      b2 !== undefined &&
      b3 !== undefined &&
      b1 >= 48 &&
      b1 <= 51 &&
      b2 >= 48 &&
      b2 <= 55 &&
      b3 >= 48 &&
      b3 <= 55
    ) {
      out[n++] = ((b1 - 48) << 6) | ((b2 - 48) << 3) | (b3 - 48);
      i += 3;
      continue;
    }
    throw invalidSyntax('bytea', text);
  }
  return out.slice(0, n);
}

export const byteaCodec: TypeCodec<Uint8Array> = {
  oid: Oid.bytea,
  name: 'bytea',
  arrayOid: Oid._bytea,
  fromText: parseBytea,
  toText: (v: Uint8Array, settings?: TypeSettings) =>
    settings?.byteaOutput === 'escape' ? byteaToEscape(v) : byteaToHex(v),
  fromBinary: (bytes) => bytes.slice(),
  toBinary: (v) => v,
};
