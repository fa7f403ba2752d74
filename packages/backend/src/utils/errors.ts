/**
 * PgError: the one error type of the SQL engine. It carries every field of an ErrorResponse
 * (PostgreSQL's ereport fields), so the protocol loop can send it without knowing where it came from.
 * Anything else thrown inside the engine is an internal error (XX000) by definition.
 */
import type { NoticeFields } from '@tuskdb/shared-protocol';

export type Severity =
  'ERROR' | 'FATAL' | 'PANIC' | 'WARNING' | 'NOTICE' | 'DEBUG' | 'INFO' | 'LOG';

export interface PgErrorFields {
  severity?: Severity;
  detail?: string;
  hint?: string;
  /** 1-based character position in the statement text. */
  position?: number;
  internalPosition?: number;
  internalQuery?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  dataType?: string;
  constraint?: string;
  routine?: string;
}

export class PgError extends Error {
  readonly code: string;
  severity: Severity;
  detail: string | undefined;
  hint: string | undefined;
  position: number | undefined;
  internalPosition: number | undefined;
  internalQuery: string | undefined;
  where: string | undefined;
  schema: string | undefined;
  table: string | undefined;
  column: string | undefined;
  dataType: string | undefined;
  constraint: string | undefined;
  routine: string | undefined;
  /**
   * A byte offset into the statement (as the parser reports locations), converted to a character
   * position by the protocol loop, which is the one place that knows the statement text.
   */
  byteLocation: number | undefined;

  constructor(code: string, message: string, fields: PgErrorFields = {}) {
    super(message);
    this.name = 'PgError';
    this.code = code;
    this.severity = fields.severity ?? 'ERROR';
    this.detail = fields.detail;
    this.hint = fields.hint;
    this.position = fields.position;
    this.internalPosition = fields.internalPosition;
    this.internalQuery = fields.internalQuery;
    this.where = fields.where;
    this.schema = fields.schema;
    this.table = fields.table;
    this.column = fields.column;
    this.dataType = fields.dataType;
    this.constraint = fields.constraint;
    this.routine = fields.routine;
    this.byteLocation = undefined;
  }

  /** Attaches a parser location (UTF-8 byte offset, -1 = unknown) unless a position is set. */
  at(byteLocation: number | undefined): this {
    if (byteLocation !== undefined && byteLocation >= 0 && this.position === undefined) {
      this.byteLocation ??= byteLocation;
    }
    return this;
  }

  /** The fields of an ErrorResponse / NoticeResponse. */
  toFields(): NoticeFields {
    const f: NoticeFields = {
      severity: this.severity,
      severityNonLocalized: this.severity,
      code: this.code,
      message: this.message,
    };
    if (this.detail !== undefined) f.detail = this.detail;
    if (this.hint !== undefined) f.hint = this.hint;
    if (this.position !== undefined) f.position = this.position;
    if (this.internalPosition !== undefined) f.internalPosition = this.internalPosition;
    if (this.internalQuery !== undefined) f.internalQuery = this.internalQuery;
    if (this.where !== undefined) f.where = this.where;
    if (this.schema !== undefined) f.schema = this.schema;
    if (this.table !== undefined) f.table = this.table;
    if (this.column !== undefined) f.column = this.column;
    if (this.dataType !== undefined) f.dataType = this.dataType;
    if (this.constraint !== undefined) f.constraint = this.constraint;
    if (this.routine !== undefined) f.routine = this.routine;
    return f;
  }
}

/** Any thrown value as a PgError (unknown errors become XX000 internal errors). */
export function asPgError(err: unknown): PgError {
  if (err instanceof PgError) return err;
  // Storage-layer errors may carry a SQLSTATE without being our class.
  if (typeof err === 'object' && err !== null && 'code' in err && 'message' in err) {
    const code = (err as { code: unknown }).code;
    const message = (err as { message: unknown }).message;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof message === 'string') {
      const e = new PgError(code, message);
      const rest = err as Partial<Record<keyof PgErrorFields, unknown>>;
      for (const key of ['detail', 'hint', 'schema', 'table', 'column', 'constraint'] as const) {
        const v = rest[key];
        if (typeof v === 'string') e[key] = v;
      }
      return e;
    }
  }
  const message = err instanceof Error ? err.message : String(err);
  return new PgError('XX000', message);
}

/** Convenience constructors for the errors the engine raises most. */
export const errors = {
  syntax: (message: string, location?: number) => new PgError('42601', message).at(location),
  undefinedTable: (name: string, location?: number) =>
    new PgError('42P01', `relation "${name}" does not exist`).at(location),
  undefinedColumn: (name: string, location?: number) =>
    new PgError('42703', `column "${name}" does not exist`).at(location),
  undefinedFunction: (message: string, hint: string, location?: number) =>
    new PgError('42883', message, { hint }).at(location),
  featureNotSupported: (what: string, location?: number) =>
    new PgError('0A000', `${what} is not supported`).at(location),
  invalidText: (typeName: string, text: string) =>
    new PgError('22P02', `invalid input syntax for type ${typeName}: "${text}"`),
  outOfRange: (typeName: string) => new PgError('22003', `${typeName} out of range`),
  divisionByZero: () => new PgError('22012', 'division by zero'),
  internal: (message: string) => new PgError('XX000', message),
};
