import { afterAll, beforeAll, expect, test } from 'vitest';
import { InterfaceError, Pool, type Connection } from '../index.js';
import { cleanEnvironment, startServer, type TestServer } from '../__tests__/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

const pool = (opts: ConstructorParameters<typeof Pool>[1] = {}): Pool =>
  new Pool(server.conninfo, { ...opts, connectOptions: { environment: cleanEnvironment } });

test('never more than max connections; callers queue and all get served', async () => {
  const p = pool({ max: 3 });
  let peak = 0;
  const results = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      p.withConnection(async (c) => {
        peak = Math.max(peak, p.stats.total);
        const r = await c.query<{ v: number }>('select $1::int as v, pg_sleep(0.01)', [i]);
        return r.rows[0]!.v;
      }),
    ),
  );
  expect(results).toEqual(Array.from({ length: 30 }, (_, i) => i));
  expect(peak).toBeLessThanOrEqual(3);
  const pids = await Promise.all(
    Array.from({ length: 10 }, () => p.query<{ pid: number }>('select pg_backend_pid() pid')),
  );
  expect(new Set(pids.map((r) => r.rows[0]!.pid)).size).toBeLessThanOrEqual(3);
  await p.end();
  await expect(p.query('select 1')).rejects.toBeInstanceOf(InterfaceError);
});

test('idle connections close after idleTimeout', async () => {
  // Both queries overlap (so two connections open) and the idle timeout is long enough that
  // neither connection can expire before both are back, even on a loaded machine.
  const p = pool({ max: 2, idleTimeout: 1000 });
  await Promise.all([p.query('select pg_sleep(0.2)'), p.query('select pg_sleep(0.2)')]);
  expect(p.stats.idle).toBe(2);
  await new Promise((r) => setTimeout(r, 1600));
  expect(p.stats).toEqual({ total: 0, idle: 0, waiting: 0 });
  await p.end();
});

test('health check replaces a connection that died while idle', async () => {
  const p = pool({ max: 1, healthCheckAfter: 0 });
  const first = await p.query<{ pid: number }>('select pg_backend_pid() pid');
  server.psql(`select pg_terminate_backend(${first.rows[0]!.pid})`);
  const second = await p.query<{ pid: number }>('select pg_backend_pid() pid');
  expect(second.rows[0]!.pid).not.toBe(first.rows[0]!.pid);
  await p.end();
});

test('transactions: commit, rollback on error, connections left in a transaction are not reused', async () => {
  const p = pool({ max: 1 });
  await p.query('create table if not exists pt(i int)');
  await p.transaction(async (c) => {
    await c.query('insert into pt values (1)');
  });
  await expect(
    p.transaction(async (c) => {
      await c.query('insert into pt values (2)');
      throw new Error('nope');
    }),
  ).rejects.toThrow('nope');
  expect((await p.query('select array_agg(i)::text a from pt')).rows).toEqual([{ a: '{1}' }]);
  const c: Connection = await p.acquire();
  await c.query('begin');
  p.release(c);
  expect(c.closed || p.stats.total === 0).toBe(true);
  expect((await p.query('select 1 as x')).rows).toEqual([{ x: 1 }]);
  await p.end();
});

test('acquire timeout and abort', async () => {
  const p = pool({ max: 1, acquireTimeout: 100 });
  const held = await p.acquire();
  await expect(p.acquire()).rejects.toThrow(
    'timeout acquiring a connection from the pool after 100 ms',
  );
  const ac = new AbortController();
  const waiting = p.acquire(ac.signal);
  ac.abort(new Error('gave up'));
  await expect(waiting).rejects.toThrow('gave up');
  p.release(held);
  await p.end();
});

test('connection failures reach the caller', async () => {
  const p = new Pool(`host=127.0.0.1 port=1 user=x sslmode=disable`, {
    connectOptions: { environment: cleanEnvironment },
  });
  await expect(p.query('select 1')).rejects.toThrow(/Connection refused/);
  await p.end();
});
