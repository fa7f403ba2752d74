// psql's latex and latex-longtable formats (tabular / longtable environments, LaTeX-escaped text).
import { footersWithDefault } from './options.js';
import type { PrintOptions, PrintTable } from './options.js';

const LATEX_ESCAPES: Record<string, string> = {
  '#': '\\#',
  $: '\\$',
  '%': '\\%',
  '&': '\\&',
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '\\': '\\textbackslash{}',
  '^': '\\^{}',
  _: '\\_',
  '{': '\\{',
  '|': '\\textbar{}',
  '}': '\\}',
  '~': '\\~{}',
  '\n': '\\\\',
};

export function latexEscape(value: string): string {
  let out = '';
  for (const ch of value) out += LATEX_ESCAPES[ch] ?? ch;
  return out;
}

function title(table: PrintTable, opt: PrintOptions): string {
  return !opt.tuplesOnly && table.title !== null
    ? '\\begin{center}\n' + latexEscape(table.title) + '\n\\end{center}\n\n'
    : '';
}

export function printLatex(table: PrintTable, opt: PrintOptions): string {
  const border = Math.min(opt.border, 3);
  const ncol = table.headers.length;
  let out = title(table, opt) + '\\begin{tabular}{';
  if (border >= 2) out += '| ';
  out += table.aligns.join(border !== 0 ? ' | ' : '');
  if (border >= 2) out += ' |';
  out += '}\n';
  if (!opt.tuplesOnly && border >= 2) out += '\\hline\n';
  if (!opt.tuplesOnly) {
    out += table.headers.map((h) => '\\textit{' + latexEscape(h) + '}').join(' & ');
    out += ' \\\\\n\\hline\n';
  }
  for (const row of table.cells) {
    out += row.map(latexEscape).join(' & ');
    if (ncol > 0) out += ' \\\\\n';
    if (border === 3) out += '\\hline\n';
  }
  if (border === 2) out += '\\hline\n';
  out += '\\end{tabular}\n\n\\noindent ';
  const footers = footersWithDefault(table, opt);
  if (footers !== null && !opt.tuplesOnly)
    for (const f of footers) out += latexEscape(f) + ' \\\\\n';
  return out + '\n';
}

export function printLatexLongtable(table: PrintTable, opt: PrintOptions): string {
  const border = Math.min(opt.border, 3);
  const ncol = table.headers.length;
  let out = '\\begin{longtable}{';
  if (border >= 2) out += '| ';
  // Left-aligned columns take their widths, in order, from tableattr (the last one repeats).
  const widths = (opt.tableAttr ?? '').split(/[ \t\n]+/).filter((w) => w !== '');
  let next = 0;
  let last: string | null = null;
  table.aligns.forEach((a, i) => {
    if (a === 'l' && opt.tableAttr !== null) {
      const w = widths[next];
      if (w !== undefined) {
        next++;
        last = w;
        out += 'p{' + w + '\\textwidth}';
      } else if (last !== null) out += 'p{' + last + '\\textwidth}';
      else out += 'l';
    } else out += a;
    if (border !== 0 && i < ncol - 1) out += ' | ';
  });
  if (border >= 2) out += ' |';
  out += '}\n';
  if (!opt.tuplesOnly) {
    const head = table.headers
      .map((h) => '\\small\\textbf{\\textit{' + latexEscape(h) + '}}')
      .join(' & ');
    if (border >= 2) out += '\\toprule\n';
    out += head + ' \\\\\n\\midrule\n\\endfirsthead\n';
    if (border >= 2) out += '\\toprule\n';
    out += head + ' \\\\\n';
    if (border !== 3) out += '\\midrule\n';
    out += '\\endhead\n';
    if (table.title !== null) {
      const t = latexEscape(table.title);
      if (border === 2) out += '\\bottomrule\n';
      out += '\\caption[' + t + ' (Continued)]{' + t + '}\n\\endfoot\n';
      if (border === 2) out += '\\bottomrule\n';
      out += '\\caption[' + t + ']{' + t + '}\n\\endlastfoot\n';
    } else if (border >= 2) {
      out += '\\bottomrule\n\\endfoot\n\\bottomrule\n\\endlastfoot\n';
    }
  }
  for (const row of table.cells) {
    row.forEach((v, i) => {
      if (i !== 0) out += '\n&\n';
      out += '\\raggedright{' + latexEscape(v) + '}';
    });
    out += ' \\tabularnewline\n';
    if (border === 3) out += ' \\hline\n';
  }
  return out + '\\end{longtable}\n';
}

export function printLatexVertical(table: PrintTable, opt: PrintOptions): string {
  const border = Math.min(opt.border, 2);
  let out = title(table, opt) + '\\begin{tabular}{';
  out += border === 0 ? 'cl' : border === 1 ? 'c|l' : '|c|l|';
  out += '}\n';
  table.cells.forEach((row, r) => {
    if (!opt.tuplesOnly) {
      if (border === 2) out += `\\hline\n\\multicolumn{2}{|c|}{\\textit{Record ${r + 1}}} \\\\\n`;
      else out += `\\multicolumn{2}{c}{\\textit{Record ${r + 1}}} \\\\\n`;
    }
    if (border >= 1) out += '\\hline\n';
    row.forEach((v, i) => {
      out += latexEscape(table.headers[i] ?? '') + ' & ' + latexEscape(v) + ' \\\\\n';
    });
  });
  if (border === 2) out += '\\hline\n';
  out += '\\end{tabular}\n\n\\noindent ';
  if (table.footers !== null && !opt.tuplesOnly)
    for (const f of table.footers) out += latexEscape(f) + ' \\\\\n';
  return out + '\n';
}
