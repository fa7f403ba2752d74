// psql's troff-ms format: a tbl(1) table between .TS/.TE with backslashes escaped as \(rs.
import { footersWithDefault } from './options.js';
import type { PrintOptions, PrintTable } from './options.js';

const escape = (v: string): string => v.replace(/\\/g, '\\(rs');

function start(table: PrintTable, opt: PrintOptions, border: number): string {
  let out = '';
  if (!opt.tuplesOnly && table.title !== null)
    out += '.LP\n.DS C\n' + escape(table.title) + '\n.DE\n';
  out += '.LP\n.TS\n' + (border === 2 ? 'center box;\n' : 'center;\n');
  return out;
}

function end(footers: string[] | null, opt: PrintOptions): string {
  let out = '.TE\n.DS L\n';
  if (footers !== null && !opt.tuplesOnly) for (const f of footers) out += escape(f) + '\n';
  return out + '.DE\n';
}

export function printTroff(table: PrintTable, opt: PrintOptions): string {
  const border = Math.min(opt.border, 2);
  let out = start(table, opt, border);
  out += table.aligns.join(border > 0 ? ' | ' : '') + '.\n';
  if (!opt.tuplesOnly)
    out += table.headers.map((h) => '\\fI' + escape(h) + '\\fP').join('\t') + '\n_\n';
  for (const row of table.cells) out += row.map(escape).join('\t') + '\n';
  return out + end(footersWithDefault(table, opt), opt);
}

export function printTroffVertical(table: PrintTable, opt: PrintOptions): string {
  const border = Math.min(opt.border, 2);
  let out = start(table, opt, border);
  if (opt.tuplesOnly) out += 'c l;\n';
  let current = 0; // 0 = no format yet, 1 = record header, 2 = body
  table.cells.forEach((row, r) => {
    if (!opt.tuplesOnly) {
      if (current !== 1) {
        if (border === 2 && r > 0) out += '_\n';
        if (current !== 0) out += '.T&\n';
        out += 'c s.\n';
        current = 1;
      }
      out += `\\fIRecord ${r + 1}\\fP\n`;
    }
    if (border >= 1) out += '_\n';
    row.forEach((v, i) => {
      if (!opt.tuplesOnly && current !== 2) {
        if (current !== 0) out += '.T&\n';
        out += border !== 1 ? 'c l.\n' : 'c | l.\n';
        current = 2;
      }
      out += escape(table.headers[i] ?? '') + '\t' + escape(v) + '\n';
    });
  });
  return out + end(table.footers, opt);
}
