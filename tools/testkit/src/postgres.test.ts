import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from './postgres.js';

describe('startPostgres', () => {
  let pg: PostgresServer;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await pg?.stop();
  });

  it('runs PostgreSQL 15 as an unprivileged account', () => {
    expect(pg.psql('SHOW server_version_num', ['-At'])).toMatch(/^150\d{3}\n$/);
    expect(
      pg.psql("SELECT current_setting('data_directory') = '" + pg.dataDir + "'", ['-At']),
    ).toBe('t\n');
    const owner = pg.psql("SELECT pg_catalog.pg_read_file('postmaster.pid', 0, 0) IS NOT NULL", [
      '-At',
    ]);
    expect(owner).toBe('t\n');
  });
});
