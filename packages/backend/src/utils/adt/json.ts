/**
 * json and jsonb values. Both travel as text: json as written (validated), jsonb in PostgreSQL's
 * canonical output form (keys deduplicated, last wins, and ordered shorter-first then bytewise;
 * numbers normalized as numeric; `", "` and `": "` separators). The parser keeps each value's
 * source span so json operators can return sub-values exactly as they were written.
 */
import { PgError } from '../errors.js';
import * as numeric from './numeric.js';

export type JsonNode =
  | { kind: 'string'; value: string; raw: string }
  | { kind: 'number'; text: string; raw: string }
  | { kind: 'bool'; value: boolean; raw: string }
  | { kind: 'null'; raw: string }
  | { kind: 'array'; items: JsonNode[]; raw: string }
  | { kind: 'object'; entries: Array<[string, JsonNode]>; raw: string };

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  /** The token at the current position, as PostgreSQL's JSON lexer delimits it. */
  private token(): string {
    const rest = this.s.slice(this.i);
    if (rest.startsWith('"')) {
      const m = /^"(?:[^"\\]|\\.)*"?/s.exec(rest);
      return m ? m[0] : '"';
    }
    const m = /^[A-Za-z0-9+\-.]+/.exec(rest);
    return m ? m[0] : rest.slice(0, 1);
  }

  /** PostgreSQL's error: what was expected, where, with the line up to the bad token. */
  private fail(expected?: string): never {
    const atEnd = this.i >= this.s.length;
    const tok = atEnd ? '' : this.token();
    const detail = atEnd
      ? 'The input string ended unexpectedly.'
      : expected
        ? `Expected ${expected}, but found "${tok}".`
        : `Token "${tok}" is invalid.`;
    const lineStart = this.s.lastIndexOf('\n', this.i - 1) + 1;
    const line = this.s.slice(0, this.i).split('\n').length;
    const upTo = this.i + tok.length;
    const shown = this.s.slice(lineStart, upTo) + (upTo < this.s.length ? '...' : '');
    throw new PgError('22P02', 'invalid input syntax for type json', {
      detail,
      where: `JSON data, line ${line}: ${shown}`,
    });
  }
  private ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i]!)) this.i++;
  }
  all(): JsonNode {
    this.ws();
    const v = this.value('JSON value');
    this.ws();
    if (this.i !== this.s.length) this.fail('end of input');
    return v;
  }
  private isValueStart(): boolean {
    const c = this.s[this.i];
    return c !== undefined && (c === '{' || c === '[' || c === '"' || /[-0-9tfn]/.test(c));
  }
  private value(expected: string): JsonNode {
    const start = this.i;
    const c = this.s[this.i];
    if (c === undefined) this.fail();
    if (c === '{') {
      this.i++;
      const entries: Array<[string, JsonNode]> = [];
      this.ws();
      if (this.s[this.i] === '}') this.i++;
      else {
        let first = true;
        for (;;) {
          this.ws();
          if (this.s[this.i] !== '"') this.fail(first ? 'string or "}"' : 'string');
          first = false;
          const key = this.string();
          this.ws();
          if (this.s[this.i] !== ':') this.fail('":"');
          this.i++;
          this.ws();
          entries.push([key, this.value('JSON value')]);
          this.ws();
          const sep = this.s[this.i];
          if (sep === '}') {
            this.i++;
            break;
          }
          if (sep !== ',') this.fail('"," or "}"');
          this.i++;
        }
      }
      return { kind: 'object', entries, raw: this.s.slice(start, this.i) };
    }
    if (c === '[') {
      this.i++;
      const items: JsonNode[] = [];
      this.ws();
      if (this.s[this.i] === ']') this.i++;
      else {
        let first = true;
        for (;;) {
          this.ws();
          items.push(this.value(first ? 'array element or "]"' : 'JSON value'));
          first = false;
          this.ws();
          const sep = this.s[this.i];
          if (sep === ']') {
            this.i++;
            break;
          }
          if (sep !== ',') this.fail('"," or "]"');
          this.i++;
        }
      }
      return { kind: 'array', items, raw: this.s.slice(start, this.i) };
    }
    if (c === '"') {
      const value = this.string();
      return { kind: 'string', value, raw: this.s.slice(start, this.i) };
    }
    const tok = this.token();
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/.test(tok);
    if (!number && tok !== 'true' && tok !== 'false' && tok !== 'null') {
      if (!this.isValueStart()) this.fail(expected);
      this.fail();
    }
    this.i += tok.length;
    if (tok === 'true' || tok === 'false') return { kind: 'bool', value: tok === 'true', raw: tok };
    if (tok === 'null') return { kind: 'null', raw: tok };
    return { kind: 'number', text: tok, raw: tok };
  }
  private string(): string {
    const start = this.i;
    this.i++;
    while (this.i < this.s.length) {
      const ch = this.s[this.i]!;
      if (ch === '\\') this.i += 2;
      else if (ch === '"') {
        this.i++;
        try {
          return JSON.parse(this.s.slice(start, this.i)) as string;
        } catch {
          this.i = start;
          return this.fail();
        }
      } else if (ch < ' ') {
        return this.fail();
      } else this.i++;
    }
    this.i = this.s.length;
    return this.fail();
  }
}

export function parseJson(text: string): JsonNode {
  return new Parser(text).all();
}

/** PostgreSQL's JSON string escaping (non-ASCII kept, control characters as \uXXXX). */
export function quoteJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

function compareKeys(a: string, b: string): number {
  const la = Buffer.byteLength(a);
  const lb = Buffer.byteLength(b);
  return la !== lb ? la - lb : Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** jsonb's canonical form of a value: keys deduplicated (last wins) and ordered. */
export function normalize(v: JsonNode): JsonNode {
  if (v.kind === 'array') return { ...v, items: v.items.map(normalize) };
  if (v.kind !== 'object') return v;
  const map = new Map<string, JsonNode>();
  for (const [k, val] of v.entries) map.set(k, normalize(val));
  const keys = [...map.keys()].sort(compareKeys);
  return { ...v, entries: keys.map((k) => [k, map.get(k)!]) };
}

/** jsonb output text of a normalized value. */
export function jsonbText(v: JsonNode): string {
  switch (v.kind) {
    case 'string':
      return quoteJsonString(v.value);
    case 'number':
      return numeric.numericIn(v.text);
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'array':
      return '[' + v.items.map(jsonbText).join(', ') + ']';
    case 'object':
      return (
        '{' + v.entries.map(([k, x]) => quoteJsonString(k) + ': ' + jsonbText(x)).join(', ') + '}'
      );
  }
}

/** A jsonb value's text from any JSON text. */
export function toJsonb(text: string): string {
  return jsonbText(normalize(parseJson(text)));
}

/** The text of a value as the `->>` operators return it: strings unquoted, JSON null as NULL. */
export function scalarText(v: JsonNode, jsonb: boolean): string | null {
  if (v.kind === 'string') return v.value;
  if (v.kind === 'null') return null;
  return jsonb ? jsonbText(v) : v.raw;
}

/** The sub-value at one step of a path: an object key, or an array index (negative from the end). */
export function step(v: JsonNode, key: string | number): JsonNode | undefined {
  if (v.kind === 'object' && typeof key === 'string') {
    let hit: JsonNode | undefined;
    for (const [k, x] of v.entries) if (k === key) hit = x;
    return hit;
  }
  if (v.kind === 'array' && typeof key === 'number') {
    const i = key < 0 ? v.items.length + key : key;
    return v.items[i];
  }
  return undefined;
}

/** Containment (jsonb @>): every part of `b` is in `a`, PostgreSQL's rules (arrays as sets). */
export function contains(a: JsonNode, b: JsonNode, top = true): boolean {
  if (a.kind === 'object') {
    if (b.kind !== 'object') return false;
    return b.entries.every(([k, bv]) => {
      const av = step(a, k);
      return av !== undefined && contains(av, bv, false);
    });
  }
  if (a.kind === 'array') {
    // A top-level array contains a bare scalar it holds.
    if (b.kind !== 'array') return top && b.kind !== 'object' && a.items.some((x) => equal(x, b));
    return b.items.every((bv) =>
      a.items.some((av) =>
        bv.kind === 'array' || bv.kind === 'object' ? contains(av, bv, false) : equal(av, bv),
      ),
    );
  }
  return equal(a, b);
}

export function equal(a: JsonNode, b: JsonNode): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'number' && b.kind === 'number')
    return numeric.compare(numeric.numericIn(a.text), numeric.numericIn(b.text)) === 0;
  return jsonbText(normalize(a)) === jsonbText(normalize(b));
}

/** json's compact text (what json functions that rebuild a value print). */
export function compactText(v: JsonNode): string {
  if (v.kind === 'array') return '[' + v.items.map(compactText).join(',') + ']';
  if (v.kind === 'object')
    return (
      '{' + v.entries.map(([k, x]) => quoteJsonString(k) + ':' + compactText(x)).join(',') + '}'
    );
  return v.raw;
}

/** jsonb_pretty's layout: four-space indents, one element per line. */
export function pretty(v: JsonNode, indent = ''): string {
  const inner = indent + '    ';
  if (v.kind === 'array') {
    if (v.items.length === 0) return '[\n' + indent + ']';
    return '[\n' + v.items.map((x) => inner + pretty(x, inner)).join(',\n') + '\n' + indent + ']';
  }
  if (v.kind === 'object') {
    if (v.entries.length === 0) return '{\n' + indent + '}';
    return (
      '{\n' +
      v.entries.map(([k, x]) => inner + quoteJsonString(k) + ': ' + pretty(x, inner)).join(',\n') +
      '\n' +
      indent +
      '}'
    );
  }
  return jsonbText(v);
}
