// psql's input lexer for SQL text (its psqlscan): it copies characters into the query buffer,
// tracks quotes, comments, dollar quotes and parenthesis depth across lines, substitutes :var,
// :'var' and :"var" outside quotes, and stops at a top-level semicolon (send the query) or at a
// backslash (a meta-command follows). Leading whitespace and -- comments are dropped while the
// buffer is still empty, as psql does.

/** Where the scanner is between characters; also what PROMPT2's %R shows. */
export type ScanState =
  | 'base'
  | 'comment' // /* ... */ (possibly nested)
  | 'squote' // '...'
  | 'equote' // E'...' (backslash escapes)
  | 'dquote' // "..."
  | 'dollar'; // $tag$...$tag$

export interface ScannerState {
  state: ScanState;
  commentDepth: number;
  parenDepth: number;
  dollarTag: string;
  /** Nesting of BEGIN ... END in CREATE FUNCTION/PROCEDURE bodies (BEGIN ATOMIC). */
  beginDepth: number;
  /** Identifiers seen at the start of the statement, to recognise CREATE ... BEGIN. */
  leadingWords: string[];
}

export function initialScannerState(): ScannerState {
  return {
    state: 'base',
    commentDepth: 0,
    parenDepth: 0,
    dollarTag: '',
    beginDepth: 0,
    leadingWords: [],
  };
}

export interface VariableLookup {
  /** Value of a psql variable, or undefined if unset. */
  get(name: string): string | undefined;
  /** Quotes a value as a literal ('...') or identifier ("..."). */
  quoteLiteral(value: string): string;
  quoteIdent(value: string): string;
  /** Reports a problem (e.g. a variable referenced inside a value that cannot be quoted). */
  warn?(message: string): void;
}

export type ScanStop =
  | { kind: 'semicolon'; pos: number }
  | { kind: 'backslash'; pos: number }
  | { kind: 'eol'; pos: number };

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_CHAR = /[A-Za-z_0-9$\u0080-\uffff]/;
const VAR_CHAR = /[A-Za-z0-9_\u0080-\uffff]/;

function isBlank(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v';
}

/**
 * Scans `line` from `start`, appending to `buf.text`. Returns why it stopped: at a semicolon that
 * ends a statement (pos after it), at a backslash outside quotes (pos at the backslash), or at the
 * end of the line.
 */
export function scanSql(
  line: string,
  start: number,
  st: ScannerState,
  buf: { text: string },
  vars: VariableLookup | null,
): ScanStop {
  let i = start;
  const emptyBuffer = (): boolean => buf.text.length === 0;
  while (i < line.length) {
    const ch = line.charAt(i);
    const next = line.charAt(i + 1);
    switch (st.state) {
      case 'comment':
        if (ch === '*' && next === '/') {
          buf.text += '*/';
          i += 2;
          if (--st.commentDepth === 0) st.state = 'base';
        } else if (ch === '/' && next === '*') {
          buf.text += '/*';
          i += 2;
          st.commentDepth++;
        } else {
          buf.text += ch;
          i++;
        }
        continue;
      case 'squote':
        buf.text += ch;
        i++;
        if (ch === "'") {
          if (next === "'") {
            buf.text += next;
            i++;
          } else st.state = 'base';
        }
        continue;
      case 'equote':
        buf.text += ch;
        i++;
        if (ch === '\\' && i < line.length) {
          buf.text += line.charAt(i);
          i++;
        } else if (ch === "'") {
          if (next === "'") {
            buf.text += next;
            i++;
          } else st.state = 'base';
        }
        continue;
      case 'dquote':
        buf.text += ch;
        i++;
        if (ch === '"') {
          if (next === '"') {
            buf.text += next;
            i++;
          } else st.state = 'base';
        }
        continue;
      case 'dollar':
        if (ch === '$' && line.startsWith(st.dollarTag, i)) {
          buf.text += st.dollarTag;
          i += st.dollarTag.length;
          st.state = 'base';
        } else {
          buf.text += ch;
          i++;
        }
        continue;
      case 'base':
        break;
    }

    // Base state.
    if (isBlank(ch)) {
      if (!emptyBuffer()) buf.text += ch;
      i++;
      continue;
    }
    if (ch === '-' && next === '-') {
      // A -- comment runs to the end of the line; kept only inside a statement.
      if (!emptyBuffer()) buf.text += line.slice(i);
      return { kind: 'eol', pos: line.length };
    }
    if (ch === '/' && next === '*') {
      st.state = 'comment';
      st.commentDepth = 1;
      buf.text += '/*';
      i += 2;
      continue;
    }
    if (ch === "'") {
      st.state = 'squote';
      buf.text += ch;
      i++;
      continue;
    }
    if (ch === '"') {
      st.state = 'dquote';
      buf.text += ch;
      i++;
      continue;
    }
    if (ch === '$') {
      const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z_0-9\u0080-\uffff]*)?\$/.exec(line.slice(i));
      const prev = buf.text.charAt(buf.text.length - 1);
      if (m && !IDENT_CHAR.test(prev)) {
        st.state = 'dollar';
        st.dollarTag = m[0];
        buf.text += m[0];
        i += m[0].length;
        continue;
      }
      buf.text += ch;
      i++;
      continue;
    }
    if (ch === '(') {
      st.parenDepth++;
      buf.text += ch;
      i++;
      continue;
    }
    if (ch === ')') {
      if (st.parenDepth > 0) st.parenDepth--;
      buf.text += ch;
      i++;
      continue;
    }
    if (ch === ';') {
      buf.text += ch;
      i++;
      if (st.parenDepth === 0 && st.beginDepth === 0) {
        st.leadingWords = [];
        return { kind: 'semicolon', pos: i };
      }
      continue;
    }
    if (ch === '\\') {
      return { kind: 'backslash', pos: i };
    }
    if (ch === ':' && next === ':') {
      buf.text += '::';
      i += 2;
      continue;
    }
    if (ch === ':' && vars !== null) {
      const sub = substituteVariable(line, i, vars);
      if (sub !== null) {
        buf.text += sub.text;
        i = sub.end;
        continue;
      }
      buf.text += ch;
      i++;
      continue;
    }
    if (
      (ch === 'E' || ch === 'e') &&
      next === "'" &&
      !IDENT_CHAR.test(buf.text.charAt(buf.text.length - 1))
    ) {
      st.state = 'equote';
      buf.text += ch + next;
      i += 2;
      continue;
    }
    if (IDENT_START.test(ch)) {
      let j = i + 1;
      while (j < line.length && IDENT_CHAR.test(line.charAt(j))) j++;
      const word = line.slice(i, j);
      trackWord(st, word.toLowerCase());
      buf.text += word;
      i = j;
      continue;
    }
    buf.text += ch;
    i++;
  }
  return { kind: 'eol', pos: i };
}

/** Follows CREATE [OR REPLACE] FUNCTION/PROCEDURE ... BEGIN ATOMIC ... END like psql 15. */
function trackWord(st: ScannerState, word: string): void {
  if (st.leadingWords.length < 4) st.leadingWords.push(word);
  const w = st.leadingWords;
  const isRoutine =
    w[0] === 'create' &&
    (w[1] === 'function' ||
      w[1] === 'procedure' ||
      (w[1] === 'or' && w[2] === 'replace' && (w[3] === 'function' || w[3] === 'procedure')));
  if (!isRoutine) return;
  if (word === 'begin' || word === 'case') st.beginDepth++;
  else if (word === 'end' && st.beginDepth > 0) st.beginDepth--;
}

/** Substitutes :name, :'name' or :"name" at `i` if the variable exists. */
export function substituteVariable(
  line: string,
  i: number,
  vars: VariableLookup,
): { text: string; end: number } | null {
  const q = line.charAt(i + 1);
  if (q === "'" || q === '"') {
    let j = i + 2;
    while (j < line.length && VAR_CHAR.test(line.charAt(j))) j++;
    if (j === i + 2 || line.charAt(j) !== q) return null;
    const name = line.slice(i + 2, j);
    const value = vars.get(name);
    if (value === undefined) return null;
    return { text: q === "'" ? vars.quoteLiteral(value) : vars.quoteIdent(value), end: j + 1 };
  }
  let j = i + 1;
  while (j < line.length && VAR_CHAR.test(line.charAt(j))) j++;
  if (j === i + 1) return null;
  const value = vars.get(line.slice(i + 1, j));
  if (value === undefined) return null;
  return { text: value, end: j };
}

/** PROMPT2's %R character for the scanner's state. */
export function promptStatusChar(st: ScannerState, bufferEmpty: boolean): string {
  switch (st.state) {
    case 'comment':
      return '*';
    case 'squote':
    case 'equote':
      return "'";
    case 'dquote':
      return '"';
    case 'dollar':
      return '$';
    case 'base':
      if (st.parenDepth > 0) return '(';
      return bufferEmpty ? '=' : '-';
  }
}
