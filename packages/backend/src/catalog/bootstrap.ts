/**
 * Bootstrap (the catalog half of initdb): creates an installation's storage, the shared catalogs
 * with the bootstrap superuser and the databases template1 (1), template0 (4) and postgres (5),
 * and in template1 the per-database catalogs describing the built-in namespaces, types and the
 * catalogs themselves. template0 and postgres are copies of template1, as CREATE DATABASE makes.
 */
import { createCluster } from '../access/cluster.js';
import type { Cluster, Transaction } from '../access/api.js';
import { builtinTypes, T } from '../utils/adt/types.js';
import { catalogDefinitions, CT } from './definitions.js';
import { CatalogStore, catalogVersionParams, oidCounterParams } from './catalog.js';
import {
  BOOTSTRAP_SUPERUSER_ID,
  CATALOG_VERSION_ID,
  GLOBAL_TABLESPACE_OID,
  DEFAULT_TABLESPACE_OID,
  HEAP_AM_OID,
  OID_COUNTER_ID,
  PG_CATALOG_NAMESPACE,
  PG_TOAST_NAMESPACE,
  POSTGRES_OID,
  PUBLIC_NAMESPACE,
  RelOid,
  RelTypeOid,
  TEMPLATE0_OID,
  TEMPLATE1_OID,
} from './oids.js';
import { typeByOid } from '../utils/adt/types.js';

export interface BootstrapOptions {
  dataDir: string;
  superuser: string;
  /** A SCRAM-SHA-256 or md5 verifier for the superuser, if any. */
  passwordVerifier?: string;
  encoding: 'UTF8';
  locale: 'C';
  /** Passed to the storage layer (tests turn fsync off). */
  fsync?: boolean;
}

/** Encoding number of UTF8 in pg_database.encoding. */
const PG_UTF8 = 6;

/** Creates a new installation in `dataDir` (which must not contain one). */
export async function bootstrapCluster(opts: BootstrapOptions): Promise<void> {
  const cluster = createCluster(
    opts.dataDir,
    opts.fsync === undefined ? {} : { fsync: opts.fsync },
  );
  try {
    cluster.shared.sequences.create(OID_COUNTER_ID, oidCounterParams);
    cluster.shared.sequences.create(CATALOG_VERSION_ID, catalogVersionParams);
    for (const def of catalogDefinitions) if (def.shared) cluster.shared.createRelation(def.oid);

    cluster.createDatabaseStorage(TEMPLATE1_OID);
    const db = cluster.openDatabase(TEMPLATE1_OID);
    for (const def of catalogDefinitions) if (!def.shared) db.createRelation(def.oid);
    const store = new CatalogStore(cluster, db);

    const txn = cluster.beginTransaction();
    writeSharedCatalogs(store, txn, opts);
    writeDatabaseCatalogs(store, txn);
    await txn.commit();

    cluster.createDatabaseStorage(TEMPLATE0_OID, TEMPLATE1_OID);
    cluster.createDatabaseStorage(POSTGRES_OID, TEMPLATE1_OID);
  } finally {
    await cluster.close();
  }
}

const PG_DATABASE_OWNER_ID = 6171;
const predefinedRoles: ReadonlyArray<[number, string]> = [
  [PG_DATABASE_OWNER_ID, 'pg_database_owner'],
  [6181, 'pg_read_all_data'],
  [6182, 'pg_write_all_data'],
  [3373, 'pg_monitor'],
  [3374, 'pg_read_all_settings'],
  [3375, 'pg_read_all_stats'],
  [3377, 'pg_stat_scan_tables'],
  [4569, 'pg_read_server_files'],
  [4570, 'pg_write_server_files'],
  [4571, 'pg_execute_server_program'],
  [4200, 'pg_signal_backend'],
  [4544, 'pg_checkpoint'],
];

function writeSharedCatalogs(store: CatalogStore, txn: Transaction, opts: BootstrapOptions): void {
  store.insert(txn, RelOid.pg_authid, {
    oid: BOOTSTRAP_SUPERUSER_ID,
    rolname: opts.superuser,
    rolsuper: true,
    rolinherit: true,
    rolcreaterole: true,
    rolcreatedb: true,
    rolcanlogin: true,
    rolreplication: true,
    rolbypassrls: true,
    rolconnlimit: -1,
    rolpassword: opts.passwordVerifier ?? null,
    rolvaliduntil: null,
  });
  // PostgreSQL 15's predefined roles (no login), with its OIDs.
  for (const [oid, name] of predefinedRoles) {
    store.insert(txn, RelOid.pg_authid, {
      oid,
      rolname: name,
      rolsuper: false,
      rolinherit: true,
      rolcreaterole: false,
      rolcreatedb: false,
      rolcanlogin: false,
      rolreplication: false,
      rolbypassrls: false,
      rolconnlimit: -1,
      rolpassword: null,
      rolvaliduntil: null,
    });
  }
  // pg_monitor is a member of the three narrower monitoring roles, as in PostgreSQL.
  for (const roleid of [3374, 3375, 3377]) {
    store.insert(txn, RelOid.pg_auth_members, {
      roleid,
      member: 3373,
      grantor: BOOTSTRAP_SUPERUSER_ID,
      admin_option: false,
    });
  }
  const databases: Array<[number, string, boolean, boolean]> = [
    [TEMPLATE1_OID, 'template1', true, true],
    [TEMPLATE0_OID, 'template0', true, false],
    [POSTGRES_OID, 'postgres', false, true],
  ];
  for (const [oid, name, isTemplate, allowConn] of databases) {
    store.insert(txn, RelOid.pg_database, {
      oid,
      datname: name,
      datdba: BOOTSTRAP_SUPERUSER_ID,
      encoding: PG_UTF8,
      datlocprovider: 'c',
      datistemplate: isTemplate,
      datallowconn: allowConn,
      datconnlimit: -1,
      datfrozenxid: 716,
      datminmxid: 1,
      dattablespace: DEFAULT_TABLESPACE_OID,
      datcollate: opts.locale,
      datctype: opts.locale,
      // initdb leaves the templates connectable only by their owner (and template0 not at all).
      datacl: isTemplate
        ? ['=c/' + opts.superuser, `${opts.superuser}=CTc/${opts.superuser}`]
        : null,
    });
  }
}

function writeDatabaseCatalogs(store: CatalogStore, txn: Transaction): void {
  for (const [oid, name] of [
    [PG_CATALOG_NAMESPACE, 'pg_catalog'],
    [PG_TOAST_NAMESPACE, 'pg_toast'],
    [PUBLIC_NAMESPACE, 'public'],
  ] as const) {
    // PostgreSQL 15: public belongs to pg_database_owner, which alone may create in it.
    const isPublic = oid === PUBLIC_NAMESPACE;
    store.insert(txn, RelOid.pg_namespace, {
      oid,
      nspname: name,
      nspowner: isPublic ? PG_DATABASE_OWNER_ID : BOOTSTRAP_SUPERUSER_ID,
      nspacl: isPublic ? ['pg_database_owner=UC/pg_database_owner', '=U/pg_database_owner'] : null,
    });
  }
  for (const t of builtinTypes()) {
    store.insert(txn, RelOid.pg_type, {
      oid: t.oid,
      typname: t.name,
      typnamespace: PG_CATALOG_NAMESPACE,
      typowner: BOOTSTRAP_SUPERUSER_ID,
      typlen: t.len,
      typbyval: t.byval,
      typtype: t.category === 'P' ? 'p' : 'b',
      typcategory: t.category,
      typispreferred: t.preferred,
      typisdefined: true,
      typdelim: ',',
      typrelid: 0,
      typelem: 0,
      typarray: t.arrayOid,
      typalign: t.align,
      typstorage: t.storage,
      typtypmod: -1,
      typcollation: t.category === 'S' ? 100 : 0,
    });
  }
  for (const def of catalogDefinitions) {
    store.insert(txn, RelOid.pg_class, {
      oid: def.oid,
      relname: def.name,
      relnamespace: PG_CATALOG_NAMESPACE,
      reltype: RelTypeOid[def.oid] ?? 0,
      relowner: BOOTSTRAP_SUPERUSER_ID,
      relam: HEAP_AM_OID,
      relfilenode: def.oid,
      reltablespace: def.shared ? GLOBAL_TABLESPACE_OID : 0,
      reltuples: -1,
      relisshared: def.shared,
      relpersistence: 'p',
      relkind: 'r',
      relnatts: def.columns.length,
      relispopulated: true,
      relreplident: 'n',
      relfrozenxid: 3,
      relminmxid: 1,
    });
    def.columns.forEach((c, i) => {
      const t = typeByOid(c.type);
      store.insert(txn, RelOid.pg_attribute, {
        attrelid: def.oid,
        attname: c.name,
        atttypid: c.type,
        attstattarget: -1,
        attlen: t.len,
        attnum: i + 1,
        attndims: t.category === 'A' && c.type !== CT.int2vector && c.type !== CT.oidvector ? 1 : 0,
        attcacheoff: -1,
        atttypmod: -1,
        attbyval: t.byval,
        attalign: t.align,
        attstorage: t.storage,
        attcompression: '',
        attnotnull: c.notNull,
        attidentity: '',
        attgenerated: '',
        attislocal: true,
        attcollation: t.category === 'S' && c.type !== T.name ? 100 : c.type === T.name ? 950 : 0,
      });
    });
  }
}

/** Re-exported for tests that need to open what bootstrap made. */
export type { Cluster };
