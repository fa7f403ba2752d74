/**
 * pg_catalog relations Tusk computes instead of storing: PostgreSQL 15's system views
 * (pg_roles, pg_tables …) and the catalogs whose contents are fixed (pg_am, pg_collation,
 * pg_tablespace) or always empty because their features do not exist yet (pg_policy,
 * pg_inherits, pg_trigger …). Each is SQL over the stored catalogs, with PostgreSQL's column
 * names, order and types, expanded where a query names it — so clients' catalog queries
 * analyze and return what PostgreSQL would for the same objects.
 */

/** `name:type` pairs → a typed, empty row source (one typed NULL per column, no rows). */
function empty(columns: string): string {
  const list = columns
    .trim()
    .split(/\s+/)
    .map((pair) => {
      const [name = '', type = ''] = pair.split(':');
      return `NULL::${type} AS ${name}`;
    });
  return `SELECT ${list.join(', ')} WHERE false`;
}

export const systemViews: ReadonlyMap<string, string> = new Map([
  [
    'pg_am',
    `SELECT oid::oid AS oid, amname::name AS amname, amhandler::regproc AS amhandler,
       amtype::"char" AS amtype
     FROM (VALUES (2, 'heap', 3, 't'), (403, 'btree', 330, 'i'), (405, 'hash', 331, 'i'),
       (783, 'gist', 332, 'i'), (2742, 'gin', 333, 'i'), (4000, 'spgist', 334, 'i'),
       (3580, 'brin', 335, 'i')) AS v(oid, amname, amhandler, amtype)`,
  ],
  [
    'pg_collation',
    `SELECT oid::oid AS oid, collname::name AS collname, 11::oid AS collnamespace,
       10::oid AS collowner, collprovider::"char" AS collprovider, true AS collisdeterministic,
       collencoding::int4 AS collencoding, collcollate::text AS collcollate,
       collctype::text AS collctype, NULL::text AS colliculocale, NULL::text AS collversion
     FROM (VALUES (100, 'default', 'd', -1, NULL, NULL), (950, 'C', 'c', -1, 'C', 'C'),
       (951, 'POSIX', 'c', -1, 'POSIX', 'POSIX'))
       AS v(oid, collname, collprovider, collencoding, collcollate, collctype)`,
  ],
  [
    'pg_tablespace',
    `SELECT oid::oid AS oid, spcname::name AS spcname, 10::oid AS spcowner,
       NULL::aclitem[] AS spcacl, NULL::text[] AS spcoptions
     FROM (VALUES (1663, 'pg_default'), (1664, 'pg_global')) AS v(oid, spcname)`,
  ],
  [
    'pg_settings',
    `SELECT name, setting, unit, category, short_desc, extra_desc, context, vartype, source,
       min_val, max_val, enumvals, boot_val, reset_val, sourcefile, sourceline, pending_restart
     FROM pg_catalog.pg_show_all_settings()`,
  ],
  [
    'pg_roles',
    `SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin,
       rolreplication, rolconnlimit, '********'::text AS rolpassword, rolvaliduntil,
       rolbypassrls, NULL::text[] AS rolconfig, oid
     FROM pg_catalog.pg_authid`,
  ],
  [
    'pg_user',
    `SELECT rolname AS usename, oid AS usesysid, rolcreatedb AS usecreatedb,
       rolsuper AS usesuper, rolreplication AS userepl, rolbypassrls AS usebypassrls,
       '********'::text AS passwd, rolvaliduntil AS valuntil, NULL::text[] AS useconfig
     FROM pg_catalog.pg_authid WHERE rolcanlogin`,
  ],
  [
    'pg_tables',
    `SELECT n.nspname AS schemaname, c.relname AS tablename,
       pg_catalog.pg_get_userbyid(c.relowner) AS tableowner, NULL::name AS tablespace,
       c.relhasindex AS hasindexes, c.relhasrules AS hasrules,
       c.relhastriggers AS hastriggers, c.relrowsecurity AS rowsecurity
     FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p')`,
  ],
  [
    'pg_indexes',
    `SELECT n.nspname AS schemaname, c.relname AS tablename, i.relname AS indexname,
       NULL::name AS tablespace, pg_catalog.pg_get_indexdef(i.oid) AS indexdef
     FROM pg_catalog.pg_index x
       JOIN pg_catalog.pg_class c ON c.oid = x.indrelid
       JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
       LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'm', 'p') AND i.relkind IN ('i', 'I')`,
  ],
  [
    'pg_views',
    `SELECT n.nspname AS schemaname, c.relname AS viewname,
       pg_get_userbyid(c.relowner) AS viewowner, pg_get_viewdef(c.oid) AS definition
     FROM pg_class c LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'v'`,
  ],
  [
    'pg_matviews',
    empty(`schemaname:name matviewname:name matviewowner:name tablespace:name
      hasindexes:bool ispopulated:bool definition:text`),
  ],
  ['pg_auth_members', empty('roleid:oid member:oid grantor:oid admin_option:bool')],
  [
    'pg_policy',
    empty(`oid:oid polname:name polrelid:oid polcmd:"char" polpermissive:bool polroles:oid[]
      polqual:pg_node_tree polwithcheck:pg_node_tree`),
  ],
  [
    'pg_statistic_ext',
    empty(`oid:oid stxrelid:oid stxname:name stxnamespace:oid stxowner:oid stxstattarget:int4
      stxkeys:int2vector stxkind:"char"[] stxexprs:pg_node_tree`),
  ],
  [
    'pg_publication',
    empty(`oid:oid pubname:name pubowner:oid puballtables:bool pubinsert:bool pubupdate:bool
      pubdelete:bool pubtruncate:bool pubviaroot:bool`),
  ],
  ['pg_publication_namespace', empty('oid:oid pnpubid:oid pnnspid:oid')],
  [
    'pg_publication_rel',
    empty('oid:oid prpubid:oid prrelid:oid prqual:pg_node_tree prattrs:int2vector'),
  ],
  ['pg_inherits', empty('inhrelid:oid inhparent:oid inhseqno:int4 inhdetachpending:bool')],
  [
    'pg_trigger',
    empty(`oid:oid tgrelid:oid tgparentid:oid tgname:name tgfoid:oid tgtype:int2
      tgenabled:"char" tgisinternal:bool tgconstrrelid:oid tgconstrindid:oid tgconstraint:oid
      tgdeferrable:bool tginitdeferred:bool tgnargs:int2 tgattr:int2vector tgargs:bytea
      tgqual:pg_node_tree tgoldtable:name tgnewtable:name`),
  ],
  ['pg_foreign_table', empty('ftrelid:oid ftserver:oid ftoptions:text[]')],
  [
    'pg_partitioned_table',
    empty(`partrelid:oid partstrat:"char" partnatts:int2 partdefid:oid partattrs:int2vector
      partclass:oidvector partcollation:oidvector partexprs:pg_node_tree`),
  ],
  [
    'pg_extension',
    empty(`oid:oid extname:name extowner:oid extnamespace:oid extrelocatable:bool
      extversion:text extconfig:oid[] extcondition:text[]`),
  ],
  [
    'pg_available_extensions',
    empty('name:name default_version:text installed_version:text comment:text'),
  ],
  [
    'pg_event_trigger',
    empty(`oid:oid evtname:name evtevent:name evtowner:oid evtfoid:oid evtenabled:"char"
      evttags:text[]`),
  ],
]);
