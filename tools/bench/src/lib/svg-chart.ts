// A small hand-written SVG line chart: one panel per chart name (throughput vs clients, time vs
// rows), a line per contender, logarithmic x axis, linear y axis from zero, a legend.
import type { Series } from './context.js';

const colours: Record<string, string> = {
  Tusk: '#d9480f',
  PostgreSQL: '#1c7ed6',
  PGlite: '#2b8a3e',
  'pg-mem': '#862e9c',
};
const fallback = ['#495057', '#e67700', '#0b7285'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function label(n: number): string {
  if (n >= 1e6) return `${n / 1e6}M`;
  if (n >= 1e3) return `${n / 1e3}k`;
  return String(Number(n.toPrecision(3)));
}

export function renderChart(all: Series[], title: string): string {
  const charts = [...new Set(all.map((s) => s.chart))];
  const pw = 420;
  const ph = 260;
  const cols = Math.min(2, Math.max(1, charts.length));
  const rowsN = Math.ceil(charts.length / cols);
  const width = cols * pw + 20;
  const height = rowsN * ph + 50;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`,
  ];
  charts.forEach((chart, idx) => {
    const series = all.filter((s) => s.chart === chart);
    const ox = 10 + (idx % cols) * pw;
    const oy = 40 + Math.floor(idx / cols) * ph;
    const left = ox + 60;
    const right = ox + pw - 20;
    const top = oy + 25;
    const bottom = oy + ph - 60;
    const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
    const ymax = niceMax(Math.max(...series.flatMap((s) => s.points.map((p) => p[1]))));
    const lx0 = Math.log(xs[0] ?? 1);
    const lx1 = Math.log(xs[xs.length - 1] ?? 10);
    const x = (v: number): number =>
      lx1 === lx0
        ? (left + right) / 2
        : left + ((Math.log(v) - lx0) / (lx1 - lx0)) * (right - left);
    const y = (v: number): number => bottom - (v / ymax) * (bottom - top);
    parts.push(
      `<text x="${(left + right) / 2}" y="${oy + 14}" text-anchor="middle" font-size="12" font-weight="bold">${esc(chart)}</text>`,
    );
    for (let k = 0; k <= 4; k++) {
      const v = (ymax * k) / 4;
      parts.push(`<line x1="${left}" x2="${right}" y1="${y(v)}" y2="${y(v)}" stroke="#e9ecef"/>`);
      parts.push(`<text x="${left - 5}" y="${y(v) + 4}" text-anchor="end">${label(v)}</text>`);
    }
    for (const v of xs) {
      parts.push(
        `<line x1="${x(v)}" x2="${x(v)}" y1="${bottom}" y2="${bottom + 4}" stroke="#495057"/>`,
      );
      parts.push(`<text x="${x(v)}" y="${bottom + 16}" text-anchor="middle">${label(v)}</text>`);
    }
    parts.push(`<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="#495057"/>`);
    parts.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${bottom}" stroke="#495057"/>`);
    const unit = series[0]?.unit ?? '';
    const xLabel = series[0]?.xLabel ?? '';
    parts.push(
      `<text x="${(left + right) / 2}" y="${bottom + 30}" text-anchor="middle">${esc(xLabel)} (log scale)</text>`,
    );
    parts.push(
      `<text transform="translate(${ox + 14} ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(unit)}</text>`,
    );
    series.forEach((s, i) => {
      const colour = colours[s.name] ?? fallback[i % fallback.length]!;
      const pts = [...s.points].sort((a, b) => a[0] - b[0]);
      parts.push(
        `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(' ')}"/>`,
      );
      for (const [a, b] of pts)
        parts.push(
          `<circle cx="${x(a).toFixed(1)}" cy="${y(b).toFixed(1)}" r="3" fill="${colour}"><title>${esc(`${s.name}: ${label(a)} → ${b.toFixed(1)} ${unit}`)}</title></circle>`,
        );
      const lx = left + 10 + i * 95;
      parts.push(`<rect x="${lx}" y="${bottom + 38}" width="10" height="10" fill="${colour}"/>`);
      parts.push(`<text x="${lx + 14}" y="${bottom + 47}">${esc(s.name)}</text>`);
    });
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
