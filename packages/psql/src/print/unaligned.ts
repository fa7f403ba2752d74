// psql's "unaligned" format: values joined by fieldsep, records by recordsep (or NUL bytes with
// fieldsep_zero/recordsep_zero); the last record always ends with a newline (or NUL).
import { footersWithDefault } from './options.js';
import type { PrintOptions, PrintTable } from './options.js';

function fieldSep(opt: PrintOptions): string {
  return opt.fieldSepZero ? '\0' : opt.fieldSep;
}

function recordSep(opt: PrintOptions): string {
  return opt.recordSepZero ? '\0' : opt.recordSep;
}

function finalSep(opt: PrintOptions): string {
  return opt.recordSepZero ? '\0' : '\n';
}

export function printUnaligned(table: PrintTable, opt: PrintOptions): string {
  const fs = fieldSep(opt);
  const rs = recordSep(opt);
  let out = '';
  let needRecordSep = false;
  if (opt.startTable !== false) {
    if (!opt.tuplesOnly && table.title !== null) out += table.title + rs;
    if (!opt.tuplesOnly) {
      out += table.headers.join(fs);
      needRecordSep = true;
    }
  } else needRecordSep = true; // continuing an earlier batch

  for (const row of table.cells) {
    if (needRecordSep) out += rs;
    out += row.join(fs);
    needRecordSep = true;
  }
  if (opt.stopTable === false) return out;
  const footers = footersWithDefault(table, opt);
  if (!opt.tuplesOnly && footers !== null) {
    for (const f of footers) {
      if (needRecordSep) out += rs;
      out += f;
      needRecordSep = true;
    }
  }
  if (needRecordSep) out += finalSep(opt);
  return out;
}

export function printUnalignedVertical(table: PrintTable, opt: PrintOptions): string {
  const fs = fieldSep(opt);
  const rs = recordSep(opt);
  let out = '';
  let needRecordSep = false;
  if (!opt.tuplesOnly && table.title !== null) {
    out += table.title;
    needRecordSep = true;
  }
  for (const row of table.cells) {
    // Records are separated by two record separators in this layout.
    if (needRecordSep) out += rs + rs;
    out += row.map((v, i) => (table.headers[i] ?? '') + fs + v).join(rs);
    needRecordSep = row.length > 0;
  }
  if (!opt.tuplesOnly && table.footers !== null) {
    out += rs;
    for (const f of table.footers) out += rs + f;
  }
  if (needRecordSep) out += finalSep(opt);
  return out;
}
