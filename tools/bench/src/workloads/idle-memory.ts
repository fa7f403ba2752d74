// Workload: memory of idle backends — opens N idle sessions per server, finds each session's
// backend process by its BackendKeyData pid (checked against pg_backend_pid()), and reads
// /proc/<pid>/smaps_rollup: private memory (Private_Clean + Private_Dirty) and Pss per backend.
import { readFileSync } from 'node:fs';
import { connect, type Connection } from '@tuskdb/libpq';
import { downReason, type BenchContext, type WorkloadOutput } from '../lib/context.js';
import { reasonOf } from '../lib/exec.js';
import { measured, notAvailable, rowVsPostgres, type Figure } from '../lib/result.js';
import type { Endpoint } from '../lib/servers.js';

export const name = 'memory';
export const description = 'private memory and PSS per idle backend (/proc/<pid>/smaps_rollup)';

interface Rollup {
  privateKb: number;
  pssKb: number;
}

export function parseSmapsRollup(text: string): Rollup {
  const field = (key: string): number => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    if (!m) throw new Error(`smaps_rollup has no ${key}`);
    return Number(m[1]);
  };
  return { privateKb: field('Private_Clean') + field('Private_Dirty'), pssKb: field('Pss') };
}

async function measure(
  e: Endpoint,
  sessions: number,
): Promise<{ priv: number[]; pss: number[]; pids: number[] }> {
  const conns: Connection[] = [];
  try {
    for (let i = 0; i < sessions; i++) conns.push(await connect(e.uri));
    const pids: number[] = [];
    for (const c of conns) {
      const { rows } = await c.query<{ pid: number }>('select pg_backend_pid() as pid');
      const pid = Number(rows[0]?.pid);
      if (pid !== c.processId)
        throw new Error(`pg_backend_pid() ${pid} differs from BackendKeyData ${c.processId}`);
      pids.push(pid);
    }
    // Let the sessions settle into idleness (lazy allocations, GC) before reading their memory.
    await new Promise((r) => setTimeout(r, 2000));
    const priv: number[] = [];
    const pss: number[] = [];
    for (const pid of pids) {
      const r = parseSmapsRollup(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      priv.push(r.privateKb / 1024);
      pss.push(r.pssKb / 1024);
    }
    return { priv, pss, pids };
  } finally {
    await Promise.all(conns.map((c) => c.close().catch(() => undefined)));
  }
}

export async function run(ctx: BenchContext): Promise<WorkloadOutput> {
  const n = ctx.options.idleSessions;
  const figures = new Map<string, { priv: Figure; pss: Figure }>();
  for (const e of [ctx.tusk, ctx.postgres]) {
    const down = downReason(e);
    if (down !== undefined) {
      figures.set(e.label, { priv: notAvailable(down), pss: notAvailable(down) });
      continue;
    }
    ctx.progress.step(`${e.label}: opening ${n} idle sessions`);
    try {
      const m = await measure(e as Endpoint, n);
      const priv = measured(m.priv);
      const pss = measured(m.pss);
      figures.set(e.label, { priv, pss });
      ctx.progress.figure(
        e.label,
        'private per backend (median)',
        'value' in priv ? priv.value : 0,
        'MB',
      );
    } catch (error) {
      const reason = reasonOf(error);
      ctx.progress.warn(`${e.label}: ${reason}`);
      figures.set(e.label, { priv: notAvailable(reason), pss: notAvailable(reason) });
    }
  }
  const get = (who: string, k: 'priv' | 'pss'): Figure =>
    figures.get(who)?.[k] ?? notAvailable('not run');
  return {
    rows: [
      rowVsPostgres({
        workload: name,
        name: `private memory per idle backend (${n} sessions)`,
        unit: 'MB',
        better: 'lower',
        tusk: get('Tusk', 'priv'),
        postgres: get('PostgreSQL', 'priv'),
        params: { sessions: n },
      }),
      rowVsPostgres({
        workload: name,
        name: `PSS per idle backend (${n} sessions)`,
        unit: 'MB',
        better: 'lower',
        tusk: get('Tusk', 'pss'),
        postgres: get('PostgreSQL', 'pss'),
        params: { sessions: n },
      }),
    ],
    notes: [
      "median over the sessions' backend processes; PostgreSQL with shared_buffers = 128MB (its shared memory is counted in PSS in proportion to the pages each backend touched)",
    ],
  };
}
