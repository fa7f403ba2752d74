/**
 * COPY as Node streams with backpressure.
 *
 * copyFrom: a Writable; each chunk becomes one CopyData, and the write completes only when the
 * socket has taken it (so a fast producer waits for the network); end() sends CopyDone and
 * 'finish' fires once the server confirmed the COPY; destroy(err) sends CopyFail. A server error
 * (bad row) destroys the stream with that DatabaseError.
 *
 * copyTo: a Readable of the server's CopyData chunks; when the consumer is slow the connection
 * stops reading from its socket, so the server is held back by TCP flow control.
 */
import { Readable, Writable } from 'node:stream';
import type { BackendMessage, MessageWriter } from '@tuskdb/shared-protocol';
import { DatabaseError, InterfaceError } from '../errors.js';
import type { Operation } from '../connection/operation.js';
import { commandRowCount } from './result.js';

/** What copy operations need from the connection. */
export interface CopyChannel {
  writeNow(fn: (w: MessageWriter) => void): boolean;
  /** Calls back once the socket's buffer has drained. */
  onDrain(cb: () => void): void;
  pauseInput(): void;
  resumeInput(): void;
}

export class CopyFromStream extends Writable {
  /** Rows the server reported copying (after 'finish'). */
  rowCount: number | null = null;
  /** @internal */
  readonly op: Operation;
  private ready = false;
  private pending: Array<() => void> = [];
  private serverError: Error | null = null;
  private done = false;
  private finalCallback: ((err?: Error | null) => void) | null = null;

  constructor(
    sql: string,
    private readonly channel: CopyChannel,
  ) {
    super({ decodeStrings: true });
    this.op = {
      barrier: true,
      write: (w) => {
        w.frontend({ type: 'Query', sql });
      },
      handle: (m) => this.onMessage(m, sql),
      fail: (err) => this.onFail(err),
    };
  }

  private onMessage(m: BackendMessage, sql: string): boolean {
    switch (m.type) {
      case 'CopyInResponse':
        this.ready = true;
        for (const run of this.pending.splice(0)) run();
        return false;
      case 'CommandComplete':
        this.rowCount = commandRowCount(m.tag);
        return false;
      case 'ErrorResponse': {
        const e = new DatabaseError(m);
        e.query = sql;
        this.serverError = e;
        return false;
      }
      case 'CopyOutResponse':
        this.serverError = new InterfaceError('copyFrom() was given a COPY … TO statement');
        return false;
      case 'ReadyForQuery':
        this.done = true;
        this.settle(this.serverError);
        return true;
      default:
        return false;
    }
  }

  private onFail(err: Error): void {
    this.done = true;
    this.settle(err);
  }

  private settle(err: Error | null): void {
    for (const run of this.pending.splice(0)) run();
    const cb = this.finalCallback;
    this.finalCallback = null;
    if (cb) cb(err);
    else if (err) this.destroy(err);
    else if (!this.writableFinished)
      this.destroy(new InterfaceError('COPY ended before the stream was finished'));
  }

  private whenReady(run: () => void): void {
    if (this.ready || this.done) run();
    else this.pending.push(run);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.whenReady(() => {
      if (this.done)
        return cb(this.serverError ?? new InterfaceError('COPY is no longer in progress'));
      const flushed = this.channel.writeNow((w) => w.frontend({ type: 'CopyData', data: chunk }));
      if (flushed) cb();
      else this.channel.onDrain(() => cb());
    });
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.whenReady(() => {
      if (this.done) return cb(this.serverError);
      this.finalCallback = cb;
      this.channel.writeNow((w) => w.frontend({ type: 'CopyDone' }));
    });
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.done) {
      const message = err?.message ?? 'COPY aborted by the client';
      this.whenReady(() => {
        if (!this.done) this.channel.writeNow((w) => w.frontend({ type: 'CopyFail', message }));
      });
    }
    cb(err);
  }
}

export class CopyToStream extends Readable {
  rowCount: number | null = null;
  /** @internal */
  readonly op: Operation;
  private paused = false;
  private serverError: Error | null = null;
  private discard = false;

  constructor(
    sql: string,
    private readonly channel: CopyChannel,
  ) {
    super();
    this.op = {
      write: (w) => {
        w.frontend({ type: 'Query', sql });
      },
      handle: (m) => this.onMessage(m, sql),
      fail: (err) => {
        this.resume_();
        this.destroy(err);
      },
    };
  }

  private resume_(): void {
    if (this.paused) {
      this.paused = false;
      this.channel.resumeInput();
    }
  }

  private onMessage(m: BackendMessage, sql: string): boolean {
    switch (m.type) {
      case 'CopyData':
        if (this.discard) return false;
        // The view points into the socket's chunk, which is never reused: no copy needed.
        if (!this.push(m.data) && !this.paused) {
          this.paused = true;
          this.channel.pauseInput();
        }
        return false;
      case 'CommandComplete':
        this.rowCount = commandRowCount(m.tag);
        return false;
      case 'ErrorResponse': {
        const e = new DatabaseError(m);
        e.query = sql;
        this.serverError = e;
        return false;
      }
      case 'CopyInResponse':
        this.channel.writeNow((w) =>
          w.frontend({ type: 'CopyFail', message: 'copyTo() was given a COPY … FROM statement' }),
        );
        return false;
      case 'ReadyForQuery':
        this.resume_();
        if (this.serverError) this.destroy(this.serverError);
        else if (!this.discard) this.push(null);
        return true;
      default:
        return false;
    }
  }

  override _read(): void {
    this.resume_();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    // The server keeps sending until the COPY ends; drop the rest without stalling the connection.
    this.discard = true;
    this.resume_();
    cb(err);
  }
}
