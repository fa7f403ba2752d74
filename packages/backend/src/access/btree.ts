/*
 * access/btree.ts — btree indexes (PostgreSQL's nbtree) as LMDB key ranges.
 *
 * An entry is the key [I][relFileId][encoded columns][rowId] with an empty
 * value: LMDB's B+tree is the btree. Every heap version gets its own entry
 * (no HOT), so an index scan fetches each entry's version and keeps the
 * visible ones. Uniqueness is checked in the same LMDB write transaction that
 * adds the entry (so two processes cannot both pass the check): a live
 * duplicate fails with 23505, a duplicate whose inserter or deleter is still
 * running makes us wait for it and check again — PostgreSQL's _bt_check_unique.
 */
import type {
  BtreeIndex,
  BtreeIndexSpec,
  HeapTuple,
  IndexScanRange,
  RowId,
  Snapshot,
  Transaction,
  Xid,
} from './api.js';
import type { LmdbEnv } from '../storage/env.js';
import {
  INDEX,
  MAX_KEY_BYTES,
  heapKey,
  key32,
  prefixEnd,
  readRowId,
  writeRowId,
} from '../storage/keys.js';
import { xidState } from '../storage/clog.js';
import { SqlState, storageError } from '../storage/errors.js';
import { encodeKey } from './keycodec.js';
import type { HeapRelationImpl } from './heap.js';
import type { SnapshotImpl } from './snapshot.js';
import type { TransactionImpl } from './xact.js';
import { versionVisible } from './visibility.js';
import { oldestNeededXid } from './xact.js';
import { dataOffset, decodeRow, readXmax, readXmin } from './tuple.js';

const EMPTY = Buffer.alloc(0);
/** Index entries written per LMDB transaction by build(). */
const BUILD_BATCH = 20_000;
/** Key prefix of unique-key claim records (see Candidates). */
export const UNIQUE_CLAIM = 0x55;

type Check =
  | { kind: 'ok' }
  | { kind: 'wait'; xid: number }
  | { kind: 'conflict'; rowId: RowId }
  | { kind: 'retry' };

/** An index entry whose row id is not known yet, read and checked as far as possible outside a write. */
export interface PreparedEntry {
  readonly encoded: Buffer;
  /** Present when the key must be checked for uniqueness. */
  readonly candidates: Candidates | undefined;
}

/**
 * Unique checks read the entries of a key with a range cursor, which must not
 * run inside an lmdb-js write transaction (storage/README.md). So they read
 * outside, then re-validate inside the write via the key's *claim record*
 * [U][relFileId][key] -> counter, bumped by every insert of that key: if the
 * counter is unchanged, nobody added an entry for the key in between.
 */
export interface Candidates {
  readonly claim: Buffer;
  readonly claimValue: Buffer | undefined;
  readonly rowIds: RowId[];
  /** The index entry of each row id (same order), for pruning. */
  readonly entries: Buffer[];
  /**
   * Versions deleted by a transaction that committed below this xid are dead to every snapshot
   * (0: no other entries, nothing to prune). Read before the write, so it can only be older
   * (smaller, safer) than the horizon at the time the entries are pruned.
   */
  readonly horizon: Xid;
}

export class BtreeIndexImpl implements BtreeIndex {
  readonly spec: BtreeIndexSpec;
  readonly heap: HeapRelationImpl;
  private readonly env: LmdbEnv;
  private readonly global: LmdbEnv;
  private readonly prefix: Buffer;

  constructor(spec: BtreeIndexSpec, heap: HeapRelationImpl, global: LmdbEnv) {
    this.spec = spec;
    this.heap = heap;
    this.env = heap.env;
    this.global = global;
    this.prefix = key32(INDEX, spec.relFileId);
  }

  private entryKey(encoded: Buffer, rowId: RowId): Buffer {
    const b = Buffer.allocUnsafe(encoded.length + 8);
    encoded.copy(b, 0);
    writeRowId(b, rowId, encoded.length);
    return b;
  }

  private checkSize(bytes: number): void {
    if (bytes > MAX_KEY_BYTES) {
      throw storageError(
        SqlState.programLimitExceeded,
        `index row size ${bytes} exceeds btree version 4 maximum ${MAX_KEY_BYTES} for index "${this.spec.name}"`,
        {
          hint: 'Values larger than 1/3 of a buffer page cannot be indexed.\nConsider a function index of an MD5 hash of the value, or use full text indexing.',
          table: this.heap.name,
          constraint: this.spec.name,
        },
      );
    }
  }

  private needsUniqueCheck(key: readonly unknown[]): boolean {
    if (!this.spec.unique) return false;
    if (this.spec.nullsNotDistinct) return true;
    return !key.some((v) => v === null || v === undefined);
  }

  async insert(txn: Transaction, key: readonly unknown[], rowId: RowId): Promise<void> {
    const t = txn as TransactionImpl;
    t.checkWritable();
    for (;;) {
      const entry = this.prepare(key);
      const r = this.env.write(() => this.tryAdd(t, entry, rowId));
      if (r.kind === 'ok') {
        t.noteWrite(this.env);
        return;
      }
      if (r.kind === 'retry') continue;
      if (r.kind === 'wait') {
        await t.waitFor(r.xid);
        continue;
      }
      const describe = this.spec.describeKey;
      throw storageError(
        SqlState.uniqueViolation,
        `duplicate key value violates unique constraint "${this.spec.name}"`,
        {
          ...(describe ? { detail: `Key ${describe(key)} already exists.` } : {}),
          table: this.heap.name,
          constraint: this.spec.name,
        },
      );
    }
  }

  /**
   * Outside any write: encodes `key` and reads what a unique check needs. Throws 54000 for a key
   * too long to index, before anything is written.
   */
  prepare(key: readonly unknown[]): PreparedEntry {
    const encoded = encodeKey(this.spec.columns, key, this.prefix);
    this.checkSize(encoded.length + 8);
    return {
      encoded,
      candidates: this.needsUniqueCheck(key) ? this.candidates(encoded) : undefined,
    };
  }

  /**
   * Inside a write() of this index's environment (the heap's, which is the same): adds the entry
   * for `rowId` unless the unique check must wait, retry or fail — then nothing is added and the
   * caller falls back to insert(), which does that.
   */
  addInWrite(t: TransactionImpl, entry: PreparedEntry, rowId: RowId): boolean {
    return this.tryAdd(t, entry, rowId).kind === 'ok';
  }

  private tryAdd(t: TransactionImpl, entry: PreparedEntry, rowId: RowId): Check {
    const cand = entry.candidates;
    if (cand) {
      const c = this.checkUnique(t, cand, rowId);
      if (c.kind !== 'ok') return c;
      this.bumpClaim(cand.claim);
    }
    this.env.put(this.entryKey(entry.encoded, rowId), EMPTY);
    return { kind: 'ok' };
  }

  build(txn: Transaction, entries: Iterable<{ key: readonly unknown[]; rowId: RowId }>): void {
    const t = txn as TransactionImpl;
    t.checkWritable();
    const full: Buffer[] = [];
    const seen = this.spec.unique ? new Set<string>() : undefined;
    for (const { key, rowId } of entries) {
      const encoded = encodeKey(this.spec.columns, key, this.prefix);
      const k = this.entryKey(encoded, rowId);
      this.checkSize(k.length);
      if (seen && this.needsUniqueCheck(key)) {
        const id = encoded.toString('latin1');
        if (seen.has(id)) {
          const describe = this.spec.describeKey;
          throw storageError(
            SqlState.uniqueViolation,
            `could not create unique index "${this.spec.name}"`,
            {
              ...(describe ? { detail: `Key ${describe(key)} is duplicated.` } : {}),
              table: this.heap.name,
              constraint: this.spec.name,
            },
          );
        }
        seen.add(id);
      }
      full.push(k);
    }
    // Sorted puts append to LMDB's pages instead of splitting them at random.
    full.sort((a, b) => Buffer.compare(a, b));
    for (let i = 0; i < full.length; i += BUILD_BATCH) {
      const batch = full.slice(i, i + BUILD_BATCH);
      this.env.write(() => {
        for (const k of batch) this.env.put(k, EMPTY);
      });
    }
    if (full.length > 0) t.noteWrite(this.env);
  }

  async findConflict(txn: Transaction, key: readonly unknown[]): Promise<HeapTuple | undefined> {
    const t = txn as TransactionImpl;
    const encoded = encodeKey(this.spec.columns, key, this.prefix);
    for (;;) {
      const cand = this.candidates(encoded);
      const r = this.env.write(() => this.checkUnique(t, cand, 0));
      if (r.kind === 'ok') return undefined;
      if (r.kind === 'retry') continue;
      if (r.kind === 'wait') {
        await t.waitFor(r.xid);
        continue;
      }
      return this.heap.fetchAnyVersion(r.rowId);
    }
  }

  /** Outside any write: the claim record and the row ids of key `encoded`'s entries. */
  private candidates(encoded: Buffer): Candidates {
    const claim = Buffer.from(encoded);
    claim[0] = UNIQUE_CLAIM;
    const txn = this.env.freshReadTxn();
    try {
      const claimValue = this.env.get(claim, txn);
      const rowIds: RowId[] = [];
      const entries: Buffer[] = [];
      for (const k of this.env.root.getKeys({
        start: encoded,
        end: prefixEnd(encoded),
        transaction: txn,
      })) {
        rowIds.push(readRowId(k, k.length - 8));
        entries.push(Buffer.from(k));
      }
      const horizon = rowIds.length > 0 ? oldestNeededXid(this.global) : 0;
      return { claim, claimValue, rowIds, entries, horizon };
    } finally {
      txn.done();
    }
  }

  /** Inside write(): records that an entry for the claimed key was added. */
  private bumpClaim(claim: Buffer): void {
    const cur = this.env.get(claim);
    const v = Buffer.allocUnsafe(4);
    v.writeUInt32BE(((cur ? cur.readUInt32BE(0) : 0) + 1) >>> 0, 0);
    this.env.put(claim, v);
  }

  /**
   * Inside the environment's write(): is there a live or possibly-live duplicate? On the way it
   * deletes the entries of versions it finds dead to every snapshot — PostgreSQL's bottom-up index
   * deletion. Without it a row updated over and over (pgbench's branches) piles up one entry per
   * update under its key, and every later check and lookup of that key walks them all. The dead
   * heap versions themselves are left to VACUUM: removing them here would leave the entries other
   * indexes hold for them behind, where VACUUM (which finds entries through heap versions) would
   * never look.
   */
  private checkUnique(t: TransactionImpl, cand: Candidates, ownRowId: RowId): Check {
    const now = this.env.get(cand.claim);
    const before = cand.claimValue;
    if ((now === undefined) !== (before === undefined) || (now && before && !now.equals(before))) {
      return { kind: 'retry' };
    }
    this.global.refresh();
    const heapRel = this.heap.relFileId;
    let verdict: Check = { kind: 'ok' };
    const { rowIds, entries, horizon } = cand;
    for (let i = 0; i < rowIds.length && verdict.kind === 'ok'; i++) {
      const other = rowIds[i]!;
      if (other === ownRowId) continue;
      const v = this.env.get(heapKey(heapRel, other));
      if (!v) continue;
      const xmin = readXmin(v);
      const xmax = readXmax(v);
      if (t.isCurrentXid(xmin)) {
        if (xmax !== 0 && t.isCurrentXid(xmax)) continue; // we deleted it ourselves
        verdict = { kind: 'conflict', rowId: other };
        continue;
      }
      const s1 = t.isAbortedXid(xmin) ? 'aborted' : xidState(this.global, xmin);
      if (s1 === 'aborted') {
        this.prune(entries[i]!); // an aborted insert is dead to everyone
        continue;
      }
      if (s1 === 'inProgress') verdict = { kind: 'wait', xid: xmin };
      else if (xmax === 0 || t.isAbortedXid(xmax)) verdict = { kind: 'conflict', rowId: other };
      else if (t.isCurrentXid(xmax)) continue;
      else {
        const s2 = xidState(this.global, xmax);
        if (s2 === 'aborted') verdict = { kind: 'conflict', rowId: other };
        else if (s2 === 'inProgress') verdict = { kind: 'wait', xid: xmax };
        // Deleted by a committed transaction: dead, and prunable once no snapshot can see it.
        else if (xmax < horizon) this.prune(entries[i]!);
      }
    }
    return verdict;
  }

  /** Inside write(): deletes an entry no snapshot needs (see LmdbEnv.notePrune). */
  private prune(entry: Buffer): void {
    this.env.notePrune();
    this.env.del(entry);
  }

  storedBytes(snapshot: Snapshot): number {
    const transaction = (snapshot as SnapshotImpl).readTxnFor(this.env);
    let bytes = 0;
    for (const k of this.env.root.getKeys({
      start: this.prefix,
      end: prefixEnd(this.prefix),
      transaction,
    }))
      bytes += k.length;
    return bytes;
  }

  *scan(snapshot: Snapshot, range: IndexScanRange = {}): IterableIterator<HeapTuple> {
    const s = snapshot as SnapshotImpl;
    const cols = this.spec.columns;
    const lo = range.lower
      ? range.lower.inclusive
        ? encodeKey(cols, range.lower.key, this.prefix)
        : prefixEnd(encodeKey(cols, range.lower.key, this.prefix))
      : this.prefix;
    const hi = range.upper
      ? range.upper.inclusive
        ? prefixEnd(encodeKey(cols, range.upper.key, this.prefix))
        : encodeKey(cols, range.upper.key, this.prefix)
      : prefixEnd(this.prefix);
    if (Buffer.compare(lo, hi) >= 0) return;
    const reverse = range.direction === 'backward';
    const transaction = s.readTxnFor(this.env);
    const heapRel = this.heap.relFileId;
    for (const k of this.env.root.getKeys({
      start: reverse ? hi : lo,
      end: reverse ? lo : hi,
      reverse,
      transaction,
    })) {
      const rowId = readRowId(k, k.length - 8);
      const v = this.env.get(heapKey(heapRel, rowId), transaction);
      if (v && versionVisible(v, s)) {
        yield { rowId, xmin: readXmin(v), xmax: readXmax(v), row: decodeRow(v, dataOffset(v)) };
      }
    }
  }

  lookup(snapshot: Snapshot, key: readonly unknown[]): IterableIterator<HeapTuple> {
    return this.scan(snapshot, {
      lower: { key, inclusive: true },
      upper: { key, inclusive: true },
    });
  }

  /** Removes the entries pointing at `dead` row ids (VACUUM). Returns how many. */
  removeEntries(dead: ReadonlySet<RowId>): number {
    this.env.refresh();
    const victims: Buffer[] = [];
    for (const k of this.env.root.getKeys({ start: this.prefix, end: prefixEnd(this.prefix) })) {
      if (dead.has(readRowId(k, k.length - 8))) victims.push(Buffer.from(k));
    }
    for (let i = 0; i < victims.length; i += 1000) {
      const batch = victims.slice(i, i + 1000);
      this.env.write(() => {
        this.env.notePrune();
        for (const k of batch) this.env.del(k);
      });
    }
    return victims.length;
  }

  countEntries(): number {
    this.env.refresh();
    return this.env.root.getKeysCount({ start: this.prefix, end: prefixEnd(this.prefix) });
  }
}
