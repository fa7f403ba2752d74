// psql's csv format: RFC 4180-style quoting with a configurable one-character separator; never a
// title or footer, a header line unless tuples_only.
import type { PrintOptions, PrintTable } from './options.js';

function csvField(value: string, sep: string): string {
  const quote =
    value.includes(sep) || /[\r\n"]/.test(value) || value === '\\.' || sep === '\\' || sep === '.';
  return quote ? '"' + value.replace(/"/g, '""') + '"' : value;
}

export function printCsv(table: PrintTable, opt: PrintOptions): string {
  const sep = opt.csvFieldSep.charAt(0);
  let out = '';
  if (opt.startTable !== false && !opt.tuplesOnly)
    out += table.headers.map((h) => csvField(h, sep)).join(sep) + '\n';
  for (const row of table.cells) out += row.map((v) => csvField(v, sep)).join(sep) + '\n';
  return out;
}

export function printCsvVertical(table: PrintTable, opt: PrintOptions): string {
  const sep = opt.csvFieldSep.charAt(0);
  let out = '';
  for (const row of table.cells) {
    row.forEach((v, i) => {
      out += csvField(table.headers[i] ?? '', sep) + sep + csvField(v, sep) + '\n';
    });
  }
  return out;
}
