// Workload: terminal start-up — wall time of `tusk-psql -c 'select 1'` against real
// `psql -c 'select 1'`, both against the same PostgreSQL server, runs interleaved.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { interleave, type BenchContext, type WorkloadOutput } from '../lib/context.js';
import { run } from '../lib/exec.js';
import { notAvailable, rowVsPostgres } from '../lib/result.js';
import { clientArgs } from '../lib/servers.js';

export const name = 'psql-startup';
export const description = "tusk-psql -c 'select 1' vs psql -c 'select 1', wall time";

const tuskPsql = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../packages/psql/dist/bin/tusk-psql.js',
);

export async function run_(ctx: BenchContext): Promise<WorkloadOutput> {
  const args = [...clientArgs(ctx.postgres), '-X', '-d', ctx.postgres.database, '-c', 'select 1'];
  const check = (stdout: string): void => {
    if (!/\b1\b/.test(stdout) || !stdout.includes('(1 row)'))
      throw new Error(`unexpected output: ${stdout.slice(0, 80)}`);
  };
  const figures = await interleave(ctx, "-c 'select 1'", 'ms', ctx.options.startupRuns, [
    {
      name: 'Tusk',
      ...(existsSync(tuskPsql) ? {} : { unavailable: 'packages/psql is not built' }),
      measure: async () => {
        const r = await run(process.execPath, [tuskPsql, ...args]);
        check(r.stdout);
        return r.ms;
      },
    },
    {
      name: 'PostgreSQL',
      measure: async () => {
        const r = await run('psql', args);
        check(r.stdout);
        return r.ms;
      },
    },
  ]);
  return {
    rows: [
      rowVsPostgres({
        workload: name,
        name: 'start, connect, select 1, exit (tusk-psql vs psql)',
        unit: 'ms',
        better: 'lower',
        tusk: figures.get('Tusk') ?? notAvailable('not run'),
        postgres: figures.get('PostgreSQL') ?? notAvailable('not run'),
        params: { runs: ctx.options.startupRuns },
      }),
    ],
    notes: [
      'both clients against the same PostgreSQL server over TCP; "Tusk" = tusk-psql on Node, "PostgreSQL" = psql 15',
    ],
  };
}

export { run_ as run };
