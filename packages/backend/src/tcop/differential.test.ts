// Differential test: SQL scripts run through real psql against the engine (without the postmaster)
// and against a throwaway PostgreSQL 15 must print exactly the same output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres, type PostgresServer } from '@tuskdb/testkit';
import { runPsql, startEngine, type EngineServer } from './__tests__/harness.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '__tests__');
const scripts = readdirSync(dir).filter((f) => f.endsWith('.sql'));

describe('psql scripts: engine vs PostgreSQL 15', () => {
  let pg: PostgresServer;
  let engine: EngineServer;
  beforeAll(async () => {
    [pg, engine] = await Promise.all([startPostgres(), startEngine()]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([pg?.stop(), engine?.stop()]);
  });

  for (const script of scripts) {
    it(`${script} prints the same`, () => {
      const file = path.join(dir, script);
      const expected = runPsql(pg.port, { file });
      const actual = runPsql(engine.port, { file });
      expect(actual).toBe(expected);
    }, 60_000);
  }
});
