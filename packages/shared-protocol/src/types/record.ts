/**
 * record (anonymous composite values, ROW(…)): text '(1,"a b",,"x""y")' and record_send's binary
 * (column count, then per column its type OID and length-prefixed send() bytes). A field is
 * { oid, value }. Text carries no types, so fields read from text have oid 0 and the raw text
 * (or null); binary fields are decoded with the field type's codec when there is one, else kept
 * as bytes. Writing uses the field type's codec when `oid` has one, else the value as text/bytes.
 */
import type { TypeCodec } from './codec.js';
import type { TypeSettings } from './settings.js';
import { TypeInputError, badBinary } from './errors.js';
import { isPgSpace, readInt32, utf8Encode, writeInt32 } from './binary.js';
import { Oid } from './oids.js';

export interface RecordField {
  /** The field's type OID; 0 when unknown (fields read from text). */
  oid: number;
  value: unknown;
}

/** Lets record reach the registry without an import cycle. */
export type CodecLookup = (oid: number) => TypeCodec | undefined;

function malformed(text: string, detail: string): TypeInputError {
  return new TypeInputError('22P02', `malformed record literal: "${text}"`, detail);
}

function needsQuotes(s: string): boolean {
  if (s.length === 0) return true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 92 || c === 40 || c === 41 || c === 44 || isPgSpace(c)) return true;
  }
  return false;
}

/** record_out: quotes and backslashes are doubled inside quotes. */
function quote(s: string): string {
  return '"' + s.replace(/["\\]/g, (m) => m + m) + '"';
}

function fieldText(f: RecordField, lookup: CodecLookup, settings?: TypeSettings): string | null {
  if (f.value === null || f.value === undefined) return null;
  const codec = f.oid === 0 ? undefined : lookup(f.oid);
  if (codec) return codec.toText(f.value, settings);
  if (typeof f.value === 'string') return f.value;
  throw new TypeError(`record field of type ${f.oid} has no text codec`);
}

export function formatRecord(
  fields: RecordField[],
  lookup: CodecLookup,
  settings?: TypeSettings,
): string {
  let out = '(';
  fields.forEach((f, i) => {
    if (i > 0) out += ',';
    const s = fieldText(f, lookup, settings);
    if (s !== null) out += needsQuotes(s) ? quote(s) : s;
  });
  return out + ')';
}

/** record_in's syntax, fields kept as text. */
export function parseRecord(text: string): RecordField[] {
  let i = 0;
  const len = text.length;
  while (i < len && isPgSpace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 40) throw malformed(text, 'Missing left parenthesis.');
  i++;
  const fields: RecordField[] = [];
  for (;;) {
    let s = '';
    let isNull = true;
    let inQuotes = false;
    for (;;) {
      if (i >= len) throw malformed(text, 'Unexpected end of input.');
      const c = text.charCodeAt(i);
      if (inQuotes) {
        if (c === 34) {
          if (text.charCodeAt(i + 1) === 34) {
            s += '"';
            i += 2;
          } else {
            inQuotes = false;
            i++;
          }
        } else if (c === 92) {
          if (i + 1 >= len) throw malformed(text, 'Unexpected end of input.');
          s += text[i + 1];
          i += 2;
        } else {
          s += text[i];
          i++;
        }
        continue;
      }
      if (c === 44 || c === 41) break;
      isNull = false;
      if (c === 34) inQuotes = true;
      else if (c === 92) {
        if (i + 1 >= len) throw malformed(text, 'Unexpected end of input.');
        s += text[i + 1];
        i++;
      } else s += text[i];
      i++;
    }
    fields.push({ oid: 0, value: isNull ? null : s });
    if (text.charCodeAt(i) === 41) {
      i++;
      break;
    }
    i++;
  }
  while (i < len && isPgSpace(text.charCodeAt(i))) i++;
  if (i !== len) throw malformed(text, 'Junk after right parenthesis.');
  return fields;
}

export function recordToBinary(fields: RecordField[], lookup: CodecLookup): Uint8Array {
  const parts: (Uint8Array | null)[] = fields.map((f) => {
    if (f.value === null || f.value === undefined) return null;
    const codec = f.oid === 0 ? undefined : lookup(f.oid);
    if (codec) return codec.toBinary(f.value);
    if (f.value instanceof Uint8Array) return f.value;
    if (typeof f.value === 'string') return utf8Encode(f.value);
    throw new TypeError(`record field of type ${f.oid} has no binary codec`);
  });
  const total = 4 + parts.reduce((n, p) => n + 8 + (p?.length ?? 0), 0);
  const out = new Uint8Array(total);
  writeInt32(out, 0, fields.length);
  let at = 4;
  fields.forEach((f, k) => {
    const p = parts[k] ?? null;
    writeInt32(out, at, f.oid);
    writeInt32(out, at + 4, p === null ? -1 : p.length);
    if (p !== null) out.set(p, at + 8);
    at += 8 + (p?.length ?? 0);
  });
  return out;
}

export function recordFromBinary(bytes: Uint8Array, lookup: CodecLookup): RecordField[] {
  if (bytes.length < 4) throw badBinary('insufficient data left in message');
  const n = readInt32(bytes, 0);
  if (n < 0) throw badBinary(`invalid number of columns: ${n}`);
  const fields: RecordField[] = [];
  let at = 4;
  for (let k = 0; k < n; k++) {
    if (at + 8 > bytes.length) throw badBinary('insufficient data left in message');
    const oid = readInt32(bytes, at) >>> 0;
    const len = readInt32(bytes, at + 4);
    at += 8;
    if (len === -1) {
      fields.push({ oid, value: null });
      continue;
    }
    if (len < 0 || at + len > bytes.length) throw badBinary('insufficient data left in message');
    const raw = bytes.subarray(at, at + len);
    const codec = lookup(oid);
    fields.push({ oid, value: codec ? codec.fromBinary(raw) : raw.slice() });
    at += len;
  }
  if (at !== bytes.length) throw badBinary();
  return fields;
}

export function makeRecordCodec(lookup: CodecLookup): TypeCodec<RecordField[]> {
  return {
    oid: Oid.record,
    name: 'record',
    arrayOid: Oid._record,
    fromText: parseRecord,
    toText: (v, settings) => formatRecord(v, lookup, settings),
    fromBinary: (bytes) => recordFromBinary(bytes, lookup),
    toBinary: (v) => recordToBinary(v, lookup),
  };
}
