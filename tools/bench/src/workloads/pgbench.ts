// Workload: pgbench — `pgbench -i -s 1`, then select-only (`-S -M prepared`) and the default
// TPC-B-like script at each client count (`-j 2`), a fixed duration per run, Tusk and PostgreSQL
// interleaved round by round. Reports TPS and Tusk/PostgreSQL; its series feed the scaling chart.
import {
  interleave,
  downReason,
  type BenchContext,
  type Contender,
  type Series,
  type WorkloadOutput,
} from '../lib/context.js';
import { run } from '../lib/exec.js';
import { hasValue, rowVsPostgres, notAvailable, type ResultRow } from '../lib/result.js';
import { clientArgs, isUp, type Endpoint, type MaybeEndpoint } from '../lib/servers.js';
import { startPgliteServer, type PgliteServer } from '../lib/pglite-server.js';
import { reasonOf } from '../lib/exec.js';

export const name = 'pgbench';
export const description =
  'pgbench -s 1: select-only (-S -M prepared) and TPC-B-like, TPS by client count';

/** Parses pgbench's "tps = 1234.5 (…)" line. */
export function parseTps(stdout: string): number {
  const m = /tps = ([\d.]+)/.exec(stdout);
  if (!m) throw new Error(`pgbench printed no tps line: ${stdout.slice(0, 200)}`);
  return Number(m[1]);
}

export async function pgbench(e: Endpoint, args: string[], seconds: number): Promise<number> {
  const r = await run(
    'pgbench',
    [...clientArgs(e), '-n', ...args, '-T', String(seconds), e.database],
    {
      timeoutMs: (seconds + 90) * 1000,
    },
  );
  return parseTps(r.stdout);
}

/** Which initialization steps each server needed (see `initialize`), for the report's notes. */
export const initSteps = new Map<string, string>();

/**
 * `pgbench -i -s 1`; if the server rejects the default client-side COPY load, the same tables are
 * generated server-side (`-I dtGvp`) so its TPS can still be
 * measured. Returns undefined when initialized, else the reason of the first failure.
 */
export async function initialize(
  e: MaybeEndpoint,
  attempts: Array<string | undefined> = [undefined, 'dtGvp'],
): Promise<string | undefined> {
  if (!isUp(e)) return e.na;
  // A server that could not be initialized once is not retried by later workloads (each attempt
  // can cost minutes when a server stalls).
  const failedBefore = initFailures.get(e.label);
  if (failedBefore !== undefined) return failedBefore;
  let first: string | undefined;
  for (const steps of attempts) {
    try {
      const extra = steps ? ['-I', steps] : [];
      await run('pgbench', [...clientArgs(e), '-i', ...extra, '-s', '1', '-q', e.database], {
        // 100,000 rows take seconds on PostgreSQL; a server that stalls longer is reported as such.
        timeoutMs: 120_000,
      });
      initSteps.set(
        e.label,
        steps
          ? `-I ${steps} (server-side generation${first ? `; default -i failed: ${first}` : ''})`
          : 'default -i (dtgvp)',
      );
      return undefined;
    } catch (error) {
      const reason = `pgbench -i${steps ? ` -I ${steps}` : ''}: ${(error instanceof Error ? error.message : String(error)).replace(/^pgbench: (error: )?/, '')}`;
      first ??= reason;
    }
  }
  initFailures.set(e.label, first ?? 'failed');
  return first;
}

const initFailures = new Map<string, string>();

/** Why PGlite is not measured at more than one client (see lib/pglite-server.ts). */
export const pgliteMultiClient = 'one shared single-user session';
export const pgliteInitSteps = 'dtGvp';

/** Starts the PGlite peer and initializes pgbench's tables in it; never throws. */
export async function startPglitePeer(
  ctx: BenchContext,
): Promise<{ peer?: PgliteServer; endpoint: MaybeEndpoint }> {
  if (ctx.options.noPeers) return { endpoint: { label: 'PGlite', na: 'peers skipped' } };
  try {
    const peer = await startPgliteServer();
    return { peer, endpoint: peer.endpoint };
  } catch (error) {
    return { endpoint: { label: 'PGlite', na: reasonOf(error) } };
  }
}

export async function run_(ctx: BenchContext): Promise<WorkloadOutput> {
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
  // PGlite's socket server has no COPY FROM STDIN, and a failed COPY leaves its one shared session
  // unusable: generate its tables server-side from the start.
  setup.set(pglite.label, await initialize(pglite, [pgliteInitSteps]));
  const rows: ResultRow[] = [];
  const series: Series[] = [];
  const modes: Array<[string, string[]]> = [
    ['select-only', ['-S', '-M', 'prepared']],
    ['TPC-B-like', []],
  ];
  for (const [mode, modeArgs] of modes) {
    const points = new Map<string, Array<[number, number]>>();
    for (const clients of options.clients) {
      const args = [...modeArgs, '-c', String(clients), '-j', String(Math.min(2, clients))];
      const contenders: Contender[] = [ctx.tusk, ctx.postgres, pglite].map((e) => {
        const unavailable =
          downReason(e) ??
          setup.get(e.label) ??
          (e === pglite && clients > 1 ? pgliteMultiClient : undefined);
        return {
          name: e.label,
          ...(unavailable !== undefined ? { unavailable } : {}),
          measure: () => pgbench(e as Endpoint, args, options.seconds),
        };
      });
      const figures = await interleave(
        ctx,
        `${mode}, ${clients} client${clients > 1 ? 's' : ''}`,
        'TPS',
        options.rounds,
        contenders,
      );
      const tusk = figures.get('Tusk') ?? notAvailable('not run');
      const postgres = figures.get('PostgreSQL') ?? notAvailable('not run');
      const peer = figures.get('PGlite') ?? notAvailable('not run');
      rows.push(
        rowVsPostgres({
          workload: name,
          name: `${mode}, ${clients} client${clients > 1 ? 's' : ''}`,
          unit: 'TPS',
          better: 'higher',
          tusk,
          postgres,
          peers: { PGlite: peer },
          params: { clients, threads: Math.min(2, clients), seconds: options.seconds, scale: 1 },
        }),
      );
      for (const [who, f] of [
        ['Tusk', tusk],
        ['PostgreSQL', postgres],
      ] as const) {
        if (hasValue(f)) points.set(who, [...(points.get(who) ?? []), [clients, f.value]]);
      }
    }
    for (const [who, p] of points) {
      series.push({
        chart: `pgbench ${mode}`,
        name: who,
        unit: 'TPS',
        xLabel: 'clients',
        points: p,
      });
    }
  }
  for (const e of [ctx.tusk, ctx.postgres]) {
    if (isUp(e) && initFailures.get(e.label) === undefined) {
      try {
        e.psql(
          'drop table if exists pgbench_accounts, pgbench_branches, pgbench_tellers, pgbench_history',
        );
      } catch {
        // left for the server's teardown
      }
    }
  }
  return {
    rows,
    series,
    notes: [
      `${options.seconds} s per run, -j min(2, clients), -n (no vacuum before runs), scale 1`,
      ...[...initSteps].map(([who, steps]) => `${who} initialized with ${steps}`),
      'PGlite (peer): in-memory (no durable commits), served in-process by @electric-sql/pglite-socket, 1 client only (one shared single-user session)',
    ],
  };
}

export { run_ as run };
