// Chooses the layout for a table from the \pset options (psql's printTable / printQuery).
import { printAligned } from './aligned.js';
import { printAlignedVertical } from './vertical.js';
import { printUnaligned, printUnalignedVertical } from './unaligned.js';
import { printCsv, printCsvVertical } from './csv.js';
import { printHtml, printHtmlVertical } from './html.js';
import { printAsciidoc, printAsciidocVertical } from './asciidoc.js';
import { printLatex, printLatexLongtable, printLatexVertical } from './latex.js';
import { printTroff, printTroffVertical } from './troff.js';
import type { PrintOptions, PrintTable } from './options.js';

/** Renders a table in the format and expanded mode the options select. */
export function printTable(table: PrintTable, opt: PrintOptions): string {
  const on = opt.expanded === 'on';
  switch (opt.format) {
    case 'unaligned':
      return on ? printUnalignedVertical(table, opt) : printUnaligned(table, opt);
    case 'aligned':
    case 'wrapped':
      return on ? printAlignedVertical(table, opt) : printAligned(table, opt);
    case 'csv':
      return on ? printCsvVertical(table, opt) : printCsv(table, opt);
    case 'html':
      return on ? printHtmlVertical(table, opt) : printHtml(table, opt);
    case 'asciidoc':
      return on ? printAsciidocVertical(table, opt) : printAsciidoc(table, opt);
    case 'latex':
      return on ? printLatexVertical(table, opt) : printLatex(table, opt);
    case 'latex-longtable':
      return on ? printLatexVertical(table, opt) : printLatexLongtable(table, opt);
    case 'troff-ms':
      return on ? printTroffVertical(table, opt) : printTroff(table, opt);
  }
}

/** Type OIDs psql right-aligns: the integer, float, numeric, oid, xid, cid and money types. */
const RIGHT_ALIGNED_TYPES = new Set([21, 23, 20, 700, 701, 1700, 26, 28, 5069, 29, 790]);

export function columnAlignment(typeOid: number): 'l' | 'r' {
  return RIGHT_ALIGNED_TYPES.has(typeOid) ? 'r' : 'l';
}

/** Inserts thousands separators as psql's numericlocale does under the C/POSIX locale rules. */
export function formatNumericLocale(value: string): string {
  if (!/^[0-9+\-.eE]*$/.test(value)) return value;
  const sign = value.startsWith('-') || value.startsWith('+') ? value.charAt(0) : '';
  const rest = value.slice(sign.length);
  const intLen = /^[0-9]*/.exec(rest)?.[0].length ?? 0;
  let digits = rest.slice(0, intLen);
  let grouped = '';
  while (digits.length > 3) {
    grouped = ',' + digits.slice(-3) + grouped;
    digits = digits.slice(0, -3);
  }
  return sign + digits + grouped + rest.slice(intLen);
}

export interface ResultField {
  name: string;
  typeOid: number;
}

export interface QueryResultLike {
  fields: readonly ResultField[];
  rows: readonly (readonly (string | null)[])[];
}

export interface PrintQueryExtras {
  title?: string | null;
  footers?: string[] | null;
}

/** Builds the printable table for a query result (NULL display, alignment, numericlocale). */
export function tableFromResult(
  result: QueryResultLike,
  opt: PrintOptions,
  extras: PrintQueryExtras = {},
): PrintTable {
  const aligns = result.fields.map((f) => columnAlignment(f.typeOid));
  return {
    title: extras.title !== undefined ? extras.title : opt.title,
    headers: result.fields.map((f) => f.name),
    aligns,
    cells: result.rows.map((row) =>
      row.map((v, i) => {
        if (v === null) return opt.nullPrint;
        return aligns[i] === 'r' && opt.numericLocale ? formatNumericLocale(v) : v;
      }),
    ),
    footers: extras.footers ?? null,
  };
}

export function printQuery(
  result: QueryResultLike,
  opt: PrintOptions,
  extras: PrintQueryExtras = {},
): string {
  return printTable(tableFromResult(result, opt, extras), opt);
}
