// psql's \pset state: the options every output format reads. Defaults are psql's.
import { ASCII_STYLE, OLD_ASCII_STYLE, unicodeStyle } from './line-style.js';
import type { LineStyle, UnicodeLineWeight } from './line-style.js';

export type OutputFormat =
  | 'aligned'
  | 'asciidoc'
  | 'csv'
  | 'html'
  | 'latex'
  | 'latex-longtable'
  | 'troff-ms'
  | 'unaligned'
  | 'wrapped';

export type ExpandedMode = 'off' | 'on' | 'auto';

export type LineStyleName = 'ascii' | 'old-ascii' | 'unicode';

export interface PrintOptions {
  format: OutputFormat;
  expanded: ExpandedMode;
  border: number;
  lineStyle: LineStyleName;
  unicodeBorder: UnicodeLineWeight;
  unicodeColumn: UnicodeLineWeight;
  unicodeHeader: UnicodeLineWeight;
  tuplesOnly: boolean;
  /** \pset footer: whether a table without footers of its own gets "(N rows)". */
  footer: boolean;
  title: string | null;
  nullPrint: string;
  fieldSep: string;
  fieldSepZero: boolean;
  recordSep: string;
  recordSepZero: boolean;
  csvFieldSep: string;
  numericLocale: boolean;
  tableAttr: string | null;
  /** \pset columns (0 = use the terminal's width when printing to a terminal). */
  columns: number;
  /** Width of the terminal (or $COLUMNS) when printing to one, else 0. */
  terminalColumns: number;
  pager: 'off' | 'on' | 'always';
  pagerMinLines: number;
  /** FETCH_COUNT batches: print the header/title (first batch) and footer (last batch). */
  startTable?: boolean;
  stopTable?: boolean;
  /** Rows printed by earlier batches (row count footer, record numbers). */
  priorRecords?: number;
}

export function defaultPrintOptions(): PrintOptions {
  return {
    format: 'aligned',
    expanded: 'off',
    border: 1,
    lineStyle: 'ascii',
    unicodeBorder: 'single',
    unicodeColumn: 'single',
    unicodeHeader: 'single',
    tuplesOnly: false,
    footer: true,
    title: null,
    nullPrint: '',
    fieldSep: '|',
    fieldSepZero: false,
    recordSep: '\n',
    recordSepZero: false,
    csvFieldSep: ',',
    numericLocale: false,
    tableAttr: null,
    columns: 0,
    terminalColumns: 0,
    pager: 'on',
    pagerMinLines: 0,
  };
}

export function lineStyleOf(opt: PrintOptions): LineStyle {
  if (opt.lineStyle === 'old-ascii') return OLD_ASCII_STYLE;
  if (opt.lineStyle === 'unicode')
    return unicodeStyle(opt.unicodeBorder, opt.unicodeColumn, opt.unicodeHeader);
  return ASCII_STYLE;
}

/** A table to print: psql's printTableContent. */
export interface PrintTable {
  title: string | null;
  headers: string[];
  /** 'l' or 'r' per column. */
  aligns: ('l' | 'r')[];
  /** Row-major cells, already with NULL display applied. */
  cells: string[][];
  /** Explicit footers; null = none (the default row count may then apply). */
  footers: string[] | null;
  /** Set by commands whose tables never get "(N rows)". */
  noDefaultFooter?: boolean;
}

/** The footers to print for row-oriented formats: explicit ones, or "(N rows)". */
export function footersWithDefault(table: PrintTable, opt: PrintOptions): string[] | null {
  if (table.footers === null && opt.footer && table.noDefaultFooter !== true) {
    const n = (opt.priorRecords ?? 0) + table.cells.length;
    return [n === 1 ? '(1 row)' : `(${n} rows)`];
  }
  return table.footers;
}
