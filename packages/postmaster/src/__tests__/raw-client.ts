// A bare protocol client for tests of the startup phase: writes startup-phase packets by hand and
// decodes what the server answers with the shared BackendDecoder.
import net from 'node:net';
import { BackendDecoder, MessageWriter, type BackendMessage } from '@tuskdb/shared-protocol';

export function connect(port: number, host = '127.0.0.1'): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

export function connectUnix(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ path: socketPath });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

export function startupPacket(params: Record<string, string>, version = 196608): Buffer {
  const body = Buffer.concat([
    ...Object.entries(params).map(([k, v]) => Buffer.from(`${k}\0${v}\0`)),
    Buffer.from([0]),
  ]);
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(version, 4);
  return Buffer.concat([head, body]);
}

export function codePacket(code: number, extra: number[] = []): Buffer {
  const b = Buffer.alloc(8 + extra.length * 4);
  b.writeInt32BE(b.length, 0);
  b.writeInt32BE(code, 4);
  extra.forEach((v, i) => b.writeInt32BE(v, 8 + i * 4));
  return b;
}

export function passwordPacket(password: string): Buffer {
  return new MessageWriter().frontend({ type: 'PasswordMessage', password }).take();
}

/** Everything the server sends until it closes the connection (or `ms` pass). */
export function readUntilClose(
  socket: net.Socket,
  ms = 10_000,
): Promise<{ bytes: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = (closed: boolean) => {
      clearTimeout(timer);
      resolve({ bytes: Buffer.concat(chunks), closed });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      done(false);
    }, ms);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => done(true));
    socket.on('error', () => undefined);
  });
}

/** Reads until at least one message satisfies `until` (or close). */
export function readMessages(
  socket: net.Socket,
  until: (m: BackendMessage) => boolean,
  ms = 10_000,
): Promise<BackendMessage[]> {
  return new Promise((resolve, reject) => {
    const decoder = new BackendDecoder();
    const out: BackendMessage[] = [];
    const finish = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      resolve(out);
    };
    const onData = (c: Buffer) => {
      let hit = false;
      decoder.push(c, (m) => {
        out.push(m as BackendMessage);
        if (until(m as BackendMessage)) hit = true;
      });
      if (hit) finish();
    };
    const timer = setTimeout(
      () => reject(new Error(`timeout; got ${JSON.stringify(out.map((m) => m.type))}`)),
      ms,
    );
    socket.on('data', onData);
    socket.once('close', finish);
  });
}

export function decodeAll(bytes: Buffer): BackendMessage[] {
  const decoder = new BackendDecoder();
  const out: BackendMessage[] = [];
  decoder.push(bytes, (m) => out.push(m as BackendMessage));
  return out;
}
