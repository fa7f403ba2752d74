/**
 * The error type of the authentication helpers. It carries the SQLSTATE and, where PostgreSQL
 * reports the same condition, PostgreSQL's own message and detail texts, so a backend can turn it
 * into an ErrorResponse unchanged and a client can show what libpq would show.
 */
import { SqlState } from '../sqlstate/index.js';

export class AuthenticationError extends Error {
  /** SQLSTATE, e.g. '08P01' (protocol_violation) or '28P01' (invalid_password). */
  readonly code: string;
  /** PostgreSQL's DETAIL text, when it has one for this condition. */
  readonly detail: string | undefined;

  constructor(code: string, message: string, detail?: string) {
    super(message);
    this.name = 'AuthenticationError';
    this.code = code;
    this.detail = detail;
  }
}

/** The server's "malformed SCRAM message" (08P01) with its detail. */
export function malformedScram(detail: string): AuthenticationError {
  return new AuthenticationError(SqlState.protocolViolation, 'malformed SCRAM message', detail);
}

/** A protocol violation seen by the server, with PostgreSQL's message text. */
export function scramProtocolViolation(message: string, detail?: string): AuthenticationError {
  return new AuthenticationError(SqlState.protocolViolation, message, detail);
}

/**
 * An error seen by the client (libpq reports these as connection failures, no SQLSTATE reaches
 * the user; 08P01 is the closest class). Messages are libpq's.
 */
export function scramClientError(message: string): AuthenticationError {
  return new AuthenticationError(SqlState.protocolViolation, message);
}
