/**
 * MessageWriter: one reusable, growable buffer that serialises many messages back to back, so a
 * whole response (RowDescription, every DataRow, CommandComplete, ReadyForQuery) leaves in a single
 * socket write.
 *
 * `take()` hands out a view of the bytes written since the previous take, without copying. Bytes
 * that were taken are never written again: later messages go after them, and when the buffer is
 * full a new one is allocated (the old one lives on as long as the taken views do). So a taken
 * buffer stays valid however the writer is used afterwards.
 *
 * Besides `frontend(m)` / `backend(m)` for typed message objects, the hot paths have helpers that
 * build no objects (`dataRowText`, `dataRow`, `commandComplete`, `readyForQuery`), and the
 * primitives (`startMessage`, `int16`, `int32`, `cstring`, `bytes`, `endMessage`) compose any other.
 */
import type {
  AuthenticationResponse,
  BackendMessage,
  EncodableFrontendMessage,
  TransactionStatus,
  WireValue,
} from '../messages.js';
import { encodeBackendInto } from './encode-backend.js';
import { encodeFrontendInto } from './encode-frontend.js';
import { CHARACTER_NOT_IN_REPERTOIRE, ProtocolError } from './protocol-error.js';

const DEFAULT_SIZE = 16 * 1024;
/** After a take, a buffer grown beyond this is dropped, so one huge result does not pin memory. */
const MAX_RETAINED = 1024 * 1024;
/** After a take, a buffer with less free space than this is replaced rather than sliced further. */
const MIN_FREE = 512;
/** Strings shorter than this are written by a JS loop when ASCII (cheaper than a native call). */
const SHORT_STRING = 64;
/**
 * Room for a string's UTF-8 form: 3 bytes per UTF-16 unit is the worst case and free to compute;
 * above 64 kB the exact count is worth its scan, so a 300 MB query does not reserve 900 MB.
 */
function utf8Room(s: string): number {
  return s.length <= 0x10000 ? s.length * 3 : Buffer.byteLength(s, 'utf8');
}

export class MessageWriter {
  private buf: Buffer;
  /** Next byte to write. */
  private pos = 0;
  /** First byte not yet taken. */
  private start = 0;
  /** Offset of the current message's length word, or -1 outside a message. */
  private lengthAt = -1;
  private readonly initialSize: number;

  constructor(initialSize = DEFAULT_SIZE) {
    this.initialSize = Math.max(64, initialSize);
    this.buf = Buffer.allocUnsafe(this.initialSize);
  }

  /** Bytes written since the last `take()`. */
  get length(): number {
    return this.pos - this.start;
  }

  /** Returns the bytes written since the last take (a view, never overwritten later). */
  take(): Buffer {
    if (this.lengthAt >= 0) throw new Error('MessageWriter.take() inside an unfinished message');
    const out = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    if (this.buf.length - this.pos < MIN_FREE || this.buf.length > MAX_RETAINED) {
      this.buf = Buffer.allocUnsafe(this.initialSize);
      this.pos = 0;
      this.start = 0;
    }
    return out;
  }

  /** Drops everything written since the last take (e.g. a response abandoned by an error). */
  discard(): void {
    this.pos = this.start;
    this.lengthAt = -1;
  }

  /** Makes room for n more bytes. */
  ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    const used = this.pos - this.start;
    const size = Math.max(this.initialSize, (used + n) * 2);
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, this.start, this.pos);
    if (this.lengthAt >= 0) this.lengthAt -= this.start;
    this.buf = next;
    this.pos = used;
    this.start = 0;
  }

  /* ---------------- primitives ---------------- */

  /** Starts a typed message: type byte and a length word patched by `endMessage()`. */
  startMessage(type: number): this {
    this.ensure(5);
    this.buf[this.pos] = type;
    this.lengthAt = this.pos + 1;
    this.pos += 5;
    return this;
  }

  /** Starts an untyped (startup-phase) packet: just the length word. */
  startUntypedMessage(): this {
    this.ensure(4);
    this.lengthAt = this.pos;
    this.pos += 4;
    return this;
  }

  endMessage(): this {
    const at = this.lengthAt;
    const len = this.pos - at;
    if (len > 0x7fffffff) throw new RangeError('message longer than 2^31 - 1 bytes');
    this.buf.writeInt32BE(len, at);
    this.lengthAt = -1;
    return this;
  }

  int8(v: number): this {
    this.ensure(1);
    this.buf[this.pos++] = v;
    return this;
  }

  int16(v: number): this {
    this.ensure(2);
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 8;
    b[p + 1] = v;
    this.pos = p + 2;
    return this;
  }

  int32(v: number): this {
    this.ensure(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 24;
    b[p + 1] = v >>> 16;
    b[p + 2] = v >>> 8;
    b[p + 3] = v;
    this.pos = p + 4;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
    return this;
  }

  /** Appends already-encoded bytes (e.g. a precomputed constant message). */
  raw(data: Uint8Array): this {
    if (this.lengthAt >= 0) throw new Error('MessageWriter.raw() inside an unfinished message');
    return this.bytes(data);
  }

  /** Writes s as UTF-8 (no terminator); returns the number of bytes. */
  private utf8(s: string): number {
    const n = s.length;
    this.ensure(utf8Room(s));
    const b = this.buf;
    const p = this.pos;
    if (n < SHORT_STRING) {
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        b[p + i] = c;
      }
      if (i === n) {
        this.pos = p + n;
        return n;
      }
    }
    const written = b.write(s, p);
    this.pos = p + written;
    return written;
  }

  /** A NUL-terminated string; a NUL inside cannot be represented and is rejected as PG does. */
  cstring(s: string): this {
    const n = s.length;
    this.ensure(utf8Room(s) + 1);
    const b = this.buf;
    const p = this.pos;
    if (n < SHORT_STRING) {
      // One pass for the common short ASCII name: copy, and catch a NUL on the way.
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80 || c === 0) break;
        b[p + i] = c;
      }
      if (i === n) {
        b[p + n] = 0;
        this.pos = p + n + 1;
        return this;
      }
    }
    if (s.includes('\0')) {
      throw new ProtocolError(
        CHARACTER_NOT_IN_REPERTOIRE,
        'invalid byte sequence for encoding "UTF8": 0x00',
      );
    }
    this.pos = p + b.write(s, p);
    b[this.pos++] = 0;
    return this;
  }

  /** Int32 length (-1 for null) and the bytes: a Bind parameter, a DataRow column, … */
  value(v: WireValue): this {
    if (v === null) return this.int32(-1);
    return this.int32(v.length).bytes(v);
  }

  /** Int32 length (-1 for null) and the UTF-8 text. */
  textValue(v: string | null): this {
    if (v === null) return this.int32(-1);
    this.ensure(4 + utf8Room(v));
    const at = this.pos;
    this.pos += 4;
    const n = this.utf8(v);
    this.buf.writeInt32BE(n, at);
    return this;
  }

  /* ---------------- typed messages ---------------- */

  /** Any client message, including the decoder's raw AuthenticationResponse (a proxy forwards it). */
  frontend(m: EncodableFrontendMessage | AuthenticationResponse): this {
    encodeFrontendInto(this, m);
    return this;
  }

  backend(m: BackendMessage): this {
    encodeBackendInto(this, m);
    return this;
  }

  /* ---------------- hot-path helpers ---------------- */

  /** DataRow of text values (null = SQL NULL). */
  dataRowText(values: ReadonlyArray<string | null>): this {
    this.startMessage(0x44).int16(values.length);
    for (let i = 0; i < values.length; i++) this.textValue(values[i]!);
    return this.endMessage();
  }

  /** DataRow of already-encoded values (text or binary bytes; null = SQL NULL). */
  dataRow(values: ReadonlyArray<WireValue>): this {
    this.startMessage(0x44).int16(values.length);
    for (let i = 0; i < values.length; i++) this.value(values[i]!);
    return this.endMessage();
  }

  commandComplete(tag: string): this {
    return this.startMessage(0x43).cstring(tag).endMessage();
  }

  readyForQuery(status: TransactionStatus): this {
    return this.startMessage(0x5a).int8(status.charCodeAt(0)).endMessage();
  }
}
