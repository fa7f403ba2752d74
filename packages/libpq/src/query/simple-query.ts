/**
 * The simple query protocol (libpq's PQexec / PQsendQuery): one Query message that may hold several
 * statements, each giving its own Result, including COPY FROM STDIN / TO STDOUT when the caller
 * supplies the data source / sink. What psql uses for everything the user types.
 */
import type { BackendMessage, MessageWriter } from '@tuskdb/shared-protocol';
import { DatabaseError } from '../errors.js';
import type { Operation } from '../connection/operation.js';
import { Result } from './result.js';

export interface CopyInfo {
  direction: 'in' | 'out';
  /** 0 text/CSV, 1 binary. */
  format: 0 | 1;
  columnFormats: Array<0 | 1>;
}

export interface ExecOptions {
  /** Called with each result as soon as it is complete (before the whole call resolves). */
  onResult?: (result: Result) => void;
  /** Data for COPY … FROM STDIN; without it such a COPY fails with CopyFail. */
  copyIn?: (info: CopyInfo) => AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  /** Receives COPY … TO STDOUT data; without it the data is collected in `result.copyData`. */
  onCopyData?: (chunk: Uint8Array) => void;
}

/** Sends CopyData/CopyDone/CopyFail for COPY FROM STDIN; implemented by the connection. */
export interface CopySender {
  sendCopyData(data: Uint8Array): Promise<void>;
  endCopy(failure?: string): void;
}

export class SimpleQuery implements Operation {
  readonly results: Result[] = [];
  readonly barrier: boolean;
  private current: Result | null = null;

  constructor(
    private readonly sql: string,
    private readonly options: ExecOptions,
    private readonly settle: (err: Error | null, results: Result[]) => void,
    private readonly copy: CopySender,
  ) {
    // Anything written after a Query that turns into COPY FROM STDIN would break the copy.
    this.barrier = /\bcopy\b/i.test(sql);
  }

  write(w: MessageWriter): void {
    w.frontend({ type: 'Query', sql: this.sql });
  }

  private cur(): Result {
    return (this.current ??= new Result());
  }

  private finish(): void {
    const r = this.current;
    if (!r) return;
    this.current = null;
    this.results.push(r);
    this.options.onResult?.(r);
  }

  handle(m: BackendMessage): boolean {
    switch (m.type) {
      case 'DataRow':
        this.cur().rows.push(m.values);
        return false;
      case 'RowDescription': {
        const r = this.cur();
        r.fields = m.fields;
        r.status = 'PGRES_TUPLES_OK';
        return false;
      }
      case 'CommandComplete':
        this.cur().command = m.tag;
        this.finish();
        return false;
      case 'EmptyQueryResponse':
        this.cur().status = 'PGRES_EMPTY_QUERY';
        this.finish();
        return false;
      case 'ErrorResponse': {
        const r = this.cur();
        r.status = 'PGRES_FATAL_ERROR';
        r.error = new DatabaseError(m);
        r.error.query = this.sql;
        this.finish();
        return false;
      }
      case 'CopyOutResponse':
        this.cur().status = 'PGRES_COPY_OUT';
        return false;
      case 'CopyData': {
        const sink = this.options.onCopyData;
        if (sink) sink(m.data);
        else (this.cur().copyData ??= []).push(Uint8Array.prototype.slice.call(m.data));
        return false;
      }
      case 'CopyInResponse': {
        this.cur().status = 'PGRES_COPY_IN';
        const source = this.options.copyIn?.({
          direction: 'in',
          format: m.format,
          columnFormats: m.columnFormats,
        });
        if (!source) {
          this.copy.endCopy('COPY FROM STDIN requires a data source (the copyIn option)');
        } else {
          void this.pump(source);
        }
        return false;
      }
      case 'ReadyForQuery': {
        this.finish();
        const err = this.results.find((r) => r.error)?.error ?? null;
        this.settle(err, this.results);
        return true;
      }
      default:
        return false;
    }
  }

  private async pump(
    source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  ): Promise<void> {
    try {
      for await (const chunk of source) {
        await this.copy.sendCopyData(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      }
      this.copy.endCopy();
    } catch (e) {
      this.copy.endCopy(e instanceof Error ? e.message : String(e));
    }
  }

  fail(err: Error): void {
    this.settle(err, this.results);
  }
}
