// Display widths and cell formatting as psql computes them for a UTF-8 client: combining marks take
// no column, East-Asian wide characters two, control characters are shown escaped (\r, \xNN,
// \uNNNN) and tabs expand to the next multiple of 8. A cell is split at newlines into lines.
import { COMBINING, WIDE } from './unicode-tables.js';

function inRanges(table: readonly number[], cp: number): boolean {
  let lo = 0;
  let hi = table.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const first = table[mid * 2] ?? 0;
    const last = table[mid * 2 + 1] ?? 0;
    if (cp < first) hi = mid - 1;
    else if (cp > last) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Columns a code point occupies: -1 for control characters, 0 for combining marks, 1 or 2. */
export function codePointWidth(cp: number): number {
  if (cp === 0) return 0;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp > 0x10ffff) return -1;
  if (inRanges(COMBINING, cp)) return 0;
  if (inRanges(WIDE, cp)) return 2;
  return 1;
}

/** Width of a string assumed to be one line (psql's pg_wcswidth): controls count as nothing. */
export function stringWidth(s: string): number {
  let width = 0;
  for (const ch of s) {
    const w = codePointWidth(ch.codePointAt(0) ?? 0);
    if (w > 0) width += w;
  }
  return width;
}

export interface FormattedLine {
  /** The text to print (controls already escaped, tabs expanded). */
  text: string;
  /** Its display width. */
  width: number;
}

export interface FormattedCell {
  lines: FormattedLine[];
  /** Width of the widest line. */
  width: number;
}

function hex(n: number, digits: number): string {
  return n.toString(16).toUpperCase().padStart(digits, '0');
}

/** Splits a value into display lines the way psql does before laying it out. */
export function formatCell(value: string): FormattedCell {
  const lines: FormattedLine[] = [];
  let text = '';
  let width = 0;
  let max = 0;
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0x0a) {
      lines.push({ text, width });
      if (width > max) max = width;
      text = '';
      width = 0;
    } else if (cp === 0x0d) {
      text += '\\r';
      width += 2;
    } else if (cp === 0x09) {
      do {
        text += ' ';
        width++;
      } while (width % 8 !== 0);
    } else {
      const w = codePointWidth(cp);
      if (w < 0) {
        if (cp < 0x80) {
          text += '\\x' + hex(cp, 2);
          width += 4;
        } else {
          text += '\\u' + hex(cp, 4);
          width += 6;
        }
      } else {
        text += ch;
        width += w;
      }
    }
  }
  lines.push({ text, width });
  if (width > max) max = width;
  return { lines, width: max };
}

/**
 * Takes characters from `text` at `start` while they fit in `maxWidth` columns; the first one is
 * always taken even if wider (psql's strlen_max_width), and zero-width marks keep being taken.
 * Returns the end index (UTF-16 units) and the width filled.
 */
export function takeWidth(
  text: string,
  start: number,
  maxWidth: number,
): { end: number; width: number } {
  let width = 0;
  let i = start;
  while (i < text.length) {
    const cp = text.codePointAt(i) ?? 0;
    const w = codePointWidth(cp);
    if (maxWidth < width + w && width !== 0) break;
    width += w;
    i += cp > 0xffff ? 2 : 1;
  }
  return { end: i, width };
}
