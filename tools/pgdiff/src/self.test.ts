// The runner checked against itself: PostgreSQL vs an identical PostgreSQL must pass; PostgreSQL vs a PostgreSQL
// whose output differs (bytea_output = escape) must fail on exactly that statement.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startPostgres, type PostgresServer } from '@tuskdb/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { compareDirectory, formatReport } from './compare.js';
import { freshDatabase } from './databases.js';
import type { Target } from './run-script.js';

let a: PostgresServer;
let b: PostgresServer;
let twin: PostgresServer;
let dir: string;
const target = (s: PostgresServer): Target => ({
  label: String(s.port),
  host: s.host,
  port: s.port,
  user: s.superuser,
  database: 'postgres',
});

beforeAll(async () => {
  [a, twin, b] = await Promise.all([
    startPostgres(),
    startPostgres(),
    startPostgres({ settings: { bytea_output: 'escape' } }),
  ]);
  dir = mkdtempSync(path.join(tmpdir(), 'pgdiff-corpus-'));
  writeFileSync(
    path.join(dir, 'one.sql'),
    "create table t (a int);\ninsert into t values (1), (2);\nselect * from t;\nselect 'ab'::bytea;\nselect 1/0;\n",
  );
  writeFileSync(
    path.join(dir, 'two.sql'),
    "-- pgdiff: xfail bytea differs on purpose\nselect 'x'::bytea;\n",
  );
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.stop(), twin?.stop(), b?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('passes when both servers agree', async () => {
  const report = await compareDirectory(dir, target(a), target(twin), freshDatabase);
  expect(report.files.every((f) => f.passed)).toBe(true);
  expect(formatReport(report)).toMatch(/pgdiff: 1 passed, 1 failed/); // two.sql is an unexpected pass
  expect(report.unitMatchRate).toBe(1);
}, 60_000);

it('pinpoints the statement whose output differs', async () => {
  const report = await compareDirectory(dir, target(a), target(b), freshDatabase);
  const one = report.files.find((f) => f.file === 'one.sql')!;
  expect(one.passed).toBe(false);
  expect(one.units - one.matchingUnits).toBe(1);
  expect(one.diffs[0]).toContain("select 'ab'::bytea");
  expect(report.expectedFailures).toBe(1);
  expect(formatReport(report)).toMatch(/pgdiff: 0 passed, 1 failed \(1 expected failures\)/);
}, 60_000);
