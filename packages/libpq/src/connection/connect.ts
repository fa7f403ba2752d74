/**
 * connect(): libpq's connection establishment (PQconnectdb) without blocking.
 *
 * Options are resolved (URI / key=value / object, service file, environment, defaults, password
 * file); then every host is tried in order (shuffled with load_balance_hosts=random), every address
 * of a host name in turn, each attempt bounded by connect_timeout; sslmode decides on SSLRequest
 * and fallbacks; target_session_attrs rejects sessions of the wrong kind. When every attempt fails
 * the ConnectionError carries all of libpq's per-attempt messages, one per line.
 */
import dns from 'node:dns/promises';
import net from 'node:net';
import path from 'node:path';
import { tlsServerEndPointData } from '@tuskdb/shared-protocol';
import { ConnectionError, DatabaseError, type ConnectionErrorKind } from '../errors.js';
import { optionEnvironment, type OptionEnvironment } from '../options/environment.js';
import {
  resolveOptions,
  type ConnectionOptionsInput,
  type HostTarget,
  type ResolvedOptions,
} from '../options/resolve.js';
import type { TypeParsers } from '../types/parsers.js';
import { AuthError } from './authenticator.js';
import { Connection } from './connection.js';
import { StartupOperation } from './startup.js';
import { gaiStrerror } from './system-errors.js';
import { negotiateSsl, openSocket, startTls, TransportError } from './transport.js';
import type tls from 'node:tls';

export interface ConnectOptions {
  /** Replaces parts of the environment options are resolved from (env vars, home directory …). */
  environment?: Partial<OptionEnvironment>;
  /** Type parsers the connection falls back to (default: the process-wide registry). */
  types?: TypeParsers;
}

/** One failed attempt: its libpq-formatted message and classification. */
class AttemptError extends Error {
  constructor(
    readonly kind: ConnectionErrorKind,
    message: string,
    readonly serverError?: DatabaseError,
    /** Retry the same address with the other TLS choice (sslmode allow / prefer). */
    readonly retryTls?: boolean,
  ) {
    super(message);
  }
}

function attemptPrefix(target: HostTarget, address: string): string {
  if (target.type === 'unix') return `connection to server on socket "${address}" failed: `;
  const shown = target.host !== '' ? target.host : target.hostaddr;
  if (shown === address) return `connection to server at "${shown}", port ${target.port} failed: `;
  return `connection to server at "${shown}" (${address}), port ${target.port} failed: `;
}

function formatServerError(e: DatabaseError): string {
  let s = `${e.severity}:  ${e.message}`;
  if (e.detail !== undefined) s += `\nDETAIL:  ${e.detail}`;
  if (e.hint !== undefined) s += `\nHINT:  ${e.hint}`;
  return s;
}

/** The startup packet's parameters, in libpq's order. */
function startupParameters(options: ResolvedOptions): Map<string, string> {
  const v = options.values;
  const p = new Map<string, string>();
  p.set('user', options.user);
  p.set('database', options.dbname);
  const replication = v.get('replication');
  if (replication) p.set('replication', replication);
  const opts = v.get('options');
  if (opts) p.set('options', opts);
  const app = v.get('application_name') || v.get('fallback_application_name');
  if (app) p.set('application_name', app);
  // Text crosses the wire as UTF-8 in both directions; "auto" means the locale's, which is UTF-8.
  const enc = v.get('client_encoding');
  p.set('client_encoding', !enc || enc === 'auto' ? 'UTF8' : enc);
  return p;
}

type SessionCheck = 'any' | 'read-write' | 'read-only' | 'primary' | 'standby';

/** target_session_attrs, from the parameters PostgreSQL 14+ reports at startup. */
function sessionMismatch(conn: Connection, want: SessionCheck): string | null {
  if (want === 'any') return null;
  const hotStandby = conn.parameters.get('in_hot_standby') === 'on';
  const readOnly = hotStandby || conn.parameters.get('default_transaction_read_only') === 'on';
  switch (want) {
    case 'read-write':
      return readOnly ? 'session is read-only' : null;
    case 'read-only':
      return readOnly ? null : 'session is not read-only';
    case 'primary':
      return hotStandby ? 'server is in hot standby mode' : null;
    case 'standby':
      return hotStandby ? null : 'server is not in hot standby mode';
  }
}

async function attempt(
  options: ResolvedOptions,
  target: HostTarget,
  address: string,
  useTls: boolean,
  envi: OptionEnvironment,
  types: TypeParsers | undefined,
  want: SessionCheck,
  onAbandon: (release: () => void) => void,
): Promise<Connection> {
  const prefix = attemptPrefix(target, address);
  let socket: net.Socket;
  try {
    socket = await openSocket(target, address);
  } catch (e) {
    throw new AttemptError('connect', prefix + (e as Error).message);
  }
  // If connect_timeout expires from here on, the socket must not linger.
  const raw = socket;
  onAbandon(() => raw.destroy());
  let tlsSocket: tls.TLSSocket | null = null;
  try {
    if (useTls) {
      const accepted = await negotiateSsl(socket);
      if (accepted) {
        tlsSocket = await startTls(socket, target, options, envi);
        socket = tlsSocket;
      } else if (
        options.sslmode === 'require' ||
        options.sslmode === 'verify-ca' ||
        options.sslmode === 'verify-full'
      ) {
        throw new TransportError('tls', 'server does not support SSL, but SSL was required');
      } else {
        socket.resume();
      }
    }
  } catch (e) {
    socket.destroy();
    const retry = options.sslmode === 'prefer' && e instanceof TransportError && e.kind === 'tls';
    throw new AttemptError(
      e instanceof TransportError ? e.kind : 'connect',
      prefix + (e as Error).message,
      undefined,
      retry,
    );
  }
  const secure = tlsSocket;
  const conn = new Connection(socket, options, { target, address, tls: secure !== null }, types);
  onAbandon(() => conn.destroy());
  try {
    const key = await new Promise<{ processId: number; secretKey: number }>((resolve, reject) => {
      const op = new StartupOperation(
        startupParameters(options),
        {
          user: options.user,
          password: target.password,
          channelBinding: options.channelBinding,
          requireAuth: options.requireAuth,
          tlsEndPoint: secure
            ? () => {
                const cert = secure.getPeerCertificate(false);
                return tlsServerEndPointData(cert.raw);
              }
            : null,
        },
        (fn) => conn.writeNow(fn),
        (err, r) => (err ? reject(err) : resolve(r)),
      );
      conn.enqueue(op);
    });
    conn.processId = key.processId;
    conn.secretKey = key.secretKey;
  } catch (e) {
    conn.destroy();
    if (e instanceof DatabaseError) {
      let msg = prefix + formatServerError(e);
      if (target.passwordFile && e.code === '28P01')
        msg += `\npassword retrieved from file "${target.passwordFile}"`;
      // sslmode allow/prefer: a server that refused this kind of connection may take the other.
      const retry =
        (options.sslmode === 'allow' && secure === null) ||
        (options.sslmode === 'prefer' && secure !== null);
      throw new AttemptError(e.code.startsWith('28') ? 'auth' : 'connect', msg, e, retry);
    }
    const kind: ConnectionErrorKind =
      e instanceof AuthError ? 'auth' : e instanceof ConnectionError ? e.kind : 'connect';
    throw new AttemptError(kind, prefix + (e as Error).message);
  }
  const mismatch = sessionMismatch(conn, want);
  if (mismatch) {
    await conn.close().catch(() => {});
    throw new AttemptError('session-attrs', prefix + mismatch);
  }
  return conn;
}

async function addressesOf(target: HostTarget): Promise<string[]> {
  if (target.type === 'unix') {
    const p = path.join(target.host, `.s.PGSQL.${target.port}`);
    if (Buffer.byteLength(p) > 107) {
      throw new AttemptError(
        'connect',
        `Unix-domain socket path "${p}" is too long (maximum 107 bytes)`,
      );
    }
    return [p];
  }
  if (target.hostaddr !== '') {
    if (net.isIP(target.hostaddr) === 0) {
      throw new AttemptError(
        'connect',
        `could not parse network address "${target.hostaddr}": Name or service not known`,
      );
    }
    return [target.hostaddr];
  }
  if (net.isIP(target.host) !== 0) return [target.host];
  try {
    const all = await dns.lookup(target.host, { all: true });
    return all.map((a) => a.address);
  } catch (e) {
    throw new AttemptError(
      'connect',
      `could not translate host name "${target.host}" to address: ${gaiStrerror(e)}`,
    );
  }
}

/**
 * Runs one attempt with connect_timeout (0 = none). On expiry the attempt is abandoned: whatever
 * it registered with `onAbandon` (its socket, its connection) is released.
 */
function withTimeout<T>(
  seconds: number,
  prefix: () => string,
  fn: (onAbandon: (release: () => void) => void) => Promise<T>,
): Promise<T> {
  const holder: { release: (() => void) | null } = { release: null };
  const onAbandon = (r: () => void): void => {
    holder.release = r;
  };
  if (seconds <= 0) return fn(onAbandon);
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      holder.release?.();
      reject(new AttemptError('connect', prefix() + 'timeout expired'));
    }, seconds * 1000);
    fn(onAbandon).then(
      (v) => {
        clearTimeout(timer);
        if (done) {
          // Finished after the timeout: nobody wants it any more.
          if (v instanceof Connection) v.destroy();
          return;
        }
        done = true;
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        if (done) return;
        done = true;
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

function shuffle<T>(items: T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/**
 * Opens a connection. `input` is a postgresql:// URI, a key=value string or an options object;
 * unset options come from the service file, PG* environment variables and libpq's defaults.
 */
export async function connect(
  input: ConnectionOptionsInput = {},
  opts: ConnectOptions = {},
): Promise<Connection> {
  const envi = optionEnvironment(opts.environment ?? {});
  const options = resolveOptions(input, envi);
  const hosts = options.loadBalanceHosts ? shuffle(options.hosts) : options.hosts;
  const passes: SessionCheck[] =
    options.targetSessionAttrs === 'prefer-standby'
      ? ['standby', 'any']
      : [options.targetSessionAttrs];
  const messages: string[] = [];
  let kind: ConnectionErrorKind = 'connect';
  let serverError: DatabaseError | undefined;
  for (const want of passes) {
    for (const target of hosts) {
      let addresses: string[];
      try {
        addresses = await addressesOf(target);
      } catch (e) {
        messages.push((e as Error).message);
        continue;
      }
      for (const address of addresses) {
        // As libpq, Unix-domain sockets never negotiate TLS whatever the sslmode.
        let useTls =
          options.sslmode !== 'disable' && options.sslmode !== 'allow' && target.type === 'tcp';
        for (let round = 0; round < 2; round++) {
          try {
            return await withTimeout(
              options.connectTimeout,
              () => attemptPrefix(target, address),
              (onAbandon) =>
                attempt(options, target, address, useTls, envi, opts.types, want, onAbandon),
            );
          } catch (e) {
            const a =
              e instanceof AttemptError
                ? e
                : new AttemptError('connect', String((e as Error).message));
            messages.push(a.message);
            kind = a.kind;
            serverError = a.serverError;
            if (a.retryTls && round === 0 && target.type === 'tcp') {
              useTls = !useTls;
              continue;
            }
            break;
          }
        }
      }
    }
  }
  throw new ConnectionError(kind, messages.join('\n'), serverError ? { serverError } : {});
}

export type { ConnectionOptionsInput };
