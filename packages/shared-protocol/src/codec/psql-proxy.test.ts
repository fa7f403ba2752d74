// Real clients (psql, pgbench) talk to a real PostgreSQL 15 through a proxy that forwards only this
// codec's re-encoding of each decoded message: the sessions must behave exactly as when direct,
// and every re-encoded stream must equal the original bytes.
import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startPostgres, type PostgresServer } from '@tuskdb/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReencodingProxy, type ReencodingProxy } from './__tests__/reencoding-proxy.js';

const run = promisify(execFile);
let pg: PostgresServer;
let proxy: ReencodingProxy;
let dir: string;

beforeAll(async () => {
  pg = await startPostgres();
  proxy = await startReencodingProxy(pg.port);
  dir = mkdtempSync(path.join(tmpdir(), 'tusk-codec-'));
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const SCRIPT = String.raw`
CREATE TABLE items (id serial PRIMARY KEY, name text, price numeric(10,2), tags text[], data jsonb, blob bytea);
INSERT INTO items (name, price, tags, data, blob) VALUES ('a', 1.5, '{x,y}', '{"k": [1, 2]}', '\xdeadbeef'), ('é ü', NULL, NULL, NULL, NULL);
SELECT id, name, price, tags, data, blob FROM items ORDER BY id;
COPY items (name, price) FROM STDIN;
copied	2.25
more	\N
\.
COPY items (id, name) TO STDOUT;
SELECT * FROM nosuch;
DO $$ BEGIN RAISE NOTICE 'hello %', 42; END $$;
LISTEN ch;
NOTIFY ch, 'payload';
PREPARE q(int) AS SELECT $1 * 2 AS doubled;
EXECUTE q(21);
BEGIN;
SELECT 1/0;
ROLLBACK;
\d items
SELECT length(repeat('xyz', 100000)) AS n, md5(repeat('xyz', 100000)) AS h, repeat('é', 70000) AS wide;
SELECT '';
`;

async function psql(port: number, file: string): Promise<string> {
  const { stdout, stderr } = await run(
    'psql',
    ['-X', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-f', file],
    { env: { ...process.env, PGSSLMODE: 'prefer', PGGSSENCMODE: 'disable' }, maxBuffer: 64 << 20 },
  );
  // The only legitimate difference: the backend PID in the notification line.
  return (stdout + '\n--stderr--\n' + stderr).replace(
    /process with PID \d+/g,
    'process with PID N',
  );
}

it('psql behaves identically through the re-encoding proxy', async () => {
  const file = path.join(dir, 'script.sql');
  writeFileSync(file, SCRIPT);
  const direct = await psql(pg.port, file);
  pg.psql('DROP TABLE items');
  const proxied = await psql(proxy.port, file);
  expect(proxied).toBe(direct);
  expect(direct).toContain('ERROR:  relation "nosuch" does not exist');
  expect(direct).toContain('NOTICE:  hello 42');
  expect(direct).toContain('Asynchronous notification "ch" with payload "payload"');
}, 60_000);

it('pgbench (COPY-based init, extended and prepared protocol) runs through the proxy', async () => {
  const env = { ...process.env, PGSSLMODE: 'disable', PGGSSENCMODE: 'disable' };
  const base = ['-h', '127.0.0.1', '-p', String(proxy.port), '-U', 'postgres'];
  await run('pgbench', ['-i', '-s', '1', '-q', ...base, 'postgres'], { env });
  for (const mode of ['extended', 'prepared', 'simple']) {
    const { stdout } = await run(
      'pgbench',
      ['-M', mode, '-c', '2', '-t', '30', '-n', ...base, 'postgres'],
      { env },
    );
    expect(stdout).toMatch(/number of transactions actually processed: 60\/60/);
  }
}, 120_000);

it('re-encoded every stream byte for byte', async () => {
  // Let the last connections' close events arrive.
  await new Promise((r) => setTimeout(r, 200));
  expect(proxy.connections.length).toBeGreaterThanOrEqual(8);
  const seen = new Set<string>();
  for (const c of proxy.connections) {
    expect(c.errors).toEqual([]);
    for (const d of [c.client, c.server]) {
      expect(Buffer.concat(d.encoded).equals(Buffer.concat(d.raw))).toBe(true);
      expect(d.leftover).toBe(0);
      for (const type of d.counts.keys()) seen.add(type);
    }
  }
  // The sessions exercised these message types in the two directions:
  for (const type of [
    'SSLRequest',
    'SSLResponse',
    'StartupMessage',
    'Query',
    'Parse',
    'Bind',
    'Describe',
    'Execute',
    'Sync',
    'CopyData',
    'CopyDone',
    'Terminate',
    'AuthenticationOk',
    'ParameterStatus',
    'BackendKeyData',
    'ReadyForQuery',
    'RowDescription',
    'DataRow',
    'CommandComplete',
    'CopyInResponse',
    'CopyOutResponse',
    'ErrorResponse',
    'NoticeResponse',
    'NotificationResponse',
    'ParseComplete',
    'BindComplete',
    'NoData',
  ]) {
    expect(seen, type).toContain(type);
  }
});
