/**
 * FrontendDecoder: the server side's reader of what clients send.
 *
 * It starts in the startup phase, where packets have no type byte and are told apart by the code
 * after the length (StartupMessage, SSLRequest, GSSENCRequest, CancelRequest). After a
 * StartupMessage it switches to typed messages by itself; after SSLRequest / GSSENCRequest it stays
 * in the startup phase, since the client sends another startup packet (in TLS, or in clear text
 * after an 'N'). Limits and error texts follow PostgreSQL 15's postmaster.c / postgres.c / pqcomm.c.
 *
 * Payloads (Bind parameters, CopyData, the 'p' body) are views into the received chunk: copy them
 * to keep them after the chunk's bytes may be reused.
 */
import type { FormatCode, FrontendMessage, WireValue } from '../messages.js';
import {
  CANCEL_REQUEST_CODE,
  GSSENC_REQUEST_CODE,
  PROTOCOL_3_0,
  SSL_REQUEST_CODE,
} from '../messages.js';
import { BodyReader } from './body-reader.js';
import {
  AUTH_MESSAGE_LIMIT,
  LARGE_MESSAGE_LIMIT,
  SMALL_MESSAGE_LIMIT,
  STARTUP_PACKET_LIMIT,
} from './limits.js';
import { FEATURE_NOT_SUPPORTED, PROTOCOL_VIOLATION, ProtocolError } from './protocol-error.js';
import { StreamDecoder } from './stream-decoder.js';

export interface FrontendDecoderOptions {
  /**
   * Largest accepted length (length word included) of Query, Parse, Bind, FunctionCall and
   * CopyData; default 1 GiB - 1 as PostgreSQL. Fixed-shape messages keep PostgreSQL's 10000-byte
   * limit, 'p' its 65535, startup packets 10000 bytes of body.
   */
  maxMessageLength?: number;
}

/** Per type byte: the largest length allowed, or 0 for a type byte that does not exist. */
function limitsFor(large: number): Int32Array {
  const limits = new Int32Array(256);
  for (const t of 'QPBFd') limits[t.charCodeAt(0)] = large;
  for (const t of 'XDCEHScf') limits[t.charCodeAt(0)] = Math.min(SMALL_MESSAGE_LIMIT, large);
  limits['p'.charCodeAt(0)] = Math.min(AUTH_MESSAGE_LIMIT, large);
  return limits;
}

function startupLengthError(): ProtocolError {
  return new ProtocolError(PROTOCOL_VIOLATION, 'invalid length of startup packet', true);
}

export class FrontendDecoder extends StreamDecoder<FrontendMessage> {
  private startupPhase = true;
  private readonly limits: Int32Array;
  private readonly reader = new BodyReader();

  constructor(options: FrontendDecoderOptions = {}) {
    super();
    const large = options.maxMessageLength ?? LARGE_MESSAGE_LIMIT;
    if (!(large >= 4) || large > LARGE_MESSAGE_LIMIT) {
      throw new RangeError(`maxMessageLength must be between 4 and ${LARGE_MESSAGE_LIMIT}`);
    }
    this.limits = limitsFor(large);
  }

  /** True while the decoder expects an untyped startup-phase packet. */
  get inStartupPhase(): boolean {
    return this.startupPhase;
  }

  /** Forces the startup phase: the next packet is read as a startup-phase packet. */
  expectStartupPacket(): void {
    this.startupPhase = true;
    this.resetPendingFrame();
  }

  /** Forces the typed-message phase (e.g. for a stream handed over after startup). */
  expectTypedMessages(): void {
    this.startupPhase = false;
    this.resetPendingFrame();
  }

  protected frameLength(buf: Buffer, pos: number, avail: number): number {
    if (this.startupPhase) {
      if (avail < 4) return -1;
      const len = buf.readInt32BE(pos);
      if (len - 4 < 4 || len - 4 > STARTUP_PACKET_LIMIT) throw startupLengthError();
      return len;
    }
    const type = buf[pos]!;
    const limit = this.limits[type]!;
    if (limit === 0) {
      throw new ProtocolError(PROTOCOL_VIOLATION, `invalid frontend message type ${type}`, true);
    }
    if (avail < 5) return -1;
    const len = buf.readInt32BE(pos + 1);
    if (len < 4 || len > limit) {
      throw new ProtocolError(PROTOCOL_VIOLATION, 'invalid message length', true);
    }
    return len + 1;
  }

  protected decodeFrame(
    buf: Buffer,
    start: number,
    end: number,
    onMessage: (m: FrontendMessage) => void,
  ): void {
    if (this.startupPhase) {
      onMessage(this.decodeStartup(buf, start, end));
      return;
    }
    const r = this.reader.reset(buf, start + 5, end);
    const m = decodeTyped(buf[start]!, r);
    r.finish();
    onMessage(m);
  }

  private decodeStartup(buf: Buffer, start: number, end: number): FrontendMessage {
    const len = end - start;
    const code = buf.readUInt32BE(start + 4);
    switch (code) {
      case CANCEL_REQUEST_CODE:
        if (len !== 16) throw startupLengthError();
        return {
          type: 'CancelRequest',
          processId: buf.readInt32BE(start + 8),
          secretKey: buf.readInt32BE(start + 12),
        };
      case SSL_REQUEST_CODE:
        if (len !== 8) throw startupLengthError();
        return { type: 'SSLRequest' };
      case GSSENC_REQUEST_CODE:
        if (len !== 8) throw startupLengthError();
        return { type: 'GSSENCRequest' };
    }
    const major = code >>> 16;
    const minor = code & 0xffff;
    if (major !== PROTOCOL_3_0 >>> 16) {
      throw new ProtocolError(
        FEATURE_NOT_SUPPORTED,
        `unsupported frontend protocol ${major}.${minor}: server supports 3.0 to 3.0`,
        true,
      );
    }
    const parameters = parseStartupParameters(buf, start + 8, end);
    this.startupPhase = false;
    return { type: 'StartupMessage', protocolVersion: code, parameters };
  }
}

/**
 * name\0value\0 … \0 — as ProcessStartupPacket reads it: stop at an empty name, and the byte after
 * the last pair must be the final byte of the packet (so a missing value or terminator fails).
 * Names and values are not validated as UTF-8: the client encoding is not known yet.
 */
function parseStartupParameters(buf: Buffer, pos: number, end: number): Map<string, string> {
  const parameters = new Map<string, string>();
  while (pos < end) {
    const nameEnd = buf.indexOf(0, pos);
    if (nameEnd < 0 || nameEnd >= end || nameEnd === pos) break;
    const valueEnd = buf.indexOf(0, nameEnd + 1);
    if (valueEnd < 0 || valueEnd >= end) {
      pos = end;
      break;
    }
    parameters.set(buf.toString('utf8', pos, nameEnd), buf.toString('utf8', nameEnd + 1, valueEnd));
    pos = valueEnd + 1;
  }
  if (pos !== end - 1) {
    throw new ProtocolError(
      PROTOCOL_VIOLATION,
      'invalid startup packet layout: expected terminator as last byte',
      true,
    );
  }
  return parameters;
}

function formats(r: BodyReader): FormatCode[] {
  const n = r.uint16();
  const out = new Array<FormatCode>(n);
  for (let i = 0; i < n; i++) out[i] = r.format();
  return out;
}

function values(r: BodyReader): WireValue[] {
  const n = r.uint16();
  const out = new Array<WireValue>(n);
  for (let i = 0; i < n; i++) {
    const len = r.int32();
    out[i] = len === -1 ? null : r.view(len);
  }
  return out;
}

function target(r: BodyReader, what: string): 'S' | 'P' {
  const t = r.byte();
  if (t === 0x53) return 'S';
  if (t === 0x50) return 'P';
  throw new ProtocolError(PROTOCOL_VIOLATION, `invalid ${what} message subtype ${t}`);
}

function decodeTyped(type: number, r: BodyReader): FrontendMessage {
  switch (type) {
    case 0x51: // 'Q'
      return { type: 'Query', sql: r.cstringStrict() };
    case 0x50: {
      // 'P'
      const statement = r.cstringStrict();
      const sql = r.cstringStrict();
      const n = r.uint16();
      const parameterTypes = new Array<number>(n);
      for (let i = 0; i < n; i++) parameterTypes[i] = r.uint32();
      return { type: 'Parse', statement, sql, parameterTypes };
    }
    case 0x42: {
      // 'B'
      const portal = r.cstringStrict();
      const statement = r.cstringStrict();
      const parameterFormats = formats(r);
      const parameters = values(r);
      const resultFormats = formats(r);
      return { type: 'Bind', portal, statement, parameterFormats, parameters, resultFormats };
    }
    case 0x45: // 'E'
      return { type: 'Execute', portal: r.cstringStrict(), maxRows: r.uint32() };
    case 0x44: // 'D'
      return { type: 'Describe', target: target(r, 'DESCRIBE'), name: r.cstringStrict() };
    case 0x43: // 'C'
      return { type: 'Close', target: target(r, 'CLOSE'), name: r.cstringStrict() };
    case 0x53: // 'S'
      return { type: 'Sync' };
    case 0x48: // 'H'
      return { type: 'Flush' };
    case 0x58: // 'X'
      return { type: 'Terminate' };
    case 0x64: // 'd'
      return { type: 'CopyData', data: r.rest() };
    case 0x63: // 'c'
      return { type: 'CopyDone' };
    case 0x66: // 'f'
      return { type: 'CopyFail', message: r.cstringStrict() };
    case 0x70: // 'p'
      return { type: 'AuthenticationResponse', data: r.rest() };
    case 0x46: {
      // 'F'
      const functionOid = r.uint32();
      const argumentFormats = formats(r);
      const args = values(r);
      const resultFormat = r.format();
      return { type: 'FunctionCall', functionOid, argumentFormats, arguments: args, resultFormat };
    }
    default:
      // frameLength admits only the types above.
      throw new ProtocolError(PROTOCOL_VIOLATION, `invalid frontend message type ${type}`, true);
  }
}
