/**
 * Readers for the body of a 'p' message, whose meaning depends on the authentication exchange in
 * progress (PasswordMessage, SASLInitialResponse, SASLResponse). FrontendDecoder yields the raw
 * body as AuthenticationResponse; the authentication code picks the reader it expects.
 */
import { BodyReader } from './body-reader.js';
import { asBuffer } from './stream-decoder.js';
import { PROTOCOL_VIOLATION, ProtocolError } from './protocol-error.js';

/**
 * A password (cleartext or "md5…"): one NUL-terminated string filling the body exactly. Like
 * PostgreSQL it is not checked against the client encoding.
 */
export function parsePasswordMessage(data: Uint8Array): string {
  const buf = asBuffer(data);
  const nul = buf.indexOf(0);
  if (nul !== buf.length - 1) {
    throw new ProtocolError(PROTOCOL_VIOLATION, 'invalid password packet size');
  }
  return buf.toString('utf8', 0, nul);
}

/** Mechanism name, then Int32 length (-1 = no initial response) and the response bytes. */
export function parseSASLInitialResponse(data: Uint8Array): {
  mechanism: string;
  data: Uint8Array | null;
} {
  const buf = asBuffer(data);
  const r = new BodyReader().reset(buf, 0, buf.length);
  const mechanism = r.cstring();
  const len = r.int32();
  const response = len === -1 ? null : r.bytes(len);
  r.finish();
  return { mechanism, data: response };
}

/** The whole body is the mechanism's data. */
export function parseSASLResponse(data: Uint8Array): Uint8Array {
  return data;
}
