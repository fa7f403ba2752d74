// psql's expanded ("\x") aligned layout: one block per record, "-[ RECORD n ]" separators, the
// column names on the left and the values on the right, wrapped to the output width in wrapped
// mode and widened so the record header line fits.
import { formatCell, takeWidth } from './width.js';
import { footersWithDefault, lineStyleOf } from './options.js';
import type { PrintOptions, PrintTable } from './options.js';
import type { RuleChars } from './line-style.js';

function spaces(n: number): string {
  return n > 0 ? ' '.repeat(n) : '';
}

function recordLine(
  border: number,
  rule: RuleChars,
  record: number,
  hwidth: number,
  dwidth: number,
): string {
  let out = '';
  if (border === 2) out += rule.left + rule.hrule;
  else if (border === 1) out += rule.hrule;
  let reclen = 0;
  if (record > 0) {
    const label = border === 0 ? `* Record ${record}` : `[ RECORD ${record} ]`;
    out += label;
    reclen = label.length;
  }
  if (border !== 2) reclen++;
  const fill = border > 0 ? rule.hrule : ' ';
  for (let i = reclen; i < hwidth; i++) out += fill;
  reclen -= hwidth;
  if (border > 0) {
    if (reclen-- <= 0) out += rule.hrule;
    if (reclen-- <= 0) out += rule.mid;
    if (reclen-- <= 0) out += rule.hrule;
  } else if (reclen-- <= 0) out += ' ';
  if (reclen < 0) reclen = 0;
  for (let i = reclen; i < dwidth; i++) out += fill;
  if (border === 2) out += rule.hrule + rule.right;
  return out + '\n';
}

export function printAlignedVertical(table: PrintTable, opt: PrintOptions): string {
  const border = Math.min(opt.border, 2);
  const style = lineStyleOf(opt);
  const oldAscii = style.name === 'old-ascii';
  const ncol = table.headers.length;
  const nrows = table.cells.length;
  let out = '';

  const start = opt.startTable !== false;
  const stop = opt.stopTable !== false;
  if ((nrows === 0 || ncol === 0) && start && stop) {
    const footers = footersWithDefault(table, opt);
    if (!opt.tuplesOnly && footers !== null) for (const f of footers) out += f + '\n';
    return out + '\n';
  }

  const headers = table.headers.map(formatCell);
  const cells = table.cells.map((row) => row.map(formatCell));
  let hwidth = 0;
  let dwidth = 0;
  let hmultiline = false;
  let dmultiline = false;
  for (const h of headers) {
    hwidth = Math.max(hwidth, h.width);
    if (h.lines.length > 1) hmultiline = true;
  }
  for (const row of cells) {
    for (const c of row) {
      dwidth = Math.max(dwidth, c.width);
      if (c.lines.length > 1) dmultiline = true;
    }
  }

  if (start && !opt.tuplesOnly && table.title !== null) out += table.title + '\n';

  const outputColumns = opt.columns > 0 ? opt.columns : opt.terminalColumns;
  if (opt.format === 'wrapped' || opt.format === 'aligned') {
    let swidth: number;
    if (border === 0) swidth = hmultiline ? 2 : 1;
    else if (border === 1) swidth = hmultiline && oldAscii ? 4 : 3;
    else swidth = 7;
    if (dmultiline && border < 2 && !oldAscii) swidth++;
    let rwidth = 0;
    if (!opt.tuplesOnly) {
      if (nrows > 0) rwidth = 1 + Math.floor(Math.log10(nrows));
      rwidth += border === 0 ? 9 : border === 1 ? 12 : 15;
    }
    let newdwidth: number;
    for (;;) {
      const width = Math.max(hwidth + swidth + dwidth, rwidth);
      if (opt.format === 'wrapped' && outputColumns > 0) {
        const minWidth = Math.max(hwidth + swidth + 3, rwidth);
        if (outputColumns >= width) newdwidth = width - hwidth - swidth;
        else if (outputColumns < minWidth) newdwidth = minWidth - hwidth - swidth;
        else newdwidth = outputColumns - hwidth - swidth;
      } else {
        newdwidth = width - hwidth - swidth;
      }
      // Wrapping needs a marker column that was not reserved yet: reserve it and recompute.
      if (newdwidth < dwidth && !dmultiline && border < 2 && !oldAscii) {
        dmultiline = true;
        swidth++;
      } else break;
    }
    dwidth = newdwidth;
  }

  let record = (opt.priorRecords ?? 0) + 1;
  let index = 0;
  table.cells.forEach((_row, r) => {
    for (let c = 0; c < ncol; c++, index++) {
      const rule = index === 0 ? style.top : style.middle;
      if (c === 0) {
        const lhwidth = border < 2 && hmultiline && oldAscii ? hwidth + 1 : hwidth;
        if (!opt.tuplesOnly) out += recordLine(border, rule, record++, lhwidth, dwidth);
        else if (index !== 0 || !start || border === 2)
          out += recordLine(border, rule, 0, lhwidth, dwidth);
      }
      const hlines = headers[c]?.lines ?? [];
      const dlines = cells[r]?.[c]?.lines ?? [];
      let dline = 0;
      let hline = 0;
      let dcomplete = false;
      let hcomplete = false;
      let offset = 0;
      let charsLeft = dlines[0]?.width ?? 0;
      while (!dcomplete || !hcomplete) {
        if (border === 2) out += style.data.left;
        if (!hcomplete) {
          if (border === 2 || (hmultiline && oldAscii)) out += hline > 0 ? style.headerNlLeft : ' ';
          const h = hlines[hline] ?? { text: '', width: 0 };
          out += h.text + spaces(hwidth - h.width);
          const showMarker = border > 0 || (hmultiline && !oldAscii);
          if (hline + 1 < hlines.length) {
            if (showMarker) out += style.headerNlRight;
            hline++;
          } else {
            if (showMarker) out += ' ';
            hcomplete = true;
          }
        } else {
          let sw = hwidth + border;
          if (border < 2 && hmultiline && oldAscii) sw++;
          if (border === 0 && !oldAscii && hmultiline) sw++;
          out += spaces(Math.max(sw, 1));
        }
        if (border > 0) {
          out += offset > 0 ? style.midWrap : dline === 0 ? style.data.mid : style.midNewline;
        }
        if (!dcomplete) {
          const d = dlines[dline] ?? { text: '', width: 0 };
          out += offset === 0 ? ' ' : style.wrapLeft;
          const taken = takeWidth(d.text, offset, dwidth);
          out += d.text.slice(offset, taken.end);
          charsLeft -= taken.width;
          offset = taken.end;
          const pad = dwidth - taken.width;
          const markers = border > 1 || (dmultiline && !oldAscii);
          if (charsLeft !== 0) {
            if (markers) out += spaces(pad) + style.wrapRight;
          } else if (dline + 1 < dlines.length) {
            if (markers) out += spaces(pad) + style.nlRight;
            dline++;
            offset = 0;
            charsLeft = dlines[dline]?.width ?? 0;
          } else {
            if (border > 1) out += spaces(pad) + ' ';
            dcomplete = true;
          }
          if (border === 2) out += style.data.right;
          out += '\n';
        } else {
          out += border < 2 ? '\n' : spaces(dwidth) + '  ' + style.data.right + '\n';
        }
      }
    }
  });

  if (!stop) return out;
  if (border === 2) out += recordLine(border, style.bottom, 0, hwidth, dwidth);
  // Expanded mode numbers its records, so only explicit footers are printed.
  if (!opt.tuplesOnly && table.footers !== null) {
    if (border < 2) out += '\n';
    for (const f of table.footers) out += f + '\n';
  }
  return out + '\n';
}
