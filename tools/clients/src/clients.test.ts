// Each client driver runs one scenario against PostgreSQL 15 and against Tusk; both runs must print
// the same lines. The Python and Java drivers come from Debian's packages (.ci/run installs them).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, startTusk, type PostgresServer, type TuskServer } from '@tuskdb/testkit';
import { nodePostgresScenario } from './scenarios/node-postgres.js';
import { postgresJsScenario } from './scenarios/postgres-js.js';

const scenarios = path.join(path.dirname(fileURLToPath(import.meta.url)), 'scenarios');
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const jdbcJar = '/usr/share/java/postgresql.jar';

function available(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}
const hasPsycopg = available(python, ['-c', 'import psycopg, psycopg2']);
const hasJdbc = existsSync(jdbcJar) && available('java', ['-version']);
// In CI the drivers must be there: a missing one is a failure, not a skip.
const requireDrivers = process.env.CI !== undefined;

function external(cmd: string, args: string[]): string[] {
  const out = execFileSync(cmd, args, { encoding: 'utf8', timeout: 120_000 });
  return out.trimEnd().split('\n');
}

describe('client drivers: Tusk vs PostgreSQL 15', () => {
  let pg: PostgresServer;
  let tusk: TuskServer;
  beforeAll(async () => {
    [pg, tusk] = await Promise.all([startPostgres(), startTusk()]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([pg?.stop(), tusk?.stop()]);
  });

  async function same(run: (port: number) => Promise<string[]> | string[]): Promise<void> {
    const expected = await run(pg.port);
    const actual = await run(tusk.port);
    expect(expected.length).toBeGreaterThan(5);
    expect(actual).toEqual(expected);
  }

  it('node-postgres', () => same(nodePostgresScenario), 60_000);
  it('postgres.js', () => same(postgresJsScenario), 60_000);
  it.skipIf(!hasPsycopg && !requireDrivers)(
    'psycopg2 and psycopg 3',
    () => same((port) => external(python, [path.join(scenarios, 'py_drivers.py'), String(port)])),
    120_000,
  );
  it.skipIf(!hasJdbc && !requireDrivers)(
    'pgJDBC',
    () =>
      same((port) =>
        external('java', ['-cp', jdbcJar, path.join(scenarios, 'Jdbc.java'), String(port)]),
      ),
    180_000,
  );
});
