// What the psql frontend needs from a server connection. The frontend talks only to this
// interface, so the transport underneath (our own minimal wire client, or @tuskdb/libpq once it
// is available) can be swapped without touching the command loop.

export interface NoticeFields {
  /** Localized severity (S). */
  severity: string;
  /** SQLSTATE (C). */
  code: string;
  message: string;
  detail?: string;
  hint?: string;
  /** 1-based character position in the query (P). */
  position?: number;
  internalPosition?: number;
  internalQuery?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  dataType?: string;
  constraint?: string;
  file?: string;
  line?: string;
  routine?: string;
}

export interface Field {
  name: string;
  tableOid: number;
  columnNumber: number;
  typeOid: number;
  typeSize: number;
  typeModifier: number;
  format: number;
}

/** One result of a query string: rows, a command tag, or an empty query. */
export interface StatementResult {
  /** Present when the statement returned a row description. */
  fields: Field[] | null;
  rows: (string | null)[][];
  /** The CommandComplete tag, e.g. "INSERT 0 1"; null for an empty query. */
  commandTag: string | null;
  /** Set when the statement was a COPY TO STDOUT / FROM STDIN. */
  copy?: 'out' | 'in';
}

export interface QueryHandlers {
  /** Called as each statement's result is complete (before the next one starts). */
  onResult?(result: StatementResult): void;
  /** COPY TO STDOUT data rows. */
  onCopyData?(chunk: Buffer): void;
  /** Supplies COPY FROM STDIN data: resolves chunks, then null at end; throw to fail the COPY. */
  copyInSource?(): AsyncIterable<Buffer>;
}

export interface QueryOutcome {
  results: StatementResult[];
  error: NoticeFields | null;
}

export type TransactionStatus = 'I' | 'T' | 'E' | 'unknown';

export interface ConnectParams {
  host: string;
  port: number;
  user: string;
  database: string;
  password?: string;
  applicationName?: string;
  clientEncoding?: string;
  /** Extra startup options (e.g. `options`). */
  options?: string;
}

export interface Session {
  readonly params: ConnectParams;
  readonly backendPid: number;
  parameterStatus(name: string): string | undefined;
  transactionStatus(): TransactionStatus;
  /** Runs a query string with the simple query protocol. */
  query(sql: string, handlers?: QueryHandlers): Promise<QueryOutcome>;
  /** Prepares an unnamed statement and describes its result columns (for \gdesc). */
  describe(sql: string): Promise<{ fields: Field[] | null; error: NoticeFields | null }>;
  onNotice(listener: (notice: NoticeFields) => void): void;
  /** Asks the server to cancel the running query (over a new connection). */
  cancel(): Promise<void>;
  close(): Promise<void>;
  /** False once the connection was lost. */
  isAlive(): boolean;
}

export class ConnectError extends Error {
  constructor(
    message: string,
    /** Whether a password was requested but none was given (psql then prompts). */
    readonly needsPassword = false,
  ) {
    super(message);
  }
}
