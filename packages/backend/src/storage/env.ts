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
 * Durability: every process opens with `noSync` (no fsync per LMDB commit) and
 * COMMIT calls `syncToDisk()`, which fsyncs and is shared by every committer
 * that arrived while the previous fsync ran (group commit inside a process;
 * across processes the kernel merges concurrent fdatasyncs of one file).
 */
import { open } from 'lmdb';
import type { RootDatabase, Transaction as LmdbReadTxn } from 'lmdb';

export type { LmdbReadTxn };

export interface EnvOpenOptions {
  readonly mapSize: number;
  /** false: never fsync (fsync=off). */
  readonly fsync: boolean;
}

export class LmdbEnv {
  readonly path: string;
  readonly root: RootDatabase<Buffer, Buffer>;
  private readonly fsync: boolean;
  private syncRunning: Promise<void> | null = null;
  private syncQueued: Promise<void> | null = null;
  /** Set while inside write(): nested write() calls join the outer transaction. */
  private inWrite = false;

  constructor(path: string, options: EnvOpenOptions) {
    this.path = path;
    this.fsync = options.fsync;
    // Same flags in every process (lmdb refuses mixed sync modes).
    this.root = open<Buffer, Buffer>({
      path,
      keyEncoding: 'binary',
      encoding: 'binary',
      noSync: true,
      overlappingSync: false,
      mapSize: options.mapSize,
      maxReaders: 1022,
      cache: false,
      compression: false,
    });
  }

  /**
   * Runs `work` inside one LMDB write transaction (holding the environment's
   * cross-process write lock) and returns its result. If `work` throws, the
   * transaction is rolled back and the error rethrown. `work` must be
   * synchronous and short.
   */
  write<T>(work: () => T): T {
    if (this.inWrite) return work();
    let result: T | undefined;
    let done = false;
    this.inWrite = true;
    try {
      this.root.transactionSync(() => {
        result = work();
        done = true;
      });
    } finally {
      this.inWrite = false;
    }
    if (!done) throw new Error('LMDB write transaction did not run');
    return result as T;
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

  /** Inside write(): store a value. */
  put(key: Buffer, value: Uint8Array): void {
    this.root.putSync(key, value as Buffer);
  }

  /** Inside write(): delete a key. */
  del(key: Buffer): void {
    this.root.removeSync(key);
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
