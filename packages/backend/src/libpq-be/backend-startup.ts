/**
 * Accepting one client connection in a backend process (PostgreSQL's ProcessStartupPacket,
 * ClientAuthentication and the connection checks of InitPostgres): SSL/GSS negotiation, the startup
 * packet, protocol version negotiation, pg_hba.conf, the authentication exchange, the role and
 * database checks, all under authentication_timeout. On success the client has received
 * AuthenticationOk and the caller starts the session; on failure the client got PostgreSQL's FATAL
 * message (or nothing, where PostgreSQL sends nothing) and the socket is closed.
 */
import type net from 'node:net';
import tls from 'node:tls';
import { ProtocolError } from '@tuskdb/shared-protocol';
import type { ConnectionConfig, ConnectionOrigin } from '../main/ipc-protocol.js';
import type { LogExtras, LogLevel } from '../main/server-log.js';
import { authenticate, type RoleForAuth } from './client-auth.js';
import { ClientClosedError, ClientStream } from './client-stream.js';
import { findHbaRule, type MembershipCheck } from './hba-match.js';
import { splitStartupOptions } from './startup-options.js';
import { SQLSTATE, StartupError } from './startup-errors.js';
import { serverSecureContext } from './tls-context.js';
import { send, writeFatal } from './startup-wire.js';

export interface StartupRole extends RoleForAuth {
  oid: number;
  superuser: boolean;
  canLogin: boolean;
  connectionLimit: number;
}

export interface StartupDatabase {
  oid: number;
  name: string;
  allowConnections: boolean;
  connectionLimit: number;
}

/** What accepting a connection needs from the rest of the backend process. */
export interface StartupHooks {
  lookupRole(name: string): StartupRole | undefined;
  lookupDatabase(name: string): StartupDatabase | undefined;
  isMember?: MembershipCheck;
  /** Routes a CancelRequest to the postmaster. */
  forwardCancel(processId: number, secretKey: number): void;
  /** Reserves the session slot (reserved superuser slots, per-role and per-database limits). */
  login(request: {
    user: string;
    database: string;
    superuser: boolean;
    roleConnectionLimit: number;
    databaseConnectionLimit: number;
  }): Promise<{ ok: true } | { ok: false; code: string; message: string }>;
  log(level: LogLevel, message: string, extras?: LogExtras): void;
}

export interface AcceptedConnection {
  /** The socket the session continues on (a TLSSocket after SSL negotiation), paused. */
  socket: net.Socket;
  /** Bytes the client sent after its last startup-phase message. */
  pendingBytes: Uint8Array;
  user: string;
  database: string;
  /** Startup parameters other than user/database, with `options` switches expanded. */
  startupParameters: Map<string, string>;
  role: StartupRole;
  databaseInfo: StartupDatabase;
  ssl: boolean;
}

/** Result of a connection that did not become a session. */
export type StartupOutcome =
  | { kind: 'session'; connection: AcceptedConnection }
  | { kind: 'cancelRequest' }
  | { kind: 'failed' };

const NAMEDATALEN = 64;

/** Truncates to NAMEDATALEN-1 bytes without splitting a UTF-8 character, as PostgreSQL does. */
export function clipIdentifier(name: string): string {
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length < NAMEDATALEN) return name;
  let end = NAMEDATALEN - 1;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.toString('utf8', 0, end);
}

class TimeoutSignal extends Error {}

/** Rejects with TimeoutSignal once `ms` have passed since creation. */
function deadline(ms: number): { promise: Promise<never>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutSignal()), ms);
  });
  promise.catch(() => undefined);
  return { promise, cancel: () => clearTimeout(timer) };
}

function hostLabel(origin: ConnectionOrigin): string {
  return origin.local ? '[local]' : (origin.remoteAddress ?? '?').replace(/^::ffff:/, '');
}

/**
 * Runs the startup conversation on `socket`. `phase` tracks whether the startup packet has been
 * read: a timeout before it closes silently, after it the client is told (as PostgreSQL does).
 */
export async function acceptConnection(
  socket: net.Socket,
  origin: ConnectionOrigin,
  config: ConnectionConfig,
  hooks: StartupHooks,
): Promise<StartupOutcome> {
  const stream = new ClientStream(socket);
  const timer = deadline(config.authenticationTimeoutMs);
  let phase: 'startup' | 'auth' = 'startup';
  let ssl = false;
  const next = () => Promise.race([stream.next(), timer.promise]);
  try {
    if (config.logConnections && !origin.local) {
      hooks.log(
        'LOG',
        `connection received: host=${hostLabel(origin)} port=${origin.remotePort ?? ''}`,
      );
    } else if (config.logConnections) {
      hooks.log('LOG', 'connection received: host=[local]');
    }
    // Startup-phase packets: negotiate encryption until a StartupMessage or CancelRequest arrives.
    let startup;
    for (;;) {
      const m = await next();
      if (m.type === 'CancelRequest') {
        hooks.forwardCancel(m.processId, m.secretKey);
        stream.detach().destroy();
        return { kind: 'cancelRequest' };
      }
      if (m.type === 'SSLRequest' || m.type === 'GSSENCRequest') {
        if (ssl) {
          const code = m.type === 'SSLRequest' ? 80877103 : 80877104;
          throw new StartupError(
            SQLSTATE.featureNotSupported,
            `unsupported frontend protocol ${code >>> 16}.${code & 0xffff}: server supports 3.0 to 3.0`,
          );
        }
        const accept = m.type === 'SSLRequest' && config.ssl && !origin.local;
        stream.current.write(accept ? 'S' : 'N');
        if (accept) {
          if (stream.hasBufferedBytes()) {
            throw new StartupError(
              SQLSTATE.protocolViolation,
              'received unencrypted data after SSL request',
              {
                detail:
                  'This could be either a client-software bug or evidence of an attempted man-in-the-middle attack.',
              },
            );
          }
          const raw = stream.detach();
          const secure = new tls.TLSSocket(raw, {
            isServer: true,
            secureContext: serverSecureContext(config),
          });
          await Promise.race([
            new Promise<void>((resolve, reject) => {
              secure.once('secure', () => resolve());
              secure.once('error', (err: Error) =>
                reject(
                  new StartupError(
                    SQLSTATE.protocolViolation,
                    `could not accept SSL connection: ${err.message}`,
                    { silent: true },
                  ),
                ),
              );
              secure.once('close', () => reject(new ClientClosedError()));
            }),
            timer.promise,
          ]);
          ssl = true;
          stream.switchTo(secure);
        }
        stream.expectStartupPacket();
        continue;
      }
      if (m.type !== 'StartupMessage') {
        throw new StartupError(SQLSTATE.protocolViolation, 'invalid startup packet', {
          silent: true,
        });
      }
      startup = m;
      break;
    }
    phase = 'auth';

    // Startup parameters (ProcessStartupPacket).
    const params = new Map<string, string>();
    const unrecognizedProtocolOptions: string[] = [];
    let user = '';
    let database = '';
    let replication = false;
    for (const [name, value] of startup.parameters) {
      if (name === 'user') user = value;
      else if (name === 'database') database = value;
      else if (name === 'options') {
        for (const [k, v] of splitStartupOptions(value)) params.set(k, v);
      } else if (name === 'replication') {
        const v = value.toLowerCase();
        if (v === 'database' || ['on', 'true', 'yes', '1'].includes(v)) replication = true;
        else if (!['off', 'false', 'no', '0'].includes(v)) {
          throw new StartupError(
            SQLSTATE.invalidParameterValue,
            `invalid value for parameter "replication": "${value}"`,
            { hint: 'Valid values are: "false", 0, "true", 1, "database".' },
          );
        }
      } else if (name.startsWith('_pq_.')) unrecognizedProtocolOptions.push(name);
      else params.set(name, value);
    }
    const minor = startup.protocolVersion & 0xffff;
    if (minor > 0 || unrecognizedProtocolOptions.length > 0) {
      send(stream.current, {
        type: 'NegotiateProtocolVersion',
        newestMinorVersion: 0,
        unrecognizedOptions: unrecognizedProtocolOptions,
      });
    }
    if (user === '') {
      throw new StartupError(
        SQLSTATE.invalidAuthorization,
        'no PostgreSQL user name specified in startup packet',
      );
    }
    if (database === '') database = user;
    user = clipIdentifier(user);
    database = clipIdentifier(database);
    if (replication) {
      throw new StartupError(
        SQLSTATE.featureNotSupported,
        'replication connections are not supported by this server',
      );
    }

    // pg_hba.conf, then the method's exchange.
    const encryption = ssl ? 'SSL encryption' : 'no encryption';
    const who = `host "${hostLabel(origin)}", user "${user}", database "${database}", ${encryption}`;
    const rule = await Promise.race([
      findHbaRule(
        config.hbaRules,
        {
          local: origin.local,
          ...(origin.remoteAddress !== undefined ? { remoteAddress: origin.remoteAddress } : {}),
          ssl,
          database,
          user,
          replication,
        },
        hooks.isMember,
      ),
      timer.promise,
    ]);
    if (!rule) {
      throw new StartupError(SQLSTATE.invalidAuthorization, `no pg_hba.conf entry for ${who}`);
    }
    const matched = `Connection matched pg_hba.conf line ${rule.lineNumber}: "${rule.rawLine}"`;
    if (rule.method === 'reject') {
      throw new StartupError(
        SQLSTATE.invalidAuthorization,
        `pg_hba.conf rejects connection for ${who}`,
      );
    }
    const role = hooks.lookupRole(user);
    await Promise.race([
      authenticate({
        method: rule.method,
        rule,
        user,
        role,
        ssl,
        socket: stream.current,
        next,
        config,
        matched,
      }),
      timer.promise,
    ]);

    // InitPostgres's checks, in its order.
    if (!role) {
      throw new StartupError(SQLSTATE.invalidAuthorization, `role "${user}" does not exist`);
    }
    if (!role.canLogin) {
      throw new StartupError(
        SQLSTATE.invalidAuthorization,
        `role "${user}" is not permitted to log in`,
      );
    }
    const db = hooks.lookupDatabase(database);
    if (!db) {
      throw new StartupError(SQLSTATE.invalidCatalogName, `database "${database}" does not exist`);
    }
    if (!db.allowConnections) {
      throw new StartupError(
        SQLSTATE.objectNotInPrerequisiteState,
        `database "${database}" is not currently accepting connections`,
      );
    }
    const slot = await Promise.race([
      hooks.login({
        user,
        database,
        superuser: role.superuser,
        roleConnectionLimit: role.connectionLimit,
        databaseConnectionLimit: db.connectionLimit,
      }),
      timer.promise,
    ]);
    if (!slot.ok) throw new StartupError(slot.code, slot.message);

    send(stream.current, { type: 'AuthenticationOk' });
    timer.cancel();
    if (config.logConnections) {
      const app = params.get('application_name');
      hooks.log(
        'LOG',
        `connection authorized: user=${user} database=${database}` +
          (ssl
            ? ` SSL enabled (protocol=${(stream.current as tls.TLSSocket).getProtocol() ?? '?'})`
            : '') +
          (app !== undefined ? ` application_name=${app}` : ''),
      );
    }
    const pendingBytes = stream.takeBuffered();
    const finalSocket = stream.detach();
    return {
      kind: 'session',
      connection: {
        socket: finalSocket,
        pendingBytes,
        user,
        database,
        startupParameters: params,
        role,
        databaseInfo: db,
        ssl,
      },
    };
  } catch (err) {
    timer.cancel();
    const out = stream.current;
    if (err instanceof TimeoutSignal) {
      if (phase === 'auth') {
        hooks.log('FATAL', 'canceling authentication due to timeout');
        writeFatal(out, SQLSTATE.queryCanceled, 'canceling authentication due to timeout');
      } else {
        stream.detach().destroy();
      }
    } else if (err instanceof ClientClosedError) {
      // EOF between packets is a client giving up (psql after an 'N'); mid-packet is worth a line.
      if (phase === 'startup' && stream.hasBufferedBytes()) {
        hooks.log('LOG', 'incomplete startup packet');
      }
      stream.detach().destroy();
    } else if (err instanceof ProtocolError) {
      // Bad lengths are COMMERRORs (log only); a bad layout or version is reported to the client.
      const silent = err.message === 'invalid length of startup packet' || phase === 'auth';
      hooks.log(silent ? 'LOG' : 'FATAL', err.message);
      if (silent && phase === 'startup') stream.detach().destroy();
      else writeFatal(out, err.code, err.message);
    } else if (err instanceof StartupError) {
      const extras: LogExtras = {};
      const d = err.options.logDetail ?? err.options.detail;
      if (d !== undefined) extras.detail = d;
      if (err.options.hint !== undefined) extras.hint = err.options.hint;
      if (!err.options.quiet) hooks.log(err.options.silent ? 'LOG' : 'FATAL', err.message, extras);
      if (err.options.silent) stream.detach().destroy();
      else writeFatal(out, err.code, err.message, err.options.detail, err.options.hint);
    } else {
      const message = err instanceof Error ? err.message : String(err);
      hooks.log('FATAL', message);
      writeFatal(out, 'XX000', message);
    }
    return { kind: 'failed' };
  }
}
