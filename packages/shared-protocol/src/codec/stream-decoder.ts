/**
 * StreamDecoder: splits a byte stream into protocol frames, whatever the chunking.
 *
 * Chunks are kept as received and frames are decoded straight out of them; bytes are copied only
 * for a frame that straddles chunks, and then exactly once (pending chunks are kept in a list until
 * the whole frame has arrived, so a 100 MB CopyData arriving in 64 kB pieces costs one copy, not a
 * quadratic series of re-concatenations). A frame's length is validated as soon as its header is
 * readable — before any byte of its body is buffered or allocated.
 *
 * Subclasses say how long the frame at a position is (`frameLength`, which also validates its
 * header) and decode a complete frame (`decodeFrame`).
 *
 * Ownership: the decoder keeps references to pushed chunks (no copy), so a caller must not modify a
 * chunk after pushing it. Node's socket 'data' chunks are fresh buffers, which is the common case.
 */
import { ProtocolError } from './protocol-error.js';

export type ChunkInput = Uint8Array;

export function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
}

/** Longest header any frame kind has (type byte + length word). */
const MAX_HEADER = 5;

export abstract class StreamDecoder<M> {
  /** Chunks (or tails of chunks) received but not yet decoded, oldest first. */
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** Total length of the frame at the start of `pending`, once its header has been read; else -1. */
  private pendingFrame = -1;
  /** Set by pause() from inside onMessage: stop after the current message. */
  private pauseRequested = false;
  /** Set by a fatal error: the stream is out of sync and every later push rethrows it. */
  private broken: ProtocolError | null = null;
  private readonly header = Buffer.alloc(MAX_HEADER);

  /**
   * Returns the total length (header included) of the frame starting at `buf[pos]`, given that
   * `avail` bytes are readable there, or -1 if more bytes are needed to know it. Throws a fatal
   * ProtocolError for an invalid header.
   */
  protected abstract frameLength(buf: Buffer, pos: number, avail: number): number;

  /** Decodes the complete frame `buf[start, end)` and hands the message(s) to `onMessage`. */
  protected abstract decodeFrame(
    buf: Buffer,
    start: number,
    end: number,
    onMessage: (m: M) => void,
  ): void;

  /**
   * Feeds received bytes; calls `onMessage` for every complete message, in order. Throws
   * ProtocolError on malformed input (see `ProtocolError.fatal` for whether decoding can go on;
   * after a non-fatal error, push an empty chunk to decode what was already buffered).
   */
  push(chunk: ChunkInput, onMessage: (m: M) => void): void {
    if (this.broken) throw this.broken;
    const buf = asBuffer(chunk);
    let pos = 0;
    if (this.pendingLength > 0) {
      let frame = this.pendingFrame;
      if (frame < 0) {
        frame = this.peekPendingHeader(buf);
        if (frame < 0) {
          if (buf.length > 0) this.keep(buf);
          return;
        }
        this.pendingFrame = frame;
      }
      if (this.pendingLength + buf.length < frame) {
        if (buf.length > 0) this.keep(buf);
        return;
      }
      if (this.pendingLength > frame) {
        // Only after an exception or a pause: what was kept holds more than one frame. Just join it.
        if (buf.length > 0) this.keep(buf);
        const all = Buffer.concat(this.pending, this.pendingLength);
        this.discardBufferedBytes();
        this.run(all, 0, all, 0, onMessage);
        return;
      }
      // The straddling frame is complete: assemble exactly it, then go on in `buf`.
      const assembled = Buffer.allocUnsafe(frame);
      let at = 0;
      for (const piece of this.pending) {
        piece.copy(assembled, at);
        at += piece.length;
      }
      pos = frame - at;
      buf.copy(assembled, at, 0, pos);
      this.pending = [];
      this.pendingLength = 0;
      this.pendingFrame = -1;
      if (!this.run(assembled, 0, buf, pos, onMessage)) return;
    }
    this.run(buf, pos, buf, pos, onMessage);
  }

  /**
   * Stops decoding after the message being delivered (call it from inside onMessage): the bytes
   * after it stay buffered — `bufferedBytes()` returns them, e.g. to hand the stream to another
   * process after the startup packet — and the next `push` (an empty chunk will do) resumes.
   */
  pause(): void {
    this.pauseRequested = true;
  }

  /**
   * Decodes frames from `buf[pos…]`. `restBuf`/`restPos` say what to keep if decoding stops (an
   * exception from a message or from onMessage, or a pause): when `buf` is an assembled straddling
   * frame the rest of the stream continues in the chunk it was completed from. Returns false if
   * decoding stopped (pause) and the caller must not go on with `restBuf`.
   */
  private run(
    buf: Buffer,
    pos: number,
    restBuf: Buffer,
    restPos: number,
    onMessage: (m: M) => void,
  ): boolean {
    const end = buf.length;
    const standalone = buf !== restBuf;
    while (pos < end) {
      const avail = end - pos;
      let frame: number;
      try {
        frame = this.frameLength(buf, pos, avail);
      } catch (err) {
        this.fail(err, buf.subarray(pos));
        throw err;
      }
      if (frame < 0 || frame > avail) {
        this.pendingFrame = frame;
        this.keep(buf.subarray(pos));
        return true;
      }
      const next = pos + frame;
      try {
        this.decodeFrame(buf, pos, next, onMessage);
      } catch (err) {
        // The frame is consumed; keep the rest so decoding can resume with the next message.
        if (standalone) {
          if (restPos < restBuf.length) this.keep(restBuf.subarray(restPos));
        } else if (next < end) {
          this.keep(buf.subarray(next));
        }
        if (err instanceof ProtocolError && err.fatal) this.broken = err;
        this.pauseRequested = false;
        this.pendingFrame = -1;
        throw err;
      }
      pos = next;
      if (this.pauseRequested) {
        this.pauseRequested = false;
        if (standalone) {
          if (restPos < restBuf.length) this.keep(restBuf.subarray(restPos));
        } else if (next < end) {
          this.keep(buf.subarray(next));
        }
        this.pendingFrame = -1;
        return false;
      }
    }
    return true;
  }

  private fail(err: unknown, rest: Buffer): void {
    if (rest.length > 0) this.keep(rest);
    if (err instanceof ProtocolError) this.broken = err;
  }

  private keep(piece: Buffer): void {
    this.pending.push(piece);
    this.pendingLength += piece.length;
  }

  /** Reads the header of the pending frame across the pending chunks and `next`; -1 if too short. */
  private peekPendingHeader(next: Buffer): number {
    const h = this.header;
    let n = 0;
    for (const piece of this.pending) {
      for (let i = 0; i < piece.length && n < MAX_HEADER; i++) h[n++] = piece[i]!;
      if (n === MAX_HEADER) break;
    }
    for (let i = 0; i < next.length && n < MAX_HEADER; i++) h[n++] = next[i]!;
    try {
      return this.frameLength(h, 0, n);
    } catch (err) {
      this.keep(next);
      if (err instanceof ProtocolError) this.broken = err;
      throw err;
    }
  }

  /**
   * The bytes received but not yet decoded (a copy), e.g. to hand a half-read stream to another
   * module or to check that nothing arrived in clear text before a TLS handshake.
   */
  bufferedBytes(): Uint8Array {
    return Buffer.concat(this.pending, this.pendingLength);
  }

  /** Drops the buffered bytes (after handing them over with `bufferedBytes`). */
  discardBufferedBytes(): void {
    this.pending = [];
    this.pendingLength = 0;
    this.pendingFrame = -1;
  }

  /** Frame kinds change (startup → typed): forget a header length computed under the old kind. */
  protected resetPendingFrame(): void {
    this.pendingFrame = -1;
  }
}
