// psql's asciidoc format: a |==== table block with column specs, footers in a literal block.
import { footersWithDefault } from './options.js';
import type { PrintOptions, PrintTable } from './options.js';

const escape = (v: string): string => v.replace(/\|/g, '\\|');
const blank = (v: string): boolean => /^[ \t]*$/.test(v);

function frame(border: number): string {
  if (border === 0) return ',frame="none",grid="none"';
  if (border === 1) return ',frame="none"';
  if (border === 2) return ',frame="all",grid="all"';
  return '';
}

function footerBlock(footers: string[] | null, opt: PrintOptions): string {
  if (opt.tuplesOnly || footers === null) return '';
  return '\n....\n' + footers.map((f) => f + '\n').join('') + '....\n';
}

export function printAsciidoc(table: PrintTable, opt: PrintOptions): string {
  let out = '\n';
  if (!opt.tuplesOnly && table.title !== null) out += '.' + table.title + '\n';
  out += `[${opt.tuplesOnly ? '' : 'options="header",'}cols="`;
  out += table.aligns.map((a) => (a === 'r' ? '>l' : '<l')).join(',');
  out += '"' + frame(opt.border) + ']\n|====\n';
  if (!opt.tuplesOnly) out += table.headers.map((h) => '^l|' + escape(h)).join(' ') + '\n';
  const ncol = table.headers.length;
  for (const row of table.cells) {
    row.forEach((v, i) => {
      if (i !== 0) out += ' ';
      out += '|';
      if (blank(v)) {
        if (i + 1 !== ncol) out += ' ';
      } else out += escape(v);
    });
    out += '\n';
  }
  out += '|====\n';
  return out + footerBlock(footersWithDefault(table, opt), opt);
}

export function printAsciidocVertical(table: PrintTable, opt: PrintOptions): string {
  let out = '\n';
  if (!opt.tuplesOnly && table.title !== null) out += '.' + table.title + '\n';
  out += '[cols="h,l"' + frame(opt.border) + ']\n|====\n';
  table.cells.forEach((row, r) => {
    out += opt.tuplesOnly ? '2+|\n' : `2+^|Record ${r + 1}\n`;
    row.forEach((v, i) => {
      out += '<l|' + escape(table.headers[i] ?? '');
      out += ' ' + (table.aligns[i] === 'r' ? '>l' : '<l') + '|';
      out += (blank(v) ? ' ' : escape(v)) + '\n';
    });
  });
  out += '|====\n';
  return out + footerBlock(table.footers, opt);
}
