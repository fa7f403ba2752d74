// Differential corpus: every script in test-corpus/ runs under real psql 15 and under tusk-psql
// against the same PostgreSQL 15 server (in a freshly created database each time); stdout,
// stderr and the exit status must be identical. Needs the package built (dist/bin/tusk-psql.js).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres, type PostgresServer } from '@tuskdb/testkit';
import { runProgram, serverEnv } from './test-support/real-psql.js';
import { connectWire } from './conn/wire-client.js';
import type { Session } from './conn/session.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpusDir = path.join(here, '..', 'test-corpus');
const bin = path.join(here, '..', 'dist', 'bin', 'tusk-psql.js');
const scripts = fs
  .readdirSync(corpusDir)
  .filter((f) => f.endsWith('.sql'))
  .sort();

let pg: PostgresServer;
let admin: Session;
beforeAll(async () => {
  pg = await startPostgres();
  admin = await connectWire({
    host: pg.host,
    port: pg.port,
    user: 'postgres',
    database: 'postgres',
  });
}, 60_000);
afterAll(async () => {
  await admin?.close();
  await pg?.stop();
});

/** Each run gets the same, empty database (so both programs see identical state). */
async function freshDatabase(): Promise<void> {
  for (const sql of ['DROP DATABASE IF EXISTS corpus', 'CREATE DATABASE corpus']) {
    const r = await admin.query(sql);
    if (r.error) throw new Error(r.error.message);
  }
}

/** First-line directives: "-- args: ...", "-- stdin", "-- env: NAME=VALUE" (for tusk-psql). */
function directives(text: string): { args: string[]; stdin: boolean; env: Record<string, string> } {
  const first = text.split('\n', 1)[0] ?? '';
  const args = /^-- args: (.*)$/.exec(first)?.[1];
  const env = /^-- env: ([A-Z_]+)=(.*)$/.exec(first);
  return {
    args: args ? args.split(' ') : [],
    stdin: first === '-- stdin',
    env: env ? { [env[1] ?? '']: env[2] ?? '' } : {},
  };
}

describe('tusk-psql vs psql 15 on the corpus', () => {
  it.each(scripts)(
    '%s',
    async (script) => {
      expect(fs.existsSync(bin), 'build the package first (dist/bin/tusk-psql.js)').toBe(true);
      const text = fs.readFileSync(path.join(corpusDir, script), 'utf8');
      const d = directives(text);
      const env = { ...serverEnv(pg), PGDATABASE: 'corpus', HOME: '/nonexistent-home' };
      const args = d.stdin ? ['-X', ...d.args] : ['-X', ...d.args, '-f', script];
      const input = d.stdin ? text : '';
      await freshDatabase();
      const theirs = runProgram('psql', args, env, input, corpusDir);
      await freshDatabase();
      const ours = runProgram('node', [bin, ...args], { ...env, ...d.env }, input, corpusDir);
      expect({ stdout: ours.stdout, stderr: ours.stderr, status: ours.status }).toEqual({
        stdout: theirs.stdout,
        stderr: theirs.stderr,
        status: theirs.status,
      });
    },
    120_000,
  );
});

/** Command-line cases: argument lists (and stdin) run under both programs. */
const CASES: {
  name: string;
  args: string[];
  input?: string;
  env?: Record<string, string>;
  /** Leave out -X (to read a psqlrc). */
  psqlrc?: boolean;
}[] = [
  {
    name: '-c in order',
    args: [
      '-c',
      '\\echo hi',
      '-c',
      'select 1 as a',
      '-c',
      'select 1/0',
      '-c',
      '\\set x 5',
      '-c',
      '\\echo :x',
    ],
  },
  { name: '-c multi-statement', args: ['-c', 'select 1 as a; select 2 as b'] },
  { name: '-c failing last', args: ['-c', 'select 1', '-c', 'select * from nosuch'] },
  {
    name: '-c ON_ERROR_STOP',
    args: ['-v', 'ON_ERROR_STOP=1', '-c', 'select 1/0', '-c', 'select 2'],
  },
  {
    name: '-c and -f mixed',
    args: ['-c', 'select 0 as z', '-f', 'meta.sql', '-c', 'select 9 as nine'],
  },
  { name: 'missing -f file', args: ['-f', 'no-such-file.sql'] },
  {
    name: 'stdin with -f -',
    args: ['-f', '-'],
    input: 'select 1 as one;\nselect * from nosuch;\n',
  },
  { name: 'echo all -c', args: ['-a', '-c', 'select 1 as a'] },
  { name: 'echo queries', args: ['-e', '-c', 'select 1 as a'] },
  {
    name: 'quiet tuples',
    args: [
      '-q',
      '-t',
      '-c',
      'create table q(a int)',
      '-c',
      'insert into q values (1)',
      '-c',
      'select * from q',
    ],
  },
  { name: 'expanded html', args: ['-x', '-H', '-c', 'select 1 as a, 2 as b'] },
  {
    name: 'zero separators',
    args: ['-A', '-z', '-0', '-c', 'select 1 as a, 2 as b union all select 3, 4'],
  },
  { name: 'record separator', args: ['-A', '-R', '#', '-F', ':', '-c', 'select 1 as a, 2 as b'] },
  { name: 'bad connection', args: ['-h', '127.0.0.1', '-p', '1', '-c', 'select 1'] },
  { name: 'extra arguments', args: ['-c', 'select 1 as a', 'corpus', 'postgres', 'extra1'] },
  { name: 'unknown option', args: ['--bogus'] },
  { name: 'list databases', args: ['-l', '-A', '-t'] },
  {
    name: 'PSQLRC is read without -X',
    args: ['-c', 'select null as n'],
    env: { PSQLRC: 'rc/psqlrc' },
    psqlrc: true,
  },
  {
    name: '-X skips PSQLRC',
    args: ['-X', '-c', 'select null as n'],
    env: { PSQLRC: 'rc/psqlrc' },
    psqlrc: true,
  },
];

describe('tusk-psql vs psql 15 on command lines', () => {
  it.each(CASES)(
    '$name',
    async ({ args, input, env: extraEnv, psqlrc }) => {
      const env = {
        ...serverEnv(pg),
        PGDATABASE: 'corpus',
        HOME: '/nonexistent-home',
        ...extraEnv,
      };
      const full = psqlrc === true ? args : ['-X', ...args];
      await freshDatabase();
      const theirs = runProgram('psql', full, env, input ?? '', corpusDir);
      await freshDatabase();
      const ours = runProgram('node', [bin, ...full], env, input ?? '', corpusDir);
      // Only the program name in start-up messages differs by design.
      const normalize = (s: string): string =>
        s
          .replace(/^\/usr\/lib\/postgresql\/15\/bin\/psql:/gm, 'psql:')
          .replace(/^tusk-psql:/gm, 'psql:')
          .replace(/"tusk-psql --help"/g, '"psql --help"');
      expect({ stdout: ours.stdout, stderr: normalize(ours.stderr), status: ours.status }).toEqual({
        stdout: theirs.stdout,
        stderr: normalize(theirs.stderr),
        status: theirs.status,
      });
    },
    120_000,
  );
});
