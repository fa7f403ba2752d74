// \df (functions) and \dT (data types): psql 15's "List of functions" / "List of data types".
import type { PsqlState } from '../app/state.js';
import { runDescribeQuery } from './run.js';
import { processPattern } from './pattern.js';

export function listFunctions(
  state: PsqlState,
  pattern: string | null,
  showSystem: boolean,
): Promise<boolean> {
  let sql =
    'SELECT n.nspname as "Schema",\n  p.proname as "Name",\n' +
    '  pg_catalog.pg_get_function_result(p.oid) as "Result data type",\n' +
    '  pg_catalog.pg_get_function_arguments(p.oid) as "Argument data types",\n' +
    " CASE p.prokind\n  WHEN 'a' THEN 'agg'\n  WHEN 'w' THEN 'window'\n  WHEN 'p' THEN 'proc'\n  ELSE 'func'\n END as \"Type\"\n" +
    'FROM pg_catalog.pg_proc p\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace\nWHERE true';
  if (!showSystem && pattern === null)
    sql += "\n  AND n.nspname <> 'pg_catalog'\n  AND n.nspname <> 'information_schema'";
  const p = processPattern(pattern, {
    nameColumn: 'p.proname',
    schemaColumn: 'n.nspname',
    visibility: 'pg_catalog.pg_function_is_visible(p.oid)',
  });
  if (p.error) {
    state.error(p.error);
    return Promise.resolve(false);
  }
  if (p.clause) sql += '\n  AND ' + p.clause;
  sql += '\nORDER BY 1, 2, 4;';
  return runDescribeQuery(state, sql, 'List of functions');
}

export function listTypes(
  state: PsqlState,
  pattern: string | null,
  showSystem: boolean,
): Promise<boolean> {
  let sql =
    'SELECT n.nspname as "Schema",\n  pg_catalog.format_type(t.oid, NULL) AS "Name",\n' +
    '  pg_catalog.obj_description(t.oid, \'pg_type\') as "Description"\n' +
    'FROM pg_catalog.pg_type t\n     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace\n' +
    "WHERE (t.typrelid = 0 OR (SELECT c.relkind = 'c' FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid))\n" +
    '  AND NOT EXISTS(SELECT 1 FROM pg_catalog.pg_type el WHERE el.oid = t.typelem AND el.typarray = t.oid)';
  if (!showSystem && pattern === null)
    sql += "\n  AND n.nspname <> 'pg_catalog'\n  AND n.nspname <> 'information_schema'";
  const p = processPattern(pattern, {
    nameColumn: 't.typname',
    schemaColumn: 'n.nspname',
    visibility: 'pg_catalog.pg_type_is_visible(t.oid)',
  });
  if (p.error) {
    state.error(p.error);
    return Promise.resolve(false);
  }
  if (p.clause) {
    // psql matches the pattern against the internal name or the displayed (format_type) name.
    const alt = p.clause.replace(
      /^t\.typname (OPERATOR\(pg_catalog\.~\) [^\n]*)/,
      (_m, rest: string) =>
        `(t.typname ${rest}\n        OR pg_catalog.format_type(t.oid, NULL) ${rest})`,
    );
    sql += '\n  AND ' + alt;
  }
  sql += '\nORDER BY 1, 2;';
  return runDescribeQuery(state, sql, 'List of data types');
}
