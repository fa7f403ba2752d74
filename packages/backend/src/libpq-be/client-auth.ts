/**
 * The authentication exchange chosen by the pg_hba.conf rule (PostgreSQL's ClientAuthentication):
 * trust, password (cleartext), md5 (switching to SCRAM when the role's verifier is SCRAM, as
 * PostgreSQL does), scram-sha-256, and peer (refused: see below). Any failure of a password method
 * is reported to the client as 28P01 'password authentication failed for user "…"', with the real
 * reason only in the server log.
 */
import { randomBytes } from 'node:crypto';
import type net from 'node:net';
import type tls from 'node:tls';
import {
  parsePasswordMessage,
  parseSASLInitialResponse,
  type FrontendMessage,
} from '@tuskdb/shared-protocol';
import type { ConnectionConfig } from '../main/ipc-protocol.js';
import { send } from './startup-wire.js';
import type { HbaMethod, HbaRule } from './hba-file.js';
import {
  cleartextMatches,
  md5ResponseMatches,
  parseScramVerifier,
  verifierKind,
} from './password-check.js';
import { SCRAM, SCRAM_PLUS, ScramExchange, tlsServerEndPoint } from './scram-exchange.js';
import { SQLSTATE, StartupError } from './startup-errors.js';

/** What authentication needs to know about the role (undefined: the role does not exist). */
export interface RoleForAuth {
  name: string;
  passwordVerifier: string | null;
  validUntil: Date | null;
}

export interface AuthRequest {
  method: HbaMethod;
  rule: HbaRule;
  user: string;
  role: RoleForAuth | undefined;
  ssl: boolean;
  socket: net.Socket;
  next: () => Promise<FrontendMessage>;
  config: ConnectionConfig;
  /** "Connection matched pg_hba.conf line N: …", for the log. */
  matched: string;
}

function failed(user: string, reason: string | undefined, matched: string): StartupError {
  return new StartupError(
    SQLSTATE.invalidPassword,
    `password authentication failed for user "${user}"`,
    {
      logDetail: reason !== undefined ? `${reason}\n${matched}` : matched,
    },
  );
}

/** Reads the client's 'p' message; any other message type is a protocol violation. */
async function readAuthResponse(req: AuthRequest, what: string): Promise<Uint8Array> {
  const m = await req.next();
  if (m.type !== 'AuthenticationResponse') {
    throw new StartupError(
      SQLSTATE.protocolViolation,
      `expected ${what} response, got message type ${m.type}`,
    );
  }
  return m.data;
}

/** Why the role cannot log in with a password (logged only), or undefined if it can try. */
function verifierProblem(role: RoleForAuth | undefined, user: string): string | undefined {
  if (!role) return `Role "${user}" does not exist.`;
  if (role.passwordVerifier === null || role.passwordVerifier === '') {
    return `User "${user}" has no password assigned.`;
  }
  return undefined;
}

function expired(role: RoleForAuth): boolean {
  return role.validUntil !== null && role.validUntil.getTime() < Date.now();
}

async function cleartext(req: AuthRequest): Promise<void> {
  send(req.socket, { type: 'AuthenticationCleartextPassword' });
  const password = parsePasswordMessage(await readAuthResponse(req, 'password'));
  if (password === '') {
    throw failed(req.user, 'empty password returned by client', req.matched);
  }
  const problem = verifierProblem(req.role, req.user);
  if (problem) throw failed(req.user, problem, req.matched);
  if (!cleartextMatches(req.role!.passwordVerifier!, req.user, password)) {
    throw failed(req.user, `Password does not match for user "${req.user}".`, req.matched);
  }
  if (expired(req.role!)) {
    throw failed(req.user, `User "${req.user}" has an expired password.`, req.matched);
  }
}

async function md5(req: AuthRequest): Promise<void> {
  const salt = randomBytes(4);
  send(req.socket, { type: 'AuthenticationMD5Password', salt });
  const response = parsePasswordMessage(await readAuthResponse(req, 'password'));
  const problem = verifierProblem(req.role, req.user);
  if (problem) throw failed(req.user, problem, req.matched);
  if (!md5ResponseMatches(req.role!.passwordVerifier!, req.user, salt, response)) {
    throw failed(req.user, `Password does not match for user "${req.user}".`, req.matched);
  }
  if (expired(req.role!)) {
    throw failed(req.user, `User "${req.user}" has an expired password.`, req.matched);
  }
}

async function scram(req: AuthRequest): Promise<void> {
  const mechanisms = req.ssl ? [SCRAM_PLUS, SCRAM] : [SCRAM];
  send(req.socket, { type: 'AuthenticationSASL', mechanisms });
  const initial = parseSASLInitialResponse(await readAuthResponse(req, 'SASL'));
  if (!mechanisms.includes(initial.mechanism)) {
    throw new StartupError(
      SQLSTATE.protocolViolation,
      'client selected an invalid SASL authentication mechanism',
    );
  }
  const problem = verifierProblem(req.role, req.user);
  const verifier =
    problem === undefined ? parseScramVerifier(req.role!.passwordVerifier!) : undefined;
  const reason =
    problem ??
    (verifier === undefined ? `User "${req.user}" does not have a valid SCRAM secret.` : undefined);
  let certHash: Buffer | undefined;
  if (req.ssl) {
    const cert = (req.socket as tls.TLSSocket).getCertificate();
    if (cert && 'raw' in cert) certHash = tlsServerEndPoint(cert.raw, undefined);
  }
  const exchange = new ScramExchange(verifier, initial.mechanism, certHash);
  if (initial.data === null) {
    throw new StartupError(SQLSTATE.protocolViolation, 'malformed SCRAM message', {
      detail: 'The message is empty.',
    });
  }
  const serverFirst = exchange.clientFirst(Buffer.from(initial.data).toString('utf8'));
  send(req.socket, { type: 'AuthenticationSASLContinue', data: Buffer.from(serverFirst) });
  const final = Buffer.from(await readAuthResponse(req, 'SASL')).toString('utf8');
  const serverFinal = exchange.clientFinal(final);
  if (serverFinal === undefined || reason !== undefined) {
    throw failed(
      req.user,
      reason ?? `Password does not match for user "${req.user}".`,
      req.matched,
    );
  }
  if (expired(req.role!)) {
    throw failed(req.user, `User "${req.user}" has an expired password.`, req.matched);
  }
  send(req.socket, { type: 'AuthenticationSASLFinal', data: Buffer.from(serverFinal) });
}

/** Runs the exchange; resolves when the client is authenticated, throws StartupError otherwise. */
export async function authenticate(req: AuthRequest): Promise<void> {
  switch (req.method) {
    case 'trust':
      return;
    case 'reject':
      throw new StartupError(SQLSTATE.invalidAuthorization, 'pg_hba.conf rejects connection');
    case 'password':
      return cleartext(req);
    case 'md5': {
      // PostgreSQL: md5 uses SCRAM when the stored verifier is SCRAM (or, for a role without a
      // usable verifier, when password_encryption says new verifiers would be SCRAM).
      const v = req.role?.passwordVerifier;
      const useScram =
        v !== undefined && v !== null && v !== ''
          ? verifierKind(v) === 'scram-sha-256'
          : req.config.passwordEncryption === 'scram-sha-256';
      return useScram ? scram(req) : md5(req);
    }
    case 'scram-sha-256':
      return scram(req);
    case 'peer':
      // Node offers no SO_PEERCRED, so the peer's uid cannot be learned honestly: refuse.
      throw new StartupError(
        SQLSTATE.invalidAuthorization,
        `peer authentication failed for user "${req.user}"`,
        {
          logDetail: `Tusk cannot obtain peer credentials of Unix-domain socket clients (no SO_PEERCRED in Node.js); use trust, md5 or scram-sha-256 for "local" lines.\n${req.matched}`,
        },
      );
  }
}
