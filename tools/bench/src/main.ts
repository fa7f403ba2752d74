// Tusk's benchmark suite: starts a throwaway PostgreSQL 15 (fsync on) and a throwaway Tusk, runs
// every selected workload against both (rounds interleaved, medians), announces progress on
// stderr, then prints one summary table and writes results/<stamp>.json and a throughput SVG.
import { mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchContext, Series, Workload, WorkloadOutput } from './lib/context.js';
import { reasonOf } from './lib/exec.js';
import { parseOptions } from './lib/options.js';
import { createProgress } from './lib/progress.js';
import { summaryTable } from './lib/report.js';
import type { ResultRow } from './lib/result.js';
import { postgresSettings, startServers } from './lib/servers.js';
import { renderChart } from './lib/svg-chart.js';
import * as analytical from './workloads/analytical.js';
import * as clientLibrary from './workloads/client-library.js';
import * as connections from './workloads/connections.js';
import * as copyLoad from './workloads/copy-load.js';
import * as idleMemory from './workloads/idle-memory.js';
import * as pgbench from './workloads/pgbench.js';
import * as psqlStartup from './workloads/psql-startup.js';
import * as scaling from './workloads/scaling.js';

/**
 * The repository's prettier (when resolvable) formats the JSON, so result files lying in the work
 * tree never fail the repository's format check.
 */
async function prettyJson(value: unknown): Promise<string> {
  const text = JSON.stringify(value, null, 2) + '\n';
  try {
    const prettier = await import('prettier');
    return await prettier.format(text, { parser: 'json' });
  } catch {
    return text;
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));
const options = parseOptions(process.argv.slice(2), path.resolve(here, '../results'));

/** The codec microbenchmarks need no server; they print their own tables (in the notes). */
function micro(name: string, description: string, file: string): Workload {
  return {
    name,
    description,
    run: async (): Promise<WorkloadOutput> => {
      if (options.quick) {
        process.env['BENCH_ROWS'] ??= '200000';
        process.env['BENCH_BATCHES'] ??= '100000';
        process.env['BENCH_ROUNDS'] ??= '3';
      }
      const m = (await import(file)) as { run(): Promise<string> };
      return { rows: [], notes: (await m.run()).split('\n') };
    },
  };
}

const workloads: Workload[] = [
  pgbench,
  connections,
  copyLoad,
  idleMemory,
  psqlStartup,
  clientLibrary,
  analytical,
  scaling,
  micro(
    'protocol-decode',
    'DataRow stream decode: Tusk BackendDecoder vs pg-protocol Parser',
    './workloads/datarow-decode.js',
  ),
  micro(
    'extended-encode',
    'Bind/Execute/Sync encode: Tusk MessageWriter vs pg-protocol serialize',
    './workloads/extended-encode.js',
  ),
];

if (options.list) {
  for (const w of workloads) console.log(`${w.name.padEnd(16)} ${w.description}`);
  process.exit(0);
}
const unknown = options.only.filter(
  (n) =>
    !workloads.some(
      (w) => w.name === n || (n === 'datarow-decode' && w.name === 'protocol-decode'),
    ),
);
if (unknown.length > 0) {
  console.error(
    `unknown workload(s): ${unknown.join(', ')}; known: ${workloads.map((w) => w.name).join(', ')}`,
  );
  process.exit(2);
}
const selected = workloads.filter(
  (w) =>
    options.only.length === 0 ||
    options.only.includes(w.name) ||
    (w.name === 'protocol-decode' && options.only.includes('datarow-decode')),
);

const progress = createProgress();
progress.workload(
  'setup',
  `starting PostgreSQL 15 (${Object.entries(postgresSettings)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ')}) and Tusk`,
);
const servers = await startServers(!options.noTusk);
progress.step(`PostgreSQL on 127.0.0.1:${servers.postgres.port}`);
progress.step(
  'na' in servers.tusk
    ? `Tusk: n/a (${servers.tusk.na})`
    : `Tusk on 127.0.0.1:${servers.tusk.port}`,
);

const stop = async (): Promise<void> => {
  await servers.stop().catch(() => undefined);
};
process.once('SIGINT', () => {
  void stop().then(() => process.exit(130));
});

const ctx: BenchContext = { options, postgres: servers.postgres, tusk: servers.tusk, progress };
const allRows: ResultRow[] = [];
const allSeries: Series[] = [];
const sections: Array<{
  name: string;
  description: string;
  notes: string[];
  error?: string;
  seconds: number;
}> = [];
const startedAt = new Date();
try {
  for (const [i, w] of selected.entries()) {
    progress.workload(`${w.name} (${i + 1}/${selected.length})`, w.description);
    const start = performance.now();
    try {
      const out = await w.run(ctx);
      allRows.push(...out.rows);
      allSeries.push(...(out.series ?? []));
      sections.push({
        name: w.name,
        description: w.description,
        notes: out.notes ?? [],
        seconds: (performance.now() - start) / 1000,
      });
    } catch (error) {
      // A workload that breaks (even on PostgreSQL) is reported and the run goes on.
      const reason = reasonOf(error);
      progress.warn(`${w.name} failed: ${reason}`);
      sections.push({
        name: w.name,
        description: w.description,
        notes: [],
        error: reason,
        seconds: (performance.now() - start) / 1000,
      });
    }
  }
} finally {
  await stop();
}

const settingsLine = `PostgreSQL 15 settings: ${Object.entries(postgresSettings)
  .map(([k, v]) => `${k}=${String(v)}`)
  .join(', ')} (durable commits, like Tusk's)`;
console.log(`\nTusk benchmark — ${startedAt.toISOString()}${options.quick ? ' — QUICK mode' : ''}`);
console.log(settingsLine);
console.log(
  `rounds per figure: ${options.rounds} (interleaved, median); machine: ${(await import('node:os')).cpus().length} cores, load average ${(
    await import('node:os')
  )
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
for (const s of sections) {
  console.log(`\n== ${s.name} (${s.seconds.toFixed(0)} s): ${s.description}`);
  if (s.error) console.log(`   FAILED: ${s.error}`);
  for (const n of s.notes) console.log(`   ${n}`);
}
console.log('\n' + summaryTable(allRows));
console.log(
  '\nratio = Tusk ÷ reference (PostgreSQL, or the fastest peer for client libraries); n/a = could not be measured (reason given).',
);

mkdirSync(options.resultsDir, { recursive: true });
const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
const json = {
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  argv: process.argv.slice(2),
  options,
  postgresSettings,
  tusk: 'na' in servers.tusk ? { na: servers.tusk.na } : { up: true },
  node: process.version,
  loadAverage: (await import('node:os')).loadavg(),
  sections,
  rows: allRows,
  series: allSeries,
};
const jsonFile = path.join(options.resultsDir, `bench-${stamp}.json`);
writeFileSync(jsonFile, await prettyJson(json));
copyFileSync(jsonFile, path.join(options.resultsDir, 'latest.json'));
console.log(`\nresults: ${jsonFile}`);
if (allSeries.length > 0) {
  const svgFile = path.join(options.resultsDir, `bench-${stamp}.svg`);
  writeFileSync(
    svgFile,
    renderChart(allSeries, `Tusk vs PostgreSQL 15 vs peers${options.quick ? ' (quick run)' : ''}`),
  );
  copyFileSync(svgFile, path.join(options.resultsDir, 'latest.svg'));
  console.log(`chart:   ${svgFile}`);
}
