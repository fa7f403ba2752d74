/**
 * ProtocolError: the one error type the codec throws for malformed input.
 *
 * `code` is the SQLSTATE PostgreSQL reports for the same fault (08P01 protocol_violation for
 * almost everything, 0A000 for an unsupported protocol version, 22021 for invalid UTF-8, 22023 for
 * a bad format code). `fatal` tells whether the byte stream is still in sync: a framing fault (bad
 * length, unknown type byte) leaves the decoder unusable — PostgreSQL closes the connection — while
 * a fault inside one well-framed message (truncated field, trailing bytes, bad string) consumed only
 * that message, so the server can report an ERROR and the decoder carries on with the next one.
 */
export class ProtocolError extends Error {
  readonly code: string;
  readonly fatal: boolean;

  constructor(code: string, message: string, fatal = false) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
    this.fatal = fatal;
  }
}

/** SQLSTATEs the codec raises. */
export const PROTOCOL_VIOLATION = '08P01';
export const FEATURE_NOT_SUPPORTED = '0A000';
export const CHARACTER_NOT_IN_REPERTOIRE = '22021';
export const INVALID_PARAMETER_VALUE = '22023';
