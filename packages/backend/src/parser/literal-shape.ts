/**
 * A statement's literal shape: its text with each plain literal (an integer that fits int4, a
 * decimal number, a '...' string) replaced by a parameter `$n`, and the literals themselves.
 *
 * Why: clients such as pgbench's default mode send the same statement over and over with only its
 * constants changing, through the simple query protocol. Parsing, analysing and planning it each
 * time is most of the work of a short query; statements of one shape can share one parse and one
 * plan, with their literals passed as parameters (the idea behind pg_stat_statements'
 * normalisation, applied to planning).
 *
 * Only literals whose parameter is typed exactly as PostgreSQL types the literal are replaced: an
 * integer within int4 (a parameter declared int4), a number with a point or exponent (numeric), a
 * standard-conforming string (an unknown-typed parameter, resolved from context as an unknown
 * literal is). Anything else (larger integers, E'' B'' X'' N'' U&'' and dollar-quoted strings)
 * stays in the shape's text. The scanner follows PostgreSQL's lexical rules just far enough to
 * never mistake what is inside a quoted identifier, a comment or another literal for a literal.
 * It gives up (undefined) where a parameter could be accepted where the literal is not, or could
 * change how the text splits into tokens: existing `$n` parameters, a literal followed by `[` or
 * `.`, a number running into an identifier, strings continued over a newline, several statements.
 */

export type LiteralKind = 'int4' | 'numeric' | 'string';

export interface LiteralShape {
  /** The statement text with literals replaced by `$1`, `$2`, ... */
  text: string;
  /** The shape's identity: its text and the kind of each parameter. */
  key: string;
  kinds: LiteralKind[];
  /** Each literal's value as text (a string's quotes removed and doubled quotes undone). */
  values: string[];
}

const INT4_MAX = 2147483647;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** PostgreSQL's ident_start: letters, underscore and every non-ASCII character. */
function isIdentStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c >= 0x80;
}

function isIdentCont(c: number): boolean {
  return isIdentStart(c) || isDigit(c) || c === 0x24;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x0b;
}

/** Index just past whitespace and comments from `i` (or -1 for an unterminated comment). */
function skipFiller(sql: string, i: number): number {
  for (;;) {
    const c = sql.charCodeAt(i);
    if (isSpace(c)) i++;
    else if (c === 0x2d && sql.charCodeAt(i + 1) === 0x2d) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (c === 0x2f && sql.charCodeAt(i + 1) === 0x2a) {
      let depth = 1;
      i += 2;
      while (depth > 0) {
        if (i >= sql.length) return -1;
        if (sql.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (sql.startsWith('*/', i)) {
          depth--;
          i += 2;
        } else i++;
      }
    } else return i;
  }
}

/** Index just past a quoted run starting at `i` (the opening quote), or -1 if unterminated. */
function skipQuoted(sql: string, i: number, quote: string, backslashEscapes: boolean): number {
  let j = i + 1;
  for (;;) {
    const k = sql.indexOf(quote, j);
    if (k < 0) return -1;
    if (backslashEscapes) {
      let slashes = 0;
      for (let b = k - 1; b > i && sql.charCodeAt(b) === 0x5c; b--) slashes++;
      if (slashes % 2 === 1) {
        j = k + 1;
        continue;
      }
    }
    if (sql.startsWith(quote, k + 1)) {
      j = k + 2;
      continue;
    }
    return k + 1;
  }
}

/** The statement's literal shape, or undefined when it has none that is safe to share. */
export function literalShape(sql: string): LiteralShape | undefined {
  let out = '';
  let copied = 0;
  const kinds: LiteralKind[] = [];
  const values: string[] = [];
  let i = 0;
  const n = sql.length;

  const replace = (start: number, end: number, kind: LiteralKind, value: string): boolean => {
    // `$n` must stay a token of its own, as the literal was.
    if (start > 0 && isIdentCont(sql.charCodeAt(start - 1))) return false;
    if (isIdentCont(sql.charCodeAt(end))) return false;
    // A parameter accepts subscripts and field selection; a literal does not.
    const next = skipFiller(sql, end);
    const c = sql.charCodeAt(next);
    if (c === 0x5b || c === 0x2e) return false;
    kinds.push(kind);
    values.push(value);
    out += sql.slice(copied, start) + '$' + kinds.length;
    copied = end;
    return true;
  };

  while (i < n) {
    const c = sql.charCodeAt(i);
    if (
      isSpace(c) ||
      (c === 0x2d && sql.charCodeAt(i + 1) === 0x2d) ||
      (c === 0x2f && sql.charCodeAt(i + 1) === 0x2a)
    ) {
      i = skipFiller(sql, i);
      if (i < 0) return undefined;
      continue;
    }
    if (c === 0x27) {
      const end = skipQuoted(sql, i, "'", false);
      if (end < 0) return undefined;
      // Strings separated by whitespace with a newline are one literal to PostgreSQL.
      const next = skipFiller(sql, end);
      if (next < 0 || sql.charCodeAt(next) === 0x27) return undefined;
      if (!replace(i, end, 'string', sql.slice(i + 1, end - 1).replaceAll("''", "'")))
        return undefined;
      i = end;
      continue;
    }
    if (c === 0x22) {
      const end = skipQuoted(sql, i, '"', false);
      if (end < 0) return undefined;
      i = end;
      continue;
    }
    if (isDigit(c) || (c === 0x2e && isDigit(sql.charCodeAt(i + 1)))) {
      let j = i;
      while (isDigit(sql.charCodeAt(j))) j++;
      let decimal = false;
      if (sql.charCodeAt(j) === 0x2e) {
        // `1..2` is an integer followed by `..` to PostgreSQL's scanner.
        if (sql.charCodeAt(j + 1) === 0x2e) return undefined;
        decimal = true;
        j++;
        while (isDigit(sql.charCodeAt(j))) j++;
      }
      const e = sql.charCodeAt(j);
      if (e === 0x45 || e === 0x65) {
        let k = j + 1;
        const sign = sql.charCodeAt(k);
        if (sign === 0x2b || sign === 0x2d) k++;
        if (!isDigit(sql.charCodeAt(k))) return undefined;
        while (isDigit(sql.charCodeAt(k))) k++;
        decimal = true;
        j = k;
      }
      if (isIdentCont(sql.charCodeAt(j)) || sql.charCodeAt(j) === 0x2e) return undefined;
      const text = sql.slice(i, j);
      if (decimal) {
        if (!replace(i, j, 'numeric', text)) return undefined;
      } else if (text.length <= 10 && Number(text) <= INT4_MAX) {
        if (!replace(i, j, 'int4', text)) return undefined;
      }
      i = j;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (isIdentCont(sql.charCodeAt(j))) j++;
      const word = sql.slice(i, j);
      if (sql.charCodeAt(j) === 0x27) {
        // E'', B'', X'', N'' literals stay in the text (E'' with its backslash escapes).
        const prefix = word.toLowerCase();
        if (prefix === 'e' || prefix === 'b' || prefix === 'x' || prefix === 'n') {
          const end = skipQuoted(sql, j, "'", prefix === 'e');
          if (end < 0) return undefined;
          i = end;
          continue;
        }
      }
      if ((word === 'u' || word === 'U') && sql.charCodeAt(j) === 0x26) {
        const q = sql.charCodeAt(j + 1);
        if (q === 0x27 || q === 0x22) {
          const end = skipQuoted(sql, j + 1, q === 0x27 ? "'" : '"', false);
          if (end < 0) return undefined;
          i = end;
          continue;
        }
      }
      i = j;
      continue;
    }
    if (c === 0x24) {
      // `$n` is a parameter (there are none in a simple query); `$tag$` opens a dollar quote.
      let j = i + 1;
      if (isDigit(sql.charCodeAt(j))) return undefined;
      while (j < n && isIdentCont(sql.charCodeAt(j)) && sql.charCodeAt(j) !== 0x24) j++;
      if (sql.charCodeAt(j) !== 0x24) return undefined;
      const tag = sql.slice(i, j + 1);
      const close = sql.indexOf(tag, j + 1);
      if (close < 0) return undefined;
      i = close + tag.length;
      continue;
    }
    if (c === 0x3b) {
      // One statement only (a trailing semicolon is fine).
      const next = skipFiller(sql, i + 1);
      if (next < 0 || next < n) return undefined;
      i = n;
      continue;
    }
    i++;
  }
  out += sql.slice(copied);
  return { text: out, key: kinds.join(',') + '\u0000' + out, kinds, values };
}

type Tree = { [key: string]: unknown };

function containsParam(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(containsParam);
  if (node === null || typeof node !== 'object') return false;
  if ('ParamRef' in node) return true;
  return Object.values(node as Tree).some(containsParam);
}

function isParam(node: unknown): boolean {
  return node !== null && typeof node === 'object' && 'ParamRef' in node;
}

/**
 * Whether a parsed shape means what its literal statements mean: a query or data-modifying
 * statement (not SELECT INTO) where no parameter stands in a place whose literal is read while
 * analysing rather than evaluated: ORDER BY / GROUP BY / DISTINCT ON positions, type modifiers.
 */
export function shapeIsShareable(stmt: unknown): boolean {
  if (stmt === null || typeof stmt !== 'object') return false;
  const top = stmt as Tree;
  const select = top.SelectStmt as Tree | undefined;
  if (!(select || top.InsertStmt || top.UpdateStmt || top.DeleteStmt)) return false;
  if (select?.intoClause) return false;
  const visit = (node: unknown): boolean => {
    if (Array.isArray(node)) return node.every(visit);
    if (node === null || typeof node !== 'object') return true;
    for (const [key, value] of Object.entries(node as Tree)) {
      if (key === 'TypeCast') {
        // A literal is read under its type modifier (interval '1' day is a day), a parameter is
        // read first and cast after.
        const cast = value as Tree;
        if (isParam(cast.arg) && (cast.typeName as Tree | undefined)?.typmods) return false;
      }
      if (key === 'TypeName' || key === 'typeName') {
        if (containsParam(value)) return false;
      } else if (key === 'SortBy') {
        if (isParam((value as Tree).node)) return false;
      } else if (key === 'groupClause' || key === 'distinctClause') {
        const items = Array.isArray(value) ? value : [];
        for (const item of items) {
          if (isParam(item)) return false;
          const set = (item as Tree).GroupingSet as Tree | undefined;
          if (set && containsParam(set)) return false;
        }
      }
      if (!visit(value)) return false;
    }
    return true;
  };
  return visit(top);
}
