/**
 * Opening the byte stream to one server address: a TCP or Unix-domain socket, then (per sslmode)
 * the SSLRequest negotiation and the TLS handshake with libpq's verification rules. Failures are
 * reported with libpq's texts (without the "connection to server … failed: " prefix, which the
 * caller adds).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { BackendDecoder, SSL_REQUEST_MESSAGE } from '@tuskdb/shared-protocol';
import type { OptionEnvironment } from '../options/environment.js';
import type { HostTarget, ResolvedOptions } from '../options/resolve.js';
import { strerror } from './system-errors.js';

/** A failure while opening the transport; `kind` selects the ConnectionError kind. */
export class TransportError extends Error {
  constructor(
    readonly kind: 'connect' | 'tls',
    message: string,
  ) {
    super(message);
  }
}

/** Opens a TCP or Unix socket; resolves once connected. */
export function openSocket(target: HostTarget, address: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket =
      target.type === 'unix'
        ? net.connect({ path: address })
        : net.connect({ host: address, port: target.port });
    const onError = (e: Error): void => {
      socket.destroy();
      const hint =
        target.type === 'unix'
          ? '\n\tIs the server running locally and accepting connections on that socket?'
          : '\n\tIs the server running on that host and accepting TCP/IP connections?';
      reject(new TransportError('connect', strerror(e) + hint));
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      if (target.type === 'tcp') {
        const keepalives = true;
        socket.setKeepAlive(keepalives);
      }
      resolve(socket);
    });
  });
}

/** Sends SSLRequest and reads the one-byte answer: true = the server will do TLS. */
export function negotiateSsl(socket: net.Socket): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const decoder = new BackendDecoder();
    decoder.expectSSLResponse();
    let answered = false;
    const cleanup = (): void => {
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onClose);
    };
    const onClose = (): void => {
      cleanup();
      reject(
        new TransportError(
          'tls',
          'server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.',
        ),
      );
    };
    const onData = (chunk: Buffer): void => {
      try {
        decoder.push(chunk, (m) => {
          if (answered)
            throw new TransportError('tls', 'received unencrypted data after SSL response');
          answered = true;
          if (m.type === 'SSLResponse') return;
          if (m.type === 'ErrorResponse') {
            throw new TransportError('tls', 'server sent an error response during SSL exchange');
          }
          throw new TransportError('tls', 'unexpected message from server during startup');
        });
      } catch (e) {
        cleanup();
        reject(e instanceof TransportError ? e : new TransportError('tls', (e as Error).message));
        return;
      }
      if (answered) {
        cleanup();
        socket.pause();
        // Only the first byte matters; 'S' or 'N' decide.
        resolve(chunk[0] === 0x53);
      }
    };
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.on('error', onClose);
    socket.write(SSL_REQUEST_MESSAGE);
  });
}

function isIpAddress(host: string): boolean {
  return net.isIP(host) !== 0;
}

/** Does the sslmode ask to verify the server's certificate (given the root cert file)? */
function readRootCert(
  options: ResolvedOptions,
  envi: OptionEnvironment,
): { ca?: Buffer; system?: boolean; file: string } | null {
  const explicit = options.values.get('sslrootcert');
  const file =
    explicit && explicit !== ''
      ? explicit
      : envi.homedir !== null
        ? path.join(envi.homedir, '.postgresql', 'root.crt')
        : '';
  const mode = options.sslmode;
  const mustVerify = mode === 'verify-ca' || mode === 'verify-full';
  if (file === 'system') return { system: true, file };
  if (file !== '' && existsSync(file)) return { ca: readFileSync(file), file };
  if (mustVerify) {
    if (file === '') {
      throw new TransportError(
        'tls',
        'could not get home directory to locate root certificate file\nEither provide the file or change sslmode to disable server certificate verification.',
      );
    }
    throw new TransportError(
      'tls',
      `root certificate file "${file}" does not exist\nEither provide the file or change sslmode to disable server certificate verification.`,
    );
  }
  return null;
}

function clientCertificate(
  options: ResolvedOptions,
  envi: OptionEnvironment,
): { cert?: Buffer; key?: Buffer } {
  const home = envi.homedir;
  const certFile =
    options.values.get('sslcert') || (home ? path.join(home, '.postgresql', 'postgresql.crt') : '');
  if (!certFile || !existsSync(certFile)) return {};
  const keyFile =
    options.values.get('sslkey') || (home ? path.join(home, '.postgresql', 'postgresql.key') : '');
  if (!keyFile || !existsSync(keyFile)) {
    throw new TransportError('tls', `certificate present, but not private key file "${keyFile}"`);
  }
  const st = statSync(keyFile);
  if (!st.isFile())
    throw new TransportError('tls', `private key file "${keyFile}" is not a regular file`);
  const ownedByRoot = st.uid === 0;
  if ((!ownedByRoot && (st.mode & 0o077) !== 0) || (ownedByRoot && (st.mode & 0o037) !== 0)) {
    throw new TransportError(
      'tls',
      `private key file "${keyFile}" has group or world access; file must have permissions u=rw (0600) or less if owned by the current user, or permissions u=rw,g=r (0640) or less if owned by root`,
    );
  }
  return { cert: readFileSync(certFile), key: readFileSync(keyFile) };
}

function certificateNames(cert: tls.PeerCertificate): string[] {
  const names: string[] = [];
  if (cert.subjectaltname) {
    for (const part of cert.subjectaltname.split(', ')) {
      const i = part.indexOf(':');
      if (part.startsWith('DNS:') || part.startsWith('IP Address:')) names.push(part.slice(i + 1));
    }
  }
  if (names.length === 0) {
    const cn = cert.subject?.CN;
    if (typeof cn === 'string') names.push(cn);
    else if (Array.isArray(cn)) names.push(...cn);
  }
  return names;
}

function hostMismatch(host: string, cert: tls.PeerCertificate): string {
  const names = certificateNames(cert);
  if (names.length === 0) return "could not get server's host name from server certificate";
  const others = names.length - 1;
  if (others === 0)
    return `server certificate for "${names[0]}" does not match host name "${host}"`;
  return `server certificate for "${names[0]}" (and ${others} other name${others === 1 ? '' : 's'}) does not match host name "${host}"`;
}

const VERIFY_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
]);

/** Wraps a socket (after the server said 'S') in TLS with libpq's verification for the sslmode. */
export function startTls(
  socket: net.Socket,
  target: HostTarget,
  options: ResolvedOptions,
  envi: OptionEnvironment,
): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    let root;
    let client;
    try {
      root = readRootCert(options, envi);
      client = clientCertificate(options, envi);
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    const verify = root !== null;
    const verifyHost = options.sslmode === 'verify-full';
    const hostName = target.host;
    let identityError: string | null = null;
    const minVersion = options.values.get('ssl_min_protocol_version') || 'TLSv1.2';
    const maxVersion = options.values.get('ssl_max_protocol_version');
    const tlsOptions: tls.ConnectionOptions = {
      socket,
      rejectUnauthorized: verify,
      minVersion: minVersion as tls.SecureVersion,
      ...(maxVersion ? { maxVersion: maxVersion as tls.SecureVersion } : {}),
      ...(root?.ca ? { ca: root.ca } : {}),
      ...client,
      checkServerIdentity: (_host, cert) => {
        if (!verifyHost) return undefined;
        const err = tls.checkServerIdentity(hostName, cert);
        if (err) {
          identityError = hostMismatch(hostName, cert);
          return err;
        }
        return undefined;
      },
    };
    if (
      options.values.get('sslsni') !== '0' &&
      target.type === 'tcp' &&
      hostName !== '' &&
      !isIpAddress(hostName)
    ) {
      tlsOptions.servername = hostName;
    }
    if (verifyHost && hostName === '') {
      reject(
        new TransportError('tls', 'host name must be specified for a verified SSL connection'),
      );
      return;
    }
    const secure = tls.connect(tlsOptions);
    const onError = (e: Error): void => {
      secure.destroy();
      const code = (e as { code?: string }).code ?? '';
      let message: string;
      if (identityError) message = identityError;
      else if (VERIFY_CODES.has(code)) message = 'SSL error: certificate verify failed';
      else if (code === 'ECONNRESET' || code === 'EPIPE')
        message = 'SSL SYSCALL error: EOF detected';
      else message = `SSL error: ${e.message}`;
      reject(new TransportError('tls', message));
    };
    secure.once('error', onError);
    secure.once('secureConnect', () => {
      secure.off('error', onError);
      resolve(secure);
    });
    socket.resume();
  });
}
