/**
 * Text forms of bool, bytea, uuid, json and jsonb as PostgreSQL reads and writes them.
 * json keeps its input text; jsonb is kept as its canonical text (keys sorted by length then bytes,
 * duplicates resolved last-wins, ", " / ": " spacing), with numbers kept as written.
 */
import { PgError } from '../errors.js';

export function boolIn(text: string): boolean {
  const v = text.trim().toLowerCase();
  const ok = (word: string, min: number): boolean => v.length >= min && word.startsWith(v);
  if (v === '1' || ok('true', 1) || ok('yes', 1) || v === 'on') return true;
  if (v === '0' || ok('false', 1) || ok('no', 1) || ok('off', 2)) return false;
  throw new PgError('22P02', `invalid input syntax for type boolean: "${text}"`);
}

export function byteaIn(text: string): Uint8Array {
  if (text.startsWith('\\x')) {
    const hex = text.slice(2).replace(/\s+/g, '');
    if (hex.length % 2 !== 0)
      throw new PgError('22P02', 'invalid hexadecimal data: odd number of digits');
    const bad = /[^0-9a-fA-F]/.exec(hex);
    if (bad) throw new PgError('22P02', `invalid hexadecimal digit: "${bad[0]}"`);
    return Buffer.from(hex, 'hex');
  }
  const out: number[] = [];
  for (let i = 0; i < text.length;) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) {
      if (text[i + 1] === '\\') {
        out.push(0x5c);
        i += 2;
      } else if (/^[0-3][0-7]{2}$/.test(text.slice(i + 1, i + 4))) {
        out.push(parseInt(text.slice(i + 1, i + 4), 8));
        i += 4;
      } else {
        throw new PgError('22P02', 'invalid input syntax for type bytea');
      }
    } else {
      for (const b of Buffer.from(text[i] ?? '', 'utf8')) out.push(b);
      i++;
    }
  }
  return Uint8Array.from(out);
}

export function byteaOut(v: Uint8Array, style: string): string {
  if (style === 'escape') {
    let s = '';
    for (const b of v) {
      if (b === 0x5c) s += '\\\\';
      else if (b < 0x20 || b > 0x7e) s += '\\' + b.toString(8).padStart(3, '0');
      else s += String.fromCharCode(b);
    }
    return s;
  }
  return '\\x' + Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
}

export function uuidIn(text: string): string {
  let t = text.trim();
  if (t.startsWith('{') && t.endsWith('}')) t = t.slice(1, -1);
  const hex = t.replace(/-/g, '');
  // PostgreSQL accepts hyphens only after groups of four hex digits; be as strict on the shape.
  if (!/^[0-9a-fA-F]{32}$/.test(hex) || /--|^-|-$/.test(t)) {
    throw new PgError('22P02', `invalid input syntax for type uuid: "${text}"`);
  }
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/* JSON ------------------------------------------------------------------------------------------ */

type JsonValue =
  | { kind: 'scalar'; text: string }
  | { kind: 'array'; items: JsonValue[] }
  | { kind: 'object'; entries: Array<[string, JsonValue]> };

class JsonParser {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly typeName: string,
  ) {}

  fail(): never {
    throw new PgError('22P02', `invalid input syntax for type ${this.typeName}`);
  }
  ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i] ?? '')) this.i++;
  }
  parseAll(): JsonValue {
    this.ws();
    const v = this.value();
    this.ws();
    if (this.i !== this.s.length) this.fail();
    return v;
  }
  value(): JsonValue {
    const c = this.s[this.i];
    if (c === '{') {
      this.i++;
      const entries: Array<[string, JsonValue]> = [];
      this.ws();
      if (this.s[this.i] === '}') {
        this.i++;
        return { kind: 'object', entries };
      }
      for (;;) {
        this.ws();
        if (this.s[this.i] !== '"') this.fail();
        const key = JSON.parse(this.stringToken()) as string;
        this.ws();
        if (this.s[this.i++] !== ':') this.fail();
        this.ws();
        entries.push([key, this.value()]);
        this.ws();
        const sep = this.s[this.i++];
        if (sep === '}') return { kind: 'object', entries };
        if (sep !== ',') this.fail();
      }
    }
    if (c === '[') {
      this.i++;
      const items: JsonValue[] = [];
      this.ws();
      if (this.s[this.i] === ']') {
        this.i++;
        return { kind: 'array', items };
      }
      for (;;) {
        this.ws();
        items.push(this.value());
        this.ws();
        const sep = this.s[this.i++];
        if (sep === ']') return { kind: 'array', items };
        if (sep !== ',') this.fail();
      }
    }
    if (c === '"') return { kind: 'scalar', text: this.stringToken() };
    const m = /^(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)/.exec(
      this.s.slice(this.i, this.i + 400),
    );
    if (!m?.[1]) this.fail();
    this.i += m[1].length;
    return { kind: 'scalar', text: m[1] };
  }
  stringToken(): string {
    const start = this.i;
    this.i++;
    while (this.i < this.s.length) {
      const ch = this.s[this.i];
      if (ch === '\\') this.i += 2;
      else if (ch === '"') {
        this.i++;
        const tok = this.s.slice(start, this.i);
        try {
          JSON.parse(tok);
        } catch {
          this.fail();
        }
        return tok;
      } else this.i++;
    }
    return this.fail();
  }
}

export function jsonIn(text: string): string {
  new JsonParser(text, 'json').parseAll();
  return text;
}

function canonical(v: JsonValue): string {
  switch (v.kind) {
    case 'scalar':
      // Strings re-encoded the way jsonb prints them; numbers as written.
      return v.text.startsWith('"') ? JSON.stringify(JSON.parse(v.text) as string) : v.text;
    case 'array':
      return '[' + v.items.map(canonical).join(', ') + ']';
    case 'object': {
      const map = new Map<string, JsonValue>();
      for (const [k, val] of v.entries) map.set(k, val);
      const keys = [...map.keys()].sort((a, b) => {
        const la = Buffer.byteLength(a);
        const lb = Buffer.byteLength(b);
        return la !== lb ? la - lb : Buffer.compare(Buffer.from(a), Buffer.from(b));
      });
      return (
        '{' + keys.map((k) => JSON.stringify(k) + ': ' + canonical(map.get(k)!)).join(', ') + '}'
      );
    }
  }
}

export function jsonbIn(text: string): string {
  return canonical(new JsonParser(text, 'json').parseAll());
}
