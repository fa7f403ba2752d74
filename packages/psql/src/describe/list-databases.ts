// \l and -l: the list of databases, with psql 15's query text (visible under -E) and titles.
import type { PsqlState } from '../app/state.js';
import { runDescribeQuery } from './run.js';
import { processPattern } from './pattern.js';

export function listDatabases(
  state: PsqlState,
  pattern: string | null,
  verbose: boolean,
): Promise<boolean> {
  let sql =
    'SELECT d.datname as "Name",\n' +
    '       pg_catalog.pg_get_userbyid(d.datdba) as "Owner",\n' +
    '       pg_catalog.pg_encoding_to_char(d.encoding) as "Encoding",\n' +
    '       d.datcollate as "Collate",\n' +
    '       d.datctype as "Ctype",\n' +
    '       d.daticulocale as "ICU Locale",\n' +
    "       CASE d.datlocprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS \"Locale Provider\",\n" +
    '       pg_catalog.array_to_string(d.datacl, E\'\\n\') AS "Access privileges"';
  if (verbose)
    sql +=
      ",\n       CASE WHEN pg_catalog.has_database_privilege(d.datname, 'CONNECT')\n" +
      '            THEN pg_catalog.pg_size_pretty(pg_catalog.pg_database_size(d.datname))\n' +
      "            ELSE 'No Access'\n" +
      '       END as "Size",\n' +
      '       t.spcname as "Tablespace",\n' +
      '       pg_catalog.shobj_description(d.oid, \'pg_database\') as "Description"';
  sql += '\nFROM pg_catalog.pg_database d\n';
  if (verbose) sql += '  JOIN pg_catalog.pg_tablespace t on d.dattablespace = t.oid\n';
  if (pattern !== null) {
    const where = processPattern(pattern, {
      nameColumn: 'd.datname',
      schemaColumn: null,
      visibility: null,
    });
    if (where.error) {
      state.error(where.error);
      return Promise.resolve(false);
    }
    if (where.clause) sql += '  WHERE ' + where.clause + '\n';
  }
  sql += 'ORDER BY 1;';
  return runDescribeQuery(state, sql, 'List of databases');
}
