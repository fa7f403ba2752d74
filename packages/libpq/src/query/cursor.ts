/**
 * Cursors: a result read in batches through a portal (Execute with a row limit), so a large result
 * never has to be held whole. The operation holds the connection (a barrier) until the result is
 * exhausted or the cursor is closed; its Sync is sent only then, since a Sync would close the
 * portal of an implicit transaction.
 */
import type {
  BackendMessage,
  FieldDescription,
  MessageWriter,
  WireValue,
} from '@tuskdb/shared-protocol';
import { DatabaseError, InterfaceError } from '../errors.js';
import type { Operation } from '../connection/operation.js';
import type { TypeParsers } from '../types/parsers.js';
import { toQueryResult, Result, type RowMode } from './result.js';

interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
}

export class CursorOperation implements Operation {
  readonly barrier = true;
  fields: FieldDescription[] = [];
  command = '';
  private buffered: WireValue[][] = [];
  private exhausted = false;
  private syncSent = false;
  private completed = false;
  private executing = true;
  private closing = false;
  private error: Error | null = null;
  private waiter: Waiter | null = null;
  private closeWaiters: Waiter[] = [];

  constructor(
    private readonly sql: string,
    private readonly paramTypes: number[],
    private readonly params: Array<string | null>,
    private readonly batchSize: number,
    private readonly writeNow: (fn: (w: MessageWriter) => void) => void,
  ) {}

  write(w: MessageWriter): void {
    w.frontend({ type: 'Parse', statement: '', sql: this.sql, parameterTypes: this.paramTypes });
    w.startMessage(0x42).cstring('').cstring('').int16(0).int16(this.params.length);
    for (const p of this.params) w.textValue(p);
    w.int16(0).endMessage();
    w.frontend({ type: 'Describe', target: 'P', name: '' });
    w.frontend({ type: 'Execute', portal: '', maxRows: this.batchSize });
    w.frontend({ type: 'Flush' });
  }

  private sendSync(): void {
    if (this.syncSent) return;
    this.syncSent = true;
    this.writeNow((w) => w.frontend({ type: 'Sync' }));
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    if (!w) return;
    if (this.error && this.buffered.length === 0) w.reject(this.error);
    else w.resolve();
  }

  handle(m: BackendMessage): boolean {
    switch (m.type) {
      case 'DataRow':
        this.buffered.push(m.values);
        return false;
      case 'RowDescription':
        this.fields = m.fields;
        return false;
      case 'PortalSuspended':
        this.executing = false;
        if (this.closing) {
          this.buffered = [];
          this.sendSync();
        }
        this.wake();
        return false;
      case 'CommandComplete':
        this.command = m.tag;
        this.exhausted = true;
        this.executing = false;
        this.sendSync();
        this.wake();
        return false;
      case 'EmptyQueryResponse':
        this.exhausted = true;
        this.executing = false;
        this.sendSync();
        this.wake();
        return false;
      case 'ErrorResponse': {
        const e = new DatabaseError(m);
        e.query = this.sql;
        this.error = e;
        this.exhausted = true;
        this.executing = false;
        this.sendSync();
        this.wake();
        return false;
      }
      case 'ReadyForQuery':
        this.completed = true;
        this.exhausted = true;
        this.wake();
        for (const w of this.closeWaiters.splice(0)) w.resolve();
        return true;
      case 'CopyInResponse':
        this.writeNow((w) =>
          w.frontend({ type: 'CopyFail', message: 'COPY is not supported in a cursor' }),
        );
        return false;
      default:
        return false;
    }
  }

  fail(err: Error): void {
    if (!this.error) this.error = err;
    this.exhausted = true;
    this.completed = true;
    this.buffered = [];
    this.wake();
    for (const w of this.closeWaiters.splice(0)) w.reject(err);
  }

  /** The next batch of raw rows ([] once the result is exhausted). */
  async nextRaw(): Promise<WireValue[][]> {
    for (;;) {
      if (this.buffered.length > 0) {
        const rows = this.buffered;
        this.buffered = [];
        return rows;
      }
      if (this.error) throw this.error;
      if (this.exhausted) return [];
      if (this.waiter) throw new InterfaceError('cursor read already in progress');
      if (!this.executing) {
        this.executing = true;
        this.writeNow((w) => {
          w.frontend({ type: 'Execute', portal: '', maxRows: this.batchSize });
          w.frontend({ type: 'Flush' });
        });
      }
      await new Promise<void>((resolve, reject) => {
        this.waiter = { resolve, reject };
      });
    }
  }

  /** Ends the portal (if still open) and waits until the connection is free again. */
  async close(): Promise<void> {
    if (this.completed) {
      if (this.error && !(this.error instanceof DatabaseError)) throw this.error;
      return;
    }
    this.closing = true;
    this.buffered = [];
    // While an Execute is outstanding its answer comes first; the Sync follows it (see handle()).
    if (!this.executing) this.sendSync();
    await new Promise<void>((resolve, reject) => this.closeWaiters.push({ resolve, reject }));
  }
}

/** The user-facing cursor: batches of parsed rows, or an async iterator over rows. */
export class Cursor<T = Record<string, unknown>> implements AsyncIterable<T> {
  constructor(
    private readonly op: CursorOperation,
    private readonly parsers: TypeParsers,
    private readonly rowMode: RowMode,
  ) {}

  /** RowDescription of the result (available after the first read). */
  get fields(): FieldDescription[] {
    return this.op.fields;
  }

  /** The command tag once the result is exhausted ("SELECT 1000"). */
  get command(): string {
    return this.op.command;
  }

  /** Up to one batch of rows; [] when the result is exhausted. */
  async read(): Promise<T[]> {
    const raw = await this.op.nextRaw();
    if (raw.length === 0) return [];
    const r = new Result();
    r.fields = this.op.fields;
    r.rows = raw;
    return toQueryResult<T>(r, this.parsers, this.rowMode).rows;
  }

  async close(): Promise<void> {
    await this.op.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    try {
      for (;;) {
        const rows = await this.read();
        if (rows.length === 0) return;
        yield* rows;
      }
    } finally {
      await this.close();
    }
  }
}
