/**
 * FOREIGN KEY constraints across backend processes: a referencing insert and a referenced delete
 * in concurrent transactions wait for each other (the key-share lock the check takes) and the
 * loser gets PostgreSQL's 23503, so no committed state ever holds an orphan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendMessage } from '@tuskdb/shared-protocol';
import { startServer, type Server } from './server-fixture.js';
import { openSession, type RawSession } from './session-client.js';

/** The query's rows, or `ERROR <sqlstate>` when it failed. */
async function run(s: RawSession, sql: string): Promise<string[]> {
  const msgs: BackendMessage[] = await s.query(sql, 30_000);
  const err = msgs.find((m) => m.type === 'ErrorResponse');
  if (err && err.type === 'ErrorResponse') return [`ERROR ${err.code}`];
  return msgs.flatMap((m) =>
    m.type === 'DataRow'
      ? [m.values.map((v) => (v ? Buffer.from(v).toString() : 'NULL')).join('|')]
      : [],
  );
}

/** Whether `p` is still pending after `ms` milliseconds. */
async function stillPending(p: Promise<unknown>, ms: number): Promise<boolean> {
  const marker = Symbol('pending');
  const first = await Promise.race([p, new Promise((r) => setTimeout(() => r(marker), ms))]);
  return first === marker;
}

describe('FOREIGN KEY checks between concurrent transactions', () => {
  let server: Server;
  let a: RawSession;
  let b: RawSession;
  beforeAll(async () => {
    server = await startServer();
    a = await openSession(server.port);
    b = await openSession(server.port);
    await run(
      a,
      'CREATE TABLE parent (id int PRIMARY KEY); CREATE TABLE child (p int REFERENCES parent)',
    );
  }, 60_000);
  afterAll(async () => {
    a?.close();
    b?.close();
    await server?.stop();
  });

  it('an insert referencing a row being deleted waits, then fails', async () => {
    await run(a, 'INSERT INTO parent VALUES (1)');
    await run(a, 'BEGIN; DELETE FROM parent WHERE id = 1');
    const insert = run(b, 'INSERT INTO child VALUES (1)');
    expect(await stillPending(insert, 300)).toBe(true);
    await run(a, 'COMMIT');
    expect(await insert).toEqual(['ERROR 23503']);
  });

  it('a delete of a row an uncommitted insert references waits, then fails', async () => {
    await run(a, 'INSERT INTO parent VALUES (2)');
    await run(a, 'BEGIN; INSERT INTO child VALUES (2)');
    const del = run(b, 'DELETE FROM parent WHERE id = 2');
    expect(await stillPending(del, 300)).toBe(true);
    await run(a, 'COMMIT');
    expect(await del).toEqual(['ERROR 23503']);
  });

  it('the delete goes ahead when the referencing insert rolls back', async () => {
    await run(a, 'INSERT INTO parent VALUES (3)');
    await run(a, 'BEGIN; INSERT INTO child VALUES (3)');
    const del = run(b, 'DELETE FROM parent WHERE id = 3');
    expect(await stillPending(del, 300)).toBe(true);
    await run(a, 'ROLLBACK');
    expect(await del).toEqual([]);
    expect(await run(b, 'SELECT count(*) FROM parent WHERE id = 3')).toEqual(['0']);
  });

  it('racing inserts and deletes never leave an orphan', async () => {
    await run(a, 'TRUNCATE child, parent; INSERT INTO parent SELECT generate_series(1, 20)');
    const sessions = await Promise.all(Array.from({ length: 4 }, () => openSession(server.port)));
    await Promise.all(
      sessions.map(async (s, n) => {
        for (let i = 0; i < 25; i++) {
          const k = ((i * 7 + n * 3) % 20) + 1;
          // Half the sessions add references, half remove parents; failures are expected.
          await run(
            s,
            n % 2 === 0 ? `INSERT INTO child VALUES (${k})` : `DELETE FROM parent WHERE id = ${k}`,
          );
        }
      }),
    );
    const orphans = await run(
      a,
      'SELECT count(*) FROM child c LEFT JOIN parent p ON p.id = c.p WHERE p.id IS NULL',
    );
    expect(orphans).toEqual(['0']);
    for (const s of sessions) s.close();
  }, 60_000);
});
