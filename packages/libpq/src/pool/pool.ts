/**
 * Pool: a bounded set of connections shared by many callers.
 *
 * At most `max` connections exist; callers beyond that wait in FIFO order (optionally with a
 * timeout or AbortSignal). Idle connections close after `idleTimeout`; a connection idle longer
 * than `healthCheckAfter` is checked with an empty query before being handed out, and a broken
 * one is replaced. A connection released inside a transaction block (or broken) is not reused.
 */
import { ConnectionError, InterfaceError } from '../errors.js';
import { connect, type ConnectOptions } from '../connection/connect.js';
import type { Connection, QueryOptions } from '../connection/connection.js';
import type { ConnectionOptionsInput } from '../options/resolve.js';
import type { QueryParam } from '../query/params.js';
import type { QueryResult } from '../query/result.js';

export interface PoolOptions {
  /** Largest number of connections (default 10). */
  max?: number;
  /** Milliseconds an unused connection stays open (default 10 s; 0 = forever). */
  idleTimeout?: number;
  /** Milliseconds a caller waits for a connection before failing (default 0 = no limit). */
  acquireTimeout?: number;
  /** Check connections idle longer than this many milliseconds before reuse (default 5 s). */
  healthCheckAfter?: number;
  /** Passed to connect(). */
  connectOptions?: ConnectOptions;
}

interface Idle {
  conn: Connection;
  since: number;
  timer: ReturnType<typeof setTimeout> | null;
}

interface Waiter {
  resolve: (c: Connection) => void;
  reject: (e: Error) => void;
  cleanup: () => void;
}

export interface PoolStats {
  /** Connections open or being opened. */
  total: number;
  idle: number;
  /** Callers waiting for a connection. */
  waiting: number;
}

export class Pool {
  private readonly max: number;
  private readonly idleTimeout: number;
  private readonly acquireTimeout: number;
  private readonly healthCheckAfter: number;
  private readonly idle: Idle[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly all = new Set<Connection>();
  private opening = 0;
  private ended = false;

  constructor(
    private readonly connection: ConnectionOptionsInput,
    private readonly options: PoolOptions = {},
  ) {
    this.max = Math.max(1, options.max ?? 10);
    this.idleTimeout = options.idleTimeout ?? 10_000;
    this.acquireTimeout = options.acquireTimeout ?? 0;
    this.healthCheckAfter = options.healthCheckAfter ?? 5_000;
  }

  get stats(): PoolStats {
    return {
      total: this.all.size + this.opening,
      idle: this.idle.length,
      waiting: this.waiters.length,
    };
  }

  /** Takes a connection; give it back with release(). */
  acquire(signal?: AbortSignal): Promise<Connection> {
    if (this.ended) return Promise.reject(new InterfaceError('pool has been ended'));
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<Connection>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | null = null;
      const waiter: Waiter = {
        resolve,
        reject,
        cleanup: () => {
          if (timer) clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      const drop = (err: Error): void => {
        const i = this.waiters.indexOf(waiter);
        if (i < 0) return;
        this.waiters.splice(i, 1);
        waiter.cleanup();
        reject(err);
      };
      const onAbort = (): void => drop(abortError(signal!));
      if (this.acquireTimeout > 0) {
        timer = setTimeout(
          () =>
            drop(
              new InterfaceError(
                `timeout acquiring a connection from the pool after ${this.acquireTimeout} ms`,
              ),
            ),
          this.acquireTimeout,
        );
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.dispatch();
    });
  }

  /** Gives a connection back; broken ones and ones left inside a transaction are closed. */
  release(conn: Connection): void {
    if (!this.all.has(conn)) return;
    if (
      this.ended ||
      conn.closed ||
      conn.transactionStatus !== 'I' ||
      conn.pendingCount > 0 ||
      conn.isPipelineMode
    ) {
      this.discard(conn);
      this.dispatch();
      return;
    }
    const entry: Idle = { conn, since: Date.now(), timer: null };
    if (this.idleTimeout > 0) {
      entry.timer = setTimeout(() => {
        const i = this.idle.indexOf(entry);
        if (i >= 0) {
          this.idle.splice(i, 1);
          this.discard(conn);
        }
      }, this.idleTimeout);
      entry.timer.unref?.();
    }
    this.idle.push(entry);
    this.dispatch();
  }

  /** Runs fn with a connection, releasing it afterwards whatever happens. */
  async withConnection<R>(fn: (conn: Connection) => Promise<R>): Promise<R> {
    const conn = await this.acquire();
    try {
      return await fn(conn);
    } finally {
      this.release(conn);
    }
  }

  /** Runs fn inside BEGIN … COMMIT (ROLLBACK if it throws). */
  async transaction<R>(fn: (conn: Connection) => Promise<R>): Promise<R> {
    return this.withConnection(async (conn) => {
      await conn.query('BEGIN');
      try {
        const r = await fn(conn);
        await conn.query('COMMIT');
        return r;
      } catch (e) {
        if (!conn.closed) await conn.query('ROLLBACK').catch(() => {});
        throw e;
      }
    });
  }

  /** One statement on any pooled connection. */
  query<T = Record<string, unknown>>(
    sql: string,
    params: readonly QueryParam[] = [],
    options: QueryOptions = {},
  ): Promise<QueryResult<T>> {
    return this.withConnection((c) => c.query<T>(sql, params, options));
  }

  /** Closes idle connections now and the others when released; waiting callers fail. */
  async end(): Promise<void> {
    this.ended = true;
    for (const w of this.waiters.splice(0)) {
      w.cleanup();
      w.reject(new InterfaceError('pool has been ended'));
    }
    const closing: Array<Promise<void>> = [];
    for (const entry of this.idle.splice(0)) {
      if (entry.timer) clearTimeout(entry.timer);
      this.all.delete(entry.conn);
      closing.push(entry.conn.close());
    }
    await Promise.all(closing);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.end();
  }

  private discard(conn: Connection): void {
    this.all.delete(conn);
    if (!conn.closed) void conn.close().catch(() => {});
  }

  /** Matches waiting callers with idle connections, opening new ones while under `max`. */
  private dispatch(): void {
    while (this.waiters.length > 0 && this.idle.length > 0) {
      const entry = this.idle.pop()!;
      if (entry.timer) clearTimeout(entry.timer);
      if (entry.conn.closed) {
        this.all.delete(entry.conn);
        continue;
      }
      const waiter = this.waiters.shift()!;
      if (Date.now() - entry.since >= this.healthCheckAfter) {
        this.checkThenGive(entry.conn, waiter);
      } else {
        waiter.cleanup();
        waiter.resolve(entry.conn);
      }
    }
    while (this.waiters.length > this.opening && this.all.size + this.opening < this.max) {
      this.open();
    }
  }

  private checkThenGive(conn: Connection, waiter: Waiter): void {
    conn.exec('').then(
      () => {
        waiter.cleanup();
        waiter.resolve(conn);
      },
      () => {
        // Broken while idle: replace it, and put the caller back at the front of the line.
        this.all.delete(conn);
        this.waiters.unshift(waiter);
        this.dispatch();
      },
    );
  }

  private open(): void {
    this.opening++;
    connect(this.connection, this.options.connectOptions ?? {}).then(
      (conn) => {
        this.opening--;
        if (this.ended) {
          void conn.close().catch(() => {});
          return;
        }
        this.all.add(conn);
        conn.on('close', () => {
          this.all.delete(conn);
          const i = this.idle.findIndex((e) => e.conn === conn);
          if (i >= 0) {
            const [entry] = this.idle.splice(i, 1);
            if (entry?.timer) clearTimeout(entry.timer);
          }
        });
        const waiter = this.waiters.shift();
        if (waiter) {
          waiter.cleanup();
          waiter.resolve(conn);
        } else {
          this.release(conn);
        }
        this.dispatch();
      },
      (err: unknown) => {
        this.opening--;
        // The caller first in line learns why; the others keep waiting for another attempt.
        const waiter = this.waiters.shift();
        if (waiter) {
          waiter.cleanup();
          waiter.reject(err instanceof Error ? err : new ConnectionError('connect', String(err)));
        }
        this.dispatch();
      },
    );
  }
}

function abortError(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new InterfaceError('acquire aborted');
}
