/*
 * access/cluster.ts — an installation's storage as one process sees it:
 * creating it (initdb), opening it (backends, postmaster), per-database
 * environments, transactions, and cleanup after dead processes or a crash.
 *
 * Layout: <dataDir>/global/ (xid counter, commit log, running xids, snapshot
 * xmins, wait table, shared catalogs) and <dataDir>/base/<dbOid>/ per
 * database. Opening never writes to LMDB beyond what lmdb itself does to open
 * the root keyspace.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type {
  Cluster,
  ClusterOptions,
  DatabaseStorage,
  Oid,
  Transaction,
  TransactionOptions,
  Xid,
  XidStatus,
} from './api.js';
import { LmdbEnv } from '../storage/env.js';
import type { EnvOpenOptions } from '../storage/env.js';
import { CLOG_ABORTED, finishXids, runningXids, xidState } from '../storage/clog.js';
import { NEXT_XID, PROC, WAIT, key0, key32, prefixEnd } from '../storage/keys.js';
import { FIRST_NORMAL_XID, readNextXid } from '../storage/clog.js';
import { waitersFor } from '../storage/lockwait.js';
import { installLatch, registerLocalPid, uninstallLatch, wakeProcess } from '../storage/latch.js';
import { SqlState, storageError } from '../storage/errors.js';
import { DatabaseStorageImpl } from './database.js';
import { TransactionImpl } from './xact.js';
import type { XactHost } from './xact.js';

/** Xids skipped at every start (see recoverAfterCrash); far more than one write transaction allocates. */
const XID_SKIP_AFTER_RESTART = 1000;

const DEFAULT_MAP_SIZE = 64 * 1024 ** 3;
let openClusters = 0;

class ClusterImpl implements Cluster, XactHost {
  readonly dataDir: string;
  readonly pid: number;
  readonly global: LmdbEnv;
  readonly shared: DatabaseStorage;
  private readonly envOptions: EnvOpenOptions;
  private readonly dbs = new Map<Oid, DatabaseStorageImpl>();
  private readonly txns = new Set<TransactionImpl>();
  private closed = false;

  constructor(dataDir: string, options: ClusterOptions) {
    this.dataDir = resolve(dataDir);
    this.pid = options.pid ?? process.pid;
    this.envOptions = {
      mapSize: options.mapSize ?? DEFAULT_MAP_SIZE,
      fsync: options.fsync ?? true,
    };
    // The handler must exist before anyone can find our pid in the wait table.
    installLatch();
    registerLocalPid(this.pid);
    openClusters++;
    this.global = new LmdbEnv(join(this.dataDir, 'global'), this.envOptions);
    this.shared = new DatabaseStorageImpl(0, this.global, this.global);
  }

  private dbPath(dbOid: Oid): string {
    return join(this.dataDir, 'base', String(dbOid));
  }

  openDatabase(dbOid: Oid): DatabaseStorage {
    const open = this.dbs.get(dbOid);
    if (open) return open;
    if (!this.databaseExists(dbOid)) {
      throw storageError(SqlState.invalidCatalogName, `database with OID ${dbOid} does not exist`);
    }
    const db = new DatabaseStorageImpl(
      dbOid,
      new LmdbEnv(this.dbPath(dbOid), this.envOptions),
      this.global,
    );
    this.dbs.set(dbOid, db);
    return db;
  }

  databaseExists(dbOid: Oid): boolean {
    return existsSync(join(this.dbPath(dbOid), 'data.mdb'));
  }

  createDatabaseStorage(dbOid: Oid, templateOid?: Oid): void {
    const dir = this.dbPath(dbOid);
    if (existsSync(dir)) throw new Error(`storage for database ${dbOid} already exists`);
    mkdirSync(dir, { recursive: true });
    if (templateOid !== undefined) {
      const template = this.dbs.get(templateOid);
      template?.env.syncNow();
      copyFileSync(join(this.dbPath(templateOid), 'data.mdb'), join(dir, 'data.mdb'));
    }
    // Keep it open: closing and re-opening an environment inside one process
    // while other processes write loses commits in lmdb-js (see README.md).
    const env = new LmdbEnv(dir, this.envOptions);
    env.syncNow();
    this.dbs.set(dbOid, new DatabaseStorageImpl(dbOid, env, this.global));
  }

  async dropDatabaseStorage(dbOid: Oid): Promise<void> {
    const open = this.dbs.get(dbOid);
    if (open) {
      this.dbs.delete(dbOid);
      await open.env.close();
    }
    rmSync(this.dbPath(dbOid), { recursive: true, force: true });
  }

  openEnvs(): Iterable<LmdbEnv> {
    return [...this.dbs.values()].map((d) => d.env);
  }

  beginTransaction(options?: TransactionOptions): Transaction {
    if (this.closed) throw new Error('cluster is closed');
    const t = new TransactionImpl(this, options);
    this.txns.add(t);
    return t;
  }

  transactionEnded(t: TransactionImpl): void {
    this.txns.delete(t);
  }

  xidStatus(xid: Xid): XidStatus {
    this.global.refresh();
    return xidState(this.global, xid);
  }

  abortTransactionsOfDeadProcess(pid: number): void {
    const g = this.global;
    // A dead process starts nothing new, so reading its entries before the
    // write is safe (and range reads must stay outside write transactions).
    const t = g.freshReadTxn();
    let xids: number[];
    let procs: Buffer[];
    try {
      xids = runningXids(g, t)
        .filter((r) => r.pid === pid)
        .map((r) => r.xid);
      const start = key32(PROC, pid);
      procs = [...g.root.getKeys({ start, end: prefixEnd(start), transaction: t })].map((x) =>
        Buffer.from(x),
      );
    } finally {
      t.done();
    }
    g.write(() => {
      finishXids(g, xids, CLOG_ABORTED);
      for (const k of procs) g.del(k);
      g.del(key32(WAIT, pid));
    });
    for (const w of waitersFor(g, new Set(xids))) wakeProcess(w);
  }

  recoverAfterCrash(): void {
    const g = this.global;
    // Runs before any backend starts: nothing changes between these reads and the write.
    g.refresh();
    const xids = runningXids(g).map((r) => r.xid);
    const keys = [PROC, WAIT].flatMap((prefix) =>
      [...g.root.getKeys({ start: key0(prefix), end: key0(prefix + 1) })].map((k) =>
        Buffer.from(k),
      ),
    );
    g.write(() => {
      finishXids(g, xids, CLOG_ABORTED);
      for (const k of keys) g.del(k);
      // An OS crash can undo global/'s last write transaction (noMetaSync, storage/env.ts), and
      // with it an xid allocation whose row versions did reach disk in a database environment.
      // Handing that xid out again would let a new commit adopt those rows, so skip ahead: the
      // skipped xids have neither a commit record nor an owner, which reads as aborted.
      const next = Buffer.allocUnsafe(4);
      next.writeUInt32BE((readNextXid(g) + XID_SKIP_AFTER_RESTART) >>> 0, 0);
      g.put(key0(NEXT_XID), next);
    });
    g.syncNow();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of [...this.txns]) t.abort();
    for (const db of this.dbs.values()) await db.env.close();
    this.dbs.clear();
    await this.global.close();
    if (--openClusters === 0) uninstallLatch();
  }
}

/** initdb: creates `<dataDir>/global` and `<dataDir>/base` and returns the cluster opened. */
export function createCluster(dataDir: string, options: ClusterOptions = {}): Cluster {
  const dir = resolve(dataDir);
  if (existsSync(join(dir, 'global', 'data.mdb')))
    throw new Error(`${dir} already contains a cluster`);
  mkdirSync(join(dir, 'global'), { recursive: true });
  mkdirSync(join(dir, 'base'), { recursive: true });
  const c = new ClusterImpl(dir, options);
  c.global.write(() => {
    const v = Buffer.allocUnsafe(4);
    v.writeUInt32BE(FIRST_NORMAL_XID, 0);
    c.global.put(key0(NEXT_XID), v);
  });
  c.global.syncNow();
  return c;
}

/** Opens an existing installation (backends and the postmaster). */
export function openCluster(dataDir: string, options: ClusterOptions = {}): Cluster {
  const dir = resolve(dataDir);
  if (!existsSync(join(dir, 'global', 'data.mdb')))
    throw new Error(`${dir} does not contain a Tusk cluster`);
  return new ClusterImpl(dir, options);
}
