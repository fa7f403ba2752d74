/*
 * access/api.ts — the typed contract between Tusk's SQL layer and its storage.
 *
 * Everything the executor, catalog and commands need from storage is declared
 * here: opening an installation (cluster), per-database storage, transactions
 * with PostgreSQL's MVCC semantics, snapshots, heap relations (row versions),
 * btree indexes and sequences. The implementation lives in access/ and
 * storage/; callers should import only from this file (or the area index).
 *
 * Conventions
 * - A relation's storage is addressed by a numeric `RelFileId` (PostgreSQL's
 *   relfilenode): the catalog maps a relation oid to it, so TRUNCATE and
 *   rewrites can switch to a fresh id transactionally.
 * - A row is an array of JS values (`Row`). Values: null, boolean, number,
 *   bigint, string, Uint8Array, nested arrays and plain objects (json); they
 *   round-trip exactly (bigint stays bigint, Uint8Array comes back as a
 *   Uint8Array/Buffer).
 * - Errors that PostgreSQL reports with a SQLSTATE are thrown as the SQL
 *   engine's PgError (alias `StorageError`, see storage/errors.ts) whose
 *   `code` is that SQLSTATE.
 * - Methods that may have to wait for another transaction (row locks, unique
 *   checks, concurrent updates) are async; everything else is synchronous.
 */

export type { StorageErrorFields } from '../storage/errors.js';
export { StorageError } from '../storage/errors.js';

/**
 * Entry points (implemented in storage/cluster.ts, re-exported by access/index.ts):
 * - `createCluster(dataDir, options?) => Cluster` — initdb: creates `global/`
 *   and `base/`, then returns the cluster opened.
 * - `openCluster(dataDir, options?) => Cluster` — a backend (or the postmaster)
 *   opens an existing installation. Opening never writes to LMDB.
 */
export type ClusterFactory = (dataDir: string, options?: ClusterOptions) => Cluster;

/** Object identifier (database, relation, ...) as stored in the catalogs. */
export type Oid = number;
/** Identifier of a relation's storage (PostgreSQL's relfilenode). */
export type RelFileId = number;
/** Transaction id (32-bit, never wraps in practice here). 0 = invalid. */
export type Xid = number;
/** Command id inside one transaction: statements see rows of earlier commands only. */
export type CommandId = number;
/**
 * Identifier of one row *version* inside a relation (PostgreSQL's ctid).
 * A positive integer below 2^48; an UPDATE creates a new version with a new id.
 */
export type RowId = number;

/** One SQL value as stored. Plain objects are json(b) documents. */
export type Datum =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | readonly Datum[]
  | { readonly [key: string]: unknown };
/** A row: one Datum per attribute, in attribute order. */
export type Row = readonly unknown[];

/** Transaction isolation levels. SERIALIZABLE is currently snapshot isolation (same as REPEATABLE READ). */
export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable';
/** Row-level lock strengths, weakest first (FOR KEY SHARE … FOR UPDATE). */
export type RowLockMode = 'keyShare' | 'share' | 'noKeyUpdate' | 'update';
/** What to do when a row lock is held by another transaction. */
export type LockWaitPolicy = 'block' | 'nowait' | 'skipLocked';
/** Final or current state of a transaction id in the commit log. */
export type XidStatus = 'inProgress' | 'committed' | 'aborted';

/** Options for opening or creating an installation's storage. */
export interface ClusterOptions {
  /**
   * false: skip fsync entirely (like PostgreSQL's fsync=off): faster, not
   * crash-safe, and it opens LMDB with `noSync`, which lmdb-js 3.5.6 cannot
   * share safely between processes (lost commits, storage/README.md) — use it
   * only for single-process tools and tests. Must be the same in every
   * process of an installation. Default true.
   */
  readonly fsync?: boolean;
  /** LMDB map size per environment in bytes (virtual, grows nothing on disk). Default 64 GiB. */
  readonly mapSize?: number;
  /**
   * Process id used in the proc array and for wake-up signals. Default
   * `process.pid`. Only tests should override it.
   */
  readonly pid?: number;
}

/** Options for a new transaction. */
export interface TransactionOptions {
  /** Default 'read committed'. */
  readonly isolation?: IsolationLevel;
  /** A read-only transaction never gets an xid; writes throw 25006. */
  readonly readOnly?: boolean;
  /** Milliseconds before a lock wait fails with 55P03; 0 = wait forever (default). */
  readonly lockTimeoutMs?: number;
  /** Milliseconds a lock wait lasts before deadlock detection runs. Default 1000. */
  readonly deadlockTimeoutMs?: number;
}

/**
 * An installation: the data directory with its `global/` environment (xid
 * counter, commit log, proc array, wait table, shared catalogs) and one
 * environment per database under `base/<dbOid>/`. One per process.
 */
export interface Cluster {
  /** Absolute path of the data directory. */
  readonly dataDir: string;
  /** The process id this cluster handle registers in the proc array. */
  readonly pid: number;
  /**
   * Storage of shared catalogs (pg_database, pg_authid, …), kept in the
   * global environment so every database sees the same rows.
   */
  readonly shared: DatabaseStorage;

  /** Opens (or returns the already open) storage of database `dbOid`. Throws 3D000 if it does not exist. */
  openDatabase(dbOid: Oid): DatabaseStorage;
  /**
   * Creates the storage of a new database, empty or as a byte-for-byte copy
   * of `templateOid`'s (CREATE DATABASE … TEMPLATE). Non-transactional.
   */
  createDatabaseStorage(dbOid: Oid, templateOid?: Oid): void;
  /** Removes a database's storage directory (DROP DATABASE). It must not be open anywhere. */
  dropDatabaseStorage(dbOid: Oid): Promise<void>;
  /** True if `base/<dbOid>/` exists. */
  databaseExists(dbOid: Oid): boolean;

  /** Starts a transaction. Nothing is written until its first modification. */
  beginTransaction(options?: TransactionOptions): Transaction;

  /** Commit-log status of any xid, read fresh (not under a snapshot). */
  xidStatus(xid: Xid): XidStatus;

  /**
   * Called by the postmaster when a backend died without cleaning up: marks
   * its transaction (and subtransactions) aborted, drops its proc-array and
   * wait entries and wakes everyone who waited for it.
   */
  abortTransactionsOfDeadProcess(pid: number): void;
  /**
   * Called once at postmaster start, before any backend runs: every xid still
   * in progress is marked aborted and the proc array and wait table are cleared.
   */
  recoverAfterCrash(): void;

  /** Closes every environment after aborting this process's open transactions. */
  close(): Promise<void>;
}

/**
 * The storage of one database (or of the shared catalogs): relations,
 * indexes, sequences. Obtained from `Cluster.openDatabase`.
 */
export interface DatabaseStorage {
  /** Database oid (0 for the shared-catalog storage). */
  readonly oid: Oid;

  /**
   * Makes storage for relation `relFileId` exist. Idempotent. Creation is
   * cheap (a key prefix); DDL rollback is the catalog's business: an unused
   * relFileId simply stays empty.
   */
  createRelation(relFileId: RelFileId): void;
  /** Removes every row version / index entry of `relFileId` now (non-transactional). */
  truncateRelation(relFileId: RelFileId): void;
  /**
   * Schedules removal of `relFileId`'s storage when `txn` commits (DROP
   * TABLE, or the old storage after TRUNCATE/rewrite). Nothing happens if it aborts.
   */
  dropRelationAtCommit(txn: Transaction, relFileId: RelFileId): void;

  /** A handle on a heap (table) relation. Cheap; callers may cache it. */
  heap(relFileId: RelFileId, relationName: string): HeapRelation;
  /** A handle on a btree index over `heap`. Cheap; callers may cache it. */
  btree(spec: BtreeIndexSpec, heap: HeapRelation): BtreeIndex;
  /** Sequences stored in this database. */
  readonly sequences: SequenceStore;

  /**
   * Removes row versions that no snapshot anywhere can see any more (and the
   * index entries pointing at them). Returns how many versions were removed.
   */
  vacuum(heap: HeapRelation, indexes: readonly BtreeIndex[]): VacuumResult;
  /** Bytes used by the environment's data file (for tests / pg_database_size). */
  sizeOnDisk(): number;
}

/** What VACUUM did to one table. */
export interface VacuumResult {
  /** Dead row versions removed from the heap. */
  readonly removedVersions: number;
  /** Index entries removed. */
  readonly removedIndexEntries: number;
  /** Versions left (live, or still visible to some snapshot). */
  readonly keptVersions: number;
}

/**
 * A transaction. Created by `Cluster.beginTransaction`; ends with `commit()`
 * or `abort()`. Not safe to use from two async flows at once.
 */
export interface Transaction {
  /** Isolation level (fixed at begin). */
  readonly isolation: IsolationLevel;
  readonly readOnly: boolean;
  /** 'active' until commit/abort finishes. */
  readonly state: 'active' | 'committed' | 'aborted';
  /** The top-level xid, or 0 if none has been assigned yet (nothing written). */
  readonly topXid: Xid;
  /** The xid of the innermost (sub)transaction, assigning one if needed. */
  assignXid(): Xid;
  /** Current command id; rows written now get it as cmin/cmax. */
  readonly commandId: CommandId;
  /**
   * Ends the current command: later snapshots see its writes. Call between
   * statements (and inside a statement where PostgreSQL does, e.g. after
   * firing triggers).
   */
  commandCounterIncrement(): void;

  /**
   * The snapshot for the next statement: a fresh one in READ COMMITTED, the
   * transaction's (first) snapshot in REPEATABLE READ/SERIALIZABLE — always
   * with the current command id. Release it when the statement (or portal)
   * ends; all snapshots are released at commit/abort anyway.
   */
  statementSnapshot(): Snapshot;

  /** Nesting depth: 1 at top level, +1 per open savepoint. */
  readonly nestingLevel: number;
  /** SAVEPOINT: starts a subtransaction. */
  beginSubtransaction(): void;
  /** RELEASE SAVEPOINT: merges the innermost subtransaction into its parent. */
  releaseSubtransaction(): void;
  /**
   * ROLLBACK TO SAVEPOINT (the SQL layer re-opens the savepoint afterwards by
   * calling beginSubtransaction again): the innermost subtransaction's writes
   * become invisible to everybody and its row locks are released.
   */
  rollbackSubtransaction(): void;

  /**
   * COMMIT: returns once the commit record is durable. After it resolves the
   * changes are visible to new snapshots everywhere. Read-only transactions
   * commit without any write.
   */
  commit(): Promise<void>;
  /** ROLLBACK (also after an error). Idempotent. */
  abort(): void;

  /**
   * Cancels a lock wait in progress (statement timeout, query cancel,
   * backend termination): the waiting call rejects with `reason`.
   */
  interrupt(reason: Error): void;

  /** Sets lock_timeout for later waits (0 = none). */
  setLockTimeout(ms: number): void;
}

/**
 * An MVCC snapshot: which transactions' effects are visible. Holds LMDB read
 * transactions, so release it when done.
 */
export interface Snapshot {
  /** Every xid below this has finished (committed or aborted). */
  readonly xmin: Xid;
  /** Every xid at or above this had not started when the snapshot was taken. */
  readonly xmax: Xid;
  /** Command id: the owning transaction's rows written by commands >= this are invisible. */
  readonly curcid: CommandId;
  /** True if `xid` was running when the snapshot was taken (so its work is invisible). */
  isInProgress(xid: Xid): boolean;
  /** Releases the LMDB read transactions behind this snapshot. Idempotent. */
  release(): void;
}

/** A visible row version as returned by scans and fetches. */
export interface HeapTuple {
  /** This version's id (ctid). */
  readonly rowId: RowId;
  /** The inserting transaction (system column xmin). */
  readonly xmin: Xid;
  /** The deleting/locking transaction or 0 (system column xmax). */
  readonly xmax: Xid;
  /** Attribute values. */
  readonly row: Row;
}

/** Options for heap_update / heap_delete / row locks. */
export interface ModifyOptions {
  /** Blocking behaviour when the row is locked. Default 'block'. */
  readonly wait?: LockWaitPolicy;
  /**
   * For UPDATE: true if a key column (one referenced by a unique index usable
   * by a foreign key) changes — then the update takes FOR UPDATE strength,
   * otherwise FOR NO KEY UPDATE (PostgreSQL's rule). Default true.
   */
  readonly keyUpdate?: boolean;
  /**
   * For UPDATE: the index entries of the new version. The heap adds them as BtreeIndex.insert
   * would, in the same storage write as the version where no wait is needed (one fsync instead of
   * one per index).
   */
  readonly indexEntries?: readonly IndexEntry[];
}

/** An index entry for a row version about to be written (its row id is not known yet). */
export interface IndexEntry {
  readonly index: BtreeIndex;
  readonly key: readonly unknown[];
}

/**
 * Result of update/delete/lock on a row version the caller's snapshot saw.
 * - `ok`: done; for update, `newRowId` is the new version.
 * - `updated`: (READ COMMITTED only) someone else committed an update of this
 *   row first; `tuple` is the newest version. Re-check your WHERE on it
 *   (EvalPlanQual) and retry on `tuple.rowId` if it still qualifies.
 * - `deleted`: someone else committed a delete of this row; skip it.
 * - `selfModified`: this transaction already updated/deleted the row in the
 *   current command (PostgreSQL ignores such rows) or in an earlier one.
 * - `skipped`: the row was locked and the policy was 'skipLocked'.
 * In REPEATABLE READ/SERIALIZABLE a concurrent committed update/delete throws
 * 40001 instead of returning `updated`/`deleted`.
 */
export type ModifyResult =
  | { readonly status: 'ok'; readonly newRowId: RowId }
  | { readonly status: 'updated'; readonly tuple: HeapTuple }
  | { readonly status: 'deleted' }
  | { readonly status: 'selfModified' }
  | { readonly status: 'skipped' };

/** Scan direction for heap and index scans. */
export type ScanDirection = 'forward' | 'backward';

/** A table's row versions. */
export interface HeapRelation {
  readonly relFileId: RelFileId;
  /** Relation name used in error messages. */
  readonly name: string;

  /** Inserts a new row version (cmin = txn.commandId). Returns its id. */
  insert(txn: Transaction, row: Row): RowId;
  /** Inserts many rows in one storage write (COPY, INSERT … SELECT). */
  insertMany(txn: Transaction, rows: readonly Row[]): RowId[];
  /**
   * insert() plus the row's index entries, added as BtreeIndex.insert would (waits, 23505),
   * in the same storage write as the row where no wait is needed.
   */
  insertIndexed(txn: Transaction, row: Row, entries: readonly IndexEntry[]): Promise<RowId>;

  /**
   * Sequential scan: every version visible to `snapshot`, in row-id order.
   * Streaming; safe to interleave with writes of the same transaction (the
   * scan never sees versions written after it started — no Halloween problem).
   */
  scan(snapshot: Snapshot, direction?: ScanDirection): IterableIterator<HeapTuple>;
  /** The version `rowId` if visible to `snapshot`, else undefined. */
  fetch(snapshot: Snapshot, rowId: RowId): HeapTuple | undefined;
  /** The version `rowId` regardless of visibility (undefined if vacuumed). */
  fetchAnyVersion(rowId: RowId): HeapTuple | undefined;
  /** Bytes of every stored version (dead ones too, as a PostgreSQL relation's size counts them). */
  storedBytes(snapshot: Snapshot): number;

  /**
   * UPDATE of version `rowId` (which `snapshot` saw) to `newRow`. Waits for
   * conflicting transactions; see ModifyResult. Index entries for the new
   * version: `options.indexEntries`, or the caller's BtreeIndex.insert with `newRowId`.
   */
  update(
    txn: Transaction,
    snapshot: Snapshot,
    rowId: RowId,
    newRow: Row,
    options?: ModifyOptions,
  ): Promise<ModifyResult>;
  /** DELETE of version `rowId` (which `snapshot` saw). See ModifyResult. */
  delete(
    txn: Transaction,
    snapshot: Snapshot,
    rowId: RowId,
    options?: ModifyOptions,
  ): Promise<ModifyResult>;
  /**
   * SELECT … FOR UPDATE/NO KEY UPDATE/SHARE/KEY SHARE on version `rowId`.
   * 'nowait' throws 55P03 `could not obtain lock on row in relation "name"`.
   * `ok` returns `newRowId === rowId`.
   */
  lockRow(
    txn: Transaction,
    snapshot: Snapshot,
    rowId: RowId,
    mode: RowLockMode,
    options?: ModifyOptions,
  ): Promise<ModifyResult>;
  /** Number of stored versions (live and dead), for statistics and tests. */
  countVersions(): number;
}

/** Order-preserving encodings a btree key column can use. */
export type KeyColumnType =
  /** number (safe integer) or bigint: int2/int4/int8/oid, dates as day numbers, … */
  | 'integer'
  /** float4/float8; NaN sorts above +Infinity as in PostgreSQL; -0 = 0. */
  | 'float'
  /** numeric as a decimal string ('-12.50', 'NaN', 'Infinity') or number; 1.50 = 1.5. */
  | 'numeric'
  /** text/varchar/char/name in C collation (UTF-8 byte order). */
  | 'text'
  /** bytea (Uint8Array), byte order. */
  | 'bytea'
  /** boolean, false < true. */
  | 'bool';

/** One key column of a btree index. */
export interface KeyColumnSpec {
  readonly type: KeyColumnType;
  /** DESC column. Default false. */
  readonly desc?: boolean;
  /** NULLS FIRST. Default: false for ASC, true for DESC (PostgreSQL's default). */
  readonly nullsFirst?: boolean;
}

/** Definition of a btree index's storage. */
export interface BtreeIndexSpec {
  readonly relFileId: RelFileId;
  /** Index name, for error messages. */
  readonly name: string;
  readonly columns: readonly KeyColumnSpec[];
  /** UNIQUE index. */
  readonly unique: boolean;
  /** UNIQUE NULLS NOT DISTINCT (PostgreSQL 15). Default false: NULLs never conflict. */
  readonly nullsNotDistinct?: boolean;
  /**
   * Formats a key for the 23505 detail: returns `(a, b)=(1, x)` and storage
   * reports `Key (a, b)=(1, x) already exists.`; without it no detail.
   */
  readonly describeKey?: (key: readonly unknown[]) => string;
}

/** A bound of an index range scan; `key` may be a prefix of the index columns. */
export interface IndexBound {
  readonly key: readonly unknown[];
  readonly inclusive: boolean;
}

/** Range of an index scan. Omitted bounds are open. */
export interface IndexScanRange {
  readonly lower?: IndexBound;
  readonly upper?: IndexBound;
  /** Default 'forward' (index order). */
  readonly direction?: ScanDirection;
}

/** A btree index: ordered (key, row id) entries over one heap. */
export interface BtreeIndex {
  readonly spec: BtreeIndexSpec;
  readonly heap: HeapRelation;
  /** Bytes of the index's stored entries. */
  storedBytes(snapshot: Snapshot): number;
  /**
   * Adds the entry (key, rowId) for a heap version this transaction just
   * wrote. For a unique index first checks for a live duplicate: waits for an
   * in-progress inserter/deleter of the same key, then throws 23505 if the
   * duplicate is (still) live. Throws 54000 for keys too long to index.
   */
  insert(txn: Transaction, key: readonly unknown[], rowId: RowId): Promise<void>;
  /**
   * Bulk-loads a NEW index (CREATE INDEX, ADD PRIMARY KEY) that no other
   * transaction writes yet: one LMDB transaction per batch of entries instead
   * of one per entry. For a unique index, fails with 23505 "could not create
   * unique index" when two entries have the same key.
   */
  build(txn: Transaction, entries: Iterable<{ key: readonly unknown[]; rowId: RowId }>): void;
  /**
   * Index scan: heap versions visible to `snapshot` whose key is in `range`,
   * in index order (or reverse).
   */
  scan(snapshot: Snapshot, range?: IndexScanRange): IterableIterator<HeapTuple>;
  /**
   * Entries whose key equals `key` (all columns), visible to `snapshot`;
   * shorthand for a closed range scan.
   */
  lookup(snapshot: Snapshot, key: readonly unknown[]): IterableIterator<HeapTuple>;
  /**
   * For INSERT … ON CONFLICT: the live version (committed, or this
   * transaction's) holding `key`, after waiting for in-progress writers of
   * that key; undefined if none.
   */
  findConflict(txn: Transaction, key: readonly unknown[]): Promise<HeapTuple | undefined>;
  /** Number of entries (live and dead), for tests and statistics. */
  countEntries(): number;
}

/** Parameters of a sequence (CREATE SEQUENCE). Values are bigint. */
export interface SequenceParams {
  readonly increment: bigint;
  readonly minValue: bigint;
  readonly maxValue: bigint;
  readonly start: bigint;
  readonly cycle: boolean;
}

/** Current state of a sequence (what `SELECT * FROM seq` shows). */
export interface SequenceState {
  readonly lastValue: bigint;
  readonly isCalled: boolean;
}

/**
 * Sequences: non-transactional counters (nextval/setval are never rolled
 * back, as in PostgreSQL). Each call is one atomic storage write.
 */
export interface SequenceStore {
  /** Creates (or resets) sequence storage `relFileId` at params.start, is_called false. */
  create(relFileId: RelFileId, params: SequenceParams): void;
  /** Removes the sequence's storage now. */
  drop(relFileId: RelFileId): void;
  /**
   * nextval: advances and returns the new value. Throws 2200H
   * `nextval: reached maximum value of sequence "name" (max)` when exhausted
   * and not cycling. `name` is used only in that message.
   */
  nextval(relFileId: RelFileId, params: SequenceParams, name: string): bigint;
  /** setval(value, isCalled). Throws 22003 if outside [min, max]. */
  setval(
    relFileId: RelFileId,
    params: SequenceParams,
    name: string,
    value: bigint,
    isCalled: boolean,
  ): void;
  /**
   * Current state (undefined if no such sequence storage); with a snapshot, as of its read
   * transaction (which was fresh when the snapshot was taken).
   */
  read(relFileId: RelFileId, snapshot?: Snapshot): SequenceState | undefined;
}
