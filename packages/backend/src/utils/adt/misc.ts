/**
 * Text forms of bool, bytea, uuid, json and jsonb as PostgreSQL reads and writes them.
 * json keeps its input text; jsonb is kept as its canonical text (keys sorted by length then bytes,
 * duplicates resolved last-wins, ", " / ": " spacing), with numbers kept as written.
 */
import { parseJson, toJsonb } from './json.js';
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

export function jsonIn(text: string): string {
  parseJson(text);
  return text;
}

export function jsonbIn(text: string): string {
  return toJsonb(text);
}
