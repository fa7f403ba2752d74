// Workload: how cost grows — query time vs table size for three analytical queries at each size
// of --scale-sizes (10k/100k/1M), and the growth exponent between sizes (1.0 = linear). TPS vs
// clients comes from the pgbench workload's series (both appear in the chart).
import type { BenchContext, Series, WorkloadOutput } from '../lib/context.js';
import { queries } from '../lib/analytical-schema.js';
import { hasValue, notAvailable, rowVsPostgres, type ResultRow } from '../lib/result.js';
import { closeTargets, loadTargets, timeQueries } from './analytical.js';

export const name = 'scaling';
export const description = 'query time vs table size (10k/100k/1M rows)';

const picked = [
  'join-4 + group by region',
  'window rank() top 3 customers per region',
  'sort top 100 of the fact table',
];

export async function run(ctx: BenchContext): Promise<WorkloadOutput> {
  const selected = queries.filter((q) => picked.includes(q.name));
  const rows: ResultRow[] = [];
  const points = new Map<string, Array<[number, number]>>();
  for (const size of ctx.options.scaleSizes) {
    const loaded = await loadTargets(ctx, size);
    try {
      const figures = await timeQueries(
        ctx,
        loaded,
        selected,
        (q) => `${q} @ ${size.toLocaleString('en')}`,
      );
      for (const q of selected) {
        const f = figures.get(q.name)!;
        const peers = {
          PGlite: f.get('PGlite') ?? notAvailable('not run'),
          'pg-mem': f.get('pg-mem') ?? notAvailable('not run'),
        };
        const row = rowVsPostgres({
          workload: name,
          name: `${q.name} @ ${size.toLocaleString('en')} rows`,
          unit: 'ms',
          better: 'lower',
          tusk: f.get('Tusk') ?? notAvailable('not run'),
          postgres: f.get('PostgreSQL') ?? notAvailable('not run'),
          peers,
          params: { rows: size, query: q.name },
        });
        rows.push(row);
        for (const [who, fig] of [
          ['Tusk', row.tusk],
          ['PostgreSQL', row.postgres],
          ...Object.entries(peers),
        ] as const) {
          if (hasValue(fig)) {
            const key = `${q.name}\u0000${who}`;
            points.set(key, [...(points.get(key) ?? []), [size, fig.value]]);
          }
        }
      }
    } finally {
      await closeTargets(loaded);
    }
  }
  const series: Series[] = [];
  const notes: string[] = [];
  for (const [key, p] of points) {
    const [query, who] = key.split('\u0000') as [string, string];
    series.push({
      chart: `time vs rows: ${query}`,
      name: who,
      unit: 'ms',
      xLabel: 'rows',
      points: p,
    });
    const growth = p.slice(1).map(([x, y], i) => {
      const [x0, y0] = p[i]!;
      return (Math.log(y / y0) / Math.log(x / x0)).toFixed(2);
    });
    if (growth.length > 0)
      notes.push(
        `growth exponent ${who.padEnd(10)} ${query}: ${growth.join(', ')} (1.00 = linear in rows)`,
      );
  }
  return { rows, series, notes };
}
