/**
 * Results, at two levels.
 *
 * `Result` is libpq's PGresult: status, the RowDescription fields as sent, the raw wire values and
 * libpq's accessors (ntuples, nfields, fname, ftype, getvalue, getisnull, cmdStatus, cmdTuples …).
 * getvalue returns exactly the server's text, so psql can print what the server sent.
 *
 * `QueryResult<T>` is the convenient form: rows as objects (or arrays) of parsed JS values.
 */
import { textOfValue, type FieldDescription, type WireValue } from '@tuskdb/shared-protocol';
import type { DatabaseError } from '../errors.js';
import type { TypeParsers, ValueParser } from '../types/parsers.js';

export type ExecStatus =
  | 'PGRES_EMPTY_QUERY'
  | 'PGRES_COMMAND_OK'
  | 'PGRES_TUPLES_OK'
  | 'PGRES_COPY_OUT'
  | 'PGRES_COPY_IN'
  | 'PGRES_FATAL_ERROR'
  | 'PGRES_PIPELINE_ABORTED';

export type { FieldDescription };

export class Result {
  status: ExecStatus = 'PGRES_COMMAND_OK';
  /** RowDescription as received (empty for commands without rows). */
  fields: FieldDescription[] = [];
  /** Rows of raw wire values (views into received data; null = SQL NULL). */
  rows: WireValue[][] = [];
  /** Command tag ("SELECT 2", "INSERT 0 1"), '' if none. */
  command = '';
  /** Set when status is PGRES_FATAL_ERROR. */
  error?: DatabaseError;
  /** COPY TO STDOUT data received through a simple query (when no consumer was given). */
  copyData?: Uint8Array[];

  get ntuples(): number {
    return this.rows.length;
  }
  get nfields(): number {
    return this.fields.length;
  }
  fname(col: number): string {
    return this.field(col).name;
  }
  /** Column number of a name, -1 if none (case-sensitive; no quoting rules). */
  fnumber(name: string): number {
    return this.fields.findIndex((f) => f.name === name);
  }
  ftype(col: number): number {
    return this.field(col).typeOid;
  }
  fmod(col: number): number {
    return this.field(col).typeModifier;
  }
  fsize(col: number): number {
    return this.field(col).typeSize;
  }
  fformat(col: number): number {
    return this.field(col).format;
  }
  ftable(col: number): number {
    return this.field(col).tableOid;
  }
  ftablecol(col: number): number {
    return this.field(col).columnNumber;
  }
  getisnull(row: number, col: number): boolean {
    return this.raw(row, col) === null;
  }
  /** The value's text as the server sent it ('' for NULL, as libpq). Binary values are decoded as UTF-8. */
  getvalue(row: number, col: number): string {
    const v = this.raw(row, col);
    return v === null ? '' : textOfValue(v);
  }
  /** The raw bytes of a value, or null for SQL NULL. */
  getbytes(row: number, col: number): Uint8Array | null {
    return this.raw(row, col);
  }
  getlength(row: number, col: number): number {
    return this.raw(row, col)?.length ?? 0;
  }
  /** The command tag, as PQcmdStatus. */
  get cmdStatus(): string {
    return this.command;
  }
  /** Rows affected as text ('' if the command has no count), as PQcmdTuples. */
  get cmdTuples(): string {
    return commandRowCount(this.command)?.toString() ?? '';
  }
  /** The inserted row's OID for a single-row INSERT into a table with OIDs (always 0 since PG12). */
  get oidValue(): number {
    const m = /^INSERT (\d+) 1$/.exec(this.command);
    return m ? Number(m[1]) : 0;
  }
  /** Error field by its single-letter code, as PQresultErrorField. */
  errorField(code: string): string | undefined {
    const e = this.error;
    if (!e) return undefined;
    const map: Record<string, string | number | undefined> = {
      S: e.severity,
      V: e.severityNonLocalized,
      C: e.code,
      M: e.message,
      D: e.detail,
      H: e.hint,
      P: e.position,
      p: e.internalPosition,
      q: e.internalQuery,
      W: e.where,
      s: e.schema,
      t: e.table,
      c: e.column,
      d: e.dataType,
      n: e.constraint,
      F: e.file,
      L: e.line,
      R: e.routine,
    };
    const v = map[code] ?? e.other?.find(([c]) => c === code)?.[1];
    return v === undefined ? undefined : String(v);
  }

  private field(col: number): FieldDescription {
    const f = this.fields[col];
    if (!f)
      throw new RangeError(`column number ${col} is out of range 0..${this.fields.length - 1}`);
    return f;
  }
  private raw(row: number, col: number): WireValue {
    const r = this.rows[row];
    if (!r) throw new RangeError(`row number ${row} is out of range 0..${this.rows.length - 1}`);
    if (col < 0 || col >= r.length) {
      throw new RangeError(`column number ${col} is out of range 0..${r.length - 1}`);
    }
    return r[col]!;
  }
}

/** The row count a command tag reports (SELECT n, INSERT oid n, UPDATE n, COPY n, …), or null. */
export function commandRowCount(tag: string): number | null {
  const m = /^(?:SELECT|UPDATE|DELETE|MOVE|FETCH|COPY|MERGE|INSERT \d+) (\d+)$/.exec(tag);
  if (!m) return null;
  return Number(m[1]);
}

/** How rows are shaped in a QueryResult. */
export type RowMode = 'object' | 'array';

export interface QueryResult<T = Record<string, unknown>> {
  rows: T[];
  fields: FieldDescription[];
  /** The command tag's verb(s): "SELECT", "INSERT", "CREATE TABLE" … */
  command: string;
  /** Rows affected or returned, from the command tag; null for commands without a count. */
  rowCount: number | null;
}

/** Converts a raw Result into parsed rows. */
export function toQueryResult<T>(
  result: Result,
  parsers: TypeParsers,
  rowMode: RowMode,
): QueryResult<T> {
  const fields = result.fields;
  const n = fields.length;
  const fns: ValueParser[] = fields.map((f) => parsers.parserFor(f.typeOid, f.format));
  const rows = new Array<T>(result.rows.length);
  for (let r = 0; r < result.rows.length; r++) {
    const raw = result.rows[r]!;
    if (rowMode === 'array') {
      const row = new Array<unknown>(n);
      for (let c = 0; c < n; c++) {
        const v = raw[c];
        row[c] = v === null || v === undefined ? null : fns[c]!(v);
      }
      rows[r] = row as T;
    } else {
      const row: Record<string, unknown> = {};
      for (let c = 0; c < n; c++) {
        const v = raw[c];
        row[fields[c]!.name] = v === null || v === undefined ? null : fns[c]!(v);
      }
      rows[r] = row as T;
    }
  }
  return {
    rows,
    fields,
    command: commandVerb(result.command),
    rowCount: commandRowCount(result.command),
  };
}

/** "INSERT 0 1" → "INSERT", "CREATE TABLE" → "CREATE TABLE". */
export function commandVerb(tag: string): string {
  return tag.replace(/(?: \d+)+$/, '');
}
