/**
 * COPY's CSV format: QUOTE-delimited fields that may hold delimiters and line breaks, ESCAPE before
 * a quote inside quotes, an unquoted NULL string (default empty) for NULL, FORCE_QUOTE /
 * FORCE_NOT_NULL / FORCE_NULL — read and written as PostgreSQL 15 does.
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

type CsvOptions = Pick<CopyOptions, 'delimiter' | 'nullString' | 'quote' | 'escape'>;

/** Per column: is an unquoted NULL string a value (FORCE_NOT_NULL), is a quoted one NULL (FORCE_NULL). */
export interface CsvNullRules {
  forceNotNull: boolean[];
  forceNull: boolean[];
}

export class CsvRecordReader implements RecordReader {
  private buf = '';
  private line = 0;
  private eol: LineEnding | undefined;
  sawEndMarker = false;
  partialRecord: string | undefined;

  constructor(
    private readonly opts: CsvOptions,
    private readonly rules: CsvNullRules,
  ) {}

  feed(text: string): CopyRecord[] {
    this.buf += text;
    return this.drain(false);
  }

  finish(): CopyRecord[] {
    const out = this.drain(true);
    return out;
  }

  get lineNumber(): number {
    return this.line;
  }

  /** Parses whole records off the front of the buffer; a partial one waits for more input. */
  private drain(final: boolean): CopyRecord[] {
    const out: CopyRecord[] = [];
    const s = this.buf;
    let pos = 0;
    while (!this.sawEndMarker && pos < s.length) {
      const r = this.parseRecord(s, pos, final);
      if (r === undefined) break;
      pos = r.next;
      if (r.record) out.push(r.record);
    }
    this.buf = this.sawEndMarker ? '' : s.slice(pos);
    return out;
  }

  private parseRecord(
    s: string,
    start: number,
    final: boolean,
  ): { record: CopyRecord | undefined; next: number } | undefined {
    const { delimiter, quote, escape, nullString } = this.opts;
    const fields: Array<string | null> = [];
    let value = '';
    let quoted = false; // this field had quoted parts
    let inQuotes = false;
    let i = start;
    const n = s.length;
    const endField = (): void => {
      const col = fields.length;
      let v: string | null = value;
      if (!quoted && value === nullString && !this.rules.forceNotNull[col]) v = null;
      else if (quoted && value === nullString && this.rules.forceNull[col]) v = null;
      fields.push(v);
      value = '';
      quoted = false;
    };
    for (;;) {
      if (i >= n) {
        if (!final) return undefined;
        if (inQuotes) {
          this.line++;
          this.partialRecord = s.slice(start);
          throw new PgError('22P04', 'unterminated CSV quoted field');
        }
        if (i === start) return { record: undefined, next: i };
        endField();
        return { record: this.finishRecord(fields, s.slice(start, i)), next: i };
      }
      const c = s[i]!;
      if (inQuotes) {
        if (c === escape && escape !== quote) {
          if (i + 1 >= n && !final) return undefined;
          const d = s[i + 1];
          if (d === quote || d === escape) {
            value += d;
            i += 2;
            continue;
          }
          value += c;
          i++;
          continue;
        }
        if (c === quote) {
          if (escape === quote) {
            if (i + 1 >= n && !final) return undefined; // "" may straddle chunks
            if (s[i + 1] === quote) {
              value += quote;
              i += 2;
              continue;
            }
          }
          inQuotes = false;
          i++;
          continue;
        }
        value += c;
        i++;
        continue;
      }
      if (c === quote) {
        inQuotes = true;
        quoted = true;
        i++;
        continue;
      }
      if (c === delimiter) {
        endField();
        i++;
        continue;
      }
      if (c === '\n' || c === '\r') {
        let len = 1;
        if (c === '\r') {
          if (i + 1 >= n && !final) return undefined;
          if (s[i + 1] === '\n') len = 2;
        }
        const style: LineEnding = c === '\n' ? 'nl' : len === 2 ? 'crnl' : 'cr';
        if (this.eol === undefined) this.eol = style;
        else if (style !== this.eol) {
          this.line++;
          throw style === 'nl' || (style === 'crnl' && this.eol === 'cr')
            ? literalNewline(true)
            : literalCarriageReturn(true);
        }
        const raw = s.slice(start, i);
        if (raw === '\\.') {
          this.sawEndMarker = true;
          return { record: undefined, next: i + len };
        }
        endField();
        return { record: this.finishRecord(fields, raw), next: i + len };
      }
      value += c;
      i++;
    }
  }

  private finishRecord(fields: Array<string | null>, raw: string): CopyRecord | undefined {
    if (raw === '\\.') {
      this.sawEndMarker = true;
      return undefined;
    }
    this.line++;
    return { fields, line: this.line, raw };
  }
}

/** One CSV output line (with its newline). `forceQuote[i]`: always quote column i. */
export function formatCsvRecord(
  fields: Array<string | null>,
  opts: CsvOptions,
  forceQuote: boolean[],
): string {
  const { delimiter, quote, escape, nullString } = opts;
  const single = fields.length === 1;
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) line += delimiter;
    const f = fields[i];
    if (f === null || f === undefined) {
      line += nullString;
      continue;
    }
    let useQuote = forceQuote[i] === true || f === nullString;
    if (!useQuote) {
      if (single && f === '\\.') useQuote = true;
      else
        for (let j = 0; j < f.length; j++) {
          const c = f[j];
          if (c === delimiter || c === quote || c === '\n' || c === '\r') {
            useQuote = true;
            break;
          }
        }
    }
    if (!useQuote) {
      line += f;
      continue;
    }
    let q = quote;
    for (let j = 0; j < f.length; j++) {
      const c = f[j]!;
      if (c === quote || c === escape) q += escape;
      q += c;
    }
    line += q + quote;
  }
  return `${line}\n`;
}
