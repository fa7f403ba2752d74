/**
 * COPY's WITH (…) options: parsed and validated in the order and with the messages PostgreSQL 15
 * uses (copy.c's ProcessCopyOptions), so a bad option fails exactly as it does there.
 */
import type { Node } from 'libpg-query';
import { PgError } from '../../utils/errors.js';

export type CopyFormat = 'text' | 'csv' | 'binary';

/** Columns named by FORCE_QUOTE / FORCE_NOT_NULL / FORCE_NULL, or `*` (FORCE_QUOTE only). */
export type ColumnSelection = '*' | string[];

export interface CopyOptions {
  format: CopyFormat;
  delimiter: string;
  /** The NULL marker: `\N` in text mode, the empty string in CSV mode. */
  nullString: string;
  /** HEADER: skip (or check, with 'match') the first input line; write one on output. */
  header: boolean | 'match';
  quote: string;
  escape: string;
  forceQuote: ColumnSelection | undefined;
  forceNotNull: string[] | undefined;
  forceNull: string[] | undefined;
  /** Only UTF8 (and its aliases) is accepted for now: the server's only encoding. */
  encoding: string | undefined;
  freeze: boolean;
}

type DefElemNode = {
  defname?: string;
  arg?: Node;
  location?: number;
};

function conflicting(d: DefElemNode): PgError {
  return new PgError('42601', 'conflicting or redundant options').at(d.location ?? -1);
}

/** The argument as text, as defGetString renders it. */
function argString(d: DefElemNode): string {
  const a = d.arg;
  if (!a) throw new PgError('42601', `${d.defname} requires a parameter`);
  if ('String' in a) return a.String.sval ?? '';
  if ('Integer' in a) return String(a.Integer.ival ?? 0);
  if ('Float' in a) return a.Float.fval ?? '';
  if ('Boolean' in a) return a.Boolean.boolval ? 'true' : 'false';
  if ('TypeName' in a) {
    const names = a.TypeName.names ?? [];
    const last = names[names.length - 1];
    return last && 'String' in last ? (last.String.sval ?? '') : '';
  }
  throw new PgError('42601', `${d.defname} requires a parameter`);
}

const TRUE_WORDS = new Set(['true', 'on', 'yes', '1', 't', 'y']);
const FALSE_WORDS = new Set(['false', 'off', 'no', '0', 'f', 'n']);

function boolWord(s: string): boolean | undefined {
  const w = s.toLowerCase();
  // PostgreSQL accepts unique prefixes of true/false/yes/no, and "on"/"off" fully.
  if (TRUE_WORDS.has(w) || (w.length > 0 && ('true'.startsWith(w) || 'yes'.startsWith(w))))
    return true;
  if (
    FALSE_WORDS.has(w) ||
    (w.length > 0 && ('false'.startsWith(w) || ('no'.startsWith(w) && w !== 'o')))
  )
    return false;
  return undefined;
}

function argBoolean(d: DefElemNode, allowMatch: boolean): boolean | 'match' {
  const a = d.arg;
  if (!a) return true;
  if ('Integer' in a) {
    const v = a.Integer.ival ?? 0;
    if (v === 0) return false;
    if (v === 1) return true;
  } else if ('Boolean' in a) {
    return a.Boolean.boolval === true;
  } else {
    const s = argString(d);
    if (allowMatch && s.toLowerCase() === 'match') return 'match';
    const b = boolWord(s);
    if (b !== undefined) return b;
  }
  throw new PgError(
    '42601',
    allowMatch
      ? `${d.defname} requires a Boolean value or "match"`
      : `${d.defname} requires a Boolean value`,
  );
}

function argColumns(d: DefElemNode, allowStar: boolean): ColumnSelection {
  const a = d.arg;
  if (a && 'A_Star' in a && allowStar) return '*';
  if (a && 'List' in a) {
    return (a.List.items ?? []).map((n) => ('String' in n ? (n.String.sval ?? '') : ''));
  }
  throw new PgError('42601', `argument to option "${d.defname}" must be a list of column names`).at(
    d.location ?? -1,
  );
}

/** Encoding names compared as PostgreSQL does: case-insensitive, ignoring '-' and '_'. */
const norm = (e: string): string => e.toLowerCase().replace(/[-_]/g, '');
const UTF8_NAMES = new Set(['utf8', 'unicode']);
const KNOWN_ENCODINGS = new Set([
  ...UTF8_NAMES,
  'sqlascii',
  'latin1',
  'latin2',
  'latin9',
  'win1252',
  'win1251',
  'eucjp',
  'sjis',
  'gbk',
  'big5',
  'koi8r',
]);

function isSingleByte(s: string): boolean {
  return s.length === 1 && s.charCodeAt(0) < 0x80;
}

/** Parses COPY's option list for a COPY FROM (`isFrom`) or COPY TO. */
export function parseCopyOptions(options: Node[] | undefined, isFrom: boolean): CopyOptions {
  let format: CopyFormat | undefined;
  let delimiter: string | undefined;
  let nullString: string | undefined;
  let header: boolean | 'match' | undefined;
  let quote: string | undefined;
  let escape: string | undefined;
  let forceQuote: ColumnSelection | undefined;
  let forceNotNull: string[] | undefined;
  let forceNull: string[] | undefined;
  let encoding: string | undefined;
  let freeze: boolean | undefined;

  for (const node of options ?? []) {
    if (!('DefElem' in node)) continue;
    const d = node.DefElem as DefElemNode;
    switch (d.defname) {
      case 'format': {
        if (format !== undefined) throw conflicting(d);
        const f = argString(d);
        if (f !== 'text' && f !== 'csv' && f !== 'binary')
          throw new PgError('22023', `COPY format "${f}" not recognized`).at(d.location ?? -1);
        format = f;
        break;
      }
      case 'freeze':
        if (freeze !== undefined) throw conflicting(d);
        freeze = argBoolean(d, false) === true;
        break;
      case 'delimiter':
        if (delimiter !== undefined) throw conflicting(d);
        delimiter = argString(d);
        break;
      case 'null':
        if (nullString !== undefined) throw conflicting(d);
        nullString = argString(d);
        break;
      case 'header':
        if (header !== undefined) throw conflicting(d);
        header = argBoolean(d, true);
        break;
      case 'quote':
        if (quote !== undefined) throw conflicting(d);
        quote = argString(d);
        break;
      case 'escape':
        if (escape !== undefined) throw conflicting(d);
        escape = argString(d);
        break;
      case 'force_quote':
        if (forceQuote !== undefined) throw conflicting(d);
        forceQuote = argColumns(d, true);
        break;
      case 'force_not_null':
        if (forceNotNull !== undefined) throw conflicting(d);
        forceNotNull = argColumns(d, false) as string[];
        break;
      case 'force_null':
        if (forceNull !== undefined) throw conflicting(d);
        forceNull = argColumns(d, false) as string[];
        break;
      case 'encoding': {
        if (encoding !== undefined) throw conflicting(d);
        const e = argString(d);
        if (!KNOWN_ENCODINGS.has(norm(e)))
          throw new PgError(
            '22023',
            `argument to option "encoding" must be a valid encoding name`,
          ).at(d.location ?? -1);
        if (!UTF8_NAMES.has(norm(e)))
          throw new PgError('0A000', `COPY encoding "${e}" is not supported yet (only UTF8)`);
        encoding = e;
        break;
      }
      default:
        throw new PgError('42601', `option "${d.defname}" not recognized`).at(d.location ?? -1);
    }
  }

  const fmt = format ?? 'text';
  const csv = fmt === 'csv';
  const binary = fmt === 'binary';
  if (binary && delimiter !== undefined)
    throw new PgError('42601', 'cannot specify DELIMITER in BINARY mode');
  if (binary && nullString !== undefined)
    throw new PgError('42601', 'cannot specify NULL in BINARY mode');
  const delim = delimiter ?? (csv ? ',' : '\t');
  const nul = nullString ?? (csv ? '' : '\\N');
  const q = quote ?? '"';
  const esc = escape ?? q;

  if (!isSingleByte(delim) && !binary)
    throw new PgError('0A000', 'COPY delimiter must be a single one-byte character');
  if (delim === '\r' || delim === '\n')
    throw new PgError('22023', 'COPY delimiter cannot be newline or carriage return');
  if (nul.includes('\r') || nul.includes('\n'))
    throw new PgError('22023', 'COPY null representation cannot use newline or carriage return');
  if (!csv && !binary && '\\.abcdefghijklmnopqrstuvwxyz0123456789'.includes(delim))
    throw new PgError('22023', `COPY delimiter cannot be "${delim}"`);
  if (binary && header !== undefined && header !== false)
    throw new PgError('0A000', 'cannot specify HEADER in BINARY mode');
  if (binary && header === true) throw new PgError('0A000', 'cannot specify HEADER in BINARY mode');
  if (!csv && quote !== undefined)
    throw new PgError('0A000', 'COPY quote available only in CSV mode');
  if (csv && !isSingleByte(q))
    throw new PgError('0A000', 'COPY quote must be a single one-byte character');
  if (csv && delim === q) throw new PgError('22023', 'COPY delimiter and quote must be different');
  if (!csv && escape !== undefined)
    throw new PgError('0A000', 'COPY escape available only in CSV mode');
  if (csv && !isSingleByte(esc))
    throw new PgError('0A000', 'COPY escape must be a single one-byte character');
  if (!csv && forceQuote !== undefined)
    throw new PgError('0A000', 'COPY force quote available only in CSV mode');
  if (forceQuote !== undefined && isFrom)
    throw new PgError('0A000', 'COPY force quote only available using COPY TO');
  if (!csv && forceNotNull !== undefined)
    throw new PgError('0A000', 'COPY force not null available only in CSV mode');
  if (forceNotNull !== undefined && !isFrom)
    throw new PgError('0A000', 'COPY force not null only available using COPY FROM');
  if (!csv && forceNull !== undefined)
    throw new PgError('0A000', 'COPY force null available only in CSV mode');
  if (forceNull !== undefined && !isFrom)
    throw new PgError('0A000', 'COPY force null only available using COPY FROM');
  if (!binary && nul.includes(delim))
    throw new PgError('0A000', 'COPY delimiter must not appear in the NULL specification');
  if (csv && nul.includes(q))
    throw new PgError('0A000', 'CSV quote character must not appear in the NULL specification');
  if (header === 'match' && !isFrom)
    throw new PgError('0A000', 'cannot use "match" with HEADER in COPY TO');

  return {
    format: fmt,
    delimiter: delim,
    nullString: nul,
    header: header ?? false,
    quote: q,
    escape: esc,
    forceQuote,
    forceNotNull,
    forceNull,
    encoding,
    freeze: freeze ?? false,
  };
}
