// Faults: the server terminating or crashing mid-query, connection resets, fake servers sending
// malformed bytes or nothing at all. Every pending request must settle with a clear error; no
// promise may hang and no rejection may go unhandled.
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { MessageWriter, type BackendMessage } from '@tuskdb/shared-protocol';
import { connect, ConnectionError, DatabaseError, type Connection } from './index.js';
import { cleanEnvironment, startServer, type TestServer } from './__tests__/server.js';

const unhandled: unknown[] = [];
const onUnhandled = (e: unknown): void => {
  unhandled.push(e);
};
process.on('unhandledRejection', onUnhandled);

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ settings: { ssl: false } });
}, 120_000);
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await server?.stop();
});
afterEach(async () => {
  // Give stray rejections a chance to surface before checking.
  await new Promise((r) => setTimeout(r, 20));
  expect(unhandled).toEqual([]);
});

const open = (extra = ''): Promise<Connection> =>
  connect(`${server.conninfo} ${extra}`, { environment: cleanEnvironment });

/* ------------------------------------------------------------------ */
/* A fake server                                                       */
/* ------------------------------------------------------------------ */

type Script = (socket: net.Socket, chunkIndex: number, chunk: Buffer) => void;

async function fakeServer(script: Script): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    let n = 0;
    socket.on('data', (chunk) => script(socket, n++, chunk));
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        srv.close(() => r());
      }),
  };
}

function bytes(...messages: BackendMessage[]): Buffer {
  const w = new MessageWriter();
  for (const m of messages) w.backend(m);
  return Buffer.from(w.take());
}

const HELLO = bytes(
  { type: 'AuthenticationOk' },
  { type: 'BackendKeyData', processId: 1, secretKey: 2 },
  { type: 'ParameterStatus', name: 'server_version', value: '15.0' },
  { type: 'ReadyForQuery', status: 'I' },
);

async function withFake(script: Script, run: (conninfo: string) => Promise<void>): Promise<void> {
  const fake = await fakeServer(script);
  try {
    await run(`host=127.0.0.1 port=${fake.port} user=u dbname=d sslmode=disable`);
  } finally {
    await fake.close();
  }
}

const fakeConnect = (conninfo: string): Promise<Connection> =>
  connect(conninfo, { environment: cleanEnvironment });

describe('real server faults', () => {
  test('pg_terminate_backend mid-query: the query gets the FATAL, the rest a ConnectionError', async () => {
    const victim = await open();
    const closed = new Promise<Error | undefined>((r) => victim.once('close', r));
    const running = victim.query('select pg_sleep(30)').catch((e: unknown) => e);
    const queued = victim.query('select 1').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    const killer = await open();
    await killer.query('select pg_terminate_backend($1)', [victim.processId]);
    await killer.close();
    const e1 = await running;
    expect(e1).toBeInstanceOf(DatabaseError);
    expect(e1).toMatchObject({
      severity: 'FATAL',
      code: '57P01',
      message: 'terminating connection due to administrator command',
    });
    const e2 = await queued;
    expect(e2).toBeInstanceOf(ConnectionError);
    expect((e2 as ConnectionError).kind).toBe('closed');
    expect(await closed).toBeInstanceOf(Error);
    expect(victim.closed).toBe(true);
    await expect(victim.query('select 1')).rejects.toBeInstanceOf(ConnectionError);
    await victim.close();
  });

  test('terminated while idle: the next query fails at once with the reason', async () => {
    const victim = await open();
    const killer = await open();
    await killer.query('select pg_terminate_backend($1)', [victim.processId]);
    await killer.close();
    if (!victim.closed) await new Promise((r) => victim.once('close', r));
    const e = (await victim.query('select 1').catch((err: unknown) => err)) as ConnectionError;
    expect(e).toBeInstanceOf(ConnectionError);
    expect(e.message).toBe(
      'FATAL:  terminating connection due to administrator command\nserver closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.',
    );
    expect(e.serverError?.code).toBe('57P01');
  });

  test('connect_timeout against a server that never answers', async () => {
    await withFake(
      () => {},
      async (conninfo) => {
        const started = Date.now();
        const e = (await fakeConnect(`${conninfo} connect_timeout=1`).catch(
          (err: unknown) => err,
        )) as ConnectionError;
        const port = /port=(\d+)/.exec(conninfo)![1];
        expect(e.message).toBe(
          `connection to server at "127.0.0.1", port ${port} failed: timeout expired`,
        );
        const took = Date.now() - started;
        expect(took).toBeGreaterThanOrEqual(1900);
        expect(took).toBeLessThan(5000);
      },
    );
  });

  test('sslmode=require against a server without SSL; prefer falls back', async () => {
    const e = (await open().then(
      () => null,
      () => null,
    ),
    await connect(server.conninfo.replace('sslmode=disable', 'sslmode=require'), {
      environment: cleanEnvironment,
    }).catch((err: unknown) => err)) as ConnectionError;
    expect(e.message).toBe(
      `connection to server at "127.0.0.1", port ${server.port} failed: server does not support SSL, but SSL was required`,
    );
    const c = await connect(server.conninfo.replace('sslmode=disable', 'sslmode=prefer'), {
      environment: cleanEnvironment,
    });
    expect(c.connected.tls).toBe(false);
    await c.close();
  });
});

describe('fake servers', () => {
  test('server closes during startup', async () => {
    await withFake(
      (s) => s.destroy(),
      async (conninfo) => {
        const e = (await fakeConnect(conninfo).catch((err: unknown) => err)) as ConnectionError;
        expect(e).toBeInstanceOf(ConnectionError);
        expect(e.message).toMatch(
          /failed: server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request\.$/,
        );
      },
    );
  });

  test('garbage instead of an authentication request', async () => {
    await withFake(
      (s) => s.write('HTTP/1.1 400 Bad Request\r\n\r\n'),
      async (conninfo) => {
        const e = (await fakeConnect(conninfo).catch((err: unknown) => err)) as ConnectionError;
        expect(e.message).toMatch(
          /failed: expected authentication request from server, but received H$/,
        );
      },
    );
  });

  test('malformed bytes mid-session: every pending query fails with a protocol error', async () => {
    await withFake(
      (s, i) => {
        if (i === 0) s.write(HELLO);
        else s.write(Buffer.from([0x54, 0xff, 0xff, 0xff, 0xff, 1, 2, 3]));
      },
      async (conninfo) => {
        const c = await fakeConnect(conninfo);
        const results = await Promise.allSettled([
          c.query('select 1'),
          c.query('select 2'),
          c.exec('select 3'),
        ]);
        for (const r of results) {
          expect(r.status).toBe('rejected');
          const e = (r as PromiseRejectedResult).reason as ConnectionError;
          expect(e).toBeInstanceOf(ConnectionError);
          expect(e.kind).toBe('protocol');
          expect(e.message).toBe(
            'lost synchronization with server: got message type "T", length -1',
          );
        }
        expect(c.closed).toBe(true);
      },
    );
  });

  test('a truncated message body inside a valid frame', async () => {
    await withFake(
      (s, i) => {
        if (i === 0) s.write(HELLO);
        // RowDescription claiming 5 fields with none present.
        else s.write(Buffer.from([0x54, 0, 0, 0, 6, 0, 5]));
      },
      async (conninfo) => {
        const c = await fakeConnect(conninfo);
        const e = (await c.query('select 1').catch((err: unknown) => err)) as ConnectionError;
        expect(e).toBeInstanceOf(ConnectionError);
        expect(e.kind).toBe('protocol');
      },
    );
  });

  test('connection reset mid-query', async () => {
    await withFake(
      (s, i) => {
        if (i === 0) s.write(HELLO);
        else s.resetAndDestroy();
      },
      async (conninfo) => {
        const c = await fakeConnect(conninfo);
        const e = (await c.query('select 1').catch((err: unknown) => err)) as ConnectionError;
        expect(e).toBeInstanceOf(ConnectionError);
        expect(e.kind).toBe('closed');
        expect(e.message).toMatch(
          /Connection reset by peer|server closed the connection unexpectedly/,
        );
      },
    );
  });

  test('server goes silent: a timeout cancels via CancelRequest (to the fake) and close() still settles', async () => {
    const received: Buffer[] = [];
    await withFake(
      (s, i, chunk) => {
        if (chunk.length === 16 && chunk.readInt32BE(4) === 80877102) {
          received.push(chunk);
          s.end();
          return;
        }
        if (i === 0) s.write(HELLO);
      },
      async (conninfo) => {
        const c = await fakeConnect(conninfo);
        const q = c.query('select 1', [], { timeout: 100 }).catch((e: unknown) => e);
        await new Promise((r) => setTimeout(r, 400));
        expect(received.length).toBe(1);
        expect([received[0]!.readInt32BE(8), received[0]!.readInt32BE(12)]).toEqual([1, 2]);
        c.destroy();
        expect(await q).toBeInstanceOf(Error);
      },
    );
  });

  test('kill -9 of the backend mid-query', async () => {
    const victim = await open();
    const running = victim.query('select pg_sleep(30)').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    process.kill(victim.processId, 'SIGKILL');
    const e = (await running) as ConnectionError;
    expect(e).toBeInstanceOf(ConnectionError);
    expect(e.kind).toBe('closed');
    expect(e.message).toBe(
      'server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.',
    );
    // The postmaster restarts after a backend crash; wait until it accepts connections again.
    for (let i = 0; i < 100; i++) {
      const c = await open().catch(() => null);
      if (c) {
        await c.close();
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 30_000);
});
