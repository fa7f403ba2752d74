// Builds the text of server errors and notices as libpq does for psql: "SEVERITY:  message",
// the LINE n: excerpt with a caret under the error position, DETAIL/HINT/QUERY/CONTEXT lines by
// VERBOSITY and SHOW_CONTEXT, and in verbose mode the SQLSTATE, object names and LOCATION.
import type { NoticeFields } from '../conn/session.js';
import { codePointWidth } from '../print/width.js';

export type Verbosity = 'default' | 'verbose' | 'terse' | 'sqlstate';
export type ShowContext = 'never' | 'errors' | 'always';

const DISPLAY_SIZE = 60;
const MIN_RIGHT_CUT = 10;

function charWidth(ch: string): number {
  const w = codePointWidth(ch.codePointAt(0) ?? 0);
  return w <= 0 ? 1 : w;
}

/** The "LINE n: ..." excerpt and caret line for a 1-based character position in `query`. */
export function errorPosition(query: string, position: number): string {
  const chars = Array.from(query).map((c) => (c === '\t' ? ' ' : c));
  const loc = position - 1;
  if (loc < 0) return '';
  const scr: number[] = [];
  let lineNo = 1;
  let ibeg = 0;
  let iend = -1;
  let scroffset = 0;
  let cno = 0;
  for (; cno < chars.length; cno++) {
    const ch = chars[cno] ?? '';
    scr[cno] = scroffset;
    if (ch === '\r' || ch === '\n') {
      if (cno < loc) {
        if (ch === '\r' || cno === 0 || chars[cno - 1] !== '\r') lineNo++;
        ibeg = cno + 1;
      } else {
        iend = cno;
        break;
      }
    }
    scroffset += charWidth(ch);
  }
  if (iend < 0) {
    iend = cno;
    scr[iend] = scroffset;
  }
  if (loc > cno) return '';
  const at = (k: number): number => scr[k] ?? 0;
  let begTrunc = false;
  let endTrunc = false;
  if (at(iend) - at(ibeg) > DISPLAY_SIZE) {
    if (at(ibeg) + DISPLAY_SIZE >= at(loc) + MIN_RIGHT_CUT) {
      while (at(iend) - at(ibeg) > DISPLAY_SIZE) iend--;
      endTrunc = true;
    } else {
      while (at(loc) + MIN_RIGHT_CUT < at(iend)) {
        iend--;
        endTrunc = true;
      }
      while (at(iend) - at(ibeg) > DISPLAY_SIZE) {
        ibeg++;
        begTrunc = true;
      }
    }
  }
  let prefix = `LINE ${lineNo}: `;
  if (begTrunc) prefix += '...';
  let caret = 0;
  for (const ch of prefix) caret += charWidth(ch);
  let out = prefix + chars.slice(ibeg, iend).join('');
  if (endTrunc) out += '...';
  out += '\n';
  caret += at(loc) - at(ibeg);
  return out + ' '.repeat(caret) + '^\n';
}

export interface FormatOptions {
  verbosity: Verbosity;
  showContext: ShowContext;
  /** The query text the error belongs to (for the position excerpt). */
  query: string | null;
  isError: boolean;
}

/** Formats a server error/notice as psql prints it (always ends with a newline). */
export function formatServerMessage(n: NoticeFields, opt: FormatOptions): string {
  let out = (n.severity || 'ERROR') + ':  ';
  if (opt.verbosity === 'sqlstate' && n.code) return out + n.code + '\n';
  const verbosity = opt.verbosity === 'sqlstate' ? 'terse' : opt.verbosity;
  if (verbosity === 'verbose' && n.code) out += n.code + ': ';
  out += n.message || 'no primary error message';
  let queryText: string | null = null;
  let queryPos = 0;
  if (n.position !== undefined) {
    if (verbosity !== 'terse' && opt.query !== null) {
      queryText = opt.query;
      queryPos = n.position;
    } else out += ` at character ${n.position}`;
  } else if (n.internalPosition !== undefined) {
    if (verbosity !== 'terse' && n.internalQuery !== undefined) {
      queryText = n.internalQuery;
      queryPos = n.internalPosition;
    } else out += ` at character ${n.internalPosition}`;
  }
  out += '\n';
  if (verbosity !== 'terse') {
    if (queryText !== null && queryPos > 0) out += errorPosition(queryText, queryPos);
    if (n.detail !== undefined) out += `DETAIL:  ${n.detail}\n`;
    if (n.hint !== undefined) out += `HINT:  ${n.hint}\n`;
    if (n.internalQuery !== undefined) out += `QUERY:  ${n.internalQuery}\n`;
    if (
      n.where !== undefined &&
      (opt.showContext === 'always' || (opt.showContext === 'errors' && opt.isError))
    )
      out += `CONTEXT:  ${n.where}\n`;
  }
  if (verbosity === 'verbose') {
    if (n.schema !== undefined) out += `SCHEMA NAME:  ${n.schema}\n`;
    if (n.table !== undefined) out += `TABLE NAME:  ${n.table}\n`;
    if (n.column !== undefined) out += `COLUMN NAME:  ${n.column}\n`;
    if (n.dataType !== undefined) out += `DATATYPE NAME:  ${n.dataType}\n`;
    if (n.constraint !== undefined) out += `CONSTRAINT NAME:  ${n.constraint}\n`;
    if (n.file !== undefined || n.line !== undefined || n.routine !== undefined) {
      out += 'LOCATION:  ';
      if (n.routine !== undefined) out += `${n.routine}, `;
      if (n.file !== undefined) out += n.file;
      if (n.line !== undefined) out += `:${n.line}`;
      out += '\n';
    }
  }
  return out;
}
