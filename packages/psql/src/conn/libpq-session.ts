// The Session interface on top of @tuskdb/libpq: simple-protocol exec with per-result callbacks
// and COPY streams, Parse/Describe for \gdesc, notices, ParameterStatus and cancel requests.
import { connect, ConnectionError } from '@tuskdb/libpq';
import type { Connection, Result } from '@tuskdb/libpq';
import type {
  ConnectParams,
  Field,
  NoticeFields,
  QueryHandlers,
  QueryOutcome,
  Session,
  StatementResult,
  TransactionStatus,
} from './session.js';
import { ConnectError } from './session.js';
import { decodeBytes } from './text-bytes.js';

/** A libpq notice/error as the frontend's NoticeFields. */
function noticeOf(n: {
  severity: string;
  code: string;
  message: string;
  [k: string]: unknown;
}): NoticeFields {
  const out: NoticeFields = { severity: n.severity, code: n.code, message: n.message };
  const copy = (k: keyof NoticeFields, v: unknown): void => {
    if (v === undefined || v === null) return;
    (out as unknown as Record<string, unknown>)[k] =
      k === 'position' || k === 'internalPosition'
        ? Number(v)
        : typeof v === 'string'
          ? v
          : JSON.stringify(v);
  };
  for (const k of [
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
  ] as const)
    copy(k, n[k]);
  return out;
}

function fieldsOf(r: { fields: readonly Field[] }): Field[] {
  return r.fields.map((f) => ({
    name: f.name,
    tableOid: f.tableOid,
    columnNumber: f.columnNumber,
    typeOid: f.typeOid,
    typeSize: f.typeSize,
    typeModifier: f.typeModifier,
    format: f.format,
  }));
}

function statementOf(r: Result): StatementResult {
  const isRows = r.status === 'PGRES_TUPLES_OK';
  const out: StatementResult = {
    fields: isRows ? fieldsOf(r) : null,
    rows: isRows ? r.rows.map((row) => row.map((v) => (v === null ? null : decodeBytes(v)))) : [],
    commandTag: r.status === 'PGRES_EMPTY_QUERY' ? null : r.command,
  };
  if (r.status === 'PGRES_COPY_OUT') out.copy = 'out';
  else if (r.status === 'PGRES_COPY_IN') out.copy = 'in';
  return out;
}

class LibpqSession implements Session {
  private readonly noticeListeners: ((n: NoticeFields) => void)[] = [];
  private alive = true;

  constructor(
    readonly params: ConnectParams,
    private readonly conn: Connection,
  ) {
    conn.on('notice', (n) => {
      const fields = noticeOf(n as unknown as Parameters<typeof noticeOf>[0]);
      for (const l of this.noticeListeners) l(fields);
    });
    conn.on('close', () => {
      this.alive = false;
    });
    conn.on('error', () => {
      this.alive = false;
    });
  }

  get backendPid(): number {
    return this.conn.processId;
  }

  parameterStatus(name: string): string | undefined {
    return this.conn.parameters.get(name);
  }

  transactionStatus(): TransactionStatus {
    if (!this.alive || this.conn.closed) return 'unknown';
    const t = this.conn.transactionStatus;
    return t === 'I' || t === 'T' || t === 'E' ? t : 'unknown';
  }

  isAlive(): boolean {
    return this.alive && !this.conn.closed;
  }

  onNotice(listener: (n: NoticeFields) => void): void {
    this.noticeListeners.push(listener);
  }

  async query(sql: string, handlers: QueryHandlers = {}): Promise<QueryOutcome> {
    const results: StatementResult[] = [];
    let error: NoticeFields | null = null;
    const all = await this.conn.exec(sql, {
      onResult: (r) => {
        if (r.status === 'PGRES_FATAL_ERROR') return;
        const s = statementOf(r);
        results.push(s);
        handlers.onResult?.(s);
      },
      onCopyData: (chunk) => handlers.onCopyData?.(Buffer.from(chunk)),
      copyIn: () => (handlers.copyInSource ? handlers.copyInSource() : []),
    });
    for (const r of all) {
      if (r.status === 'PGRES_FATAL_ERROR' && r.error) error = noticeOf(r.error.fields as never);
    }
    return { results, error };
  }

  async describe(sql: string): Promise<{ fields: Field[] | null; error: NoticeFields | null }> {
    try {
      const stmt = await this.conn.prepare('', sql);
      return { fields: stmt.fields.length > 0 ? fieldsOf(stmt) : null, error: null };
    } catch (e) {
      const fields = (e as { fields?: unknown }).fields;
      if (fields) return { fields: null, error: noticeOf(fields as never) };
      throw e;
    }
  }

  cancel(): Promise<void> {
    return this.conn.cancel();
  }

  async close(): Promise<void> {
    if (this.conn.closed) return;
    await this.conn.close();
    this.alive = false;
  }
}

/** Connects through @tuskdb/libpq (options, URIs, PG* variables and ~/.pgpass resolved there). */
export async function connectLibpq(
  request: { host?: string; port?: string; user?: string; dbname?: string; password?: string },
  env: NodeJS.ProcessEnv,
): Promise<Session> {
  void env;
  const input: Record<string, string> = {
    fallback_application_name: 'psql',
    client_encoding: 'UTF8',
  };
  for (const [k, v] of Object.entries(request)) if (v !== undefined) input[k] = v;
  let conn: Connection;
  try {
    conn = await connect(input);
  } catch (e) {
    if (e instanceof ConnectionError || e instanceof Error) {
      const needsPassword = /no password supplied/.test(e.message);
      throw new ConnectError(e.message, needsPassword);
    }
    throw e;
  }
  const info = new Map(conn.conninfo().map((o) => [o.keyword, o.value]));
  const params: ConnectParams = {
    host: info.get('host') ?? '',
    port: Number(info.get('port') ?? 5432),
    user: info.get('user') ?? '',
    database: info.get('dbname') ?? '',
  };
  if (request.password !== undefined) params.password = request.password;
  return new LibpqSession(params, conn);
}
