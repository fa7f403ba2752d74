// The shape of every figure the suite reports: one row per measured quantity, with Tusk's,
// PostgreSQL's and the peers' medians (or the reason one could not be measured) and their ratio.

/** A median figure, or why there is none ("n/a (reason)"). */
export type Figure = { value: number; rounds: number[] } | { na: string };

export interface ResultRow {
  /** The workload that produced it (e.g. "pgbench"). */
  workload: string;
  /** What was measured (e.g. "select-only -M prepared, 4 clients"). */
  name: string;
  /** Unit of the figures (e.g. "TPS", "ms", "MB"). */
  unit: string;
  /** Whether a bigger figure is better (throughput) or a smaller one (time, memory). */
  better: 'higher' | 'lower';
  tusk: Figure;
  postgres: Figure;
  peers: Record<string, Figure>;
  /** Tusk's figure divided by the reference figure (null when either is missing). */
  ratio: number | null;
  /** What the ratio divides by: "PostgreSQL" or "fastest peer (<name>)". */
  ratioBasis: string;
  /** Parameters worth keeping in the JSON (clients, rows, scale, …). */
  params?: Record<string, number | string>;
}

export function measured(rounds: number[]): Figure {
  if (rounds.length === 0) return { na: 'no rounds' };
  return { value: median(rounds), rounds };
}

export function notAvailable(reason: string): Figure {
  return { na: reason };
}

export function hasValue(f: Figure | undefined): f is { value: number; rounds: number[] } {
  return f !== undefined && 'value' in f;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Builds a row whose ratio is Tusk / PostgreSQL. */
export function rowVsPostgres(
  base: Omit<ResultRow, 'ratio' | 'ratioBasis' | 'peers'> & { peers?: Record<string, Figure> },
): ResultRow {
  const ratio =
    hasValue(base.tusk) && hasValue(base.postgres) && base.postgres.value !== 0
      ? base.tusk.value / base.postgres.value
      : null;
  return { peers: {}, ...base, ratio, ratioBasis: 'PostgreSQL' };
}

/** Builds a row whose ratio is Tusk / the best peer (clients measured against one server). */
export function rowVsBestPeer(
  base: Omit<ResultRow, 'ratio' | 'ratioBasis' | 'postgres'> & { postgres?: Figure },
): ResultRow {
  let best: [string, number] | undefined;
  for (const [name, f] of Object.entries(base.peers)) {
    if (!hasValue(f)) continue;
    const better =
      base.better === 'higher'
        ? f.value > (best?.[1] ?? -Infinity)
        : f.value < (best?.[1] ?? Infinity);
    if (better) best = [name, f.value];
  }
  const ratio = hasValue(base.tusk) && best && best[1] !== 0 ? base.tusk.value / best[1] : null;
  return {
    // Not a server figure: every library runs against the same PostgreSQL (shown as a dash).
    postgres: notAvailable(''),
    ...base,
    ratio,
    ratioBasis: best ? `fastest peer (${best[0]})` : 'fastest peer',
  };
}
