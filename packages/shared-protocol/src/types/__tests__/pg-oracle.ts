/**
 * Test helper (not part of the build): evaluates many SQL expressions in ONE psql call against a
 * real PostgreSQL 15 and returns each result's text output and send() bytes, hex-transported so
 * any character survives.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PostgresServer } from '@tuskdb/testkit';

/** Runs `sql` from a file (\\i), since long commands exceed the argument size limit. */
function runFile(pg: PostgresServer, sql: string, args: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tusk-types-'));
  const file = path.join(dir, 'q.sql');
  try {
    writeFileSync(file, sql + ';\n');
    return pg.psql(`\\i ${file}`, args);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface PgResult {
  text: string | null;
  binary: Uint8Array | null;
}

export function hexOf(s: string): string {
  return Buffer.from(s, 'utf8').toString('hex');
}

/** A SQL expression evaluating to the text `s`, immune to quoting problems. */
export function sqlText(s: string): string {
  return `convert_from('\\x${hexOf(s)}'::bytea, 'UTF8')`;
}

/**
 * For each SQL expression (of type `type`), PostgreSQL's text output and `sendFn` output.
 * `settings` are SET statements run first (TimeZone, DateStyle, …).
 */
export function pgEval(
  pg: PostgresServer,
  expressions: string[],
  type: string,
  sendFn: string,
  settings: string[] = [],
): PgResult[] {
  if (expressions.length === 0) return [];
  const rows = expressions.map((e, i) => `(${i}, (${e})::${type})`).join(',\n');
  const sql =
    `SELECT CASE WHEN num_nulls(x) = 1 THEN 'N' ELSE encode(convert_to(format('%s', x), 'UTF8'), 'hex') END, coalesce(encode(${sendFn}(x), 'hex'), 'N') ` +
    `FROM (VALUES ${rows}) AS t(i, x) ORDER BY i`;
  const args = ['-q', '-At', '-v', 'ON_ERROR_STOP=1'];
  for (const s of settings) args.push('-c', s);
  const out = runFile(pg, sql, args)
    .split('\n')
    .filter((l) => l.length > 0);
  if (out.length !== expressions.length) {
    throw new Error(`expected ${expressions.length} rows, got ${out.length}`);
  }
  return out.map((line) => {
    const [t, b] = line.split('|');
    return {
      text: t === 'N' ? null : Buffer.from(t!, 'hex').toString('utf8'),
      binary: b === 'N' ? null : new Uint8Array(Buffer.from(b!, 'hex')),
    };
  });
}

/** Runs each input text through PostgreSQL's input function, returning output or the error message. */
export function pgParse(
  pg: PostgresServer,
  inputs: string[],
  type: string,
  settings: string[] = [],
): (string | Error)[] {
  // One DO-free query: a helper function that catches errors per row.
  const setup =
    `CREATE OR REPLACE FUNCTION pg_temp.try_cast(t text) RETURNS text LANGUAGE plpgsql AS $f$ ` +
    `BEGIN RETURN 'ok:' || format('%s', t::${type}); EXCEPTION WHEN others THEN RETURN 'err:' || SQLSTATE || ':' || SQLERRM; END $f$`;
  const rows = inputs.map((s, i) => `(${i}, ${sqlText(s)})`).join(',\n');
  const sql = `SELECT encode(convert_to(pg_temp.try_cast(v), 'UTF8'), 'hex') FROM (VALUES ${rows}) AS t(i, v) ORDER BY i`;
  const args = ['-q', '-At', '-v', 'ON_ERROR_STOP=1'];
  for (const s of settings) args.push('-c', s);
  args.push('-c', setup);
  const out = runFile(pg, sql, args)
    .split('\n')
    .filter((l) => l.length > 0);
  return out.map((line) => {
    const s = Buffer.from(line, 'hex').toString('utf8');
    return s.startsWith('ok:') ? s.slice(3) : new Error(s.slice(4));
  });
}
