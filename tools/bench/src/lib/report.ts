// The run's outputs: the one summary table on stdout (workload, Tusk, PostgreSQL, peers, ratio)
// and the machine-readable JSON file.
import { formatNumber } from './progress.js';
import type { Figure, ResultRow } from './result.js';

/** Long n/a reasons become numbered footnotes under the table (the same reason, one number). */
export class Footnotes {
  readonly reasons: string[] = [];
  ref(reason: string): string {
    if (reason.length <= 28) return `n/a (${reason})`;
    let i = this.reasons.indexOf(reason);
    if (i < 0) i = this.reasons.push(reason) - 1;
    return `n/a [${i + 1}]`;
  }
  toString(): string {
    return this.reasons.map((r, i) => `[${i + 1}] ${r}`).join('\n');
  }
}

export function cell(f: Figure | undefined, notes?: Footnotes): string {
  if (f === undefined) return '—';
  if ('value' in f) return formatNumber(f.value);
  if (f.na === '') return '—';
  return notes ? notes.ref(f.na) : `n/a (${f.na})`;
}

function wrap(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

/** Aligned text table; long n/a reasons wrap inside their column. */
export function summaryTable(rows: ResultRow[]): string {
  const notes = new Footnotes();
  const header = ['workload', 'unit', 'Tusk', 'PostgreSQL', 'peers', 'ratio'];
  const limit = [60, 10, 34, 24, 44, 30];
  const cells = rows.map((r) => {
    const peers = Object.entries(r.peers)
      .map(([k, f]) => `${k}: ${cell(f, notes)}`)
      .join('; ');
    const ratio =
      r.ratio === null
        ? 'n/a'
        : `${r.ratio.toFixed(2)}x vs ${r.ratioBasis === 'PostgreSQL' ? 'PG' : r.ratioBasis.replace(/^fastest peer \((.*)\)$/, '$1')}, ${r.better === 'higher' ? '>1 better' : '<1 better'}`;
    return [
      `${r.workload}: ${r.name}`,
      r.unit,
      cell(r.tusk, notes),
      cell(r.postgres, notes),
      peers || '—',
      ratio,
    ].map((c, i) => wrap(c, limit[i]!));
  });
  const widths = header.map((h, i) =>
    Math.max(h.length, ...cells.map((c) => Math.max(...c[i]!.map((l) => l.length)))),
  );
  const line = (parts: string[]): string =>
    parts
      .map((c, i) =>
        i === 0 || i === 1 || i === 4 || i === 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!),
      )
      .join(' | ')
      .trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('-+-')];
  for (const c of cells) {
    const height = Math.max(...c.map((x) => x.length));
    for (let k = 0; k < height; k++) out.push(line(c.map((x) => x[k] ?? '')));
  }
  if (notes.reasons.length > 0) out.push('', 'n/a reasons:', notes.toString());
  return out.join('\n');
}
