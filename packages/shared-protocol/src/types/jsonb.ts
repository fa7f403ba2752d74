/**
 * jsonb: the JS value is jsonb's text form as PostgreSQL prints it. Parsing normalises like
 * jsonb_in: object keys ordered by byte length then bytes, duplicate keys keep the last value,
 * numbers become numeric text ('1e2' → 100, '1.50' stays), strings re-escaped minimally, and the
 * spacing '{"a": 1, "b": [1, 2]}'. Binary is a version byte (1) followed by that text.
 */
import type { TypeCodec } from './codec.js';
import { TypeInputError, badBinary } from './errors.js';
import { utf8Decode, utf8Encode } from './binary.js';
import { parseNumeric } from './numeric.js';
import { Oid } from './oids.js';

function syntaxError(detail: string): TypeInputError {
  return new TypeInputError('22P02', 'invalid input syntax for type json', detail);
}

/** escape_json: quote, backslash and control characters escaped; everything else verbatim. */
export function quoteJsonString(s: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 34 && c !== 92) continue;
    out += s.slice(from, i);
    from = i + 1;
    switch (c) {
      case 34:
        out += '\\"';
        break;
      case 92:
        out += '\\\\';
        break;
      case 8:
        out += '\\b';
        break;
      case 12:
        out += '\\f';
        break;
      case 10:
        out += '\\n';
        break;
      case 13:
        out += '\\r';
        break;
      case 9:
        out += '\\t';
        break;
      default:
        out += '\\u' + c.toString(16).padStart(4, '0');
    }
  }
  return out + s.slice(from) + '"';
}

/** Key order of jsonb objects: shorter UTF-8 first, then bytewise. */
function compareKeys(a: string, b: string): number {
  const ea = utf8Encode(a);
  const eb = utf8Encode(b);
  if (ea.length !== eb.length) return ea.length - eb.length;
  for (let i = 0; i < ea.length; i++) if (ea[i] !== eb[i]) return ea[i]! - eb[i]!;
  return 0;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

class JsonbNormaliser {
  private i = 0;
  constructor(private readonly text: string) {}

  run(): string {
    this.skipSpace();
    const out = this.value(0);
    this.skipSpace();
    if (this.i < this.text.length) throw this.unexpected();
    return out;
  }

  private unexpected(): TypeInputError {
    if (this.i >= this.text.length) return syntaxError('The input string ended unexpectedly.');
    const m = /^[A-Za-z0-9_]+|^./su.exec(this.text.slice(this.i));
    return syntaxError(`Token "${m ? m[0] : ''}" is invalid.`);
  }

  private skipSpace(): void {
    const t = this.text;
    while (this.i < t.length) {
      const c = t.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else break;
    }
  }

  private value(depth: number): string {
    if (depth > 6000) throw new TypeInputError('54001', 'stack depth limit exceeded');
    const t = this.text;
    const c = t.charCodeAt(this.i);
    if (c === 123) return this.object(depth);
    if (c === 91) return this.array(depth);
    if (c === 34) return quoteJsonString(this.string());
    if (c === 45 || (c >= 48 && c <= 57)) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (t.startsWith(word, this.i)) {
        const after = t.charCodeAt(this.i + word.length);
        // A literal must not run into more letters or digits ("nullx" is one bad token).
        if (
          !(after >= 48 && after <= 57) &&
          !(after >= 65 && after <= 90) &&
          !(after >= 97 && after <= 122) &&
          after !== 95
        ) {
          this.i += word.length;
          return word;
        }
      }
    }
    throw this.unexpected();
  }

  private number(): string {
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = this.i;
    const found = m.exec(this.text);
    if (!found) throw this.unexpected();
    const end = this.i + found[0].length;
    const next = this.text.charCodeAt(end);
    if (
      (next >= 48 && next <= 57) ||
      (next >= 65 && next <= 90) ||
      (next >= 97 && next <= 122) ||
      next === 46 ||
      next === 95
    ) {
      throw this.unexpected();
    }
    this.i = end;
    return parseNumeric(found[0]);
  }

  /** Reads a string literal, returning its decoded value. */
  private string(): string {
    const t = this.text;
    let i = this.i + 1;
    let out = '';
    let from = i;
    for (;;) {
      if (i >= t.length) throw syntaxError('The input string ended unexpectedly.');
      const c = t.charCodeAt(i);
      if (c === 34) break;
      if (c < 0x20) {
        throw syntaxError(
          `Character with value 0x${c.toString(16).padStart(2, '0')} must be escaped.`,
        );
      }
      if (c !== 92) {
        i++;
        continue;
      }
      out += t.slice(from, i);
      const e = t.charCodeAt(i + 1);
      i += 2;
      switch (e) {
        case 34:
          out += '"';
          break;
        case 92:
          out += '\\';
          break;
        case 47:
          out += '/';
          break;
        case 98:
          out += '\b';
          break;
        case 102:
          out += '\f';
          break;
        case 110:
          out += '\n';
          break;
        case 114:
          out += '\r';
          break;
        case 116:
          out += '\t';
          break;
        case 117: {
          const code = this.hex4(i);
          i += 4;
          if (code === 0) {
            throw new TypeInputError(
              '22P05',
              'unsupported Unicode escape sequence',
              '\\u0000 cannot be converted to text.',
            );
          }
          if (code >= 0xd800 && code <= 0xdbff) {
            if (t.charCodeAt(i) !== 92 || t.charCodeAt(i + 1) !== 117) {
              throw syntaxError('Unicode high surrogate must not follow a high surrogate.');
            }
            const low = this.hex4(i + 2);
            if (low < 0xdc00 || low > 0xdfff) {
              throw syntaxError('Unicode low surrogate must follow a high surrogate.');
            }
            i += 6;
            out += String.fromCharCode(code, low);
          } else if (code >= 0xdc00 && code <= 0xdfff) {
            throw syntaxError('Unicode low surrogate must follow a high surrogate.');
          } else out += String.fromCharCode(code);
          break;
        }
        default:
          throw syntaxError(`Escape sequence "\\${t.charAt(i - 1)}" is invalid.`);
      }
      from = i;
    }
    out += t.slice(from, i);
    this.i = i + 1;
    return out;
  }

  private hex4(at: number): number {
    const h = this.text.slice(at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(h))
      throw syntaxError('"\\u" must be followed by four hexadecimal digits.');
    return parseInt(h, 16);
  }

  private array(depth: number): string {
    this.i++;
    this.skipSpace();
    if (this.text.charCodeAt(this.i) === 93) {
      this.i++;
      return '[]';
    }
    let out = '[';
    for (;;) {
      this.skipSpace();
      out += this.value(depth + 1);
      this.skipSpace();
      const c = this.text.charCodeAt(this.i);
      if (c === 44) {
        out += ', ';
        this.i++;
      } else if (c === 93) {
        this.i++;
        return out + ']';
      } else throw this.unexpected();
    }
  }

  private object(depth: number): string {
    this.i++;
    this.skipSpace();
    if (this.text.charCodeAt(this.i) === 125) {
      this.i++;
      return '{}';
    }
    const members = new Map<string, string>();
    for (;;) {
      this.skipSpace();
      if (this.text.charCodeAt(this.i) !== 34) throw this.unexpected();
      const key = this.string();
      this.skipSpace();
      if (this.text.charCodeAt(this.i) !== 58) throw this.unexpected();
      this.i++;
      this.skipSpace();
      const value = this.value(depth + 1);
      // Keep the last duplicate: delete first so Map order does not matter (we sort anyway).
      members.set(key, value);
      this.skipSpace();
      const c = this.text.charCodeAt(this.i);
      if (c === 44) this.i++;
      else if (c === 125) {
        this.i++;
        break;
      } else throw this.unexpected();
    }
    const keys = [...members.keys()];
    if (keys.every(isAscii)) {
      keys.sort((a, b) =>
        a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0,
      );
    } else keys.sort(compareKeys);
    let out = '{';
    for (let k = 0; k < keys.length; k++) {
      if (k > 0) out += ', ';
      out += quoteJsonString(keys[k]!) + ': ' + members.get(keys[k]!)!;
    }
    return out + '}';
  }
}

/** jsonb_in followed by jsonb_out: the normalised text of a JSON document. */
export function normalizeJsonb(text: string): string {
  return new JsonbNormaliser(text).run();
}

export const jsonbCodec: TypeCodec<string> = {
  oid: Oid.jsonb,
  name: 'jsonb',
  arrayOid: Oid._jsonb,
  fromText: normalizeJsonb,
  toText: normalizeJsonb,
  fromBinary(bytes) {
    if (bytes.length === 0 || bytes[0] !== 1) {
      throw badBinary(`unsupported jsonb version number ${bytes[0] ?? 0}`);
    }
    return normalizeJsonb(utf8Decode(bytes.subarray(1)));
  },
  toBinary(v) {
    const body = utf8Encode(normalizeJsonb(v));
    const out = new Uint8Array(body.length + 1);
    out[0] = 1;
    out.set(body, 1);
    return out;
  },
};
