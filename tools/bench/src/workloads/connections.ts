// Workload: connection rate — `pgbench -C -S` opens a new connection for every transaction, so
// its TPS is the rate at which the server accepts, authenticates and serves new sessions.
import { interleave, downReason, type BenchContext, type WorkloadOutput } from '../lib/context.js';
import { notAvailable, rowVsPostgres } from '../lib/result.js';
import type { Endpoint, MaybeEndpoint } from '../lib/servers.js';
import {
  initialize,
  pgbench,
  pgliteInitSteps,
  pgliteMultiClient,
  startPglitePeer,
} from './pgbench.js';

export const name = 'connections';
export const description = 'new connection per transaction (pgbench -C -S), connections/s';

export async function run(ctx: BenchContext): Promise<WorkloadOutput> {
  const pglite = await startPglitePeer(ctx);
  try {
    return await measureAll(ctx, pglite.endpoint);
  } finally {
    await pglite.peer?.stop().catch(() => undefined);
  }
}

async function measureAll(ctx: BenchContext, pglite: MaybeEndpoint): Promise<WorkloadOutput> {
  const { options, progress } = ctx;
  progress.step('pgbench -i -s 1 on each server (and PGlite)');
  const setup = new Map<string, string | undefined>();
  for (const e of [ctx.tusk, ctx.postgres]) setup.set(e.label, await initialize(e));
  setup.set(pglite.label, await initialize(pglite, [pgliteInitSteps]));
  const rows = [];
  for (const clients of [1, 4]) {
    const figures = await interleave(
      ctx,
      `pgbench -C -S, ${clients} client${clients > 1 ? 's' : ''}`,
      'conn/s',
      options.rounds,
      [ctx.tusk, ctx.postgres, pglite].map((e) => {
        const unavailable =
          downReason(e) ??
          setup.get(e.label) ??
          (e === pglite && clients > 1 ? pgliteMultiClient : undefined);
        return {
          name: e.label,
          ...(unavailable !== undefined ? { unavailable } : {}),
          measure: () =>
            pgbench(
              e as Endpoint,
              ['-C', '-S', '-c', String(clients), '-j', String(Math.min(2, clients))],
              options.seconds,
            ),
        };
      }),
    );
    rows.push(
      rowVsPostgres({
        workload: name,
        name: `pgbench -C -S, ${clients} client${clients > 1 ? 's' : ''}`,
        unit: 'conn/s',
        better: 'higher',
        tusk: figures.get('Tusk') ?? notAvailable('not run'),
        postgres: figures.get('PostgreSQL') ?? notAvailable('not run'),
        peers: { PGlite: figures.get('PGlite') ?? notAvailable('not run') },
        params: { clients, seconds: options.seconds },
      }),
    );
  }
  return { rows, notes: ['one connection (startup, auth, one SELECT, terminate) per transaction'] };
}
