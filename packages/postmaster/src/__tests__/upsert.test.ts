/**
 * INSERT … ON CONFLICT DO UPDATE across backend processes: sessions racing to insert and update
 * the same keys lose no increment and never fail with a unique violation (the losing insert of a
 * race becomes an update, as PostgreSQL's speculative insertion does).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendMessage } from '@tuskdb/shared-protocol';
import { startServer, type Server } from './server-fixture.js';
import { openSession, type RawSession } from './session-client.js';

async function run(s: RawSession, sql: string): Promise<string[]> {
  const msgs: BackendMessage[] = await s.query(sql, 30_000);
  const err = msgs.find((m) => m.type === 'ErrorResponse');
  if (err && err.type === 'ErrorResponse') throw new Error(`${err.code} ${err.message}`);
  return msgs.flatMap((m) =>
    m.type === 'DataRow'
      ? [m.values.map((v) => (v ? Buffer.from(v).toString() : 'NULL')).join('|')]
      : [],
  );
}

describe('INSERT … ON CONFLICT DO UPDATE, concurrently', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('counts every upsert exactly once', async () => {
    const setup = await openSession(server.port);
    await run(setup, 'CREATE TABLE hits (k int PRIMARY KEY, n int NOT NULL)');
    const sessions = 6;
    const perSession = 30;
    const keys = 40;
    const clients = await Promise.all(
      Array.from({ length: sessions }, () => openSession(server.port)),
    );
    await Promise.all(
      clients.map(async (c) => {
        for (let i = 0; i < perSession; i++) {
          // Every session walks the keys in the same order, so first inserts of a key race.
          const k = i % keys;
          const sql = `INSERT INTO hits VALUES (${k}, 1) ON CONFLICT (k) DO UPDATE SET n = hits.n + excluded.n`;
          await run(c, i % 2 === 0 ? sql : `BEGIN; ${sql}; COMMIT`);
        }
      }),
    );
    const rows = await run(setup, 'SELECT count(*), sum(n) FROM hits');
    expect(rows).toEqual([`${Math.min(keys, perSession)}|${sessions * perSession}`]);
    for (const c of [setup, ...clients]) c.close();
  }, 90_000);
});
