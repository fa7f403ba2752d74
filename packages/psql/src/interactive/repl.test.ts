// Drives the interactive prompt through a real terminal (tmux): PROMPT1/PROMPT2 with the input
// state and transaction status, multi-line statements, Ctrl-C clearing the buffer and cancelling
// a running query, Ctrl-D quitting, and the history file. Skipped when tmux is not installed.
// (tmux's capture-pane drops trailing spaces, so prompts and rows are matched without them.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres, type PostgresServer } from '@tuskdb/testkit';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(here, '..', '..', 'dist', 'bin', 'tusk-psql.js');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const session = `tusk-psql-test-${process.pid}`;

let pg: PostgresServer;
let tmp: string;
beforeAll(async () => {
  if (!hasTmux) return;
  pg = await startPostgres();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tusk-psql-repl-'));
}, 60_000);
afterAll(async () => {
  spawnSync('tmux', ['kill-session', '-t', session]);
  await pg?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const keys = (...k: string[]): void => {
  execFileSync('tmux', ['send-keys', '-t', session, ...k]);
};
const screen = (): string =>
  execFileSync('tmux', ['capture-pane', '-t', session, '-p'], { encoding: 'utf8' });

async function waitFor(text: string, timeoutMs = 15_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = screen();
    if (s.includes(text)) return s;
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${JSON.stringify(text)} in:\n${s}`);
    await sleep(100);
  }
}

describe.skipIf(!hasTmux)('interactive tusk-psql in a terminal', () => {
  it('prompts, runs, cancels and quits like psql', async () => {
    const hist = path.join(tmp, 'history');
    const env = [
      `PGHOST=${pg.host}`,
      `PGPORT=${pg.port}`,
      'PGUSER=postgres',
      'PGDATABASE=postgres',
      `PSQL_HISTORY=${hist}`,
    ];
    execFileSync('tmux', [
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '100',
      '-y',
      '40',
      `env ${env.join(' ')} node ${bin} -X; echo EXITED-$?; sleep 30`,
    ]);
    await waitFor('postgres=#');
    keys('select 1 as a,', 'Enter');
    await waitFor('postgres-#');
    keys("'x' as b\\;", 'Enter');
    await waitFor('(1 row)');
    keys("select 'open", 'Enter');
    await waitFor("postgres'#");
    keys('C-c');
    keys('begin\\;', 'Enter');
    await waitFor('BEGIN');
    await waitFor('postgres=*#');
    keys('select pg_sleep(60)\\;', 'Enter');
    await sleep(1000);
    keys('C-c');
    await waitFor('ERROR:  canceling statement due to user request');
    await waitFor('postgres=!#');
    keys('rollback\\;', 'Enter');
    await waitFor('ROLLBACK');
    // Tab completion: a keyword, then a table name looked up in the catalog.
    keys('sel', 'Tab');
    await sleep(300);
    keys(' count(*) > 0 as has_rows from pg_catalog.pg_clas', 'Tab');
    await sleep(800);
    keys('\\;', 'Enter');
    await waitFor('has_rows');
    keys('C-d');
    const final = await waitFor('EXITED-0');
    expect(final).toContain('Cancel request sent\nERROR:  canceling statement due to user request');
    expect(final).toContain(' a | b\n---+---\n 1 | x\n(1 row)');
    expect(final).toContain('\\q');
    const history = fs.readFileSync(hist, 'utf8');
    expect(history).toContain('select pg_sleep(60);');
    expect(final).toContain('select count(*) > 0 as has_rows from pg_catalog.pg_class');
  }, 90_000);
});
