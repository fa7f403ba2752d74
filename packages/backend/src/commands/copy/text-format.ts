/**
 * COPY's text format: tab-separated (or DELIMITER) fields, backslash escapes, `\N` for NULL, one
 * record per line, and `\.` as an optional end-of-data marker — read and written as PostgreSQL 15
 * does (copyfromparse.c / copyto.c).
 */
import { PgError } from '../../utils/errors.js';
import {
  literalCarriageReturn,
  literalNewline,
  type CopyRecord,
  type LineEnding,
  type RecordReader,
} from './record.js';
import type { CopyOptions } from './options.js';

function endMarkerCorrupt(): PgError {
  return new PgError('22P04', 'end-of-copy marker corrupt');
}

/** Splits text-format input into records; fields are de-escaped, the NULL marker becomes null. */
export class TextRecordReader implements RecordReader {
  private buf = '';
  private line = 0;
  private eol: LineEnding | undefined;
  sawEndMarker = false;

  constructor(private readonly opts: Pick<CopyOptions, 'delimiter' | 'nullString'>) {}

  feed(text: string): CopyRecord[] {
    this.buf += text;
    return this.drain(false);
  }

  finish(): CopyRecord[] {
    return this.drain(true);
  }

  private drain(final: boolean): CopyRecord[] {
    const out: CopyRecord[] = [];
    const s = this.buf;
    let start = 0;
    let i = 0;
    const n = s.length;
    while (!this.sawEndMarker && i < n) {
      const c = s.charCodeAt(i);
      if (c === 0x5c /* \ */) {
        if (i + 1 >= n) {
          if (!final) break; // the escaped character is in the next chunk
          i++;
          continue;
        }
        if (s.charCodeAt(i + 1) === 0x2e /* . */) {
          // `\.` must be followed by the line ending (or the end of input).
          if (i + 2 >= n && !final) break;
          const after = s.charCodeAt(i + 2);
          if (i + 2 < n && after !== 0x0a && after !== 0x0d) throw endMarkerCorrupt();
          if (after === 0x0d && i + 3 >= n && !final) break;
          if (i > start) out.push(this.record(s.slice(start, i)));
          this.sawEndMarker = true;
          start = n;
          break;
        }
        i += 2; // a backslash escapes the next character, even a line ending
        continue;
      }
      if (c === 0x0a || c === 0x0d) {
        let len = 1;
        if (c === 0x0d) {
          if (i + 1 >= n && !final) break; // CR LF may straddle chunks
          if (s.charCodeAt(i + 1) === 0x0a) len = 2;
        }
        const style: LineEnding = c === 0x0a ? 'nl' : len === 2 ? 'crnl' : 'cr';
        if (this.eol === undefined) this.eol = style;
        else if (style !== this.eol) {
          this.line++;
          throw style === 'nl' || (style === 'crnl' && this.eol === 'cr')
            ? literalNewline(false)
            : literalCarriageReturn(false);
        }
        out.push(this.record(s.slice(start, i)));
        i += len;
        start = i;
        continue;
      }
      i++;
    }
    if (final && !this.sawEndMarker && start < n) {
      out.push(this.record(s.slice(start)));
      start = n;
    }
    this.buf = this.sawEndMarker ? '' : s.slice(start);
    return out;
  }

  private record(raw: string): CopyRecord {
    this.line++;
    return {
      fields: splitTextFields(raw, this.opts.delimiter, this.opts.nullString),
      line: this.line,
      raw,
    };
  }

  get lineNumber(): number {
    return this.line;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

const isOctal = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '7';
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** Splits one text-format line into fields (NULL marker compared before de-escaping). */
export function splitTextFields(
  line: string,
  delimiter: string,
  nullString: string,
): Array<string | null> {
  const fields: Array<string | null> = [];
  let start = 0;
  let i = 0;
  for (;;) {
    // find the end of this field: the next unescaped delimiter
    while (i < line.length && line[i] !== delimiter) i += line[i] === '\\' ? 2 : 1;
    const raw = line.slice(start, Math.min(i, line.length));
    fields.push(raw === nullString ? null : raw.includes('\\') ? unescapeText(raw) : raw);
    if (i >= line.length) break;
    i++;
    start = i;
  }
  return fields;
}

/** Undoes text-format backslash escapes; octal/hex escapes are bytes, decoded as UTF-8. */
export function unescapeText(raw: string): string {
  let out = '';
  let bytes: number[] | undefined;
  const flushBytes = (): void => {
    if (!bytes) return;
    const decoded = new TextDecoder('utf-8', { fatal: true });
    try {
      out += decoded.decode(Uint8Array.from(bytes));
    } catch {
      const shown = bytes.map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');
      throw new PgError('22021', `invalid byte sequence for encoding "UTF8": ${shown}`);
    }
    bytes = undefined;
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '\\' || i + 1 >= raw.length) {
      flushBytes();
      out += c;
      continue;
    }
    const e = raw[++i]!;
    let byte: number | undefined;
    if (isOctal(e)) {
      let v = e.charCodeAt(0) - 48;
      if (isOctal(raw[i + 1])) {
        v = v * 8 + raw.charCodeAt(++i) - 48;
        if (isOctal(raw[i + 1])) v = v * 8 + raw.charCodeAt(++i) - 48;
      }
      byte = v & 0xff;
    } else if (e === 'x' && isHex(raw[i + 1])) {
      let v = parseInt(raw[++i]!, 16);
      if (isHex(raw[i + 1])) v = v * 16 + parseInt(raw[++i]!, 16);
      byte = v;
    }
    if (byte !== undefined) {
      if (byte === 0) throw new PgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00');
      (bytes ??= []).push(byte);
      continue;
    }
    flushBytes();
    out += SIMPLE_ESCAPES[e] ?? e;
  }
  flushBytes();
  return out;
}

/** One field of text-format output. */
export function escapeText(value: string, delimiter: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    let rep: string | undefined;
    switch (c) {
      case '\\':
        rep = '\\\\';
        break;
      case '\b':
        rep = '\\b';
        break;
      case '\f':
        rep = '\\f';
        break;
      case '\n':
        rep = '\\n';
        break;
      case '\r':
        rep = '\\r';
        break;
      case '\t':
        rep = '\\t';
        break;
      case '\v':
        rep = '\\v';
        break;
      default:
        if (c === delimiter) rep = `\\${c}`;
    }
    if (rep !== undefined) {
      out += value.slice(from, i) + rep;
      from = i + 1;
    }
  }
  return from === 0 ? value : out + value.slice(from);
}

/** A text-format output line (with its newline). */
export function formatTextRecord(
  fields: Array<string | null>,
  opts: Pick<CopyOptions, 'delimiter' | 'nullString'>,
): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) line += opts.delimiter;
    const f = fields[i];
    line += f === null || f === undefined ? opts.nullString : escapeText(f, opts.delimiter);
  }
  return `${line}\n`;
}
