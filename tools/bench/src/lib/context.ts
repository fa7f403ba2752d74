// What each workload receives: the servers, the run's options and the progress display, plus the
// interleaving helper that runs contenders round by round (A, B, A, B, …) so drifting machine
// load hits all of them alike, and turns a contender's failure into an n/a figure.
import type { Options } from './options.js';
import type { Progress } from './progress.js';
import type { ResultRow, Figure } from './result.js';
import { measured, notAvailable } from './result.js';
import type { Endpoint, MaybeEndpoint } from './servers.js';
import { reasonOf } from './exec.js';

export interface BenchContext {
  options: Options;
  postgres: Endpoint;
  tusk: MaybeEndpoint;
  progress: Progress;
}

export interface WorkloadOutput {
  rows: ResultRow[];
  /** Extra lines printed under the workload's heading in the report (setup, caveats, details). */
  notes?: string[];
  /** Series for the scaling chart: x = clients or rows, y = the figure. */
  series?: Series[];
}

export interface Series {
  chart: string;
  name: string;
  unit: string;
  xLabel: string;
  points: Array<[number, number]>;
}

export interface Workload {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<WorkloadOutput>;
}

export interface Contender {
  name: string;
  /** Why it cannot run at all (its figure is n/a without trying). */
  unavailable?: string;
  /** Runs one measured round and returns its figure. */
  measure(round: number): Promise<number>;
}

/**
 * Runs `rounds` rounds of every contender, interleaved. A contender that throws is dropped from
 * later rounds and reported as n/a with the reason (a broken server never stops the run).
 */
export async function interleave(
  ctx: BenchContext,
  what: string,
  unit: string,
  rounds: number,
  contenders: Contender[],
): Promise<Map<string, Figure>> {
  const figures = new Map<string, number[]>();
  const failed = new Map<string, string>();
  for (const c of contenders) {
    figures.set(c.name, []);
    if (c.unavailable !== undefined) failed.set(c.name, c.unavailable);
  }
  for (let round = 0; round < rounds; round++) {
    ctx.progress.step(`${what} — round ${round + 1}/${rounds}`);
    for (const c of contenders) {
      if (failed.has(c.name)) continue;
      try {
        const value = await c.measure(round);
        figures.get(c.name)!.push(value);
        ctx.progress.figure(c.name, what, value, unit);
      } catch (error) {
        const reason = reasonOf(error);
        failed.set(c.name, reason);
        ctx.progress.warn(`${c.name}: ${what}: ${reason}`);
      }
    }
  }
  const result = new Map<string, Figure>();
  for (const c of contenders) {
    const reason = failed.get(c.name);
    result.set(
      c.name,
      reason !== undefined ? notAvailable(reason) : measured(figures.get(c.name)!),
    );
  }
  return result;
}

/** The n/a figure for a server that is not up, else undefined. */
export function downReason(e: MaybeEndpoint): string | undefined {
  return 'na' in e ? e.na : undefined;
}
