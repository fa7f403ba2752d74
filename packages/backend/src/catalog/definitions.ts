/**
 * The system catalogs' schemas: PostgreSQL 15's column names and types in PostgreSQL's order, for
 * the catalogs Tusk keeps as real tables. Bootstrap creates their storage and describes them in
 * pg_class / pg_attribute / pg_type, so SQL can query them like any table.
 */
import { RelOid } from './oids.js';

/** Type OIDs used by catalog columns. */
export const CT = {
  bool: 16,
  char: 18,
  name: 19,
  int2: 21,
  int2vector: 22,
  int4: 23,
  int8: 20,
  regproc: 24,
  text: 25,
  oid: 26,
  xid: 28,
  oidvector: 30,
  pg_node_tree: 194,
  float4: 700,
  int2Array: 1005,
  textArray: 1009,
  oidArray: 1028,
  aclitemArray: 1034,
  timestamptz: 1184,
} as const;

export interface CatalogColumn {
  name: string;
  type: number;
  notNull: boolean;
}

export interface CatalogDefinition {
  oid: number;
  name: string;
  /** Lives in the cluster-wide shared storage (pg_database, pg_authid, pg_auth_members). */
  shared: boolean;
  columns: CatalogColumn[];
}

function cols(spec: string): CatalogColumn[] {
  // "name:type" pairs; a trailing "?" marks a nullable column.
  return spec
    .trim()
    .split(/\s+/)
    .map((pair) => {
      const [name = '', type = ''] = pair.split(':');
      const nullable = type.endsWith('?');
      const t = CT[(nullable ? type.slice(0, -1) : type) as keyof typeof CT];
      if (t === undefined) throw new Error(`unknown catalog column type ${type}`);
      return { name, type: t, notNull: !nullable };
    });
}

export const catalogDefinitions: readonly CatalogDefinition[] = [
  {
    oid: RelOid.pg_type,
    name: 'pg_type',
    shared: false,
    columns: cols(`oid:oid typname:name typnamespace:oid typowner:oid typlen:int2 typbyval:bool
      typtype:char typcategory:char typispreferred:bool typisdefined:bool typdelim:char typrelid:oid
      typsubscript:regproc typelem:oid typarray:oid typinput:regproc typoutput:regproc
      typreceive:regproc typsend:regproc typmodin:regproc typmodout:regproc typanalyze:regproc
      typalign:char typstorage:char typnotnull:bool typbasetype:oid typtypmod:int4 typndims:int4
      typcollation:oid typdefaultbin:pg_node_tree? typdefault:text? typacl:aclitemArray?`),
  },
  {
    oid: RelOid.pg_attribute,
    name: 'pg_attribute',
    shared: false,
    columns: cols(`attrelid:oid attname:name atttypid:oid attstattarget:int4 attlen:int2 attnum:int2
      attndims:int4 attcacheoff:int4 atttypmod:int4 attbyval:bool attalign:char attstorage:char
      attcompression:char attnotnull:bool atthasdef:bool atthasmissing:bool attidentity:char
      attgenerated:char attisdropped:bool attislocal:bool attinhcount:int4 attcollation:oid
      attacl:aclitemArray? attoptions:textArray? attfdwoptions:textArray? attmissingval:text?`),
  },
  {
    oid: RelOid.pg_proc,
    name: 'pg_proc',
    shared: false,
    columns: cols(`oid:oid proname:name pronamespace:oid proowner:oid prolang:oid procost:float4
      prorows:float4 provariadic:oid prosupport:regproc prokind:char prosecdef:bool proleakproof:bool
      proisstrict:bool proretset:bool provolatile:char proparallel:char pronargs:int2
      pronargdefaults:int2 prorettype:oid proargtypes:oidvector proallargtypes:oidArray?
      proargmodes:textArray? proargnames:textArray? proargdefaults:pg_node_tree? protrftypes:oidArray?
      prosrc:text probin:text? prosqlbody:pg_node_tree? proconfig:textArray? proacl:aclitemArray?`),
  },
  {
    oid: RelOid.pg_class,
    name: 'pg_class',
    shared: false,
    columns: cols(`oid:oid relname:name relnamespace:oid reltype:oid reloftype:oid relowner:oid
      relam:oid relfilenode:oid reltablespace:oid relpages:int4 reltuples:float4 relallvisible:int4
      reltoastrelid:oid relhasindex:bool relisshared:bool relpersistence:char relkind:char
      relnatts:int2 relchecks:int2 relhasrules:bool relhastriggers:bool relhassubclass:bool
      relrowsecurity:bool relforcerowsecurity:bool relispopulated:bool relreplident:char
      relispartition:bool relrewrite:oid relfrozenxid:xid relminmxid:xid relacl:aclitemArray?
      reloptions:textArray? relpartbound:pg_node_tree?`),
  },
  {
    oid: RelOid.pg_authid,
    name: 'pg_authid',
    shared: true,
    columns: cols(`oid:oid rolname:name rolsuper:bool rolinherit:bool rolcreaterole:bool
      rolcreatedb:bool rolcanlogin:bool rolreplication:bool rolbypassrls:bool rolconnlimit:int4
      rolpassword:text? rolvaliduntil:timestamptz?`),
  },
  {
    oid: RelOid.pg_auth_members,
    name: 'pg_auth_members',
    shared: true,
    columns: cols(`roleid:oid member:oid grantor:oid admin_option:bool`),
  },
  {
    oid: RelOid.pg_db_role_setting,
    name: 'pg_db_role_setting',
    shared: true,
    columns: cols(`setdatabase:oid setrole:oid setconfig:textArray?`),
  },
  {
    oid: RelOid.pg_database,
    name: 'pg_database',
    shared: true,
    columns: cols(`oid:oid datname:name datdba:oid encoding:int4 datlocprovider:char
      datistemplate:bool datallowconn:bool datconnlimit:int4 datfrozenxid:xid datminmxid:xid
      dattablespace:oid datcollate:text datctype:text daticulocale:text? datcollversion:text?
      datacl:aclitemArray?`),
  },
  {
    oid: RelOid.pg_attrdef,
    name: 'pg_attrdef',
    shared: false,
    columns: cols(`oid:oid adrelid:oid adnum:int2 adbin:pg_node_tree`),
  },
  {
    oid: RelOid.pg_constraint,
    name: 'pg_constraint',
    shared: false,
    columns: cols(`oid:oid conname:name connamespace:oid contype:char condeferrable:bool
      condeferred:bool convalidated:bool conrelid:oid contypid:oid conindid:oid conparentid:oid
      confrelid:oid confupdtype:char confdeltype:char confmatchtype:char conislocal:bool
      coninhcount:int4 connoinherit:bool conkey:int2Array? confkey:int2Array? conpfeqop:oidArray?
      conppeqop:oidArray? conffeqop:oidArray? confdelsetcols:int2Array? conexclop:oidArray?
      conbin:pg_node_tree?`),
  },
  {
    oid: RelOid.pg_depend,
    name: 'pg_depend',
    shared: false,
    columns: cols(`classid:oid objid:oid objsubid:int4 refclassid:oid refobjid:oid refobjsubid:int4
      deptype:char`),
  },
  {
    oid: RelOid.pg_description,
    name: 'pg_description',
    shared: false,
    columns: cols(`objoid:oid classoid:oid objsubid:int4 description:text`),
  },
  {
    oid: RelOid.pg_index,
    name: 'pg_index',
    shared: false,
    columns: cols(`indexrelid:oid indrelid:oid indnatts:int2 indnkeyatts:int2 indisunique:bool
      indnullsnotdistinct:bool indisprimary:bool indisexclusion:bool indimmediate:bool
      indisclustered:bool indisvalid:bool indcheckxmin:bool indisready:bool indislive:bool
      indisreplident:bool indkey:int2vector indcollation:oidvector indclass:oidvector
      indoption:int2vector indexprs:pg_node_tree? indpred:pg_node_tree?`),
  },
  {
    oid: RelOid.pg_namespace,
    name: 'pg_namespace',
    shared: false,
    columns: cols(`oid:oid nspname:name nspowner:oid nspacl:aclitemArray?`),
  },
  {
    oid: RelOid.pg_sequence,
    name: 'pg_sequence',
    shared: false,
    columns: cols(`seqrelid:oid seqtypid:oid seqstart:int8 seqincrement:int8 seqmax:int8
      seqmin:int8 seqcache:int8 seqcycle:bool`),
  },
  {
    // A view's _RETURN rule; ev_action holds the view's query as SQL text.
    oid: RelOid.pg_rewrite,
    name: 'pg_rewrite',
    shared: false,
    columns: cols(`oid:oid rulename:name ev_class:oid ev_type:char ev_enabled:char is_instead:bool
      ev_qual:pg_node_tree ev_action:pg_node_tree`),
  },
];

export const catalogByOid = new Map(catalogDefinitions.map((d) => [d.oid, d]));
export const catalogByName = new Map(catalogDefinitions.map((d) => [d.name, d]));

/** Builds a catalog row in column order from named values; missing columns get neutral defaults. */
export function catalogRow(def: CatalogDefinition, values: Record<string, unknown>): unknown[] {
  return def.columns.map((c) => {
    const v = values[c.name];
    if (v !== undefined) return v;
    if (!c.notNull) return null;
    switch (c.type) {
      case CT.bool:
        return false;
      case CT.char:
        return '';
      case CT.name:
      case CT.text:
        return '';
      case CT.int8:
        return 0n;
      case CT.int2vector:
      case CT.oidvector:
        return [];
      default:
        return 0;
    }
  });
}

/** Reads a catalog row into an object keyed by column name. */
export function catalogRecord(
  def: CatalogDefinition,
  row: readonly unknown[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  def.columns.forEach((c, i) => {
    out[c.name] = row[i];
  });
  return out;
}

/** Column number (0-based) of `column` in catalog `def`. */
export function catalogColumnIndex(def: CatalogDefinition, column: string): number {
  const i = def.columns.findIndex((c) => c.name === column);
  if (i < 0) throw new Error(`catalog ${def.name} has no column ${column}`);
  return i;
}
