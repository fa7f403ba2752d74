/**
 * COPY's binary format: the `PGCOPY\n\377\r\n\0` signature, a flags word and header extension,
 * then per tuple a 16-bit field count and length-prefixed fields in each type's binary (send/recv)
 * representation, ended by a -1 field count.
 */
import { PgError } from '../../utils/errors.js';

export const BINARY_SIGNATURE = Uint8Array.from([
  0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00,
]);

/** Signature, flags (no OIDs) and an empty header extension. */
export function binaryHeader(): Uint8Array {
  const b = Buffer.alloc(BINARY_SIGNATURE.length + 8);
  b.set(BINARY_SIGNATURE, 0);
  return b;
}

export function binaryTrailer(): Uint8Array {
  return Uint8Array.of(0xff, 0xff);
}

export function formatBinaryRecord(fields: Array<Uint8Array | null>): Uint8Array {
  let size = 2;
  for (const f of fields) size += 4 + (f ? f.length : 0);
  const b = Buffer.allocUnsafe(size);
  b.writeInt16BE(fields.length, 0);
  let o = 2;
  for (const f of fields) {
    if (!f) {
      b.writeInt32BE(-1, o);
      o += 4;
      continue;
    }
    b.writeInt32BE(f.length, o);
    b.set(f, o + 4);
    o += 4 + f.length;
  }
  return b;
}

const badFormat = (message: string): PgError => new PgError('22P04', message);

/** Reads binary COPY input incrementally into tuples of raw field bytes. */
export class BinaryRecordReader {
  private buf: Buffer = Buffer.alloc(0);
  private headerDone = false;
  private tuples = 0;
  sawEndMarker = false;

  constructor(private readonly expectedFields: number) {}

  get lineNumber(): number {
    return this.tuples;
  }

  feed(chunk: Uint8Array): Array<Array<Uint8Array | null>> {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : Buffer.from(chunk);
    return this.drain(false);
  }

  finish(): Array<Array<Uint8Array | null>> {
    return this.drain(true);
  }

  private drain(final: boolean): Array<Array<Uint8Array | null>> {
    const out: Array<Array<Uint8Array | null>> = [];
    const b = this.buf;
    let o = 0;
    if (!this.headerDone) {
      if (b.length < BINARY_SIGNATURE.length + 8) {
        if (final) throw badFormat('COPY file signature not recognized');
        return out;
      }
      for (let i = 0; i < BINARY_SIGNATURE.length; i++)
        if (b[i] !== BINARY_SIGNATURE[i]) throw badFormat('COPY file signature not recognized');
      const flags = b.readInt32BE(11);
      if ((flags & 0xffff0000) !== 0 && (flags & ~(1 << 16)) !== 0)
        throw badFormat('unrecognized critical flags in COPY file header');
      if (flags & (1 << 16)) throw badFormat('COPY with OIDs is not supported');
      const extLen = b.readInt32BE(15);
      if (extLen < 0) throw badFormat('invalid COPY file header (wrong length)');
      if (b.length < 19 + extLen) {
        if (final) throw badFormat('invalid COPY file header (wrong length)');
        return out;
      }
      o = 19 + extLen;
      this.headerDone = true;
    }
    while (!this.sawEndMarker) {
      if (b.length - o < 2) break;
      const count = b.readInt16BE(o);
      if (count === -1) {
        this.sawEndMarker = true;
        o += 2;
        break;
      }
      if (count !== this.expectedFields) {
        this.tuples++;
        throw badFormat(`row field count is ${count}, expected ${this.expectedFields}`);
      }
      let p = o + 2;
      const fields: Array<Uint8Array | null> = [];
      let complete = true;
      for (let i = 0; i < count; i++) {
        if (b.length - p < 4) {
          complete = false;
          break;
        }
        const len = b.readInt32BE(p);
        p += 4;
        if (len === -1) {
          fields.push(null);
          continue;
        }
        if (len < 0) throw badFormat('invalid field size');
        if (b.length - p < len) {
          complete = false;
          break;
        }
        fields.push(b.subarray(p, p + len));
        p += len;
      }
      if (!complete) break;
      this.tuples++;
      out.push(fields);
      o = p;
    }
    if (final && !this.sawEndMarker && o < b.length) throw badFormat('unexpected EOF in COPY data');
    // Copy the remainder out so the fields handed out above don't pin (or see) a reused buffer.
    this.buf = Buffer.from(b.subarray(o));
    return out;
  }
}
