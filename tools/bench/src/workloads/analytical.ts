// Workload: an analytical query set (joins of 3–5 tables, aggregates, window functions, sorts)
// over the generated five-table schema at --scale rows, per-query median time. Tusk's results are
// compared with PostgreSQL's text output; a differing result is reported n/a ("wrong result").
import {
  interleave,
  type BenchContext,
  type Contender,
  type WorkloadOutput,
} from '../lib/context.js';
import { generate, queries } from '../lib/analytical-schema.js';
import { reasonOf } from '../lib/exec.js';
import { notAvailable, rowVsPostgres, type Figure, type ResultRow } from '../lib/result.js';
import { isUp, type MaybeEndpoint } from '../lib/servers.js';
import {
  loadedWithInserts,
  pgliteTarget,
  pgMemTarget,
  serverTarget,
  type SqlTarget,
} from '../lib/sql-targets.js';

export const name = 'analytical';
export const description =
  'joins, aggregates, window functions and sorts over a generated 5-table schema';

/** pg-mem evaluates in plain JS without real join planning: beyond this size one query takes minutes. */
export const pgMemLimit = 10_000;

export interface Loaded {
  targets: Map<string, SqlTarget>;
  failed: Map<string, string>;
}

/** Connects and loads every target (servers and peers); failures become n/a reasons. */
export async function loadTargets(ctx: BenchContext, scale: number): Promise<Loaded> {
  const data = generate(scale);
  const targets = new Map<string, SqlTarget>();
  const failed = new Map<string, string>();
  const makers: Array<[string, () => Promise<SqlTarget>]> = [];
  for (const e of [ctx.tusk, ctx.postgres] as MaybeEndpoint[]) {
    if (isUp(e))
      makers.push([e.label, () => serverTarget(e, ctx.options.quick ? 120_000 : 900_000)]);
    else failed.set(e.label, e.na);
  }
  if (!ctx.options.noPeers) {
    makers.push(['PGlite', pgliteTarget]);
    if (scale <= pgMemLimit) makers.push(['pg-mem', () => Promise.resolve(pgMemTarget())]);
    else
      failed.set(
        'pg-mem',
        `skipped above ${pgMemLimit.toLocaleString('en')} rows (in-JS joins take minutes)`,
      );
  }
  for (const [who, make] of makers) {
    ctx.progress.step(`loading ${scale.toLocaleString('en')}-row schema into ${who}`);
    const start = performance.now();
    try {
      const t = await make();
      targets.set(who, t);
      await t.load(data);
      ctx.progress.figure(who, 'load', (performance.now() - start) / 1000, 's');
    } catch (error) {
      const reason = `load: ${reasonOf(error)}`;
      failed.set(who, reason);
      ctx.progress.warn(`${who}: ${reason}`);
      await targets
        .get(who)
        ?.close()
        .catch(() => undefined);
      targets.delete(who);
    }
  }
  return { targets, failed };
}

export async function closeTargets(l: Loaded): Promise<void> {
  for (const t of l.targets.values()) await t.close().catch(() => undefined);
}

/** Times each query on every loaded target; results are checked against PostgreSQL's. */
export async function timeQueries(
  ctx: BenchContext,
  l: Loaded,
  selected: typeof queries,
  label: (q: string) => string,
): Promise<Map<string, Map<string, Figure>>> {
  const out = new Map<string, Map<string, Figure>>();
  for (const q of selected) {
    const reference = l.targets.get('PostgreSQL');
    const expected = reference ? JSON.stringify(await reference.query(q.sql)) : undefined;
    const expectedRows = expected ? (JSON.parse(expected) as unknown[]).length : undefined;
    const contenders: Contender[] = ['Tusk', 'PostgreSQL', 'PGlite', 'pg-mem'].map((who) => {
      const t = l.targets.get(who);
      const unavailable = t ? undefined : (l.failed.get(who) ?? 'not run');
      return {
        name: who,
        ...(unavailable !== undefined ? { unavailable } : {}),
        measure: async () => {
          const start = performance.now();
          const rows = await t!.query(q.sql);
          const ms = performance.now() - start;
          // Servers must match PostgreSQL's text exactly; peers format values their own way, so
          // for them only the row count is checked.
          if (expected !== undefined) {
            const same =
              who === 'Tusk' ? JSON.stringify(rows) === expected : rows.length === expectedRows;
            if (!same)
              throw new Error(`wrong result (${rows.length} rows, PostgreSQL ${expectedRows})`);
          }
          return ms;
        },
      };
    });
    out.set(q.name, await interleave(ctx, label(q.name), 'ms', ctx.options.rounds, contenders));
  }
  return out;
}

export async function run(ctx: BenchContext): Promise<WorkloadOutput> {
  const scale = ctx.options.scale;
  const loaded = await loadTargets(ctx, scale);
  const rows: ResultRow[] = [];
  try {
    const figures = await timeQueries(ctx, loaded, queries, (q) => q);
    for (const q of queries) {
      const f = figures.get(q.name)!;
      rows.push(
        rowVsPostgres({
          workload: name,
          name: `${q.name} (${scale.toLocaleString('en')} rows)`,
          unit: 'ms',
          better: 'lower',
          tusk: f.get('Tusk') ?? notAvailable('not run'),
          postgres: f.get('PostgreSQL') ?? notAvailable('not run'),
          peers: {
            PGlite: f.get('PGlite') ?? notAvailable('not run'),
            'pg-mem': f.get('pg-mem') ?? notAvailable('not run'),
          },
          params: { scale },
        }),
      );
    }
  } finally {
    await closeTargets(loaded);
  }
  return {
    rows,
    notes: [
      `fact table lineitems = ${scale.toLocaleString('en')} rows, orders = scale/4, customers = scale/20, products ≤ 1,000, regions = 5; ANALYZEd after load`,
      ...[...loadedWithInserts].map(
        (who) => `${who} rejected COPY: loaded with multi-row INSERTs instead`,
      ),
      'each query timed from one client (@tuskdb/libpq simple protocol) for servers, in-process for PGlite and pg-mem',
    ],
  };
}
