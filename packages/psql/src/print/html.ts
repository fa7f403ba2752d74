// psql's html format: a <table> with escaped text, aligned cells, and footers in a <p>.
import { footersWithDefault } from './options.js';
import type { PrintOptions, PrintTable } from './options.js';

/** HTML-escapes as psql does, keeping leading spaces visible (for EXPLAIN output). */
export function htmlEscape(value: string): string {
  let out = '';
  let leading = true;
  for (const ch of value) {
    switch (ch) {
      case '&':
        out += '&amp;';
        break;
      case '<':
        out += '&lt;';
        break;
      case '>':
        out += '&gt;';
        break;
      case '\n':
        out += '<br />\n';
        break;
      case '"':
        out += '&quot;';
        break;
      case ' ':
        out += leading ? '&nbsp;' : ' ';
        break;
      default:
        out += ch;
    }
    if (ch !== ' ') leading = false;
  }
  return out;
}

const blank = (v: string): boolean => /^[ \t]*$/.test(v);

function tableStart(table: PrintTable, opt: PrintOptions): string {
  let out = `<table border="${opt.border}"`;
  if (opt.tableAttr !== null) out += ' ' + opt.tableAttr;
  out += '>\n';
  if (!opt.tuplesOnly && table.title !== null)
    out += '  <caption>' + htmlEscape(table.title) + '</caption>\n';
  return out;
}

function tableEnd(footers: string[] | null, opt: PrintOptions): string {
  let out = '</table>\n';
  if (!opt.tuplesOnly && footers !== null) {
    out += '<p>';
    for (const f of footers) out += htmlEscape(f) + '<br />\n';
    out += '</p>';
  }
  return out + '\n';
}

function cell(value: string, align: 'l' | 'r' | undefined): string {
  return (
    `    <td align="${align === 'r' ? 'right' : 'left'}">` +
    (blank(value) ? '&nbsp; ' : htmlEscape(value)) +
    '</td>\n'
  );
}

export function printHtml(table: PrintTable, opt: PrintOptions): string {
  let out = tableStart(table, opt);
  if (!opt.tuplesOnly) {
    out += '  <tr>\n';
    for (const h of table.headers) out += '    <th align="center">' + htmlEscape(h) + '</th>\n';
    out += '  </tr>\n';
  }
  for (const row of table.cells) {
    out += '  <tr valign="top">\n';
    row.forEach((v, i) => (out += cell(v, table.aligns[i])));
    out += '  </tr>\n';
  }
  return out + tableEnd(footersWithDefault(table, opt), opt);
}

export function printHtmlVertical(table: PrintTable, opt: PrintOptions): string {
  let out = tableStart(table, opt);
  table.cells.forEach((row, r) => {
    out += opt.tuplesOnly
      ? '\n  <tr><td colspan="2">&nbsp;</td></tr>\n'
      : `\n  <tr><td colspan="2" align="center">Record ${r + 1}</td></tr>\n`;
    row.forEach((v, i) => {
      out += '  <tr valign="top">\n    <th>' + htmlEscape(table.headers[i] ?? '') + '</th>\n';
      out += cell(v, table.aligns[i]).replace(/\n$/, '') + '\n  </tr>\n';
    });
  });
  return out + tableEnd(table.footers, opt);
}
