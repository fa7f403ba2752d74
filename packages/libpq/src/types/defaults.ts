/**
 * Default value parsers by type OID, on top of @tuskdb/shared-protocol's exact codecs.
 */
import { textOfValue } from '@tuskdb/shared-protocol';
import type { BinaryParser, TextParser } from './parsers.js';

const INT2 = 21,
  INT4 = 23,
  INT8 = 20,
  OID = 26,
  FLOAT4 = 700,
  FLOAT8 = 701,
  BOOL = 16,
  NUMERIC = 1700,
  JSON_OID = 114,
  JSONB = 3802,
  BYTEA = 17;

function parseFloatPg(s: string): number {
  if (s === 'NaN') return NaN;
  if (s === 'Infinity') return Infinity;
  if (s === '-Infinity') return -Infinity;
  return Number(s);
}

function parseByteaHex(s: string): Uint8Array {
  if (s.startsWith('\\x')) return new Uint8Array(Buffer.from(s.slice(2), 'hex'));
  // Escape format: \\ and \ooo octal escapes.
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      if (s[i + 1] === '\\') {
        out.push(0x5c);
        i++;
      } else {
        out.push(parseInt(s.slice(i + 1, i + 4), 8));
        i += 3;
      }
    } else out.push(s.charCodeAt(i));
  }
  return Uint8Array.from(out);
}

const TEXT: Record<number, TextParser> = {
  [INT2]: Number,
  [INT4]: Number,
  [OID]: Number,
  [INT8]: (s) => BigInt(s),
  [FLOAT4]: parseFloatPg,
  [FLOAT8]: parseFloatPg,
  [BOOL]: (s) => s === 't',
  // numeric stays the server's exact decimal text: no precision is ever lost.
  [NUMERIC]: (s) => s,
  [JSON_OID]: (s) => JSON.parse(s) as unknown,
  [JSONB]: (s) => JSON.parse(s) as unknown,
  [BYTEA]: parseByteaHex,
};

function dv(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

const BINARY: Record<number, BinaryParser> = {
  [INT2]: (b) => dv(b).getInt16(0),
  [INT4]: (b) => dv(b).getInt32(0),
  [OID]: (b) => dv(b).getUint32(0),
  [INT8]: (b) => dv(b).getBigInt64(0),
  [FLOAT4]: (b) => dv(b).getFloat32(0),
  [FLOAT8]: (b) => dv(b).getFloat64(0),
  [BOOL]: (b) => b[0] === 1,
  [JSON_OID]: (b) => JSON.parse(textOfValue(b)) as unknown,
  [JSONB]: (b) => JSON.parse(textOfValue(b.subarray(1))) as unknown,
  [BYTEA]: (b) => Uint8Array.prototype.slice.call(b),
};
// Types whose binary form is their UTF-8 text: text, varchar, bpchar, name, "char", xml, unknown.
for (const oid of [25, 1043, 1042, 19, 18, 142, 705]) BINARY[oid] = textOfValue;

export function defaultTextParser(oid: number): TextParser | undefined {
  return TEXT[oid];
}

export function defaultBinaryParser(oid: number): BinaryParser | undefined {
  return BINARY[oid];
}
