/**
 * Parser for libpq's `key=value` connection strings ("host=db port=5433 dbname='my db'").
 *
 * Rules (as libpq's conninfo_parse): whitespace separates pairs and may surround '='; a value is
 * either single-quoted (a backslash escapes the next character, the quote ends it) or bare (ends
 * at whitespace, a backslash escapes the next character). Unknown keywords are errors.
 */
import { optionsError } from '../errors.js';
import { optionSpec, type OptionValues } from './keywords.js';

function isSpace(c: string | undefined): boolean {
  // libpq uses isspace(): space, \t, \n, \v, \f, \r.
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

/** Parses a key=value string into option values (last occurrence of a keyword wins). */
export function parseKeyValueString(input: string): OptionValues {
  const out: OptionValues = new Map();
  let i = 0;
  const n = input.length;
  while (i < n) {
    while (i < n && isSpace(input[i])) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && input[i] !== '=' && !isSpace(input[i])) i++;
    const key = input.slice(keyStart, i);
    while (i < n && isSpace(input[i])) i++;
    if (input[i] !== '=') {
      throw optionsError(`missing "=" after "${key}" in connection info string`);
    }
    i++;
    while (i < n && isSpace(input[i])) i++;
    let value = '';
    if (input[i] === "'") {
      i++;
      for (;;) {
        if (i >= n) throw optionsError('unterminated quoted string in connection info string');
        const c = input[i]!;
        if (c === '\\') {
          i++;
          if (i >= n) throw optionsError('unterminated quoted string in connection info string');
          value += input[i];
          i++;
        } else if (c === "'") {
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
    } else {
      while (i < n && !isSpace(input[i])) {
        if (input[i] === '\\') {
          // A backslash escapes the next character; a trailing one is dropped.
          i++;
          if (i >= n) break;
        }
        value += input[i];
        i++;
      }
    }
    if (!optionSpec(key)) throw optionsError(`invalid connection option "${key}"`);
    out.set(key, value);
  }
  return out;
}

/** Quotes a value for a key=value string so that parseKeyValueString reads it back exactly. */
export function quoteKeyValue(value: string): string {
  if (value !== '' && !/[\s'\\]/.test(value)) return value;
  return `'${value.replace(/[\\']/g, (c) => '\\' + c)}'`;
}

/** Builds a key=value string from option values (the inverse of parseKeyValueString). */
export function formatKeyValueString(values: Iterable<[string, string]>): string {
  const parts: string[] = [];
  for (const [k, v] of values) parts.push(`${k}=${quoteKeyValue(v)}`);
  return parts.join(' ');
}
