/**
 * String functions beyond the basics in functions.ts: regular-expression functions
 * (regexp_replace/match/matches/split/count/substr, substring … FROM pattern / SIMILAR), overlay,
 * string_to_array, format, quote_*, concat_ws, initcap, translate, starts_with, ascii/chr, to_hex,
 * bit_length and the SHA-2 digests — with PostgreSQL's results and error messages.
 */
import { createHash } from 'node:crypto';
import { PgError } from '../utils/errors.js';
import { T, typeByOid, type Value } from '../utils/adt/types.js';
import { expandReplacement, pgRegExp, regexpFlags } from '../utils/adt/regexp.js';
import { quoteIdent } from './deparse.js';
import type { BuiltinFunction } from './functions.js';
import type { EvalContext } from './primnodes.js';

const chars = (s: string): string[] => [...s];

/** Argument types of the call being evaluated (set by the analyzer for "any" arguments). */
function argType(ctx: EvalContext, i: number): number {
  return (ctx as EvalContext & { argTypes?: number[] }).argTypes?.[i] ?? T.text;
}

function asText(v: Value, type: number, ctx: EvalContext): string {
  return typeof v === 'string' && (type === T.text || type === T.varchar || type === T.unknown)
    ? v
    : typeByOid(type).output(v, ctx.session.format);
}

export function quoteLiteral(s: string): string {
  // A backslash makes PostgreSQL write an E'' literal with the backslashes doubled.
  const body = s.replace(/'/g, "''");
  return s.includes('\\') ? `E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}

/** substring(text FROM pattern): the first parenthesized group's match, else the whole match. */
function regexSubstring(s: string, pattern: string): Value {
  const m = pgRegExp(pattern).exec(s);
  if (!m) return null;
  if (m.length > 1) return m[1] ?? null;
  return m[0];
}

/** SQL SIMILAR TO pattern → an anchored regular expression (with `escape` as its escape). */
export function similarToRegExp(pattern: string, escape: string | null): string {
  let out = '';
  let inBracket = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (escape !== null && c === escape && escape !== '') {
      const n = pattern[i + 1];
      i++;
      if (n === undefined)
        throw new PgError('2201B', 'invalid regular expression: trailing escape');
      // escape + '"' delimits the part substring(… SIMILAR …) returns.
      out += n === '"' ? '\u0000' : n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    if (inBracket) {
      out += c;
      if (c === ']') inBracket = false;
      continue;
    }
    if (c === '[') {
      inBracket = true;
      out += c;
    } else if (c === '%') out += '.*';
    else if (c === '_') out += '.';
    else if (c === '.' || c === '^' || c === '$') out += '\\' + c;
    else out += c;
  }
  return out;
}

function similarSubstring(s: string, pattern: string, escape: string | null): Value {
  const re = similarToRegExp(pattern, escape);
  const parts = re.split('\u0000');
  if (parts.length !== 1 && parts.length !== 3)
    throw new PgError(
      '2201B',
      'SQL regular expression may not contain more than two escape-double-quote separators',
    );
  const source =
    parts.length === 3 ? `^(?:${parts[0]})(${parts[1]})(?:${parts[2]})$` : `^(?:${parts[0]})$`;
  const m = new RegExp(source, 'su').exec(s);
  if (!m) return null;
  return parts.length === 3 ? (m[1] ?? null) : m[0];
}

function regexpReplace(src: string, pattern: string, repl: string, flags: string): string {
  const f = regexpFlags(flags, 'regexp_replace');
  const re = pgRegExp(pattern, f.js + 'g');
  let out = '';
  let last = 0;
  for (const m of src.matchAll(re)) {
    out += src.slice(last, m.index) + expandReplacement(repl, m);
    last = m.index + m[0].length;
    if (!f.global) break;
  }
  return out + src.slice(last);
}

/** A match as regexp_match(es) return it: the groups, or the whole match when there are none. */
function matchArray(m: RegExpMatchArray): Value[] {
  return m.length > 1 ? m.slice(1).map((g) => g ?? null) : [m[0]];
}

function* regexpMatches(src: string, pattern: string, flags: string): Generator<Value> {
  const f = regexpFlags(flags, 'regexp_matches');
  const re = pgRegExp(pattern, f.js + 'g');
  for (const m of src.matchAll(re)) {
    yield matchArray(m);
    if (!f.global) return;
  }
}

function regexpSplit(src: string, pattern: string, flags: string, fn: string): string[] {
  const f = regexpFlags(flags, fn, false);
  const re = pgRegExp(pattern, f.js + 'g');
  const out: string[] = [];
  let last = 0;
  for (const m of src.matchAll(re)) {
    // Empty matches at the start or end, or right after the previous match, split nothing.
    if (m[0].length === 0 && (m.index === 0 || m.index >= src.length || m.index === last)) continue;
    out.push(src.slice(last, m.index));
    last = m.index + m[0].length;
  }
  out.push(src.slice(last));
  return out;
}

function stringToArray(s: string, delimiter: string | null, nullString: string | null): Value[] {
  if (s === '') return [];
  let parts: string[];
  if (delimiter === null) parts = chars(s);
  else if (delimiter === '') parts = [s];
  else parts = s.split(delimiter);
  return parts.map((p) => (nullString !== null && p === nullString ? null : p));
}

/** format(): %[position$][-][width]{s,I,L} and %%. */
function format(fmt: string, args: Value[], types: number[], ctx: EvalContext): string {
  let out = '';
  let next = 0;
  const fetch = (pos: number | undefined): [Value, number] => {
    const i = pos ?? next;
    if (i >= args.length) throw new PgError('22023', 'too few arguments for format()');
    next = i + 1;
    return [args[i] ?? null, types[i] ?? T.text];
  };
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    const m = /^%(?:(\d+)\$)?(-)?(\d+|\*(?:\d+\$)?)?([a-zA-Z%])?/.exec(fmt.slice(i));
    if (!m || m[4] === undefined)
      throw new PgError('22023', 'unterminated format() type specifier', {
        hint: 'For a single "%" use "%%".',
      });
    i += m[0].length - 1;
    const type = m[4];
    if (type === '%') {
      out += '%';
      continue;
    }
    if (type !== 's' && type !== 'I' && type !== 'L')
      throw new PgError('22023', `unrecognized format() type specifier "${type}"`, {
        hint: 'For a single "%" use "%%".',
      });
    let width = 0;
    let left = m[2] === '-';
    if (m[3] !== undefined) {
      if (m[3].startsWith('*')) {
        const pos = m[3].length > 1 ? Number(m[3].slice(1, -1)) - 1 : undefined;
        const [w] = fetch(pos);
        width = w === null ? 0 : Number(w);
        if (width < 0) {
          left = true;
          width = -width;
        }
      } else width = Number(m[3]);
    }
    const position = m[1] !== undefined ? Number(m[1]) - 1 : undefined;
    if (position !== undefined && position < 0)
      throw new PgError('22023', 'format specifies argument 0, but arguments are numbered from 1');
    const [v, t] = fetch(position);
    let text: string;
    if (type === 's') text = v === null ? '' : asText(v, t, ctx);
    else if (type === 'I') {
      if (v === null)
        throw new PgError('22004', 'null values cannot be formatted as an SQL identifier');
      text = quoteIdent(asText(v, t, ctx));
    } else text = v === null ? 'NULL' : quoteLiteral(asText(v, t, ctx));
    const n = chars(text).length;
    if (n < width) text = left ? text + ' '.repeat(width - n) : ' '.repeat(width - n) + text;
    out += text;
  }
  return out;
}

/** LIKE … ESCAPE e: the pattern rewritten to use backslash as its escape ('' = no escape). */
function likeEscape(pattern: string, escape: string): string {
  const e = chars(escape);
  if (e.length > 1)
    throw new PgError('22019', 'invalid escape string', {
      hint: 'Escape string must be empty or one character.',
    });
  let out = '';
  const p = chars(pattern);
  for (let i = 0; i < p.length; i++) {
    const ch = p[i]!;
    if (e.length === 0) out += ch === '\\' ? '\\\\' : ch;
    else if (ch === e[0]) {
      const n = p[++i];
      if (n === undefined)
        throw new PgError('22025', 'LIKE pattern must not end with escape character');
      out += '\\' + n;
    } else if (ch === '\\') out += '\\\\';
    else out += ch;
  }
  return out;
}

function initcap(s: string): string {
  let out = '';
  let inWord = false;
  for (const ch of s) {
    const alnum = /[\p{L}\p{N}]/u.test(ch);
    out += alnum ? (inWord ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    inWord = alnum;
  }
  return out;
}

function translateChars(s: string, from: string, to: string): string {
  const f = chars(from);
  const t = chars(to);
  let out = '';
  for (const ch of s) {
    const i = f.indexOf(ch);
    if (i < 0) out += ch;
    else if (i < t.length) out += t[i];
  }
  return out;
}

function overlay(s: string, repl: string, from: number, count: number | undefined): string {
  const c = chars(s);
  const n = count ?? chars(repl).length;
  if (from < 1) throw new PgError('22011', 'negative substring length not allowed');
  if (n < 0) throw new PgError('22011', 'negative substring length not allowed');
  return c.slice(0, from - 1).join('') + repl + c.slice(from - 1 + n).join('');
}

function toHex(v: number | bigint, bits: 32 | 64): string {
  const big = BigInt(v);
  return (big < 0n ? big + (1n << BigInt(bits)) : big).toString(16);
}

function encodeBytes(b: Uint8Array, format: string): string {
  const buf = Buffer.from(b);
  switch (format.toLowerCase()) {
    case 'hex':
      return buf.toString('hex');
    case 'base64':
      // PostgreSQL breaks base64 output into lines of 76 characters.
      return (buf.toString('base64').match(/.{1,76}/g) ?? []).join('\n');
    case 'escape': {
      let out = '';
      for (const byte of buf) {
        if (byte === 0x5c) out += '\\\\';
        else if (byte === 0 || byte > 0x7f) out += '\\' + byte.toString(8).padStart(3, '0');
        else out += String.fromCharCode(byte);
      }
      return out;
    }
    default:
      throw new PgError('22023', `unrecognized encoding: "${format}"`);
  }
}

function decodeText(s: string, format: string): Uint8Array {
  switch (format.toLowerCase()) {
    case 'hex': {
      const clean = s.replace(/\s+/g, '');
      if (!/^[0-9a-fA-F]*$/.test(clean))
        throw new PgError(
          '22023',
          `invalid hexadecimal digit: "${/[^0-9a-fA-F]/.exec(clean)![0]}"`,
        );
      if (clean.length % 2 === 1)
        throw new PgError('22023', 'invalid hexadecimal data: odd number of digits');
      return new Uint8Array(Buffer.from(clean, 'hex'));
    }
    case 'base64': {
      const clean = s.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean))
        throw new PgError('22023', 'invalid symbol found while decoding base64 sequence');
      return new Uint8Array(Buffer.from(clean, 'base64'));
    }
    case 'escape': {
      const out: number[] = [];
      const bytes = Buffer.from(s, 'utf8');
      for (let i = 0; i < bytes.length; i++) {
        const c = bytes[i]!;
        if (c !== 0x5c) {
          out.push(c);
          continue;
        }
        if (bytes[i + 1] === 0x5c) {
          out.push(0x5c);
          i++;
          continue;
        }
        const oct = bytes.subarray(i + 1, i + 4).toString('latin1');
        if (!/^[0-3][0-7]{2}$/.test(oct))
          throw new PgError('22P02', 'invalid input syntax for type bytea');
        out.push(parseInt(oct, 8));
        i += 3;
      }
      return new Uint8Array(out);
    }
    default:
      throw new PgError('22023', `unrecognized encoding: "${format}"`);
  }
}

function digest(algorithm: string): (a: Value[]) => Value {
  return (a) =>
    new Uint8Array(
      createHash(algorithm)
        .update(a[0] as Uint8Array)
        .digest(),
    );
}

export function stringFunctions(): BuiltinFunction[] {
  const text = T.text;
  const textArray = typeByOid(T.text).arrayOid;
  const fns: BuiltinFunction[] = [
    {
      name: 'bit_length',
      args: [text],
      result: T.int4,
      impl: (a) => Buffer.byteLength(a[0] as string, 'utf8') * 8,
    },
    {
      name: 'substring',
      args: [text, text],
      result: text,
      impl: (a) => regexSubstring(a[0] as string, a[1] as string),
    },
    {
      // substring(s SIMILAR p ESCAPE e)
      name: 'substring',
      args: [text, text, text],
      result: text,
      impl: (a) => similarSubstring(a[0] as string, a[1] as string, a[2] as string),
    },
    {
      name: 'similar_to_escape',
      args: [text],
      result: text,
      impl: (a) => `^(?:${similarToRegExp(a[0] as string, '\\')})$`,
    },
    {
      name: 'similar_to_escape',
      args: [text, text],
      result: text,
      impl: (a) => `^(?:${similarToRegExp(a[0] as string, a[1] as string)})$`,
    },
    {
      name: 'overlay',
      args: [text, text, T.int4],
      result: text,
      impl: (a) => overlay(a[0] as string, a[1] as string, a[2] as number, undefined),
    },
    {
      name: 'overlay',
      args: [text, text, T.int4, T.int4],
      result: text,
      impl: (a) => overlay(a[0] as string, a[1] as string, a[2] as number, a[3] as number),
    },
    {
      name: 'string_to_array',
      args: [text, text],
      result: textArray,
      strict: false,
      impl: (a) =>
        a[0] === null ? null : stringToArray(a[0] as string, a[1] as string | null, null),
    },
    {
      name: 'string_to_array',
      args: [text, text, text],
      result: textArray,
      strict: false,
      impl: (a) =>
        a[0] === null
          ? null
          : stringToArray(a[0] as string, a[1] as string | null, a[2] as string | null),
    },
    {
      name: 'regexp_replace',
      args: [text, text, text],
      result: text,
      impl: (a) => regexpReplace(a[0] as string, a[1] as string, a[2] as string, ''),
    },
    {
      name: 'regexp_replace',
      args: [text, text, text, text],
      result: text,
      impl: (a) => regexpReplace(a[0] as string, a[1] as string, a[2] as string, a[3] as string),
    },
    ...[2, 3].map((n): BuiltinFunction => ({
      name: 'regexp_match',
      args: n === 2 ? [text, text] : [text, text, text],
      result: textArray,
      impl: (a) => {
        const f = regexpFlags((a[2] as string | undefined) ?? '', 'regexp_match', false);
        const m = pgRegExp(a[1] as string, f.js).exec(a[0] as string);
        return m ? matchArray(m) : null;
      },
    })),
    ...[2, 3].map((n): BuiltinFunction => ({
      name: 'regexp_matches',
      args: n === 2 ? [text, text] : [text, text, text],
      result: textArray,
      impl: () => null,
      srf: (a) =>
        a.some((v) => v === null)
          ? []
          : regexpMatches(a[0] as string, a[1] as string, (a[2] as string | undefined) ?? ''),
    })),
    ...[2, 3].map((n): BuiltinFunction => ({
      name: 'regexp_split_to_table',
      args: n === 2 ? [text, text] : [text, text, text],
      result: text,
      impl: () => null,
      srf: (a) =>
        a.some((v) => v === null)
          ? []
          : regexpSplit(
              a[0] as string,
              a[1] as string,
              (a[2] as string | undefined) ?? '',
              'regexp_split_to_table',
            ),
    })),
    ...[2, 3].map((n): BuiltinFunction => ({
      name: 'regexp_split_to_array',
      args: n === 2 ? [text, text] : [text, text, text],
      result: textArray,
      impl: (a) =>
        regexpSplit(
          a[0] as string,
          a[1] as string,
          (a[2] as string | undefined) ?? '',
          'regexp_split_to_array',
        ),
    })),
    {
      name: 'regexp_count',
      args: [text, text],
      result: T.int4,
      impl: (a) => [...(a[0] as string).matchAll(pgRegExp(a[1] as string, 'g'))].length,
    },
    ...[
      [text, text],
      [text, text, text],
    ].map((args) => ({
      name: 'regexp_like',
      args,
      result: T.bool,
      impl: (a: Value[]): Value => {
        const flags = (a[2] as string | undefined) ?? '';
        if (flags.includes('g'))
          throw new PgError('22023', 'regexp_like() does not support the "global" option');
        // The last of i (case-insensitive) and c (case-sensitive) wins, as in PostgreSQL.
        const insensitive = flags.lastIndexOf('i') > flags.lastIndexOf('c');
        return pgRegExp(a[1] as string, insensitive ? 'i' : '').test(a[0] as string);
      },
    })),
    {
      name: 'regexp_instr',
      args: [text, text],
      result: T.int4,
      impl: (a) => {
        const s = a[0] as string;
        const m = pgRegExp(a[1] as string).exec(s);
        // Positions count characters, not UTF-16 units.
        return m ? [...s.slice(0, m.index)].length + 1 : 0;
      },
    },
    {
      name: 'regexp_substr',
      args: [text, text],
      result: text,
      impl: (a) => pgRegExp(a[1] as string).exec(a[0] as string)?.[0] ?? null,
    },
    {
      name: 'format',
      args: [text],
      variadic: T.unknown,
      result: text,
      strict: false,
      impl: (a, c) => {
        if (a[0] === null) return null;
        const rest = a.slice(1);
        return format(
          a[0] as string,
          rest,
          rest.map((_v, i) => argType(c, i + 1)),
          c,
        );
      },
    },
    { name: 'quote_ident', args: [text], result: text, impl: (a) => quoteIdent(a[0] as string) },
    {
      name: 'quote_literal',
      args: [T.unknown],
      result: text,
      impl: (a, c) => quoteLiteral(asText(a[0]!, argType(c, 0), c)),
    },
    {
      name: 'quote_nullable',
      args: [T.unknown],
      result: text,
      strict: false,
      impl: (a, c) => (a[0] === null ? 'NULL' : quoteLiteral(asText(a[0]!, argType(c, 0), c))),
    },
    {
      name: 'concat_ws',
      args: [text],
      variadic: T.unknown,
      result: text,
      strict: false,
      impl: (a, c) => {
        if (a[0] === null) return null;
        const parts: string[] = [];
        for (let i = 1; i < a.length; i++)
          if (a[i] !== null) parts.push(asText(a[i]!, argType(c, i), c));
        return parts.join(a[0] as string);
      },
    },
    { name: 'initcap', args: [text], result: text, impl: (a) => initcap(a[0] as string) },
    {
      name: 'translate',
      args: [text, text, text],
      result: text,
      impl: (a) => translateChars(a[0] as string, a[1] as string, a[2] as string),
    },
    {
      name: 'starts_with',
      args: [text, text],
      result: T.bool,
      impl: (a) => (a[0] as string).startsWith(a[1] as string),
    },
    {
      name: 'ascii',
      args: [text],
      result: T.int4,
      impl: (a) => (a[0] as string).codePointAt(0) ?? 0,
    },
    {
      name: 'chr',
      args: [T.int4],
      result: text,
      impl: (a) => {
        const n = a[0] as number;
        if (n === 0) throw new PgError('54000', 'null character not permitted');
        if (n < 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff))
          throw new PgError('54000', `requested character too large for encoding: ${n}`);
        return String.fromCodePoint(n);
      },
    },
    { name: 'to_hex', args: [T.int4], result: text, impl: (a) => toHex(a[0] as number, 32) },
    { name: 'to_hex', args: [T.int8], result: text, impl: (a) => toHex(a[0] as bigint, 64) },
    { name: 'sha224', args: [T.bytea], result: T.bytea, impl: digest('sha224') },
    { name: 'sha256', args: [T.bytea], result: T.bytea, impl: digest('sha256') },
    { name: 'sha384', args: [T.bytea], result: T.bytea, impl: digest('sha384') },
    { name: 'sha512', args: [T.bytea], result: T.bytea, impl: digest('sha512') },
    {
      name: 'md5',
      args: [T.bytea],
      result: text,
      impl: (a) =>
        createHash('md5')
          .update(a[0] as Uint8Array)
          .digest('hex'),
    },
    {
      name: 'encode',
      args: [T.bytea, text],
      result: text,
      impl: (a) => encodeBytes(a[0] as Uint8Array, a[1] as string),
    },
    {
      name: 'decode',
      args: [text, text],
      result: T.bytea,
      impl: (a) => decodeText(a[0] as string, a[1] as string),
    },
    {
      name: 'like_escape',
      args: [text, text],
      result: text,
      impl: (a) => likeEscape(a[0] as string, a[1] as string),
    },
  ];
  return fns;
}
