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
       rolbypassrls,
       (SELECT s.setconfig FROM pg_catalog.pg_db_role_setting s
         WHERE s.setrole = pg_authid.oid AND s.setdatabase = 0) AS rolconfig, oid
     FROM pg_catalog.pg_authid`,
  ],
  [
    'pg_user',
    `SELECT rolname AS usename, oid AS usesysid, rolcreatedb AS usecreatedb,
       rolsuper AS usesuper, rolreplication AS userepl, rolbypassrls AS usebypassrls,
       '********'::text AS passwd, rolvaliduntil AS valuntil,
       (SELECT s.setconfig FROM pg_catalog.pg_db_role_setting s
         WHERE s.setrole = pg_authid.oid AND s.setdatabase = 0) AS useconfig
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
  // Catalogs of features that do not exist here (pg_dump reads every one of them).
  [
    'pg_init_privs',
    empty('objoid:oid classoid:oid objsubid:int4 privtype:"char" initprivs:aclitem[]'),
  ],
  [
    'pg_cast',
    empty(
      'oid:oid castsource:oid casttarget:oid castfunc:oid castcontext:"char" castmethod:"char"',
    ),
  ],
  [
    'pg_aggregate',
    empty(`aggfnoid:regproc aggkind:"char" aggnumdirectargs:int2 aggtransfn:regproc
      aggfinalfn:regproc aggcombinefn:regproc aggserialfn:regproc aggdeserialfn:regproc
      aggmtransfn:regproc aggminvtransfn:regproc aggmfinalfn:regproc aggfinalextra:bool
      aggmfinalextra:bool aggfinalmodify:"char" aggmfinalmodify:"char" aggsortop:oid
      aggtranstype:oid aggtransspace:int4 aggmtranstype:oid aggmtransspace:int4 agginitval:text
      aggminitval:text`),
  ],
  [
    'pg_operator',
    empty(`oid:oid oprname:name oprnamespace:oid oprowner:oid oprkind:"char" oprcanmerge:bool
      oprcanhash:bool oprleft:oid oprright:oid oprresult:oid oprcom:oid oprnegate:oid
      oprcode:regproc oprrest:regproc oprjoin:regproc`),
  ],
  [
    'pg_opclass',
    empty(`oid:oid opcmethod:oid opcname:name opcnamespace:oid opcowner:oid opcfamily:oid
      opcintype:oid opcdefault:bool opckeytype:oid`),
  ],
  ['pg_opfamily', empty('oid:oid opfmethod:oid opfname:name opfnamespace:oid opfowner:oid')],
  [
    'pg_conversion',
    empty(`oid:oid conname:name connamespace:oid conowner:oid conforencoding:int4
      contoencoding:int4 conproc:regproc condefault:bool`),
  ],
  [
    'pg_language',
    `SELECT oid::oid AS oid, lanname::name AS lanname, 10::oid AS lanowner, false AS lanispl,
       lanpltrusted AS lanpltrusted, 0::oid AS lanplcallfoid, 0::oid AS laninline,
       lanvalidator::oid AS lanvalidator, NULL::aclitem[] AS lanacl
     FROM (VALUES (12, 'internal', false, 2246), (13, 'c', false, 2247), (14, 'sql', true, 2248))
       AS v(oid, lanname, lanpltrusted, lanvalidator)`,
  ],
  ['pg_ts_config', empty('oid:oid cfgname:name cfgnamespace:oid cfgowner:oid cfgparser:oid')],
  [
    'pg_ts_dict',
    empty(`oid:oid dictname:name dictnamespace:oid dictowner:oid dicttemplate:oid
      dictinitoption:text`),
  ],
  [
    'pg_ts_parser',
    empty(`oid:oid prsname:name prsnamespace:oid prsstart:regproc prstoken:regproc
      prsend:regproc prsheadline:regproc prslextype:regproc`),
  ],
  [
    'pg_ts_template',
    empty('oid:oid tmplname:name tmplnamespace:oid tmplinit:regproc tmpllexize:regproc'),
  ],
  [
    'pg_foreign_data_wrapper',
    empty(`oid:oid fdwname:name fdwowner:oid fdwhandler:oid fdwvalidator:oid fdwacl:aclitem[]
      fdwoptions:text[]`),
  ],
  [
    'pg_foreign_server',
    empty(`oid:oid srvname:name srvowner:oid srvfdw:oid srvtype:text srvversion:text
      srvacl:aclitem[] srvoptions:text[]`),
  ],
  ['pg_user_mapping', empty('oid:oid umuser:oid umserver:oid umoptions:text[]')],
  [
    'pg_amop',
    empty(`oid:oid amopfamily:oid amoplefttype:oid amoprighttype:oid amopstrategy:int2
      amoppurpose:"char" amopopr:oid amopmethod:oid amopsortfamily:oid`),
  ],
  [
    'pg_amproc',
    empty(`oid:oid amprocfamily:oid amproclefttype:oid amprocrighttype:oid amprocnum:int2
      amproc:regproc`),
  ],
  [
    'pg_default_acl',
    empty('oid:oid defaclrole:oid defaclnamespace:oid defaclobjtype:"char" defaclacl:aclitem[]'),
  ],
  ['pg_transform', empty('oid:oid trftype:oid trflang:oid trffromsql:regproc trftosql:regproc')],
  [
    'pg_subscription',
    empty(`oid:oid subdbid:oid subskiplsn:text subname:name subowner:oid subenabled:bool
      subbinary:bool substream:bool subtwophasestate:"char" subdisableonerr:bool
      subconninfo:text subslotname:name subsynccommit:text subpublications:text[]`),
  ],
  ['pg_largeobject_metadata', empty('oid:oid lomowner:oid lomacl:aclitem[]')],
  ['pg_seclabel', empty('objoid:oid classoid:oid objsubid:int4 provider:text label:text')],
  ['pg_shseclabel', empty('objoid:oid classoid:oid provider:text label:text')],
  [
    'pg_seclabels',
    empty(`objoid:oid classoid:oid objsubid:int4 objtype:text objnamespace:oid objname:text
      provider:text label:text`),
  ],
  ['pg_enum', empty('oid:oid enumtypid:oid enumsortorder:float4 enumlabel:name')],
  [
    'pg_range',
    empty(`rngtypid:oid rngsubtype:oid rngmultitypid:oid rngcollation:oid rngsubopc:oid
      rngcanonical:regproc rngsubdiff:regproc`),
  ],
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

/** PostgreSQL's OIDs of the catalogs computed here (their `tableoid`; pg_dump reads it). */
export const computedCatalogOids: Readonly<Record<string, number>> = {
  pg_am: 2601,
  pg_collation: 3456,
  pg_tablespace: 1213,
  pg_extension: 3079,
  pg_cast: 2605,
  pg_operator: 2617,
  pg_opclass: 2616,
  pg_opfamily: 2753,
  pg_language: 2612,
  pg_conversion: 2607,
  pg_aggregate: 2600,
  pg_trigger: 2620,
  pg_policy: 3256,
  pg_inherits: 2611,
  pg_event_trigger: 3466,
  pg_default_acl: 826,
  pg_init_privs: 3394,
  pg_foreign_data_wrapper: 2328,
  pg_foreign_server: 1417,
  pg_foreign_table: 3118,
  pg_user_mapping: 1418,
  pg_publication: 6104,
  pg_publication_rel: 6106,
  pg_publication_namespace: 6237,
  pg_subscription: 6100,
  pg_transform: 3576,
  pg_ts_config: 3602,
  pg_ts_dict: 3600,
  pg_ts_parser: 3601,
  pg_ts_template: 3764,
  pg_largeobject_metadata: 2995,
  pg_statistic_ext: 3381,
  pg_partitioned_table: 3350,
  pg_enum: 3501,
  pg_range: 3541,
  pg_seclabel: 3596,
  pg_shdescription: 2396,
  pg_shdepend: 1214,
  pg_amop: 2602,
  pg_amproc: 2603,
};
