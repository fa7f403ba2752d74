/**
 * boolean: text 't'/'f' out; in, any unambiguous prefix of true/false/yes/no, 'on'/'off', '1'/'0'
 * (PostgreSQL's parse_bool); binary one byte.
 */
import type { TypeCodec } from './codec.js';
import { invalidSyntax } from './errors.js';
import { expectLength, isPgSpace } from './binary.js';
import { Oid } from './oids.js';

function isPrefixOf(word: string, full: string, minLength: number): boolean {
  return word.length >= minLength && word.length <= full.length && full.startsWith(word);
}

export function parseBool(text: string): boolean {
  // Fast path for PostgreSQL's own output.
  if (text === 't') return true;
  if (text === 'f') return false;
  let start = 0;
  let end = text.length;
  while (start < end && isPgSpace(text.charCodeAt(start))) start++;
  while (end > start && isPgSpace(text.charCodeAt(end - 1))) end--;
  const word = text.slice(start, end).toLowerCase();
  switch (word.charAt(0)) {
    case 't':
      if (isPrefixOf(word, 'true', 1)) return true;
      break;
    case 'f':
      if (isPrefixOf(word, 'false', 1)) return false;
      break;
    case 'y':
      if (isPrefixOf(word, 'yes', 1)) return true;
      break;
    case 'n':
      if (isPrefixOf(word, 'no', 1)) return false;
      break;
    case 'o':
      // "o" alone is ambiguous between on and off.
      if (isPrefixOf(word, 'on', 2)) return true;
      if (isPrefixOf(word, 'off', 2)) return false;
      break;
    case '1':
      if (word.length === 1) return true;
      break;
    case '0':
      if (word.length === 1) return false;
      break;
  }
  throw invalidSyntax('boolean', text);
}

const TRUE_BYTES = Uint8Array.of(1);
const FALSE_BYTES = Uint8Array.of(0);

export const boolCodec: TypeCodec<boolean> = {
  oid: Oid.bool,
  name: 'bool',
  arrayOid: Oid._bool,
  fromText: parseBool,
  toText: (v) => (v ? 't' : 'f'),
  fromBinary(bytes) {
    expectLength(bytes, 1);
    return bytes[0] !== 0;
  },
  toBinary: (v) => (v ? TRUE_BYTES.slice() : FALSE_BYTES.slice()),
};
