/*
 * storage/env.ts — one LMDB environment (global/ or base/<db>/) and the only
 * places where Tusk opens LMDB transactions.
 *
 * Why a wrapper: lmdb-js commits a transactionSync only when its callback's
 * return value settles, so an arrow callback that returns a promise (as
 * `() => db.put(k, v)` does) keeps the cross-process write lock while other
 * processes queue behind it. `write()` runs the caller's work inside a
 * block-bodied callback that returns nothing, so that can't happen.
 *
 * Durability: with fsync on (the default) every process opens with
 * `noMetaSync`: each LMDB commit fdatasyncs its data pages before it writes the
 * meta page that points at them, but does not wait for the meta page itself.
 * An OS crash can therefore undo the last write transaction of an environment,
 * never corrupt it (the previous meta page and everything it points to are on
 * disk). What must survive — a COMMIT's row versions and its commit record —
 * is made durable by `syncToDisk()` (mdb_env_sync, which also flushes the last
 * meta page) at COMMIT. That is one fdatasync per write transaction instead of
 * two (data, then the meta page through an O_DSYNC descriptor), measured with
 * pgbench TPC-B in storage/README.md. fsync off opens with `noSync` and never
 * syncs.
 */
import { open } from 'lmdb';
import type { RootDatabase, Transaction as LmdbReadTxn } from 'lmdb';

export type { LmdbReadTxn };

/** A key no other record uses (prefix 0x00), rewritten by empty write transactions. */
const HEARTBEAT_KEY = Buffer.from([0x00, 0x68, 0x62]);
/** Counts write transactions that removed row versions or index entries (see notePrune). */
const PRUNE_COUNTER_KEY = Buffer.from([0x00, 0x70, 0x72]);

export interface EnvOpenOptions {
  readonly mapSize: number;
  /** false: never fsync (fsync=off). */
  readonly fsync: boolean;
}

export class LmdbEnv {
  readonly path: string;
  readonly root: RootDatabase<Buffer, Buffer>;
  private readonly fsync: boolean;
  /** Set while inside write(): nested write() calls join the outer transaction. */
  private inWrite = false;
  /** Did the current write transaction change anything? */
  private dirtied = false;
  /** Has the current write transaction bumped the prune counter? */
  private pruneNoted = false;
  private syncRunning: Promise<void> | null = null;
  private syncQueued: Promise<void> | null = null;
  private heartbeats = 0;
  /**
   * The prune counter as this process's last READ COMMITTED snapshot read it (-1: never): the
   * value to compare a new snapshot's against (access/xact.ts readCommittedSnapshot).
   */
  prunesSeen = -1;

  constructor(path: string, options: EnvOpenOptions) {
    this.path = path;
    this.fsync = options.fsync;
    // Same flags in every process (lmdb refuses mixed sync modes).
    this.root = open<Buffer, Buffer>({
      path,
      keyEncoding: 'binary',
      encoding: 'binary',
      // Data pages synced per commit, meta pages at syncToDisk(): see the Durability note above.
      noSync: !options.fsync,
      noMetaSync: options.fsync,
      overlappingSync: false,
      mapSize: options.mapSize,
      maxReaders: 1022,
      cache: false,
      compression: false,
    });
  }

  /**
   * Runs `work` inside one LMDB write transaction (holding the environment's
   * cross-process write lock) and returns its result. If `work` throws, its
   * writes are rolled back and the error rethrown. `work` must be synchronous
   * and short.
   */
  write<T>(work: () => T): T {
    if (this.inWrite) return work();
    return this.writeOnce(work);
  }

  private writeOnce<T>(work: () => T): T {
    let result: T | undefined;
    let done = false;
    const failed: { error?: Error } = {};
    this.inWrite = true;
    this.dirtied = false;
    this.pruneNoted = false;
    try {
      this.root.transactionSync(() => {
        try {
          result = work();
          done = true;
        } catch (e) {
          // Nothing written yet: commit (with the heartbeat below) instead of
          // aborting, for the same reason as empty transactions.
          if (this.dirtied) throw e;
          failed.error = e instanceof Error ? e : new Error('LMDB write failed');
        }
        // Never commit an empty write transaction: see heartbeat().
        if (!this.dirtied) this.heartbeat();
      });
    } finally {
      this.inWrite = false;
    }
    if (failed.error) throw failed.error;
    if (!done) throw new Error('LMDB write transaction did not run');
    return result as T;
  }

  /**
   * Dirties one page so the commit advances LMDB's shared transaction id.
   *
   * Why: lmdb-js's LMDB keeps the free-page list cached in the process between
   * write transactions and trusts it when the shared last-transaction id equals
   * the id of this process's previous write transaction. A write transaction
   * that commits nothing (or aborts) still consumed an id, so if exactly one
   * other process commits before our next write, that check passes with a
   * stale free list and we hand out pages the other commit is using — a lost
   * commit or `MDB_BAD_TXN … mdb_page_touch no parent`. Tusk's lmdb patch
   * drops that cache anyway; the heartbeat keeps a stock lmdb binary (registry
   * installs) clear of this one. See storage/README.md.
   */
  private heartbeat(): void {
    // A changing value, so no layer can treat the put as a no-op.
    this.heartbeats = (this.heartbeats + 1) >>> 0;
    const v = Buffer.allocUnsafe(8);
    v.writeUInt32BE(process.pid >>> 0, 0);
    v.writeUInt32BE(this.heartbeats, 4);
    this.root.putSync(HEARTBEAT_KEY, v);
    this.dirtied = true;
  }

  /**
   * A read transaction on the newest committed state (lmdb otherwise reuses
   * one read transaction per event-loop turn). Call `done()` on it.
   */
  freshReadTxn(): LmdbReadTxn {
    this.root.resetReadTxn();
    return this.root.useReadTransaction();
  }

  /** Makes later implicit reads see the newest committed state. */
  refresh(): void {
    if (!this.inWrite) this.root.resetReadTxn();
  }

  get(key: Buffer, txn?: LmdbReadTxn): Buffer | undefined {
    // lmdb's typings omit getBinary's options argument (it takes { transaction }).
    const root = this.root as unknown as {
      getBinary(k: Buffer, o?: { transaction: LmdbReadTxn }): Buffer | undefined;
    };
    return txn ? root.getBinary(key, { transaction: txn }) : root.getBinary(key);
  }

  /**
   * Inside write(): records that this transaction removes versions or index entries some snapshot
   * being taken right now might still need. A READ COMMITTED snapshot reads the running xids, then
   * opens its read transactions on the database environments; a removal committed in between
   * could take a version that is dead only to snapshots taken later. takeSnapshot() reads this
   * counter before and after and takes the snapshot again if it moved.
   */
  notePrune(): void {
    if (this.pruneNoted) return;
    this.pruneNoted = true;
    const cur = this.root.get(PRUNE_COUNTER_KEY);
    const v = Buffer.allocUnsafe(4);
    v.writeUInt32BE(((cur ? cur.readUInt32BE(0) : 0) + 1) >>> 0, 0);
    this.put(PRUNE_COUNTER_KEY, v);
  }

  /** The prune counter as of read transaction `txn` (a fresh one if omitted). */
  pruneCount(txn?: LmdbReadTxn): number {
    const t = txn ?? this.freshReadTxn();
    try {
      const v = this.get(PRUNE_COUNTER_KEY, t);
      return v ? v.readUInt32BE(0) : 0;
    } finally {
      if (!txn) t.done();
    }
  }

  /** Inside write(): store a value. */
  put(key: Buffer, value: Uint8Array): void {
    this.root.putSync(key, value as Buffer);
    this.dirtied = true;
  }

  /** Inside write(): delete a key (a no-op if absent). */
  del(key: Buffer): void {
    if (this.root.removeSync(key)) this.dirtied = true;
  }

  /**
   * Flushes everything committed so far to disk. Concurrent callers share
   * fsyncs: a caller waits at most for the one running plus one more.
   */
  syncToDisk(): Promise<void> {
    if (!this.fsync) return Promise.resolve();
    if (!this.syncRunning) return this.startSync();
    if (!this.syncQueued) {
      this.syncQueued = this.syncRunning.then(
        () => {
          this.syncQueued = null;
          return this.startSync();
        },
        () => {
          this.syncQueued = null;
          return this.startSync();
        },
      );
    }
    return this.syncQueued;
  }

  private startSync(): Promise<void> {
    const p = new Promise<void>((resolve, reject) => {
      // Runs mdb_env_sync(force) on libuv's thread pool.
      // `sync(callback)` is untyped in lmdb's declarations.
      const root = this.root as unknown as { sync(cb: (error?: unknown) => void): void };
      root.sync((error?: unknown) => {
        if (error) reject(error instanceof Error ? error : new Error('LMDB sync failed'));
        else resolve();
      });
    });
    this.syncRunning = p;
    const clear = (): void => {
      if (this.syncRunning === p) this.syncRunning = null;
    };
    p.then(clear, clear);
    return p;
  }

  /** Synchronous fsync (initdb, shutdown). */
  syncNow(): void {
    if (!this.fsync) return;
    (this.root as unknown as { env: { sync(): void } }).env.sync();
  }

  close(): Promise<void> {
    return this.root.close();
  }
}
