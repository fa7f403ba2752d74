/**
 * Lookups in the shared catalogs that authentication needs before a session exists: a role by
 * name (pg_authid) and a database by name (pg_database), read under a fresh snapshot.
 */
import type { Cluster, Snapshot } from '../access/api.js';
import { catalogByOid, catalogRecord } from './definitions.js';
import { RelOid } from './oids.js';
import { timestampToUnixSeconds } from '../utils/adt/datetime.js';

export interface RoleInfo {
  oid: number;
  name: string;
  superuser: boolean;
  canLogin: boolean;
  passwordVerifier: string | null;
  validUntil: Date | null;
  connectionLimit: number;
}

export interface DatabaseInfo {
  oid: number;
  name: string;
  allowConnections: boolean;
  connectionLimit: number;
  isTemplate: boolean;
}

/** Runs `fn` under a snapshot of a fresh read-only transaction (committed state only). */
export function withSnapshot<R>(cluster: Cluster, fn: (s: Snapshot) => R): R {
  const txn = cluster.beginTransaction({ readOnly: true });
  const snapshot = txn.statementSnapshot();
  try {
    return fn(snapshot);
  } finally {
    snapshot.release();
    txn.abort();
  }
}

function scanShared(
  cluster: Cluster,
  catalogOid: number,
  snapshot: Snapshot,
  match: (rec: Record<string, unknown>) => boolean,
): Record<string, unknown> | undefined {
  const def = catalogByOid.get(catalogOid)!;
  for (const t of cluster.shared.heap(catalogOid, def.name).scan(snapshot)) {
    const rec = catalogRecord(def, t.row);
    if (match(rec)) return rec;
  }
  return undefined;
}

export function roleFromRecord(rec: Record<string, unknown>): RoleInfo {
  const until = rec.rolvaliduntil;
  return {
    oid: rec.oid as number,
    name: rec.rolname as string,
    superuser: rec.rolsuper as boolean,
    canLogin: rec.rolcanlogin as boolean,
    passwordVerifier: (rec.rolpassword as string | null) ?? null,
    validUntil: typeof until === 'bigint' ? new Date(timestampToUnixSeconds(until) * 1000) : null,
    connectionLimit: rec.rolconnlimit as number,
  };
}

/** The role called `name`, or undefined. */
export function lookupRole(cluster: Cluster, name: string): RoleInfo | undefined {
  return withSnapshot(cluster, (s) => {
    const rec = scanShared(cluster, RelOid.pg_authid, s, (r) => r.rolname === name);
    return rec ? roleFromRecord(rec) : undefined;
  });
}

/** The database called `name`, or undefined. */
export function lookupDatabase(cluster: Cluster, name: string): DatabaseInfo | undefined {
  return withSnapshot(cluster, (s) => {
    const rec = scanShared(cluster, RelOid.pg_database, s, (r) => r.datname === name);
    if (!rec) return undefined;
    return {
      oid: rec.oid as number,
      name: rec.datname as string,
      allowConnections: rec.datallowconn as boolean,
      connectionLimit: rec.datconnlimit as number,
      isTemplate: rec.datistemplate as boolean,
    };
  });
}
