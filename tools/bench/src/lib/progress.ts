// The live progress display: every workload, step and round is announced on stderr as it starts,
// with the elapsed time, so a long run shows where it is (stdout keeps only the report).

const started = Date.now();

function stamp(): string {
  const s = (Date.now() - started) / 1000;
  const m = Math.floor(s / 60);
  return `[${String(m).padStart(2, '0')}:${(s % 60).toFixed(1).padStart(4, '0')}]`;
}

export interface Progress {
  /** A workload begins. */
  workload(name: string, detail: string): void;
  /** A step inside a workload (a round, a contender, a setup phase). */
  step(message: string): void;
  /** A finished measurement, shown with its figure. */
  figure(who: string, what: string, value: number | string, unit: string): void;
  warn(message: string): void;
}

export function createProgress(): Progress {
  const out = (line: string): void => {
    process.stderr.write(`${stamp()} ${line}\n`);
  };
  return {
    workload: (name, detail) => out(`== ${name}: ${detail}`),
    step: (message) => out(`   ${message}`),
    figure: (who, what, value, unit) =>
      out(
        `     ${who.padEnd(12)} ${what}: ${typeof value === 'number' ? formatNumber(value) : value} ${unit}`,
      ),
    warn: (message) => out(`   ! ${message}`),
  };
}

/** Three significant digits at most for small figures, thousands separated for big ones. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1000) return Math.round(n).toLocaleString('en');
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  if (abs >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}
