// \d (no argument), \dt, \di, \ds, \dv, \dm, \dE and their combinations: the "List of relations"
// table, with S (system objects) and + (persistence, access method, size, description).
import type { PsqlState } from '../app/state.js';
import { hiddenQuery } from './run.js';
import { processPattern } from './pattern.js';
import { printQuery, printTable, tableFromResult } from '../print/print-table.js';

export interface RelationKinds {
  tables: boolean;
  indexes: boolean;
  sequences: boolean;
  views: boolean;
  matviews: boolean;
  foreign: boolean;
}

export async function listRelations(
  state: PsqlState,
  kinds: RelationKinds,
  pattern: string | null,
  verbose: boolean,
  showSystem: boolean,
): Promise<boolean> {
  const k =
    kinds.tables ||
    kinds.indexes ||
    kinds.sequences ||
    kinds.views ||
    kinds.matviews ||
    kinds.foreign
      ? kinds
      : {
          tables: true,
          indexes: false,
          sequences: true,
          views: true,
          matviews: true,
          foreign: true,
        };
  const relkinds: string[] = [];
  if (k.tables) relkinds.push("'r'", "'p'");
  if (k.views) relkinds.push("'v'");
  if (k.matviews) relkinds.push("'m'");
  if (k.indexes) relkinds.push("'i'", "'I'");
  if (k.sequences) relkinds.push("'S'");
  if (showSystem || pattern !== null) relkinds.push("'s'");
  if (k.foreign) relkinds.push("'f'");
  if (k.tables && (showSystem || pattern !== null)) relkinds.push("'t'");

  const cols = [
    'n.nspname as "Schema"',
    'c.relname as "Name"',
    "CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'" +
      " WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table'" +
      " WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index'" +
      " WHEN 's' THEN 'special' END as \"Type\"",
    'pg_catalog.pg_get_userbyid(c.relowner) as "Owner"',
  ];
  if (k.indexes) cols.push('c2.relname as "Table"');
  if (verbose) {
    cols.push(
      "CASE c.relpersistence WHEN 'p' THEN 'permanent' WHEN 't' THEN 'temporary' WHEN 'u' THEN 'unlogged' END as \"Persistence\"",
    );
    if ((k.tables || k.matviews || k.indexes) && state.vars.get('HIDE_TABLEAM') !== 'on')
      cols.push('am.amname as "Access method"');
    cols.push('pg_catalog.pg_size_pretty(pg_catalog.pg_table_size(c.oid)) as "Size"');
    cols.push('pg_catalog.obj_description(c.oid, \'pg_class\') as "Description"');
  }
  let sql = `SELECT ${cols.join(',\n  ')}\nFROM pg_catalog.pg_class c\n  LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace`;
  if (verbose) sql += '\n  LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam';
  if (k.indexes)
    sql +=
      '\n  LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid' +
      '\n  LEFT JOIN pg_catalog.pg_class c2 ON i.indrelid = c2.oid';
  sql += `\nWHERE c.relkind IN (${relkinds.join(',')})`;
  if (!showSystem && pattern === null)
    sql +=
      "\n  AND n.nspname <> 'pg_catalog' AND n.nspname !~ '^pg_toast' AND n.nspname <> 'information_schema'";
  const p = processPattern(pattern, {
    nameColumn: 'c.relname',
    schemaColumn: 'n.nspname',
    visibility: 'pg_catalog.pg_table_is_visible(c.oid)',
  });
  if (p.error) {
    state.error(p.error);
    return false;
  }
  if (p.clause) sql += '\n  AND ' + p.clause;
  sql += '\nORDER BY 1,2;';
  const r = await hiddenQuery(state, sql);
  if (r === null) return state.echoHidden === 'noexec';
  if (r.rows.length === 0 && !state.quiet) {
    state.error(
      pattern !== null
        ? `Did not find any relation named "${pattern}".`
        : 'Did not find any relations.',
    );
    return true;
  }
  state.queryOut.write(
    printQuery({ fields: r.fields ?? [], rows: r.rows }, state.popt, {
      title: 'List of relations',
    }),
  );
  return true;
}

export async function listSchemas(
  state: PsqlState,
  pattern: string | null,
  verbose: boolean,
  showSystem: boolean,
): Promise<boolean> {
  let sql = 'SELECT n.nspname AS "Name",\n  pg_catalog.pg_get_userbyid(n.nspowner) AS "Owner"';
  if (verbose)
    sql +=
      ',\n  pg_catalog.array_to_string(n.nspacl, E\'\\n\') AS "Access privileges"' +
      ',\n  pg_catalog.obj_description(n.oid, \'pg_namespace\') AS "Description"';
  sql += '\nFROM pg_catalog.pg_namespace n\nWHERE true';
  if (!showSystem && pattern === null)
    sql += "\n  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'";
  const p = processPattern(pattern, {
    nameColumn: 'n.nspname',
    schemaColumn: null,
    visibility: null,
  });
  if (p.error) {
    state.error(p.error);
    return false;
  }
  if (p.clause) sql += '\n  AND ' + p.clause;
  sql += '\nORDER BY 1;';
  const r = await hiddenQuery(state, sql);
  if (r === null) return state.echoHidden === 'noexec';
  state.queryOut.write(
    printQuery({ fields: r.fields ?? [], rows: r.rows }, state.popt, { title: 'List of schemas' }),
  );
  return true;
}

/** \du and \dg: roles with their attributes summarised as psql does. */
export async function listRoles(
  state: PsqlState,
  pattern: string | null,
  verbose: boolean,
  showSystem: boolean,
): Promise<boolean> {
  let sql =
    'SELECT r.rolname, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin,\n' +
    '  r.rolconnlimit, r.rolvaliduntil, r.rolreplication, r.rolbypassrls,\n' +
    '  ARRAY(SELECT b.rolname FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles b ON (m.roleid = b.oid)\n' +
    '        WHERE m.member = r.oid) as memberof';
  if (verbose) sql += ",\n  pg_catalog.shobj_description(r.oid, 'pg_authid') AS description";
  sql += '\nFROM pg_catalog.pg_roles r\nWHERE true';
  if (!showSystem && pattern === null) sql += "\n  AND r.rolname !~ '^pg_'";
  const p = processPattern(pattern, {
    nameColumn: 'r.rolname',
    schemaColumn: null,
    visibility: null,
  });
  if (p.error) {
    state.error(p.error);
    return false;
  }
  if (p.clause) sql += '\n  AND ' + p.clause;
  sql += '\nORDER BY 1;';
  const r = await hiddenQuery(state, sql);
  if (r === null) return state.echoHidden === 'noexec';
  const rows = r.rows.map((row) => {
    const [
      name,
      sup,
      inherit,
      createrole,
      createdb,
      canlogin,
      connlimit,
      validuntil,
      repl,
      bypass,
      memberof,
      desc,
    ] = row;
    const attrs: string[] = [];
    if (sup === 't') attrs.push('Superuser');
    if (inherit !== 't') attrs.push('No inheritance');
    if (createrole === 't') attrs.push('Create role');
    if (createdb === 't') attrs.push('Create DB');
    if (canlogin !== 't') attrs.push('Cannot login');
    if (repl === 't') attrs.push('Replication');
    if (bypass === 't') attrs.push('Bypass RLS');
    const limit = Number(connlimit ?? -1);
    if (limit >= 0)
      attrs.push(
        limit === 0 ? 'No connections' : limit === 1 ? '1 connection' : `${limit} connections`,
      );
    if (validuntil !== null && validuntil !== undefined)
      attrs.push(`Password valid until ${validuntil}`);
    const out = [name ?? null, attrs.join(', '), memberof ?? null];
    if (verbose) out.push(desc ?? null);
    return out;
  });
  const fields = [
    { name: 'Role name', typeOid: 19 },
    { name: 'Attributes', typeOid: 25 },
    { name: 'Member of', typeOid: 1003 },
  ];
  if (verbose) fields.push({ name: 'Description', typeOid: 25 });
  // psql prints no "(N rows)" footer under the list of roles.
  const table = tableFromResult({ fields, rows }, state.popt, { title: 'List of roles' });
  table.noDefaultFooter = true;
  state.queryOut.write(printTable(table, state.popt));
  return true;
}
