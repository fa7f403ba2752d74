// Differential corpus: every script in test-corpus/ runs under real psql 15 and under tusk-psql
// against the same PostgreSQL 15 server (in a freshly created database each time); stdout,
// stderr and the exit status must be identical. Needs the package built (dist/bin/tusk-psql.js).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres, type PostgresServer } from '@tuskdb/testkit';
import { runProgram, serverEnv } from './test-support/real-psql.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpusDir = path.join(here, '..', 'test-corpus');
const bin = path.join(here, '..', 'dist', 'bin', 'tusk-psql.js');
const scripts = fs
  .readdirSync(corpusDir)
  .filter((f) => f.endsWith('.sql'))
  .sort();

let pg: PostgresServer;
beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);
afterAll(async () => {
  await pg?.stop();
});

function freshDatabase(): void {
  pg.psql('DROP DATABASE IF EXISTS corpus');
  pg.psql('CREATE DATABASE corpus');
}

function directives(text: string): { args: string[]; stdin: boolean } {
  const first = text.split('\n', 1)[0] ?? '';
  const args = /^-- args: (.*)$/.exec(first)?.[1];
  return { args: args ? args.split(' ') : [], stdin: first === '-- stdin' };
}

describe('tusk-psql vs psql 15 on the corpus', () => {
  it.each(scripts)(
    '%s',
    (script) => {
      expect(fs.existsSync(bin), 'build the package first (dist/bin/tusk-psql.js)').toBe(true);
      const text = fs.readFileSync(path.join(corpusDir, script), 'utf8');
      const d = directives(text);
      const env = { ...serverEnv(pg), PGDATABASE: 'corpus', HOME: '/nonexistent-home' };
      const args = d.stdin ? ['-X', ...d.args] : ['-X', ...d.args, '-f', script];
      const input = d.stdin ? text : '';
      freshDatabase();
      const theirs = runProgram('psql', args, env, input, corpusDir);
      freshDatabase();
      const ours = runProgram('node', [bin, ...args], env, input, corpusDir);
      expect({ stdout: ours.stdout, stderr: ours.stderr, status: ours.status }).toEqual({
        stdout: theirs.stdout,
        stderr: theirs.stderr,
        status: theirs.status,
      });
    },
    120_000,
  );
});
