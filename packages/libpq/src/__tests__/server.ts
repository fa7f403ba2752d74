// The server the integration tests run against: real PostgreSQL 15 by default; set
// LIBPQ_TEST_SERVER=tusk to run the same tests against Tusk (the address is all the tests use).
import { startPostgres, startTusk, type PostgresOptions } from '@tuskdb/testkit';

export interface TestServer {
  host: string;
  port: number;
  socketDir: string;
  superuser: string;
  /** key=value base options for the superuser over TCP, with libpq's environment ignored. */
  conninfo: string;
  psql(sql: string): string;
  stop(): Promise<void>;
}

export async function startServer(options: PostgresOptions = {}): Promise<TestServer> {
  const s =
    process.env['LIBPQ_TEST_SERVER'] === 'tusk'
      ? await startTusk({
          ...(options.hba ? { hba: options.hba } : {}),
          ...(options.settings ? { settings: options.settings } : {}),
        })
      : await startPostgres(options);
  return {
    host: s.host,
    port: s.port,
    socketDir: s.socketDir,
    superuser: s.superuser,
    conninfo: `host=${s.host} port=${s.port} user=${s.superuser} dbname=postgres sslmode=disable`,
    psql: (sql) => s.psql(sql),
    stop: () => s.stop(),
  };
}

/** An option environment without the caller's PG* variables or ~/.pgpass. */
export const cleanEnvironment = { env: {}, homedir: null, warn: () => {} };
