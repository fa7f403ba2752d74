// psql's "aligned" and "wrapped" table layout: columns padded to their widest value, headers
// centred, numbers right-aligned, multi-line values continued with markers ('+' in ascii), and
// in wrapped mode columns shrunk (those with the largest max/average width ratio first) to fit.
import { formatCell, takeWidth } from './width.js';
import type { FormattedCell, FormattedLine } from './width.js';
import { footersWithDefault, lineStyleOf } from './options.js';
import type { PrintOptions, PrintTable } from './options.js';
import type { LineStyle, RuleChars } from './line-style.js';
import { printAlignedVertical } from './vertical.js';

const enum Wrap {
  None,
  Wrap,
  Newline,
}

function spaces(n: number): string {
  return n > 0 ? ' '.repeat(n) : '';
}

/** A full-width rule (top, below the header, bottom). */
export function horizontalLine(widths: readonly number[], border: number, rule: RuleChars): string {
  let out = '';
  if (border === 1) out += rule.hrule;
  else if (border === 2) out += rule.left + rule.hrule;
  widths.forEach((w, i) => {
    out += rule.hrule.repeat(w);
    if (i < widths.length - 1) out += border === 0 ? ' ' : rule.hrule + rule.mid + rule.hrule;
  });
  if (border === 2) out += rule.hrule + rule.right;
  else if (border === 1) out += rule.hrule;
  return out + '\n';
}

/** The width psql uses for layout decisions: \pset columns, else the terminal's. */
export function outputColumnsOf(opt: PrintOptions): number {
  return opt.columns > 0 ? opt.columns : opt.terminalColumns;
}

export function printAligned(table: PrintTable, opt: PrintOptions): string {
  const border = Math.min(opt.border, 2);
  const style: LineStyle = lineStyleOf(opt);
  const ncol = table.headers.length;
  const headers = table.headers.map(formatCell);
  const rows: FormattedCell[][] = table.cells.map((row) => row.map(formatCell));

  const widthHeader = headers.map((h) => h.width);
  const maxWidth = [...widthHeader];
  const widthAverage: number[] = new Array<number>(ncol).fill(0);
  for (const row of rows) {
    row.forEach((c, i) => {
      if (c.width > (maxWidth[i] ?? 0)) maxWidth[i] = c.width;
      widthAverage[i] = (widthAverage[i] ?? 0) + c.width;
    });
  }
  if (ncol > 0 && rows.length > 0) {
    for (let i = 0; i < ncol; i++)
      widthAverage[i] = Math.floor((widthAverage[i] ?? 0) / rows.length);
  }

  let widthTotal =
    border === 0 ? ncol : border === 1 ? ncol * 3 - (ncol > 0 ? 1 : 0) : ncol * 3 + 1;
  let totalHeaderWidth = widthTotal;
  for (let i = 0; i < ncol; i++) {
    widthTotal += maxWidth[i] ?? 0;
    totalHeaderWidth += widthHeader[i] ?? 0;
  }
  const widthWrap = [...maxWidth];
  const outputColumns = outputColumnsOf(opt);

  if (opt.format === 'wrapped' && outputColumns > 0 && outputColumns >= totalHeaderWidth) {
    while (widthTotal > outputColumns) {
      let maxRatio = 0;
      let worst = -1;
      for (let i = 0; i < ncol; i++) {
        const avg = widthAverage[i] ?? 0;
        const wrapW = widthWrap[i] ?? 0;
        if (avg !== 0 && wrapW > (widthHeader[i] ?? 0)) {
          // Prefer the column that wraps least when narrowed; slightly prefer wide ones.
          const ratio = wrapW / avg + (maxWidth[i] ?? 0) * 0.01;
          if (ratio > maxRatio) {
            maxRatio = ratio;
            worst = i;
          }
        }
      }
      if (worst === -1) break;
      widthWrap[worst] = (widthWrap[worst] ?? 0) - 1;
      widthTotal--;
    }
  }

  if (
    opt.expanded === 'auto' &&
    outputColumns > 0 &&
    ncol > 1 &&
    (outputColumns < totalHeaderWidth || outputColumns < widthTotal)
  ) {
    return printAlignedVertical(table, opt);
  }

  let out = '';
  const start = opt.startTable !== false;
  const stop = opt.stopTable !== false;
  if (start && table.title !== null && !opt.tuplesOnly) {
    const titleWidth = formatCell(table.title).width;
    out +=
      titleWidth >= widthTotal
        ? table.title + '\n'
        : spaces(Math.floor((widthTotal - titleWidth) / 2)) + table.title + '\n';
  }

  if (start && !opt.tuplesOnly) {
    if (border === 2) out += horizontalLine(widthWrap, border, style.top);
    let remaining = ncol;
    const done: boolean[] = new Array<boolean>(ncol).fill(false);
    let line = 0;
    while (remaining > 0) {
      if (border === 2) out += style.data.left;
      for (let i = 0; i < ncol; i++) {
        const lines = headers[i]?.lines ?? [];
        const w = widthWrap[i] ?? 0;
        if (border !== 0 || (!style.wrapRightBorder && i > 0))
          out += line > 0 ? style.headerNlLeft : ' ';
        if (!done[i]) {
          const l = lines[line] ?? { text: '', width: 0 };
          const free = w - l.width;
          out += spaces(Math.floor(free / 2)) + l.text + spaces(Math.floor((free + 1) / 2));
          if (line + 1 >= lines.length) {
            remaining--;
            done[i] = true;
          }
        } else {
          out += spaces(w);
        }
        if (border !== 0 || style.wrapRightBorder) out += !done[i] ? style.headerNlRight : ' ';
        if (border !== 0 && i < ncol - 1) out += style.data.mid;
      }
      line++;
      if (border === 2) out += style.data.right;
      out += '\n';
    }
    out += horizontalLine(widthWrap, border, style.middle);
  }

  const wrap: Wrap[] = new Array<Wrap>(ncol).fill(Wrap.None);
  for (const row of rows) {
    const cur: number[] = new Array<number>(ncol).fill(0);
    const offset: number[] = new Array<number>(ncol).fill(0);
    const lineAt = (j: number): FormattedLine | undefined => row[j]?.lines[cur[j] ?? 0];
    let more: boolean;
    do {
      more = false;
      if (border === 2) out += style.data.left;
      for (let j = 0; j < ncol; j++) {
        const w = widthWrap[j] ?? 0;
        const finalSpaces = border === 2 || j < ncol - 1;
        const right = table.aligns[j] === 'r';
        let chars = w;
        if (border !== 0) {
          out +=
            wrap[j] === Wrap.Wrap ? style.wrapLeft : wrap[j] === Wrap.Newline ? style.nlLeft : ' ';
        }
        const l = lineAt(j);
        if (l === undefined) {
          if (finalSpaces) out += spaces(w);
        } else {
          const start = offset[j] ?? 0;
          const taken = takeWidth(l.text, start, w);
          chars = Math.min(taken.width, w);
          const piece = l.text.slice(start, taken.end);
          out += right ? spaces(w - chars) + piece : piece;
          offset[j] = taken.end;
          if (taken.end < l.text.length) more = true;
          else {
            cur[j] = (cur[j] ?? 0) + 1;
            if (lineAt(j) !== undefined) more = true;
            offset[j] = 0;
          }
        }
        wrap[j] = Wrap.None;
        if (lineAt(j) !== undefined) {
          if ((offset[j] ?? 0) !== 0) wrap[j] = Wrap.Wrap;
          else if ((cur[j] ?? 0) !== 0) wrap[j] = Wrap.Newline;
        }
        if (!right && (finalSpaces || wrap[j] !== Wrap.None)) out += spaces(w - chars);
        if (wrap[j] === Wrap.Wrap) out += style.wrapRight;
        else if (wrap[j] === Wrap.Newline) out += style.nlRight;
        else if (border === 2 || j < ncol - 1) out += ' ';
        if (border !== 0 && j < ncol - 1) {
          const next = wrap[j + 1];
          if (next === Wrap.Wrap) out += style.midWrap;
          else if (next === Wrap.Newline) out += style.midNewline;
          else if (lineAt(j + 1) === undefined) out += style.midBlank;
          else out += style.data.mid;
        }
      }
      if (border === 2) out += style.data.right;
      out += '\n';
    } while (more);
  }

  if (!stop) return out;
  const footers = footersWithDefault(table, opt);
  if (border === 2) out += horizontalLine(widthWrap, border, style.bottom);
  if (footers !== null && !opt.tuplesOnly) {
    for (const f of footers) out += f + '\n';
  }
  return out + '\n';
}
