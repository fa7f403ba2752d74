/**
 * The unit of work on a connection: something that writes protocol messages and then consumes the
 * server's responses to them, in order. The connection keeps a FIFO of operations whose messages
 * are on the wire; every response message (other than the asynchronous ones: notices,
 * notifications, parameter changes) belongs to the operation at the head of that FIFO.
 */
import type { BackendMessage, MessageWriter } from '@tuskdb/shared-protocol';

export interface Operation {
  /** Writes this operation's messages (called once, in queue order). */
  write(w: MessageWriter): void;
  /**
   * Consumes one response message; returns true when the operation is complete and must be
   * removed from the head of the queue.
   */
  handle(m: BackendMessage): boolean;
  /** The connection failed (or the operation was dropped before being sent): settle with `err`. */
  fail(err: Error): void;
  /**
   * When true, operations queued after this one are not written until it completes — for those
   * that talk to the server interactively (COPY FROM STDIN, cursors that fetch in batches).
   */
  readonly barrier?: boolean;
  /** In pipeline mode: this operation ends its pipeline segment (it wrote a Sync). */
  readonly isSync?: boolean;
  /** In pipeline mode: a statement whose results come before the segment's Sync. */
  readonly inPipeline?: boolean;
}
