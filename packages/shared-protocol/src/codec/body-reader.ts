/**
 * BodyReader: a bounds-checked cursor over one message body, with PostgreSQL's messages for the
 * faults pqformat.c reports (insufficient data, missing terminator, trailing bytes). Every fault
 * here is non-fatal: the frame was well delimited, only its content is wrong.
 */
import { isUtf8 } from 'node:buffer';
import {
  CHARACTER_NOT_IN_REPERTOIRE,
  INVALID_PARAMETER_VALUE,
  PROTOCOL_VIOLATION,
  ProtocolError,
} from './protocol-error.js';
import type { FormatCode } from '../messages.js';

export function insufficientData(): ProtocolError {
  return new ProtocolError(PROTOCOL_VIOLATION, 'insufficient data left in message');
}

export class BodyReader {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  end = 0;

  reset(buf: Buffer, pos: number, end: number): this {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    return this;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  byte(): number {
    if (this.pos >= this.end) throw insufficientData();
    return this.buf[this.pos++]!;
  }

  int16(): number {
    const p = this.pos;
    if (p + 2 > this.end) throw insufficientData();
    this.pos = p + 2;
    return this.buf.readInt16BE(p);
  }

  /** Counts are unsigned 16-bit on the wire (PostgreSQL reads them with pq_getmsgint(…, 2)). */
  uint16(): number {
    const p = this.pos;
    if (p + 2 > this.end) throw insufficientData();
    this.pos = p + 2;
    return (this.buf[p]! << 8) | this.buf[p + 1]!;
  }

  int32(): number {
    const p = this.pos;
    if (p + 4 > this.end) throw insufficientData();
    this.pos = p + 4;
    return this.buf.readInt32BE(p);
  }

  uint32(): number {
    const p = this.pos;
    if (p + 4 > this.end) throw insufficientData();
    this.pos = p + 4;
    return this.buf.readUInt32BE(p);
  }

  /** A format code: 16 bits on the wire, but only 0 (text) and 1 (binary) exist. */
  format(): FormatCode {
    const f = this.int16();
    if (f !== 0 && f !== 1) {
      throw new ProtocolError(INVALID_PARAMETER_VALUE, `unsupported format code: ${f}`);
    }
    return f;
  }

  /** A view of the next n bytes (valid as long as the received chunk is). */
  bytes(n: number): Buffer {
    const p = this.pos;
    if (n < 0 || p + n > this.end) throw insufficientData();
    this.pos = p + n;
    return this.buf.subarray(p, p + n);
  }

  /**
   * A plain Uint8Array view of the next n bytes: cheaper to make than a Buffer subarray (used for
   * value lists, where it adds up: Bind parameters, FunctionCall arguments).
   */
  view(n: number): Uint8Array {
    const p = this.pos;
    if (n < 0 || p + n > this.end) throw insufficientData();
    this.pos = p + n;
    return new Uint8Array(this.buf.buffer, this.buf.byteOffset + p, n);
  }

  rest(): Buffer {
    const p = this.pos;
    this.pos = this.end;
    return this.buf.subarray(p, this.end);
  }

  /** Offset of the NUL ending the string at the cursor; throws if there is none in the body. */
  private terminator(): number {
    const at = this.buf.indexOf(0, this.pos);
    if (at < 0 || at >= this.end) {
      throw new ProtocolError(PROTOCOL_VIOLATION, 'invalid string in message');
    }
    return at;
  }

  /** A NUL-terminated string, decoded as UTF-8 without validation (replacement characters). */
  cstring(): string {
    const at = this.terminator();
    const s = this.buf.toString('utf8', this.pos, at);
    this.pos = at + 1;
    return s;
  }

  /**
   * A NUL-terminated string that must be valid UTF-8, as PostgreSQL checks text converted from the
   * client encoding (client_encoding UTF8, the only one this codec speaks).
   */
  cstringStrict(): string {
    const start = this.pos;
    const at = this.terminator();
    const buf = this.buf;
    for (let i = start; i < at; i++) {
      if (buf[i]! >= 0x80) {
        if (!isUtf8(buf.subarray(start, at))) throw invalidUtf8(buf, start, at);
        break;
      }
    }
    this.pos = at + 1;
    return buf.toString('utf8', start, at);
  }

  /** pq_getmsgend: the body must be fully consumed. */
  finish(): void {
    if (this.pos !== this.end) {
      throw new ProtocolError(PROTOCOL_VIOLATION, 'invalid message format');
    }
  }
}

/** Length of a UTF-8 sequence by its first byte, as pg_utf_mblen judges it. */
function utf8SequenceLength(b: number): number {
  if (b < 0x80) return 1;
  if ((b & 0xe0) === 0xc0) return 2;
  if ((b & 0xf0) === 0xe0) return 3;
  if ((b & 0xf8) === 0xf0) return 4;
  return 1;
}

/** Whether bytes[start, start+len) is one legal UTF-8 character (pg_utf8_islegal's rules). */
function legalUtf8(buf: Buffer, start: number, len: number): boolean {
  const b0 = buf[start]!;
  if (len === 1) return b0 < 0x80;
  const cont = (i: number): boolean => (buf[start + i]! & 0xc0) === 0x80;
  for (let i = 1; i < len; i++) if (!cont(i)) return false;
  const b1 = buf[start + 1]!;
  if (len === 2) return b0 >= 0xc2;
  if (len === 3) {
    if (b0 === 0xe0) return b1 >= 0xa0;
    if (b0 === 0xed) return b1 < 0xa0; // surrogates
    return true;
  }
  if (b0 === 0xf0) return b1 >= 0x90;
  if (b0 === 0xf4) return b1 < 0x90;
  return b0 < 0xf4;
}

/**
 * PostgreSQL's report for the first invalid character: `invalid byte sequence for encoding
 * "UTF8": 0xe2 0x28 0xa1` — the bytes the first byte claims, cut at the end of the string.
 */
export function invalidUtf8(buf: Buffer, start: number, end: number): ProtocolError {
  let i = start;
  while (i < end) {
    const len = utf8SequenceLength(buf[i]!);
    if (i + len > end || !legalUtf8(buf, i, len)) break;
    i += len;
  }
  const shown: string[] = [];
  const claimed = utf8SequenceLength(buf[i] ?? 0);
  for (let j = 0; j < claimed && i + j < end; j++) {
    shown.push('0x' + buf[i + j]!.toString(16).padStart(2, '0'));
  }
  return new ProtocolError(
    CHARACTER_NOT_IN_REPERTOIRE,
    `invalid byte sequence for encoding "UTF8": ${shown.join(' ')}`,
  );
}
