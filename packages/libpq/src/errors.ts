/**
 * The errors this library raises.
 *
 * - DatabaseError: the server's ErrorResponse, with every field it carried. The connection stays
 *   usable (unless the severity was FATAL/PANIC, which the server follows by closing it).
 * - ConnectionError: anything about reaching, authenticating to or keeping the connection —
 *   invalid options, refused connections, TLS failures, a connection that broke. Its message is
 *   libpq's text for the same failure, so tools built on this library can print what psql prints.
 * - PipelineAbortedError: a statement the server skipped because an earlier one in the same
 *   pipeline segment (up to the next Sync) failed — libpq's PGRES_PIPELINE_ABORTED.
 */
import type { NoticeFields } from '@tuskdb/shared-protocol';

const OPTIONAL_FIELDS = [
  'severityNonLocalized',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
  'other',
] as const;

export class DatabaseError extends Error implements NoticeFields {
  override readonly name = 'DatabaseError';
  readonly severity: string;
  readonly severityNonLocalized?: string;
  readonly code: string;
  readonly detail?: string;
  readonly hint?: string;
  readonly position?: number;
  readonly internalPosition?: number;
  readonly internalQuery?: string;
  readonly where?: string;
  readonly schema?: string;
  readonly table?: string;
  readonly column?: string;
  readonly dataType?: string;
  readonly constraint?: string;
  readonly file?: string;
  readonly line?: number;
  readonly routine?: string;
  readonly other?: Array<[code: string, value: string]>;
  /** The statement text that failed, when known (for error positions). */
  query?: string;

  constructor(fields: NoticeFields) {
    super(fields.message);
    this.severity = fields.severity;
    this.code = fields.code;
    const self = this as unknown as Record<string, unknown>;
    for (const key of OPTIONAL_FIELDS) {
      if (fields[key] !== undefined) self[key] = fields[key];
    }
  }

  /** All fields as a plain NoticeFields object (e.g. to print it as psql does). */
  get fields(): NoticeFields {
    const out: NoticeFields = { severity: this.severity, code: this.code, message: this.message };
    const record = out as unknown as Record<string, unknown>;
    const self = this as unknown as Record<string, unknown>;
    for (const key of OPTIONAL_FIELDS) if (self[key] !== undefined) record[key] = self[key];
    return out;
  }
}

/** Why a ConnectionError happened, for programs that react differently. */
export type ConnectionErrorKind =
  /** Bad connection options (syntax, unknown keyword, invalid value, service file). */
  | 'options'
  /** Could not reach any server (refused, unreachable, timeout, no such socket). */
  | 'connect'
  /** TLS negotiation or verification failed. */
  | 'tls'
  /** Authentication was refused or could not proceed (includes require_auth, channel_binding). */
  | 'auth'
  /** No host satisfied target_session_attrs. */
  | 'session-attrs'
  /** The connection broke or was closed while in use. */
  | 'closed'
  /** The server sent bytes that are not valid protocol. */
  | 'protocol';

export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
  readonly kind: ConnectionErrorKind;
  /** The server's error, when the failure was an ErrorResponse during startup. */
  readonly serverError?: DatabaseError;
  /** SQLSTATE-like code: the server's, or 08006 / 08001 / 08P01 for client-side failures. */
  readonly code: string;

  constructor(
    kind: ConnectionErrorKind,
    message: string,
    options: { cause?: unknown; serverError?: DatabaseError; code?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    if (options.serverError) this.serverError = options.serverError;
    this.code =
      options.code ??
      options.serverError?.code ??
      (kind === 'protocol' ? '08P01' : kind === 'closed' ? '08006' : '08001');
  }
}

export class PipelineAbortedError extends Error {
  override readonly name = 'PipelineAbortedError';
  constructor() {
    super('pipeline aborted: an earlier statement in this pipeline segment failed');
  }
}

/** The library was used wrongly (e.g. a query on a closed connection, bad pipeline state). */
export class InterfaceError extends Error {
  override readonly name = 'InterfaceError';
}

export function optionsError(message: string): ConnectionError {
  return new ConnectionError('options', message);
}
