// A TCP proxy for tests that decodes every message in both directions with this codec and forwards
// only its own re-encoding, recording the raw and re-encoded streams of each connection.
import net from 'node:net';
import { BackendDecoder } from '../backend-decoder.js';
import { FrontendDecoder } from '../frontend-decoder.js';
import { MessageWriter } from '../message-writer.js';

export interface Direction {
  raw: Buffer[];
  encoded: Buffer[];
  /** Message count by type. */
  counts: Map<string, number>;
  /** Bytes still buffered (an incomplete message) when the connection closed. */
  leftover: number;
}

export interface ProxiedConnection {
  client: Direction;
  server: Direction;
  errors: Error[];
}

export interface ReencodingProxy {
  port: number;
  connections: ProxiedConnection[];
  close(): Promise<void>;
}

const direction = (): Direction => ({ raw: [], encoded: [], counts: new Map(), leftover: 0 });
const count = (d: Direction, type: string): void => {
  d.counts.set(type, (d.counts.get(type) ?? 0) + 1);
};

export function startReencodingProxy(upstreamPort: number): Promise<ReencodingProxy> {
  const connections: ProxiedConnection[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: upstreamPort });
    sockets.add(client);
    sockets.add(upstream);
    const conn: ProxiedConnection = { client: direction(), server: direction(), errors: [] };
    connections.push(conn);
    const fromClient = new FrontendDecoder();
    const fromServer = new BackendDecoder();
    const toServer = new MessageWriter();
    const toClient = new MessageWriter();

    client.on('data', (chunk: Buffer) => {
      conn.client.raw.push(chunk);
      try {
        fromClient.push(chunk, (m) => {
          count(conn.client, m.type);
          if (m.type === 'SSLRequest') fromServer.expectSSLResponse();
          if (m.type === 'GSSENCRequest') fromServer.expectGSSENCResponse();
          toServer.frontend(m);
        });
      } catch (err) {
        conn.errors.push(err as Error);
      }
      const out = toServer.take();
      conn.client.encoded.push(Buffer.from(out));
      upstream.write(out);
    });
    upstream.on('data', (chunk: Buffer) => {
      conn.server.raw.push(chunk);
      try {
        fromServer.push(chunk, (m) => {
          count(conn.server, m.type);
          if (m.type === 'SSLResponse') toClient.raw(Buffer.from(m.accepted ? 'S' : 'N'));
          else if (m.type === 'GSSENCResponse') toClient.raw(Buffer.from(m.accepted ? 'G' : 'N'));
          else toClient.backend(m);
        });
      } catch (err) {
        conn.errors.push(err as Error);
      }
      const out = toClient.take();
      conn.server.encoded.push(Buffer.from(out));
      client.write(out);
    });
    const finish = (): void => {
      conn.client.leftover = fromClient.bufferedBytes().length;
      conn.server.leftover = fromServer.bufferedBytes().length;
    };
    client.on('close', () => {
      finish();
      upstream.end();
    });
    upstream.on('close', () => {
      finish();
      client.end();
    });
    client.on('error', (err) => conn.errors.push(err));
    upstream.on('error', (err) => conn.errors.push(err));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        port,
        connections,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
