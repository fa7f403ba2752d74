// \pset and its shortcuts (\a \t \x \f \H \T \C): parsing values exactly as psql accepts them and
// the confirmation messages psql prints.
import type { OutputFormat, PrintOptions } from '../print/options.js';
import { parseBool } from './variables.js';

const FORMATS: OutputFormat[] = [
  'aligned',
  'asciidoc',
  'csv',
  'html',
  'latex',
  'troff-ms',
  'unaligned',
  'wrapped',
];

/** `silent`: psql 15 returns early (printing nothing) after setting some booleans to a value. */
export type PsetResult = { ok: true; silent?: boolean } | { ok: false; message: string };

function boolOrToggle(value: string | undefined, current: boolean, name: string): boolean | string {
  if (value === undefined) return !current;
  const b = parseBool(value);
  if (b === null) return `unrecognized value "${value}" for "${name}": Boolean expected`;
  return b;
}

function pickPrefix(
  value: string,
  options: readonly string[],
): { match: string } | { ambiguous: [string, string] } | null {
  let found: string | null = null;
  for (const o of options) {
    if (o.toLowerCase().startsWith(value.toLowerCase())) {
      if (found !== null) return { ambiguous: [found, o] };
      found = o;
    }
  }
  return found === null ? null : { match: found };
}

/** Applies `\pset name [value]` to `popt`. */
export function doPset(popt: PrintOptions, name: string, value: string | undefined): PsetResult {
  const fail = (message: string): PsetResult => ({ ok: false, message });
  switch (name) {
    case 'format': {
      if (value === undefined) return { ok: true };
      if (value.toLowerCase() === 'latex-longtable') {
        popt.format = 'latex-longtable';
        return { ok: true };
      }
      const m = pickPrefix(value, FORMATS);
      if (m === null || value === '')
        return fail(
          '\\pset: allowed formats are aligned, asciidoc, csv, html, latex, latex-longtable, troff-ms, unaligned, wrapped',
        );
      if ('ambiguous' in m)
        return fail(
          `\\pset: ambiguous abbreviation "${value}" matches both "${m.ambiguous[0]}" and "${m.ambiguous[1]}"`,
        );
      popt.format = m.match as OutputFormat;
      return { ok: true };
    }
    case 'linestyle': {
      if (value === undefined) return { ok: true };
      const m = pickPrefix(value, ['ascii', 'old-ascii', 'unicode']);
      if (m === null || 'ambiguous' in m || value === '')
        return fail('\\pset: allowed line styles are ascii, old-ascii, unicode');
      popt.lineStyle = m.match as PrintOptions['lineStyle'];
      return { ok: true };
    }
    case 'unicode_border_linestyle':
    case 'unicode_column_linestyle':
    case 'unicode_header_linestyle': {
      if (value === undefined) return { ok: true };
      const m = pickPrefix(value, ['single', 'double']);
      const what = name.split('_')[1];
      if (m === null || 'ambiguous' in m || value === '')
        return fail(`\\pset: allowed Unicode ${what} line styles are single, double`);
      const w = m.match as 'single' | 'double';
      if (name === 'unicode_border_linestyle') popt.unicodeBorder = w;
      else if (name === 'unicode_column_linestyle') popt.unicodeColumn = w;
      else popt.unicodeHeader = w;
      return { ok: true };
    }
    case 'border':
      if (value !== undefined) popt.border = atoi(value);
      return { ok: true };
    case 'columns':
      if (value !== undefined) popt.columns = atoi(value);
      return { ok: true };
    case 'pager_min_lines':
      if (value !== undefined) popt.pagerMinLines = atoi(value);
      return { ok: true };
    case 'expanded':
    case 'x': {
      if (value !== undefined && value.toLowerCase() === 'auto') popt.expanded = 'auto';
      else {
        const b = boolOrToggle(value, popt.expanded === 'on', 'expanded');
        if (typeof b === 'string')
          return fail(
            `unrecognized value "${value ?? ''}" for "expanded"\nAvailable values are: on, off, auto.`,
          );
        popt.expanded = b ? 'on' : 'off';
      }
      return { ok: true };
    }
    case 'csv_fieldsep':
      if (value !== undefined) {
        if (Buffer.byteLength(value) !== 1 || value === '"' || value === '\n' || value === '\r')
          return fail('\\pset: csv_fieldsep must be a single one-byte character');
        popt.csvFieldSep = value;
      }
      return { ok: true };
    case 'numericlocale':
    case 'tuples_only':
    case 't':
    case 'footer': {
      const key =
        name === 'numericlocale' ? 'numericLocale' : name === 'footer' ? 'footer' : 'tuplesOnly';
      const b = boolOrToggle(value, popt[key], name === 't' ? 'tuples_only' : name);
      if (typeof b === 'string') return fail(b);
      popt[key] = b;
      return { ok: true, silent: value !== undefined };
    }
    case 'null':
      if (value !== undefined) popt.nullPrint = value;
      return { ok: true };
    case 'fieldsep':
      if (value !== undefined) {
        popt.fieldSep = value;
        popt.fieldSepZero = false;
      }
      return { ok: true };
    case 'fieldsep_zero':
      popt.fieldSepZero = true;
      return { ok: true };
    case 'recordsep':
      if (value !== undefined) {
        popt.recordSep = value;
        popt.recordSepZero = false;
      }
      return { ok: true };
    case 'recordsep_zero':
      popt.recordSepZero = true;
      return { ok: true };
    case 'title':
    case 'C':
      popt.title = value ?? null;
      return { ok: true };
    case 'tableattr':
    case 'T':
      popt.tableAttr = value ?? null;
      return { ok: true };
    case 'pager': {
      if (value !== undefined && value.toLowerCase() === 'always') popt.pager = 'always';
      else if (value !== undefined) {
        const b = parseBool(value);
        if (b === null) return fail(`unrecognized value "${value}" for "pager": Boolean expected`);
        popt.pager = b ? 'on' : 'off';
      } else popt.pager = popt.pager === 'on' ? 'off' : 'on';
      return { ok: true };
    }
    default:
      return fail(`\\pset: unknown option: ${name}`);
  }
}

function atoi(s: string): number {
  const m = /^\s*[+-]?\d+/.exec(s);
  return m ? parseInt(m[0], 10) : 0;
}

const onOff = (b: boolean): string => (b ? 'on' : 'off');

/** The message psql prints after setting `name`. */
export function psetInfo(popt: PrintOptions, name: string): string {
  switch (name) {
    case 'border':
      return `Border style is ${popt.border}.`;
    case 'columns':
      return popt.columns === 0 ? 'Target width is unset.' : `Target width is ${popt.columns}.`;
    case 'expanded':
    case 'x':
      return popt.expanded === 'auto'
        ? 'Expanded display is used automatically.'
        : `Expanded display is ${popt.expanded}.`;
    case 'csv_fieldsep':
      return `Field separator for CSV is "${popt.csvFieldSep}".`;
    case 'fieldsep':
    case 'fieldsep_zero':
      return popt.fieldSepZero
        ? 'Field separator is zero byte.'
        : `Field separator is "${popt.fieldSep}".`;
    case 'footer':
      return `Default footer is ${onOff(popt.footer)}.`;
    case 'format':
      return `Output format is ${popt.format}.`;
    case 'linestyle':
      return `Line style is ${popt.lineStyle}.`;
    case 'null':
      return `Null display is "${popt.nullPrint}".`;
    case 'numericlocale':
      return `Locale-adjusted numeric output is ${onOff(popt.numericLocale)}.`;
    case 'pager':
      return popt.pager === 'on'
        ? 'Pager is used for long output.'
        : popt.pager === 'always'
          ? 'Pager is always used.'
          : 'Pager usage is off.';
    case 'pager_min_lines':
      return `Pager won't be used for less than ${popt.pagerMinLines} line${popt.pagerMinLines === 1 ? '' : 's'}.`;
    case 'recordsep':
    case 'recordsep_zero':
      if (popt.recordSepZero) return 'Record separator is zero byte.';
      if (popt.recordSep === '\n') return 'Record separator is <newline>.';
      return `Record separator is "${popt.recordSep}".`;
    case 'tableattr':
    case 'T':
      return popt.tableAttr === null
        ? 'Table attributes unset.'
        : `Table attributes are "${popt.tableAttr}".`;
    case 'title':
    case 'C':
      return popt.title === null ? 'Title is unset.' : `Title is "${popt.title}".`;
    case 'tuples_only':
    case 't':
      return `Tuples only is ${onOff(popt.tuplesOnly)}.`;
    case 'unicode_border_linestyle':
      return `Unicode border line style is "${popt.unicodeBorder}".`;
    case 'unicode_column_linestyle':
      return `Unicode column line style is "${popt.unicodeColumn}".`;
    case 'unicode_header_linestyle':
      return `Unicode header line style is "${popt.unicodeHeader}".`;
    default:
      return '';
  }
}

function quoted(s: string): string {
  return (
    "'" +
    s.replace(/[\\'\n\r\t]/g, (c) =>
      c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : '\\' + c,
    ) +
    "'"
  );
}

/** `\pset` with no arguments: every setting and its value. */
export function psetListing(popt: PrintOptions): string {
  const rows: [string, string][] = [
    ['border', String(popt.border)],
    ['columns', String(popt.columns)],
    ['csv_fieldsep', quoted(popt.csvFieldSep)],
    ['expanded', popt.expanded],
    ['fieldsep', quoted(popt.fieldSep)],
    ['fieldsep_zero', onOff(popt.fieldSepZero)],
    ['footer', onOff(popt.footer)],
    ['format', popt.format],
    ['linestyle', popt.lineStyle],
    ['null', quoted(popt.nullPrint)],
    ['numericlocale', onOff(popt.numericLocale)],
    ['pager', popt.pager === 'off' ? '0' : popt.pager === 'on' ? '1' : '2'],
    ['pager_min_lines', String(popt.pagerMinLines)],
    ['recordsep', quoted(popt.recordSep)],
    ['recordsep_zero', onOff(popt.recordSepZero)],
    ['tableattr', popt.tableAttr === null ? '' : quoted(popt.tableAttr)],
    ['title', popt.title === null ? '' : quoted(popt.title)],
    ['tuples_only', onOff(popt.tuplesOnly)],
    ['unicode_border_linestyle', popt.unicodeBorder],
    ['unicode_column_linestyle', popt.unicodeColumn],
    ['unicode_header_linestyle', popt.unicodeHeader],
  ];
  return rows.map(([k, v]) => k.padEnd(24) + ' ' + v + '\n').join('');
}
