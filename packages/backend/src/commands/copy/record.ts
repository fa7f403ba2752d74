/**
 * What the text and CSV readers hand to COPY FROM: one input record (line) split into its raw
 * fields, with what error messages need to say where it came from.
 */
import { PgError } from '../../utils/errors.js';

export interface CopyRecord {
  /** Field values after de-escaping/unquoting; null = the NULL marker. */
  fields: Array<string | null>;
  /** 1-based record number, as PostgreSQL counts lines in COPY's error context. */
  line: number;
  /** The record's text without its line ending, for error context. */
  raw: string;
}

export interface RecordReader {
  /** Parses `text` (appended to what is buffered) into complete records. */
  feed(text: string): CopyRecord[];
  /** The input ended: parses what is left. */
  finish(): CopyRecord[];
  /** The record being read when the reader failed (CSV's unterminated field), for error context. */
  readonly partialRecord?: string;
  /** True once the end-of-data marker `\.` was read (the rest of the input is ignored). */
  readonly sawEndMarker: boolean;
}

/** PostgreSQL shows at most 100 characters of a line or value in COPY's error context. */
export function limitPrintout(s: string): string {
  const chars = [...s];
  return chars.length > 100 ? `${chars.slice(0, 100).join('')}...` : s;
}

/** How input lines end; fixed by the first line ending seen, as PostgreSQL does. */
export type LineEnding = 'nl' | 'cr' | 'crnl';

export function literalCarriageReturn(csv: boolean): PgError {
  return new PgError(
    '22P04',
    csv ? 'unquoted carriage return found in data' : 'literal carriage return found in data',
    {
      hint: csv
        ? 'Use quoted CSV field to represent carriage return.'
        : 'Use "\\r" to represent carriage return.',
    },
  );
}

export function literalNewline(csv: boolean): PgError {
  return new PgError(
    '22P04',
    csv ? 'unquoted newline found in data' : 'literal newline found in data',
    {
      hint: csv ? 'Use quoted CSV field to represent newline.' : 'Use "\\n" to represent newline.',
    },
  );
}
