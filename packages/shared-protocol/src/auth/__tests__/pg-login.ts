// Test helper: logs in to a real server over a raw socket with this package's codec and the
// authentication helpers, answering whatever authentication request the server makes.
import net from 'node:net';
import tls from 'node:tls';
import type { BackendDecoderMessage, EncodableFrontendMessage } from '../../messages.js';
import { PROTOCOL_3_0 } from '../../messages.js';
import { BackendDecoder } from '../../codec/backend-decoder.js';
import { MessageWriter } from '../../codec/message-writer.js';
import { md5AuthResponse } from '../md5.js';
import { tlsServerEndPointData } from '../channel-binding.js';
import { ScramClient, type ScramClientOptions } from '../scram-client.js';

export type LoginResult =
  | { ok: true; method: string }
  | { ok: false; code: string; message: string; detail?: string | undefined }
  | { ok: false; clientError: Error };

export interface LoginOptions {
  port: number;
  user: string;
  password: string | Uint8Array;
  /** Overrides for the SCRAM client (nonce, channel binding). */
  scram?: Omit<ScramClientOptions, 'password'>;
  /** Tamper with the client-final message before sending. */
  mangleClientFinal?: (msg: string) => string;
  /** Send this instead of the client's client-first message. */
  clientFirst?: string;
  /** Negotiate TLS first (SSLRequest) and bind SCRAM to the server certificate (PLUS). */
  tls?: boolean;
  /** Called with every server-first message (to look at salts and iteration counts). */
  onServerFirst?: (msg: string) => void;
}

/** SSLRequest, then a TLS session over the same socket; returns the server certificate's DER. */
async function startTls(socket: net.Socket): Promise<{ socket: tls.TLSSocket; cert: Buffer }> {
  const answer = new Promise<Buffer>((resolve) => socket.once('data', resolve));
  const req = Buffer.alloc(8);
  req.writeInt32BE(8, 0);
  req.writeInt32BE(80877103, 4);
  socket.write(req);
  if ((await answer).toString() !== 'S') throw new Error('server refused SSL');
  const secure = tls.connect({ socket, rejectUnauthorized: false });
  await new Promise<void>((resolve, reject) => {
    secure.once('secureConnect', () => resolve());
    secure.once('error', reject);
  });
  return { socket: secure, cert: secure.getPeerX509Certificate()!.raw };
}

export async function pgLogin(options: LoginOptions): Promise<LoginResult> {
  let socket: net.Socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port: options.port }, () => resolve(s));
    s.once('error', reject);
  });
  let scramOptions = options.scram;
  if (options.tls) {
    const secure = await startTls(socket);
    socket = secure.socket;
    scramOptions = {
      ...scramOptions,
      channelBinding: scramOptions?.channelBinding ?? {
        type: 'tls-server-end-point',
        data: tlsServerEndPointData(secure.cert),
      },
    };
  }
  const decoder = new BackendDecoder();
  const writer = new MessageWriter();
  const inbox: BackendDecoderMessage[] = [];
  let wake: (() => void) | null = null;
  let closed = false;
  socket.on('data', (chunk: Buffer) => {
    decoder.push(chunk, (m) => inbox.push(m));
    wake?.();
  });
  socket.on('close', () => {
    closed = true;
    wake?.();
  });
  const send = (m: EncodableFrontendMessage): void => {
    writer.frontend(m);
    socket.write(writer.take());
  };
  const next = async (): Promise<BackendDecoderMessage> => {
    for (;;) {
      const m = inbox.shift();
      if (m) return m;
      if (closed) throw new Error('connection closed');
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  };
  let method = 'trust';
  let scram: ScramClient | null = null;
  try {
    send({
      type: 'StartupMessage',
      protocolVersion: PROTOCOL_3_0,
      parameters: new Map([
        ['user', options.user],
        ['database', 'postgres'],
      ]),
    });
    for (;;) {
      const m = await next();
      switch (m.type) {
        case 'AuthenticationMD5Password':
          method = 'md5';
          send({
            type: 'PasswordMessage',
            password: md5AuthResponse(options.password, options.user, m.salt),
          });
          break;
        case 'AuthenticationSASL': {
          scram = new ScramClient({ ...scramOptions, password: options.password });
          method = scram.mechanism;
          if (!m.mechanisms.includes(scram.mechanism)) throw new Error('mechanism not offered');
          send({
            type: 'SASLInitialResponse',
            mechanism: scram.mechanism,
            data: Buffer.from(options.clientFirst ?? scram.clientFirstMessage()),
          });
          break;
        }
        case 'AuthenticationSASLContinue': {
          options.onServerFirst?.(Buffer.from(m.data).toString());
          let final = scram!.handleServerFirst(Buffer.from(m.data).toString());
          if (options.mangleClientFinal) final = options.mangleClientFinal(final);
          send({ type: 'SASLResponse', data: Buffer.from(final) });
          break;
        }
        case 'AuthenticationSASLFinal':
          scram!.handleServerFinal(Buffer.from(m.data).toString());
          break;
        case 'AuthenticationOk':
          if (scram && !scram.done) throw new Error('AuthenticationOk before SASL completed');
          break;
        case 'ErrorResponse':
          return { ok: false, code: m.code, message: m.message, detail: m.detail };
        case 'ReadyForQuery':
          send({ type: 'Terminate' });
          return { ok: true, method };
        default:
          break;
      }
    }
  } catch (err) {
    return { ok: false, clientError: err as Error };
  } finally {
    socket.destroy();
  }
}
