/**
 * StartupError: a failure while accepting a connection. Most are sent to the client as a FATAL
 * ErrorResponse before the connection closes; `silent` ones (PostgreSQL's COMMERROR: a broken
 * startup packet, a client that goes away) are only logged, because the client is not speaking
 * the protocol or is gone. `logDetail` is written to the server log only, never to the client —
 * PostgreSQL keeps e.g. the matched pg_hba.conf line or "role does not exist" from the client.
 */
export class StartupError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly options: {
      detail?: string;
      hint?: string;
      logDetail?: string;
      silent?: boolean;
      /** Not even logged (a client that closed before saying anything). */
      quiet?: boolean;
    } = {},
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

/** SQLSTATEs of connection startup. */
export const SQLSTATE = {
  protocolViolation: '08P01',
  featureNotSupported: '0A000',
  invalidAuthorization: '28000',
  invalidPassword: '28P01',
  invalidCatalogName: '3D000',
  tooManyConnections: '53300',
  objectNotInPrerequisiteState: '55000',
  cannotConnectNow: '57P03',
  adminShutdown: '57P01',
  queryCanceled: '57014',
  invalidParameterValue: '22023',
  syntaxError: '42601',
} as const;
