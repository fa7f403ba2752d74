// Our ScramServer against real libpq: a minimal test server (this package's codec plus
// ScramServer) authenticates psql 15, with and without channel binding over TLS. After
// authentication it ends the session with a FATAL marker, so psql's stderr shows how far it got.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendMessage } from '../messages.js';
import { parseSASLInitialResponse, parseSASLResponse } from '../codec/authentication-response.js';
import { FrontendDecoder } from '../codec/frontend-decoder.js';
import { MessageWriter } from '../codec/message-writer.js';
import { tlsServerEndPointData } from './channel-binding.js';
import { AuthenticationError } from './errors.js';
import { ScramServer, scramMechanisms } from './scram-server.js';
import { scramVerifier } from './scram-verifier.js';

const PASSWORD = 'sérieux\u2168 pw';
const REACHED = 'test server: authenticated';

interface ServerMode {
  /** Corrupt the server signature, to see libpq refuse it. */
  badSignature?: boolean;
}

let server: net.Server;
let port: number;
let mode: ServerMode = {};
let cert: { crt: string; key: string };

function makeCertificate(): { crt: string; key: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tusk-cert-'));
  try {
    const args = ['req', '-x509', '-newkey', 'rsa:2048', '-sha256', '-nodes', '-subj',
      '/CN=localhost', '-days', '2', '-keyout', path.join(dir, 'key'), '-out', path.join(dir, 'crt')]; // prettier-ignore
    // Synchronous is fine: the test server is not listening yet.
    execFileSync('openssl', args, { stdio: 'ignore' });
    return {
      crt: readFileSync(path.join(dir, 'crt'), 'utf8'),
      key: readFileSync(path.join(dir, 'key'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function serve(raw: net.Socket): void {
  const decoder = new FrontendDecoder();
  const writer = new MessageWriter();
  let socket: net.Socket = raw;
  let scram: ScramServer | null = null;
  let user = '';
  let tlsData: Buffer | null = null;
  const send = (...ms: BackendMessage[]): void => {
    for (const m of ms) writer.backend(m);
    socket.write(writer.take());
  };
  const fatal = (code: string, message: string, detail?: string): void => {
    send({
      type: 'ErrorResponse',
      severity: 'FATAL',
      severityNonLocalized: 'FATAL',
      code,
      message,
      detail,
    });
    socket.end();
  };
  const onData = (chunk: Buffer): void => {
    decoder.push(chunk, (m) => {
      try {
        switch (m.type) {
          case 'SSLRequest': {
            raw.off('data', onData);
            raw.write('S');
            const secure = new tls.TLSSocket(raw, {
              isServer: true,
              key: cert.key,
              cert: cert.crt,
            });
            tlsData = tlsServerEndPointData(new X509Certificate(cert.crt).raw);
            socket = secure;
            secure.on('data', onData);
            secure.on('error', () => undefined);
            break;
          }
          case 'StartupMessage':
            user = m.parameters.get('user') ?? '';
            send({ type: 'AuthenticationSASL', mechanisms: scramMechanisms(tlsData !== null) });
            break;
          case 'AuthenticationResponse':
            if (!scram) {
              const initial = parseSASLInitialResponse(m.data);
              scram = new ScramServer({
                verifier: scramVerifier(PASSWORD, { iterations: 64 }),
                mechanism: initial.mechanism as 'SCRAM-SHA-256' | 'SCRAM-SHA-256-PLUS',
                ...(tlsData ? { channelBinding: { data: tlsData } } : {}),
              });
              const first = scram.handleClientFirst(
                initial.data === null ? null : Buffer.from(initial.data).toString(),
              );
              send({ type: 'AuthenticationSASLContinue', data: Buffer.from(first) });
            } else {
              const result = scram.handleClientFinal(
                Buffer.from(parseSASLResponse(m.data)).toString(),
              );
              if (!result.ok) {
                fatal('28P01', `password authentication failed for user "${user}"`);
                return;
              }
              const final = mode.badSignature
                ? 'v=' + Buffer.alloc(32).toString('base64')
                : result.serverFinal;
              send(
                { type: 'AuthenticationSASLFinal', data: Buffer.from(final) },
                { type: 'AuthenticationOk' },
              );
              fatal('XX000', REACHED);
            }
            break;
          default:
            fatal('08P01', `unexpected message ${m.type}`);
        }
      } catch (err) {
        if (err instanceof AuthenticationError) fatal(err.code, err.message, err.detail);
        else fatal('XX000', String(err));
      }
    });
  };
  raw.on('data', onData);
  raw.on('error', () => undefined);
}

beforeAll(async () => {
  cert = makeCertificate();
  server = net.createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
}, 60_000);

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

/** psql's stderr (it always fails: the test server ends every session). */
function psql(password: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      'psql',
      [
        '-X',
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        'alice',
        '-d',
        'postgres',
        '-c',
        'SELECT 1',
      ],
      {
        env: {
          ...process.env,
          PGPASSWORD: password,
          PGSSLMODE: 'disable',
          PGCONNECT_TIMEOUT: '10',
          ...env,
        },
      },
      (_err, _stdout, stderr) => resolve(stderr),
    );
  });
}

describe('ScramServer against libpq (psql 15)', () => {
  it('authenticates the right password; libpq accepts our server signature', async () => {
    mode = {};
    expect(await psql(PASSWORD)).toContain(`FATAL:  ${REACHED}`);
  });

  it('refuses a wrong password', async () => {
    mode = {};
    expect(await psql('wrong')).toContain(
      'FATAL:  password authentication failed for user "alice"',
    );
  });

  it('libpq refuses a wrong server signature', async () => {
    mode = { badSignature: true };
    const err = await psql(PASSWORD);
    expect(err).not.toContain(REACHED);
    expect(err).toContain('failed: incorrect server signature');
  });

  it('SCRAM-SHA-256-PLUS with channel_binding=require over TLS', async () => {
    mode = {};
    const err = await psql(PASSWORD, { PGSSLMODE: 'require', PGCHANNELBINDING: 'require' });
    expect(err).toContain(`FATAL:  ${REACHED}`);
  });
});
