// The three line styles of psql's aligned output (ascii, old-ascii, unicode): which characters draw
// rules, column separators and the markers for continued (newline) and wrapped cell lines.

export interface RuleChars {
  hrule: string;
  left: string;
  mid: string;
  right: string;
}

export interface LineStyle {
  name: 'ascii' | 'old-ascii' | 'unicode';
  top: RuleChars;
  middle: RuleChars;
  bottom: RuleChars;
  data: RuleChars;
  midNewline: string;
  midWrap: string;
  midBlank: string;
  headerNlLeft: string;
  headerNlRight: string;
  nlLeft: string;
  nlRight: string;
  wrapLeft: string;
  wrapRight: string;
  /** Whether the right-hand marker column exists even at border 0. */
  wrapRightBorder: boolean;
}

const asciiRule: RuleChars = { hrule: '-', left: '+', mid: '+', right: '+' };
const asciiData: RuleChars = { hrule: '', left: '|', mid: '|', right: '|' };

export const ASCII_STYLE: LineStyle = {
  name: 'ascii',
  top: asciiRule,
  middle: asciiRule,
  bottom: asciiRule,
  data: asciiData,
  midNewline: '|',
  midWrap: '|',
  midBlank: '|',
  headerNlLeft: ' ',
  headerNlRight: '+',
  nlLeft: ' ',
  nlRight: '+',
  wrapLeft: '.',
  wrapRight: '.',
  wrapRightBorder: true,
};

export const OLD_ASCII_STYLE: LineStyle = {
  name: 'old-ascii',
  top: asciiRule,
  middle: asciiRule,
  bottom: asciiRule,
  data: asciiData,
  midNewline: ':',
  midWrap: ';',
  midBlank: ' ',
  headerNlLeft: '+',
  headerNlRight: ' ',
  nlLeft: ' ',
  nlRight: ' ',
  wrapLeft: ' ',
  wrapRight: ' ',
  wrapRightBorder: false,
};

export type UnicodeLineWeight = 'single' | 'double';

/** Builds the unicode style for the chosen border, column and header line weights. */
export function unicodeStyle(
  border: UnicodeLineWeight,
  column: UnicodeLineWeight,
  header: UnicodeLineWeight,
): LineStyle {
  const b = border === 'double' ? 1 : 0;
  const h = header === 'double' ? 1 : 0;
  const bs = b
    ? { upRight: '╚', vertical: '║', downRight: '╔', horizontal: '═', downLeft: '╗', upLeft: '╝' }
    : { upRight: '└', vertical: '│', downRight: '┌', horizontal: '─', downLeft: '┐', upLeft: '┘' };
  const cs =
    column === 'double'
      ? { vertical: '║', cross: ['╫', '╬'], up: ['╨', '╩'], down: ['╥', '╦'] }
      : { vertical: '│', cross: ['┼', '╪'], up: ['┴', '╧'], down: ['┬', '╤'] };
  const hs =
    header === 'double'
      ? { horizontal: '═', right: ['╞', '╠'], left: ['╡', '╣'] }
      : { horizontal: '─', right: ['├', '╟'], left: ['┤', '╢'] };
  return {
    name: 'unicode',
    top: { hrule: bs.horizontal, left: bs.downRight, mid: cs.down[b] ?? '', right: bs.downLeft },
    middle: {
      hrule: hs.horizontal,
      left: hs.right[b] ?? '',
      mid: cs.cross[h] ?? '',
      right: hs.left[b] ?? '',
    },
    bottom: { hrule: bs.horizontal, left: bs.upRight, mid: cs.up[b] ?? '', right: bs.upLeft },
    data: { hrule: '', left: bs.vertical, mid: cs.vertical, right: bs.vertical },
    midNewline: cs.vertical,
    midWrap: cs.vertical,
    midBlank: cs.vertical,
    headerNlLeft: ' ',
    headerNlRight: '↵',
    nlLeft: ' ',
    nlRight: '↵',
    wrapLeft: '…',
    wrapRight: '…',
    wrapRightBorder: true,
  };
}
