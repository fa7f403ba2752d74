/**
 * The raw parser: PostgreSQL's own grammar through libpg-query's WASM build. Turns statement text
 * into raw parse trees (one per statement, with its byte range), raising syntax errors exactly as
 * PostgreSQL reports them (SQLSTATE, message, 1-based character cursor position). Results are
 * cached by statement text because the WASM/JSON round trip dominates the cost of short statements.
 */
import { loadModule, parseSync, hasSqlDetails } from 'libpg-query';
import type { Node } from 'libpg-query';
import { PgError } from '../utils/errors.js';
import { LruMap } from '../utils/lru-map.js';

export interface RawStatement {
  /** The statement's parse tree. */
  stmt: Node;
  /** UTF-8 byte offset of the statement in the submitted text. */
  byteStart: number;
  /** UTF-8 byte length (0 = to the end of the text). */
  byteLength: number;
}

let loaded: Promise<void> | undefined;
let ready = false;

/** Loads the parser's WASM module (idempotent). */
export async function loadParser(): Promise<void> {
  loaded ??= loadModule().then(() => {
    ready = true;
  });
  await loaded;
}

const cache = new LruMap<string, RawStatement[] | PgError>(512);

/** Messages the grammar raises with a SQLSTATE other than syntax_error. */
const specialCodes: Array<[RegExp, string]> = [
  [/is not supported/, '0A000'],
  [/^(value|number) .* out of range/, '22003'],
  [/^invalid Unicode/, '22P05'],
];

function toPgError(err: unknown): PgError {
  if (hasSqlDetails(err) && err.sqlDetails) {
    const d = err.sqlDetails;
    const code = specialCodes.find(([re]) => re.test(d.message))?.[1] ?? '42601';
    const e = new PgError(code, d.message);
    // libpg-query reports PostgreSQL's character cursor position minus one (0 = no position).
    if (d.cursorPosition > 0 || code === '42601') e.position = d.cursorPosition + 1;
    return e;
  }
  const message = err instanceof Error ? err.message : String(err);
  return new PgError('42601', message);
}

/** Parses a query string into its statements; throws PgError on a syntax error. */
export function parseStatements(sql: string): RawStatement[] {
  const hit = cache.get(sql);
  if (hit !== undefined) {
    if (hit instanceof PgError) throw cloneError(hit);
    return hit;
  }
  if (!ready) throw new PgError('XX000', 'parser not loaded (call warmUpEngine first)');
  let result: RawStatement[] | PgError;
  try {
    const tree = parseSync(sql);
    result = (tree.stmts ?? []).map((raw) => ({
      stmt: raw.stmt ?? ({} as Node),
      byteStart: raw.stmt_location ?? 0,
      byteLength: raw.stmt_len ?? 0,
    }));
  } catch (err) {
    // libpg-query refuses an empty string; PostgreSQL treats it as a query with no statements.
    result = sql.trim() === '' ? [] : toPgError(err);
  }
  cache.set(sql, result);
  if (result instanceof PgError) throw cloneError(result);
  return result;
}

function cloneError(e: PgError): PgError {
  const c = new PgError(e.code, e.message);
  c.position = e.position;
  return c;
}

/**
 * Converts a UTF-8 byte offset in `text` into a 1-based character position (as PostgreSQL counts
 * characters for the error cursor: code points, not UTF-16 units).
 */
export function bytePositionToCharPosition(text: string, byteOffset: number): number {
  let bytes = 0;
  let chars = 0;
  for (const ch of text) {
    if (bytes >= byteOffset) break;
    const cp = ch.codePointAt(0) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    chars++;
  }
  return chars + 1;
}

/** The text of one statement, cut out of the full query string by its byte range. */
export function statementText(sql: string, raw: RawStatement): string {
  const buf = Buffer.from(sql, 'utf8');
  const end = raw.byteLength > 0 ? raw.byteStart + raw.byteLength : buf.length;
  return buf.subarray(raw.byteStart, end).toString('utf8');
}
