/**
 * One statement through the extended protocol: [Parse] Bind Describe(portal) Execute [Sync].
 *
 * Outside pipeline mode each call ends with its own Sync, so concurrent calls on one connection are
 * pipelined automatically and an error affects only its own statement. In pipeline mode the Sync is
 * left to `pipelineSync()` and the operation completes at CommandComplete (or its error).
 */
import type { BackendMessage, FormatCode, MessageWriter } from '@tuskdb/shared-protocol';
import { DatabaseError } from '../errors.js';
import type { Operation } from '../connection/operation.js';
import { Result } from './result.js';

export interface ExtendedQuerySpec {
  /** Statement name ('' = unnamed). */
  statement: string;
  /** SQL to Parse first; undefined when executing an already prepared statement. */
  sql?: string;
  paramTypes: number[];
  params: Array<string | null>;
  resultFormat: FormatCode;
  /** false in pipeline mode. */
  sync: boolean;
}

export class ExtendedQuery implements Operation {
  readonly result = new Result();
  readonly barrier: boolean;
  readonly inPipeline: boolean;
  private error: DatabaseError | null = null;
  /** Set by the connection to answer a CopyInResponse (this call does not do COPY FROM STDIN). */
  refuseCopyIn: ((w: (m: MessageWriter) => void) => void) | null = null;

  constructor(
    private readonly spec: ExtendedQuerySpec,
    private readonly settle: (err: Error | null, result: Result) => void,
    private readonly writeNow: (fn: (w: MessageWriter) => void) => void,
  ) {
    this.inPipeline = !spec.sync;
    // A COPY FROM STDIN through this call needs its own CopyFail + Sync; nothing may follow it.
    this.barrier = spec.sql !== undefined && /^\s*copy\b/i.test(spec.sql);
  }

  write(w: MessageWriter): void {
    const s = this.spec;
    if (s.sql !== undefined) {
      w.frontend({
        type: 'Parse',
        statement: s.statement,
        sql: s.sql,
        parameterTypes: s.paramTypes,
      });
    }
    w.startMessage(0x42 /* Bind */)
      .cstring('')
      .cstring(s.statement)
      .int16(0)
      .int16(s.params.length);
    for (const p of s.params) w.textValue(p);
    w.int16(1).int16(s.resultFormat).endMessage();
    w.frontend({ type: 'Describe', target: 'P', name: '' });
    w.frontend({ type: 'Execute', portal: '', maxRows: 0 });
    if (s.sync) w.frontend({ type: 'Sync' });
  }

  handle(m: BackendMessage): boolean {
    const r = this.result;
    switch (m.type) {
      case 'DataRow':
        r.rows.push(m.values);
        return false;
      case 'RowDescription':
        r.fields = m.fields;
        r.status = 'PGRES_TUPLES_OK';
        return false;
      case 'CommandComplete':
        r.command = m.tag;
        return this.endOfStatement();
      case 'EmptyQueryResponse':
        r.status = 'PGRES_EMPTY_QUERY';
        return this.endOfStatement();
      case 'PortalSuspended':
        return this.endOfStatement();
      case 'ErrorResponse':
        this.error = new DatabaseError(m);
        if (this.spec.sql !== undefined) this.error.query = this.spec.sql;
        r.status = 'PGRES_FATAL_ERROR';
        r.error = this.error;
        return this.endOfStatement();
      case 'ReadyForQuery':
        this.settle(this.error, r);
        return true;
      case 'CopyInResponse':
        this.writeNow((w) => {
          w.frontend({
            type: 'CopyFail',
            message: 'COPY FROM STDIN is not supported by query(); use copyFrom()',
          });
          w.frontend({ type: 'Sync' });
        });
        return false;
      case 'CopyData':
        (r.copyData ??= []).push(Uint8Array.prototype.slice.call(m.data));
        return false;
      default:
        return false;
    }
  }

  private endOfStatement(): boolean {
    if (this.spec.sync) return false;
    this.settle(this.error, this.result);
    return true;
  }

  fail(err: Error): void {
    // A FATAL error (e.g. the session was terminated) explains this statement's failure best.
    const own = this.error;
    this.settle(
      own && (own.severity === 'FATAL' || own.severity === 'PANIC') ? own : err,
      this.result,
    );
  }
}
