/**
 * Connection: one session with a server over an established socket (plain or TLS).
 *
 * Everything is asynchronous and never blocks the event loop, so one Node process can hold any
 * number of connections. Requests are written as soon as they are made (coalesced into one socket
 * write per tick) and their responses are matched in order, which pipelines concurrent calls on
 * one connection automatically. A broken connection settles every pending request with a
 * ConnectionError: no promise is left hanging.
 *
 * Use `connect()` (connect.ts) to obtain one.
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import {
  BackendDecoder,
  MessageWriter,
  ProtocolError,
  type BackendDecoderMessage,
  type BackendMessage,
  type FieldDescription,
  type FormatCode,
  type NoticeFields,
  type TransactionStatus,
  type TypeSettings,
} from '@tuskdb/shared-protocol';
import { ConnectionError, DatabaseError, InterfaceError, PipelineAbortedError } from '../errors.js';
import { escapeIdentifier } from '../escape.js';
import type { HostTarget, ResolvedOptions } from '../options/resolve.js';
import { conninfoFromValues, type ConninfoOption } from '../options/conninfo.js';
import { CopyFromStream, CopyToStream, type CopyChannel } from '../query/copy.js';
import { Cursor, CursorOperation } from '../query/cursor.js';
import { ExtendedQuery } from '../query/extended-query.js';
import { serializeParam, type QueryParam } from '../query/params.js';
import { toQueryResult, type QueryResult, type Result, type RowMode } from '../query/result.js';
import { SimpleQuery, type ExecOptions } from '../query/simple-query.js';
import { globalTypeParsers, TypeParsers } from '../types/parsers.js';
import { sendCancelRequest } from './cancel.js';
import type { Operation } from './operation.js';
import { PreparedStatement } from './prepared.js';

/** A NOTIFY delivered to this session. */
export interface Notification {
  processId: number;
  channel: string;
  payload: string;
}

/** A NoticeResponse (WARNING, NOTICE, INFO, …), with all its fields. */
export type Notice = NoticeFields;

export interface ConnectionEvents {
  notification: [Notification];
  notice: [Notice];
  /** A ParameterStatus: a reported setting changed (or was reported at startup). */
  parameter: [name: string, value: string];
  /** The connection failed while idle (only emitted when someone listens). */
  error: [Error];
  /** The connection is gone; the error says why, undefined after close(). */
  close: [Error | undefined];
}

export interface QueryOptions {
  /** Rows as objects keyed by column name (default) or as arrays. */
  rowMode?: RowMode;
  /** Ask for binary result values (parsed with the binary parsers). */
  binary?: boolean;
  /** Parameter type OIDs (0 = let the server infer). */
  types?: number[];
  /** Cancels the query on the server when aborted. */
  signal?: AbortSignal;
  /** Milliseconds after which the query is cancelled on the server. */
  timeout?: number;
}

export interface CursorOptions {
  /** Rows fetched per round trip (default 100). */
  batchSize?: number;
  rowMode?: RowMode;
  types?: number[];
}

/** Where the connection went: for cancel requests and reports. */
export interface ConnectedTarget {
  target: HostTarget;
  /** The address or socket path actually connected to. */
  address: string;
  tls: boolean;
}

const CLOSED_UNEXPECTEDLY =
  'server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.';

export class Connection extends EventEmitter<ConnectionEvents> implements CopyChannel {
  /** Settings the server reported (server_version, TimeZone, in_hot_standby, …). */
  readonly parameters = new Map<string, string>();
  /** Per-connection type parsers (fall back to the process-wide `globalTypeParsers`). */
  readonly types: TypeParsers;
  /** Backend process id (PQbackendPID). */
  processId = 0;
  /** Secret key for cancel requests. */
  secretKey = 0;
  /** Transaction status from the last ReadyForQuery: 'I' idle, 'T' in a block, 'E' failed block. */
  transactionStatus: TransactionStatus = 'I';
  readonly options: ResolvedOptions;
  readonly connected: ConnectedTarget;

  private readonly socket: Socket;
  private readonly decoder = new BackendDecoder();
  private readonly writer = new MessageWriter();
  /** Operations whose messages are written, oldest first. */
  private readonly queue: Operation[] = [];
  /** Operations waiting behind a barrier. */
  private readonly deferred: Operation[] = [];
  private barrier: Operation | null = null;
  private flushScheduled = false;
  private closedError: Error | null = null;
  private closing = false;
  private pipelineMode = false;
  private inputPaused = false;
  private readonly closePromise: Promise<void>;

  /** @internal Use connect(). */
  constructor(
    socket: Socket,
    options: ResolvedOptions,
    connected: ConnectedTarget,
    types?: TypeParsers,
  ) {
    super();
    this.socket = socket;
    this.options = options;
    this.connected = connected;
    this.types = new TypeParsers(types ?? globalTypeParsers, () => this.typeSettings());
    socket.setNoDelay?.(true);
    let socketError: Error | null = null;
    this.closePromise = new Promise((resolve) => {
      socket.on('close', () => {
        this.terminate(
          socketError
            ? new ConnectionError(
                'closed',
                `could not receive data from server: ${describeSocketError(socketError)}`,
                {
                  cause: socketError,
                },
              )
            : new ConnectionError('closed', CLOSED_UNEXPECTEDLY),
        );
        resolve();
      });
    });
    socket.on('error', (e) => {
      socketError ??= e;
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  /* ------------------------------------------------------------------ */
  /* State                                                               */
  /* ------------------------------------------------------------------ */

  /** Transaction status in libpq's terms (PQtransactionStatus). */
  get transactionState(): 'idle' | 'active' | 'intrans' | 'inerror' | 'unknown' {
    if (this.closedError) return 'unknown';
    if (this.queue.length > 0) return 'active';
    return this.transactionStatus === 'I'
      ? 'idle'
      : this.transactionStatus === 'T'
        ? 'intrans'
        : 'inerror';
  }

  /** True once the connection is closed or broken. */
  get closed(): boolean {
    return this.closedError !== null;
  }

  /** server_version_num as a number (e.g. 150018), as PQserverVersion. */
  get serverVersion(): number {
    const num = this.parameters.get('server_version_num');
    if (num) return Number(num);
    const m = /^(\d+)(?:\.(\d+))?/.exec(this.parameters.get('server_version') ?? '');
    return m ? Number(m[1]) * 10000 + Number(m[2] ?? 0) : 0;
  }

  /** Session settings that shape the text form of values, from ParameterStatus. */
  typeSettings(): TypeSettings {
    const p = this.parameters;
    const out: TypeSettings = {};
    const ds = p.get('DateStyle');
    if (ds) out.dateStyle = ds;
    const is = p.get('IntervalStyle');
    if (is) out.intervalStyle = is as TypeSettings['intervalStyle'];
    const tz = p.get('TimeZone');
    if (tz) out.timeZone = tz;
    return out;
  }

  /** The effective connection options, as PQconninfo. */
  conninfo(): ConninfoOption[] {
    return conninfoFromValues(this.options.values);
  }

  /** Number of requests sent and not yet answered, plus those waiting to be sent. */
  get pendingCount(): number {
    return this.queue.length + this.deferred.length;
  }

  get isPipelineMode(): boolean {
    return this.pipelineMode;
  }

  /* ------------------------------------------------------------------ */
  /* Message pump                                                        */
  /* ------------------------------------------------------------------ */

  private onData(chunk: Buffer): void {
    if (!this.sawFirstByte && chunk.length > 0) {
      this.sawFirstByte = true;
      // As libpq: the first answer to a startup packet must be Authentication, an error or a
      // protocol negotiation; anything else (an HTTP server, say) is reported by its first byte.
      const b = chunk[0]!;
      if (b !== 0x52 && b !== 0x45 && b !== 0x76) {
        this.fatal(
          new ConnectionError(
            'protocol',
            `expected authentication request from server, but received ${String.fromCharCode(b)}`,
          ),
        );
        return;
      }
    }
    try {
      this.decoder.push(chunk, this.onMessage);
    } catch (e) {
      const message =
        e instanceof ProtocolError
          ? e.message
          : `internal error while processing a server message: ${String(e)}`;
      this.fatal(new ConnectionError('protocol', message, { cause: e }));
    }
  }

  private readonly onMessage = (m: BackendDecoderMessage): void => {
    if (this.closedError) return;
    switch (m.type) {
      case 'NoticeResponse': {
        const { type: _t, ...fields } = m;
        this.emit('notice', fields);
        return;
      }
      case 'NotificationResponse':
        this.emit('notification', {
          processId: m.processId,
          channel: m.channel,
          payload: m.payload,
        });
        return;
      case 'ParameterStatus':
        this.parameters.set(m.name, m.value);
        this.emit('parameter', m.name, m.value);
        return;
      case 'SSLResponse':
      case 'GSSENCResponse':
        throw new ProtocolError('08P01', `unexpected ${m.type} from server`, true);
      case 'ReadyForQuery':
        this.transactionStatus = m.status;
        break;
      default:
        break;
    }
    this.dispatch(m);
  };

  private dispatch(m: BackendMessage): void {
    if (m.type === 'ErrorResponse' && (m.severity === 'FATAL' || m.severity === 'PANIC')) {
      // The server closes the connection after this: report it as the reason, as libpq does.
      this.idleError = new ConnectionError(
        'closed',
        `${m.severity}:  ${m.message}\n${CLOSED_UNEXPECTEDLY}`,
        {
          serverError: new DatabaseError(m),
        },
      );
    }
    let op = this.queue[0];
    if (!op) {
      // libpq reports "message type … arrived from server while idle" and carries on; so do we.
      return;
    }
    if (m.type === 'ReadyForQuery' && this.pipelineMode) {
      // An error earlier in this pipeline segment made the server skip statements up to the Sync.
      while (op && op.inPipeline && !op.isSync) {
        this.queue.shift();
        op.fail(new PipelineAbortedError());
        op = this.queue[0];
      }
      if (!op) return;
    }
    if (op.handle(m)) {
      this.queue.shift();
      if (op === this.barrier) {
        this.barrier = null;
        this.releaseDeferred();
      }
      if (this.queue.length === 0) this.notifyIdle();
    }
  }

  /** A FATAL/PANIC the server sent before closing: it explains the close. */
  private idleError: ConnectionError | null = null;
  private sawFirstByte = false;
  private readonly idleWaiters: Array<() => void> = [];

  /* ------------------------------------------------------------------ */
  /* Writing                                                             */
  /* ------------------------------------------------------------------ */

  /** @internal Queues an operation: written now, or after the active barrier completes. */
  enqueue(op: Operation): void {
    if (this.closedError || this.closing) {
      op.fail(this.closedError ?? new InterfaceError('connection is closed'));
      return;
    }
    if (this.barrier || this.deferred.length > 0) {
      this.deferred.push(op);
      return;
    }
    this.writeOp(op);
  }

  private writeOp(op: Operation): void {
    try {
      op.write(this.writer);
    } catch (e) {
      // Encoding failed (e.g. a NUL in a string): nothing of it was sent.
      this.writer.discard();
      op.fail(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    this.queue.push(op);
    if (op.barrier) this.barrier = op;
    this.scheduleFlush();
  }

  private releaseDeferred(): void {
    while (!this.barrier && this.deferred.length > 0 && !this.closedError) {
      this.writeOp(this.deferred.shift()!);
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(this.flush);
  }

  private readonly flush = (): boolean => {
    this.flushScheduled = false;
    if (this.writer.length === 0 || this.closedError) return true;
    return this.socket.write(this.writer.take());
  };

  /** @internal Writes messages immediately; returns false when the socket buffer is full. */
  writeNow(fn: (w: MessageWriter) => void): boolean {
    if (this.closedError) return true;
    fn(this.writer);
    return this.flush();
  }

  /** @internal */
  onDrain(cb: () => void): void {
    if (this.closedError) return cb();
    const done = (): void => {
      this.socket.off('drain', done);
      this.socket.off('close', done);
      cb();
    };
    this.socket.on('drain', done);
    this.socket.on('close', done);
  }

  /** @internal */
  pauseInput(): void {
    if (!this.inputPaused) {
      this.inputPaused = true;
      this.socket.pause();
    }
  }

  /** @internal */
  resumeInput(): void {
    if (this.inputPaused) {
      this.inputPaused = false;
      this.socket.resume();
    }
  }

  /* ------------------------------------------------------------------ */
  /* Failure and shutdown                                                */
  /* ------------------------------------------------------------------ */

  private fatal(err: Error): void {
    this.terminate(err);
    this.socket.destroy();
  }

  private terminate(err: Error): void {
    if (this.closedError) return;
    const reason = this.closing && this.queue.length === 0 ? undefined : (this.idleError ?? err);
    this.closedError = reason ?? new InterfaceError('connection is closed');
    const ops = [...this.queue.splice(0), ...this.deferred.splice(0)];
    this.barrier = null;
    for (const op of ops) {
      try {
        op.fail(this.closedError);
      } catch {
        // a failing callback must not stop the others from settling
      }
    }
    if (reason && this.listenerCount('error') > 0 && ops.length === 0) this.emit('error', reason);
    this.emit('close', reason);
  }

  /**
   * Closes the session: requests already made complete first, then Terminate is sent and the
   * socket closed. Requests made after close() fail.
   */
  async close(): Promise<void> {
    if (this.closedError) return;
    if (!this.closing) {
      this.closing = true;
      const terminate: Operation = {
        write: (w) => {
          w.frontend({ type: 'Terminate' });
        },
        handle: () => false,
        fail: () => {},
      };
      // Terminate is written after everything queued, then the socket is ended.
      const writeTerminate = (): void => {
        if (this.closedError) return;
        terminate.write(this.writer);
        this.flush();
        this.socket.end();
      };
      if (this.queue.length === 0 && this.deferred.length === 0) writeTerminate();
      else this.afterIdle(writeTerminate);
    }
    await this.closePromise;
  }

  /** Runs `fn` once no request is pending (never if the connection breaks first). */
  private afterIdle(fn: () => void): void {
    this.idleWaiters.push(fn);
  }

  private notifyIdle(): void {
    if (this.queue.length > 0 || this.deferred.length > 0) return;
    for (const fn of this.idleWaiters.splice(0)) fn();
  }

  /** Closes the socket at once; pending requests fail. */
  destroy(err?: Error): void {
    this.closing = true;
    this.fatal(err ?? new InterfaceError('connection destroyed'));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /* ------------------------------------------------------------------ */
  /* Queries                                                             */
  /* ------------------------------------------------------------------ */

  /**
   * Runs one statement with the extended protocol: parameters are sent separately from the SQL
   * ($1, $2 …), never interpolated. Resolves with parsed rows; rejects with DatabaseError.
   */
  query<T = Record<string, unknown>>(
    sql: string,
    params: readonly QueryParam[] = [],
    options: QueryOptions = {},
  ): Promise<QueryResult<T>> {
    return this.queryRaw(sql, params, options).then((r) =>
      toQueryResult<T>(r, this.types, options.rowMode ?? 'object'),
    );
  }

  /** As query(), but resolves with the libpq-style Result (raw values, getvalue …). */
  queryRaw(
    sql: string,
    params: readonly QueryParam[] = [],
    options: QueryOptions = {},
  ): Promise<Result> {
    return this.runExtended({ statement: '', sql }, params, options);
  }

  /** @internal Used by prepared statements too. */
  runExtended(
    target: { statement: string; sql?: string },
    params: readonly QueryParam[],
    options: QueryOptions,
  ): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      let serialized: Array<string | null>;
      try {
        serialized = params.map(serializeParam);
      } catch (e) {
        reject(e instanceof Error ? e : new InterfaceError(String(e)));
        return;
      }
      const format: FormatCode = options.binary ? 1 : 0;
      const cancel = this.cancellation(options, reject);
      const op: ExtendedQuery = new ExtendedQuery(
        {
          statement: target.statement,
          ...(target.sql !== undefined ? { sql: target.sql } : {}),
          paramTypes: options.types ?? [],
          params: serialized,
          resultFormat: format,
          sync: !this.pipelineMode,
        },
        (err, result) => {
          cancel.done();
          if (err) reject(err);
          else resolve(result);
        },
        (fn) => this.writeNow(fn),
      );
      if (cancel.attach(op)) this.enqueue(op);
    });
  }

  /** Wires AbortSignal / timeout to a server-side cancel of one operation. */
  private cancellation(
    options: QueryOptions,
    reject: (e: Error) => void,
  ): { attach(op: Operation): boolean; done(): void } {
    const signals: AbortSignal[] = [];
    if (options.signal) signals.push(options.signal);
    if (options.timeout !== undefined) signals.push(AbortSignal.timeout(options.timeout));
    if (signals.length === 0) return { attach: () => true, done: () => {} };
    const signal = signals.length === 1 ? signals[0]! : AbortSignal.any(signals);
    let op: Operation | null = null;
    let finished = false;
    let timer: ReturnType<typeof setInterval> | null = null;
    const onAbort = (): void => {
      if (finished || !op) return;
      const i = this.deferred.indexOf(op);
      if (i >= 0) {
        // Not sent yet: drop it.
        this.deferred.splice(i, 1);
        this.notifyIdle();
        finished = true;
        reject(abortReason(signal));
        return;
      }
      // Sent: cancel on the server once it is the statement being executed.
      const target = op;
      const tryCancel = (): void => {
        if (finished) return;
        if (this.queue[0] === target) {
          if (timer) clearInterval(timer);
          timer = null;
          this.cancel().catch(() => {});
        }
      };
      tryCancel();
      if (!finished && this.queue[0] !== target) timer = setInterval(tryCancel, 5);
    };
    return {
      attach: (o) => {
        op = o;
        if (signal.aborted) {
          finished = true;
          reject(abortReason(signal));
          return false;
        }
        signal.addEventListener('abort', onAbort, { once: true });
        return true;
      },
      done: () => {
        finished = true;
        if (timer) clearInterval(timer);
        signal.removeEventListener('abort', onAbort);
      },
    };
  }

  /**
   * Runs SQL with the simple query protocol (PQexec): several statements allowed, one Result per
   * statement. Server errors do not reject: they are Results with status PGRES_FATAL_ERROR (the
   * statements after an error are not run). Rejects only when the connection fails.
   */
  exec(sql: string, options: ExecOptions = {}): Promise<Result[]> {
    if (this.pipelineMode)
      return Promise.reject(new InterfaceError('PQexec not allowed in pipeline mode'));
    return new Promise<Result[]>((resolve, reject) => {
      const op = new SimpleQuery(
        sql,
        options,
        (err, results) => {
          if (err && !(err instanceof DatabaseError)) reject(err);
          else resolve(results);
        },
        {
          sendCopyData: (data) =>
            new Promise<void>((res) => {
              if (this.writeNow((w) => w.frontend({ type: 'CopyData', data }))) res();
              else this.onDrain(res);
            }),
          endCopy: (failure) => {
            this.writeNow((w) =>
              w.frontend(
                failure === undefined
                  ? { type: 'CopyDone' }
                  : { type: 'CopyFail', message: failure },
              ),
            );
          },
        },
      );
      this.enqueue(op);
    });
  }

  /** Simple-protocol SQL that rejects with the first DatabaseError; resolves with all results. */
  async simpleQuery(sql: string, options: ExecOptions = {}): Promise<Result[]> {
    const results = await this.exec(sql, options);
    const failed = results.find((r) => r.error);
    if (failed?.error) throw failed.error;
    return results;
  }

  /**
   * Prepares a named statement (Parse + Describe). Name '' is the unnamed statement, replaced by
   * the next unnamed Parse. Resolves once the server accepted it, with its parameter types and
   * result columns.
   */
  prepare(name: string, sql: string, types: number[] = []): Promise<PreparedStatement> {
    if (this.pipelineMode)
      return Promise.reject(new InterfaceError('prepare() not allowed in pipeline mode'));
    return new Promise((resolve, reject) => {
      let paramTypes: number[] = [];
      let fields: FieldDescription[] = [];
      let error: Error | null = null;
      this.enqueue({
        write: (w) => {
          w.frontend({ type: 'Parse', statement: name, sql, parameterTypes: types });
          w.frontend({ type: 'Describe', target: 'S', name });
          w.frontend({ type: 'Sync' });
        },
        handle: (m) => {
          if (m.type === 'ParameterDescription') paramTypes = m.parameterTypes;
          else if (m.type === 'RowDescription') fields = m.fields;
          else if (m.type === 'ErrorResponse') {
            const e = new DatabaseError(m);
            e.query = sql;
            error = e;
          } else if (m.type === 'ReadyForQuery') {
            if (error) reject(error);
            else resolve(new PreparedStatement(this, name, sql, paramTypes, fields));
            return true;
          }
          return false;
        },
        fail: reject,
      });
    });
  }

  /** @internal Closes a prepared statement on the server. */
  closeStatement(name: string): Promise<void> {
    return new Promise((resolve, reject) => {
      let error: Error | null = null;
      this.enqueue({
        write: (w) => {
          w.frontend({ type: 'Close', target: 'S', name });
          if (!this.pipelineMode) w.frontend({ type: 'Sync' });
        },
        inPipeline: this.pipelineMode,
        handle: (m) => {
          if (m.type === 'ErrorResponse') error = new DatabaseError(m);
          if (m.type === 'CloseComplete' && this.pipelineMode) {
            resolve();
            return true;
          }
          if (m.type === 'ReadyForQuery') {
            if (error) reject(error);
            else resolve();
            return true;
          }
          return false;
        },
        fail: reject,
      });
    });
  }

  /**
   * A cursor over a query's result, fetched `batchSize` rows at a time. It holds the connection
   * (later requests wait) until it is exhausted or closed — iterate it with `for await` or close it.
   */
  cursor<T = Record<string, unknown>>(
    sql: string,
    params: readonly QueryParam[] = [],
    options: CursorOptions = {},
  ): Cursor<T> {
    if (this.pipelineMode) throw new InterfaceError('cursor() not allowed in pipeline mode');
    const op = new CursorOperation(
      sql,
      options.types ?? [],
      params.map(serializeParam),
      options.batchSize ?? 100,
      (fn) => this.writeNow(fn),
    );
    this.enqueue(op);
    return new Cursor<T>(op, this.types, options.rowMode ?? 'object');
  }

  /** COPY … FROM STDIN as a Writable stream; use with stream.pipeline(). */
  copyFrom(sql: string): CopyFromStream {
    if (this.pipelineMode) throw new InterfaceError('COPY not allowed in pipeline mode');
    const s = new CopyFromStream(sql, this);
    this.enqueue(s.op);
    return s;
  }

  /** COPY … TO STDOUT as a Readable stream of the server's data chunks. */
  copyTo(sql: string): CopyToStream {
    if (this.pipelineMode) throw new InterfaceError('COPY not allowed in pipeline mode');
    const s = new CopyToStream(sql, this);
    this.enqueue(s.op);
    return s;
  }

  /* ------------------------------------------------------------------ */
  /* Pipeline mode                                                       */
  /* ------------------------------------------------------------------ */

  /**
   * Enters pipeline mode (PQenterPipelineMode): query() no longer sends a Sync per statement;
   * statements resolve as their results arrive, and pipelineSync() marks a sync point. An error
   * makes the server skip the rest of the segment: those statements reject with
   * PipelineAbortedError.
   */
  enterPipelineMode(): void {
    if (this.pipelineMode) return;
    if (this.pendingCount > 0)
      throw new InterfaceError('cannot enter pipeline mode, connection not idle');
    this.pipelineMode = true;
  }

  /** Leaves pipeline mode (PQexitPipelineMode); every statement must be followed by a sync point. */
  exitPipelineMode(): void {
    if (!this.pipelineMode) return;
    const pending = [...this.queue, ...this.deferred];
    const last = pending[pending.length - 1];
    if (last && !last.isSync)
      throw new InterfaceError('cannot exit pipeline mode with uncollected results');
    this.pipelineMode = false;
  }

  /** Sends a Sync (PQpipelineSync); resolves when the server reached it. */
  pipelineSync(): Promise<void> {
    if (!this.pipelineMode)
      return Promise.reject(new InterfaceError('cannot send pipeline when not in pipeline mode'));
    return new Promise((resolve, reject) => {
      this.enqueue({
        isSync: true,
        write: (w) => {
          w.frontend({ type: 'Sync' });
        },
        handle: (m) => {
          if (m.type === 'ReadyForQuery') {
            resolve();
            return true;
          }
          return false;
        },
        fail: reject,
      });
    });
  }

  /** Asks the server to send what it has so far without a sync point (PQsendFlushRequest). */
  sendFlushRequest(): void {
    this.writeNow((w) => w.frontend({ type: 'Flush' }));
  }

  /* ------------------------------------------------------------------ */
  /* Cancellation                                                        */
  /* ------------------------------------------------------------------ */

  /**
   * Asks the server to cancel the statement this session is running (PQcancel): a CancelRequest
   * on a new connection to the same server. Resolves when the request was delivered; the
   * cancelled statement fails with SQLSTATE 57014.
   */
  cancel(): Promise<void> {
    return sendCancelRequest(this.connected, this.processId, this.secretKey);
  }

  /* ------------------------------------------------------------------ */
  /* Notifications                                                       */
  /* ------------------------------------------------------------------ */

  /** LISTEN on a channel (the name is quoted as an identifier). */
  async listen(channel: string): Promise<void> {
    await this.simpleQuery(`LISTEN ${escapeIdentifier(channel)}`);
  }

  async unlisten(channel: string): Promise<void> {
    await this.simpleQuery(
      channel === '*' ? 'UNLISTEN *' : `UNLISTEN ${escapeIdentifier(channel)}`,
    );
  }

  /** NOTIFY through pg_notify (the payload is a parameter, never spliced into SQL). */
  async notify(channel: string, payload = ''): Promise<void> {
    await this.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }
}

function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new InterfaceError('query aborted');
}

function describeSocketError(e: Error): string {
  const code = (e as { code?: string }).code;
  if (code === 'ECONNRESET') return 'Connection reset by peer';
  if (code === 'EPIPE') return 'Broken pipe';
  return e.message;
}
