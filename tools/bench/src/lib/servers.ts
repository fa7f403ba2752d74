// The two servers every run measures: a throwaway PostgreSQL 15 (with durable commits, fsync on,
// because Tusk's commits are durable) and a throwaway Tusk, both from @tuskdb/testkit on loopback.
// A Tusk that cannot start is recorded with its reason so its figures read "n/a (reason)".
import { startPostgres, startTusk } from '@tuskdb/testkit';
import { reasonOf } from './exec.js';

/** What a workload needs to reach one server. */
export interface Endpoint {
  /** "Tusk" or "PostgreSQL" (or a peer's name). */
  label: string;
  host: string;
  port: number;
  user: string;
  database: string;
  /** libpq URI. */
  uri: string;
  /** Runs SQL through real psql (for setup), returns stdout. */
  psql(sql: string): string;
}

export type MaybeEndpoint = Endpoint | { label: string; na: string };

export function isUp(e: MaybeEndpoint): e is Endpoint {
  return !('na' in e);
}

/** PostgreSQL settings used for every comparison, printed in the report. */
export const postgresSettings: Record<string, string | number | boolean> = {
  fsync: true,
  synchronous_commit: 'on',
  shared_buffers: '128MB',
  max_connections: 300,
};

export interface Servers {
  postgres: Endpoint;
  tusk: MaybeEndpoint;
  stop(): Promise<void>;
}

export async function startServers(wantTusk: boolean): Promise<Servers> {
  const pg = await startPostgres({ settings: postgresSettings });
  const postgres: Endpoint = {
    label: 'PostgreSQL',
    host: pg.host,
    port: pg.port,
    user: pg.superuser,
    database: 'postgres',
    uri: pg.uri,
    psql: (sql) =>
      pg.psql(`set client_min_messages = warning; ${sql}`, [
        '-q',
        '-A',
        '-t',
        '-v',
        'ON_ERROR_STOP=1',
      ]),
  };
  let tusk: MaybeEndpoint = { label: 'Tusk', na: 'not requested' };
  let stopTusk: (() => Promise<void>) | undefined;
  if (wantTusk) {
    try {
      const t = await startTusk();
      stopTusk = () => t.stop();
      tusk = {
        label: 'Tusk',
        host: t.host,
        port: t.port,
        user: t.superuser,
        database: 'postgres',
        uri: t.uri,
        psql: (sql) =>
          t.psql(`set client_min_messages = warning; ${sql}`, [
            '-q',
            '-A',
            '-t',
            '-v',
            'ON_ERROR_STOP=1',
          ]),
      };
    } catch (error) {
      tusk = { label: 'Tusk', na: `server did not start: ${reasonOf(error)}` };
    }
  }
  return {
    postgres,
    tusk,
    stop: async () => {
      await Promise.all([pg.stop(), stopTusk?.()]);
    },
  };
}

/** Arguments every PostgreSQL client program takes to reach `e`. */
export function clientArgs(e: Endpoint): string[] {
  return ['-h', e.host, '-p', String(e.port), '-U', e.user];
}
