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
    });
  }
}

function writeDatabaseCatalogs(store: CatalogStore, txn: Transaction): void {
  for (const [oid, name] of [
    [PG_CATALOG_NAMESPACE, 'pg_catalog'],
    [PG_TOAST_NAMESPACE, 'pg_toast'],
    [PUBLIC_NAMESPACE, 'public'],
  ] as const) {
    store.insert(txn, RelOid.pg_namespace, {
      oid,
      nspname: name,
      nspowner: BOOTSTRAP_SUPERUSER_ID,
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
