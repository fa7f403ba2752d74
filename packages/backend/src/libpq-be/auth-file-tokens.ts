/**
 * Tokenizer shared by pg_hba.conf and pg_ident.conf (PostgreSQL's tokenize_auth_file): one record
 * per line, fields separated by blanks, a field may be a comma-separated list, double quotes protect
 * blanks, commas and keywords ("all" quoted is a role named all), `#` starts a comment, a trailing
 * backslash continues the record on the next line, and `@file` pulls in the tokens of another file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface AuthToken {
  text: string;
  /** Quoted tokens never act as keywords (all, sameuser, +group …). */
  quoted: boolean;
}

/** One record: its fields, each a list of tokens, and where it came from (for error context). */
export interface AuthLine {
  fields: AuthToken[][];
  lineNumber: number;
  file: string;
  rawLine: string;
}

export class AuthFileError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly lineNumber: number,
  ) {
    super(message);
    this.name = 'AuthFileError';
  }
  /** PostgreSQL's error context line. */
  get context(): string {
    return `line ${this.lineNumber} of configuration file "${this.file}"`;
  }
}

const MAX_TOKEN = 10240;

/** Splits one (continued) line into fields of tokens. */
function tokenizeLine(line: string, file: string, lineNumber: number): AuthToken[][] {
  const fields: AuthToken[][] = [];
  let i = 0;
  const n = line.length;
  const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
  while (i < n) {
    while (i < n && isBlank(line[i])) i++;
    if (i >= n || line[i] === '#') break;
    // One field: tokens separated by commas with no blanks outside quotes.
    const field: AuthToken[] = [];
    for (;;) {
      let text = '';
      let quoted = false;
      let inQuote = false;
      let sawQuote = false;
      while (i < n) {
        const c = line[i]!;
        if (!inQuote && (isBlank(c) || c === ',' || c === '#')) break;
        if (c === '"') {
          // A doubled quote inside quotes is a literal quote.
          if (inQuote && line[i + 1] === '"') {
            text += '"';
            i += 2;
            continue;
          }
          inQuote = !inQuote;
          sawQuote = true;
          quoted = true;
          i++;
          continue;
        }
        text += c;
        i++;
        if (text.length > MAX_TOKEN) {
          throw new AuthFileError(
            `authentication file token too long, skipping: "${text.slice(0, 40)}"`,
            file,
            lineNumber,
          );
        }
      }
      if (inQuote) {
        throw new AuthFileError('unterminated quoted string', file, lineNumber);
      }
      if (text !== '' || sawQuote) field.push({ text, quoted });
      if (line[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (field.length > 0) fields.push(field);
  }
  return fields;
}

/** Expands `@file` tokens (relative to the including file's directory), recursively. */
function expandIncludes(
  field: AuthToken[],
  file: string,
  lineNumber: number,
  depth: number,
): AuthToken[] {
  const out: AuthToken[] = [];
  for (const token of field) {
    if (!token.quoted && token.text.startsWith('@') && token.text.length > 1) {
      if (depth > 10) {
        throw new AuthFileError(
          'could not open secondary authentication file: too deep',
          file,
          lineNumber,
        );
      }
      const target = path.resolve(path.dirname(file), token.text.slice(1));
      let content: string;
      try {
        content = readFileSync(target, 'utf8');
      } catch {
        throw new AuthFileError(
          `could not open secondary authentication file "@${token.text.slice(1)}" as "${target}"`,
          file,
          lineNumber,
        );
      }
      for (const line of splitRecords(content)) {
        for (const f of tokenizeLine(line.text, target, line.lineNumber)) {
          out.push(...expandIncludes(f, target, line.lineNumber, depth + 1));
        }
      }
    } else {
      out.push(token);
    }
  }
  return out;
}

/** Joins backslash-continued lines; yields each record with the number of its first line. */
function splitRecords(content: string): Array<{ text: string; lineNumber: number }> {
  const lines = content.split('\n');
  const records: Array<{ text: string; lineNumber: number }> = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let text = lines[i]!.replace(/\r$/, '');
    while (text.endsWith('\\') && i + 1 < lines.length) {
      i++;
      text = text.slice(0, -1) + ' ' + lines[i]!.replace(/\r$/, '');
    }
    records.push({ text, lineNumber: start });
  }
  return records;
}

/** Tokenizes a whole auth file's text; `file` names it in errors and anchors `@file` includes. */
export function tokenizeAuthFile(content: string, file: string): AuthLine[] {
  const out: AuthLine[] = [];
  for (const record of splitRecords(content)) {
    const fields = tokenizeLine(record.text, file, record.lineNumber).map((f) =>
      expandIncludes(f, file, record.lineNumber, 0),
    );
    if (fields.length === 0) continue;
    out.push({ fields, lineNumber: record.lineNumber, file, rawLine: record.text.trim() });
  }
  return out;
}
