/**
 * Fixed OIDs of the objects every installation has (PostgreSQL 15's values), and the reserved
 * storage ids of the cluster-wide counters Tusk keeps in the shared storage.
 */

export const BOOTSTRAP_SUPERUSER_ID = 10;
export const TEMPLATE1_OID = 1;
export const TEMPLATE0_OID = 4;
export const POSTGRES_OID = 5;

export const PG_CATALOG_NAMESPACE = 11;
export const PG_TOAST_NAMESPACE = 99;
export const PUBLIC_NAMESPACE = 2200;

export const DEFAULT_TABLESPACE_OID = 1663;
export const GLOBAL_TABLESPACE_OID = 1664;
export const HEAP_AM_OID = 2;
export const BTREE_AM_OID = 403;

/** The first OID handed out to user objects (PostgreSQL's FirstNormalObjectId). */
export const FIRST_NORMAL_OBJECT_ID = 16384;

/** Shared-storage sequence that hands out OIDs cluster-wide. */
export const OID_COUNTER_ID = 1;
/** Shared-storage sequence bumped after every committed DDL: the catalog cache's invalidation signal. */
export const CATALOG_VERSION_ID = 2;

/** Catalog relation OIDs (their relfilenode is the same number). */
export const RelOid = {
  pg_type: 1247,
  pg_attribute: 1249,
  pg_proc: 1255,
  pg_class: 1259,
  pg_authid: 1260,
  pg_auth_members: 1261,
  pg_database: 1262,
  pg_db_role_setting: 2964,
  pg_attrdef: 2604,
  pg_constraint: 2606,
  pg_depend: 2608,
  pg_description: 2609,
  pg_index: 2610,
  pg_namespace: 2615,
  pg_sequence: 2224,
  pg_rewrite: 2618,
} as const;

/** Row types of the catalogs (pg_class.reltype). */
export const RelTypeOid: Record<number, number> = {
  1247: 71,
  1249: 75,
  1255: 81,
  1259: 83,
  1260: 2842,
  1261: 2843,
  1262: 1248,
  2964: 10054,
  2604: 10000,
  2606: 10001,
  2608: 10002,
  2609: 10003,
  2610: 10004,
  2615: 10005,
  2224: 10006,
  2618: 10007,
};
