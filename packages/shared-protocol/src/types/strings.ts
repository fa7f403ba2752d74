/**
 * Character types and others whose value is plain text: text, varchar, bpchar, name (truncated to
 * 63 bytes like PostgreSQL), "char" (one byte), xml, json (validated), refcursor, unknown, cstring.
 * Binary is the UTF-8 bytes (the database and client encoding here is UTF8).
 */
import type { TypeCodec } from './codec.js';
import { TypeInputError, badBinary } from './errors.js';
import { utf8Decode, utf8Encode } from './binary.js';
import { Oid } from './oids.js';

/** A codec whose JS value is the text itself. */
export function makeTextCodec(
  oid: number,
  name: string,
  arrayOid: number,
  validate?: (text: string) => string,
): TypeCodec<string> {
  return {
    oid,
    name,
    arrayOid,
    fromText: validate ?? ((s) => s),
    toText: (v) => v,
    fromBinary: (bytes) => (validate ? validate(utf8Decode(bytes)) : utf8Decode(bytes)),
    toBinary: (v) => utf8Encode(v),
  };
}

export const textCodec = makeTextCodec(Oid.text, 'text', Oid._text);
export const varcharCodec = makeTextCodec(Oid.varchar, 'varchar', Oid._varchar);
export const bpcharCodec = makeTextCodec(Oid.bpchar, 'bpchar', Oid._bpchar);
export const refcursorCodec = makeTextCodec(Oid.refcursor, 'refcursor', Oid._refcursor);
export const unknownCodec = makeTextCodec(Oid.unknown, 'unknown', 0);
export const cstringCodec = makeTextCodec(Oid.cstring, 'cstring', Oid._cstring);
export const xmlCodec = makeTextCodec(Oid.xml, 'xml', Oid._xml);

/** NAMEDATALEN - 1. */
const NAME_MAX_BYTES = 63;

/** namein: silently cut to 63 bytes, never inside a multibyte character. */
export function truncateName(s: string): string {
  if (s.length <= NAME_MAX_BYTES / 3) return s;
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const isPair = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length;
    const n = c < 0x80 ? 1 : c < 0x800 ? 2 : isPair ? 4 : 3;
    if (bytes + n > NAME_MAX_BYTES) return s.slice(0, i);
    bytes += n;
    if (isPair) i++;
  }
  return s;
}

export const nameCodec = makeTextCodec(Oid.name, 'name', Oid._name, truncateName);

/** json_in: the text is kept as is once it is known to be valid JSON. */
export function validateJson(text: string): string {
  try {
    JSON.parse(text);
  } catch {
    throw new TypeInputError('22P02', 'invalid input syntax for type json');
  }
  return text;
}

export const jsonCodec = makeTextCodec(Oid.json, 'json', Oid._json, validateJson);

/**
 * "char": a single byte. The JS value is a string of at most one character whose code is the
 * byte (0–255; '' for the zero byte). Text output writes bytes ≥ 128 as \ooo, as PostgreSQL 15 does.
 */
export const charCodec: TypeCodec<string> = {
  oid: Oid.char,
  name: 'char',
  arrayOid: Oid._char,
  fromText(text) {
    if (text.length === 4 && text.charCodeAt(0) === 92 && /^\\[0-3][0-7][0-7]$/.test(text)) {
      const b = parseInt(text.slice(1), 8);
      return b === 0 ? '' : String.fromCharCode(b);
    }
    if (text.length === 0) return '';
    // The first byte of the UTF-8 form, as charin takes it.
    const b = utf8Encode(text.slice(0, 2))[0]!;
    return b === 0 ? '' : String.fromCharCode(b);
  },
  toText(v) {
    if (v.length === 0) return '';
    const b = v.charCodeAt(0) & 0xff;
    if (b < 0x80) return String.fromCharCode(b);
    return '\\' + b.toString(8).padStart(3, '0');
  },
  fromBinary(bytes) {
    if (bytes.length > 1) throw badBinary();
    const b = bytes.length === 0 ? 0 : bytes[0]!;
    return b === 0 ? '' : String.fromCharCode(b);
  },
  toBinary(v) {
    return Uint8Array.of(v.length === 0 ? 0 : v.charCodeAt(0) & 0xff);
  },
};
