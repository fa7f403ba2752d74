// Workload: bulk load — `COPY t FROM STDIN` of generated rows through real psql (the same client
// for both servers), rows/s. The table is recreated before every round.
import { interleave, downReason, type BenchContext, type WorkloadOutput } from '../lib/context.js';
import { run } from '../lib/exec.js';
import { notAvailable, rowVsPostgres } from '../lib/result.js';
import { clientArgs, type Endpoint } from '../lib/servers.js';

export const name = 'copy';
export const description = 'COPY FROM STDIN of generated rows through psql, rows/s';

/** Tab-separated rows: int, text, numeric, timestamptz, bool. */
export function generateCopyText(rows: number): Buffer {
  const parts: string[] = [];
  for (let i = 1; i <= rows; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    parts.push(
      `${i}\tname-${i % 1000}\t${(i % 10000) / 100}\t2026-11-${day} 12:34:56+00\t${i % 2 ? 't' : 'f'}\n`,
    );
  }
  return Buffer.from(parts.join(''));
}

export async function run_(ctx: BenchContext): Promise<WorkloadOutput> {
  const rowsToLoad = ctx.options.bigRows;
  ctx.progress.step(`generating ${rowsToLoad.toLocaleString('en')} rows`);
  const data = generateCopyText(rowsToLoad);
  const load = async (e: Endpoint): Promise<number> => {
    e.psql(
      'drop table if exists bench_copy; create table bench_copy (id int, name text, amount numeric, at timestamptz, flag bool)',
    );
    const r = await run(
      'psql',
      [
        ...clientArgs(e),
        '-X',
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        '-d',
        e.database,
        '-c',
        'copy bench_copy from stdin',
      ],
      {
        input: data,
        timeoutMs: 600_000,
      },
    );
    const n = Number(e.psql('select count(*) from bench_copy').trim());
    if (n !== rowsToLoad) throw new Error(`loaded ${n} rows, expected ${rowsToLoad}`);
    return (rowsToLoad / r.ms) * 1000;
  };
  const figures = await interleave(
    ctx,
    `COPY ${rowsToLoad.toLocaleString('en')} rows`,
    'rows/s',
    ctx.options.rounds,
    [ctx.tusk, ctx.postgres].map((e) => {
      const unavailable = downReason(e);
      return {
        name: e.label,
        ...(unavailable !== undefined ? { unavailable } : {}),
        measure: () => load(e as Endpoint),
      };
    }),
  );
  for (const e of [ctx.tusk, ctx.postgres]) {
    try {
      if (!('na' in e)) e.psql('drop table if exists bench_copy');
    } catch {
      // left for teardown
    }
  }
  return {
    rows: [
      rowVsPostgres({
        workload: name,
        name: `COPY FROM STDIN, ${rowsToLoad.toLocaleString('en')} rows (psql)`,
        unit: 'rows/s',
        better: 'higher',
        tusk: figures.get('Tusk') ?? notAvailable('not run'),
        postgres: figures.get('PostgreSQL') ?? notAvailable('not run'),
        params: { rows: rowsToLoad, megabytes: Math.round(data.length / 1e5) / 10 },
      }),
    ],
    notes: [
      `${(data.length / 1e6).toFixed(1)} MB of text (int, text, numeric, timestamptz, bool); wall time of psql incl. its start-up; row count checked`,
    ],
  };
}

export { run_ as run };
