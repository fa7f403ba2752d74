/*
 * access/heap.ts — a table's row versions (PostgreSQL's heapam).
 *
 * Keys are [H][relFileId][rowId]; every INSERT and every UPDATE writes a new
 * version under a fresh row id taken from the relation's counter. UPDATE and
 * DELETE stamp xmax/cmax on the old version (and `next` for updates) in the
 * same LMDB write transaction that checks the version is still free, so two
 * processes can never both win a row. A version stamped by a live transaction
 * is waited for; then READ COMMITTED follows the update chain and hands the
 * newest version back for re-checking (EvalPlanQual), REPEATABLE READ fails
 * with 40001 — PostgreSQL's rules.
 */
import type {
  HeapRelation,
  HeapTuple,
  IndexEntry,
  ModifyOptions,
  ModifyResult,
  RelFileId,
  Row,
  RowId,
  RowLockMode,
  ScanDirection,
  Snapshot,
  Transaction,
} from './api.js';
import type { LmdbEnv } from '../storage/env.js';
import {
  HEAP,
  ROW_COUNTER,
  heapKey,
  key32,
  prefixEnd,
  readRowId,
  writeRowId,
} from '../storage/keys.js';
import { xidState } from '../storage/clog.js';
import { SqlState, storageError } from '../storage/errors.js';
import type { SnapshotImpl } from './snapshot.js';
import type { BtreeIndexImpl, PreparedEntry } from './btree.js';
import type { TransactionImpl } from './xact.js';
import { versionVisible } from './visibility.js';
import {
  LOCK_KEY_SHARE,
  LOCK_NO_KEY_UPDATE,
  LOCK_SHARE,
  LOCK_UPDATE,
  XMAX_KEY_UPDATE,
  buildVersion,
  dataOffset,
  decodeRow,
  encodeRow,
  lockModesConflict,
  readHeader,
  readXmax,
  readXmin,
} from './tuple.js';
import type { RowLock } from './tuple.js';

const LOCK_MODES: Record<RowLockMode, number> = {
  keyShare: LOCK_KEY_SHARE,
  share: LOCK_SHARE,
  noKeyUpdate: LOCK_NO_KEY_UPDATE,
  update: LOCK_UPDATE,
};

type Attempt =
  | { kind: 'done'; rowId: RowId }
  | { kind: 'wait'; xid: number }
  | { kind: 'self' }
  | { kind: 'gone' }
  | { kind: 'concurrent'; next: RowId };

/** The parts of the cluster a heap needs. */
export interface HeapHost {
  readonly env: LmdbEnv;
  readonly global: LmdbEnv;
}

export class HeapRelationImpl implements HeapRelation {
  readonly relFileId: RelFileId;
  readonly name: string;
  readonly env: LmdbEnv;
  private readonly global: LmdbEnv;
  private readonly lo: Buffer;
  private readonly hi: Buffer;
  private readonly counterKey: Buffer;

  constructor(host: HeapHost, relFileId: RelFileId, name: string) {
    this.relFileId = relFileId;
    this.name = name;
    this.env = host.env;
    this.global = host.global;
    this.lo = key32(HEAP, relFileId);
    this.hi = prefixEnd(this.lo);
    this.counterKey = key32(ROW_COUNTER, relFileId);
  }

  /** Inside write(): reserves `n` row ids, returns the first. */
  private allocRowIds(n: number): RowId {
    const c = this.env.get(this.counterKey);
    const first = c ? readRowId(c, 0) : 1;
    const v = Buffer.allocUnsafe(8);
    writeRowId(v, first + n, 0);
    this.env.put(this.counterKey, v);
    return first;
  }

  insert(txn: Transaction, row: Row): RowId {
    const [id] = this.insertMany(txn, [row]);
    return id ?? 0;
  }

  insertMany(txn: Transaction, rows: readonly Row[]): RowId[] {
    return this.insertWith(txn, rows, () => undefined);
  }

  async insertIndexed(txn: Transaction, row: Row, entries: readonly IndexEntry[]): Promise<RowId> {
    const prepared = prepareEntries(entries);
    let pending: IndexEntry[] = [];
    const [id = 0] = this.insertWith(txn, [row], (t, ids) => {
      pending = addPrepared(t, entries, prepared, ids[0] ?? 0);
    });
    for (const e of pending) await e.index.insert(txn, e.key, id);
    return id;
  }

  /** Writes `rows` and runs `alsoInWrite` with their ids inside the same LMDB write. */
  private insertWith(
    txn: Transaction,
    rows: readonly Row[],
    alsoInWrite: (t: TransactionImpl, ids: RowId[]) => void,
  ): RowId[] {
    const t = txn as TransactionImpl;
    t.checkWritable();
    const xid = t.assignXid();
    const cid = t.commandId;
    const encoded = rows.map((r) => encodeRow(r));
    const ids = this.env.write(() => {
      const first = this.allocRowIds(encoded.length);
      const out: RowId[] = [];
      encoded.forEach((data, i) => {
        const id = first + i;
        this.env.put(
          heapKey(this.relFileId, id),
          buildVersion(
            { xmin: xid, cmin: cid, xmax: 0, cmax: 0, next: 0, flags: 0, locks: [] },
            data,
          ),
        );
        out.push(id);
      });
      alsoInWrite(t, out);
      return out;
    });
    t.noteWrite(this.env);
    return ids;
  }

  storedBytes(snapshot: Snapshot): number {
    const transaction = (snapshot as SnapshotImpl).readTxnFor(this.env);
    let bytes = 0;
    for (const { key, value } of this.env.root.getRange({
      start: this.lo,
      end: this.hi,
      transaction,
    }))
      bytes += key.length + value.length;
    return bytes;
  }

  *scan(snapshot: Snapshot, direction: ScanDirection = 'forward'): IterableIterator<HeapTuple> {
    const s = snapshot as SnapshotImpl;
    const transaction = s.readTxnFor(this.env);
    const reverse = direction === 'backward';
    const range = this.env.root.getRange({
      start: reverse ? this.hi : this.lo,
      end: reverse ? this.lo : this.hi,
      reverse,
      transaction,
    });
    for (const { key, value } of range) {
      if (versionVisible(value, s)) {
        yield {
          rowId: readRowId(key, 5),
          xmin: readXmin(value),
          xmax: readXmax(value),
          row: decodeRow(value, dataOffset(value)),
        };
      }
    }
  }

  fetch(snapshot: Snapshot, rowId: RowId): HeapTuple | undefined {
    const s = snapshot as SnapshotImpl;
    const v = this.env.get(heapKey(this.relFileId, rowId), s.readTxnFor(this.env));
    if (!v || !versionVisible(v, s)) return undefined;
    return { rowId, xmin: readXmin(v), xmax: readXmax(v), row: decodeRow(v, dataOffset(v)) };
  }

  /** Inside an env read or write: a version as a tuple, ignoring visibility. */
  private tupleAt(rowId: RowId): HeapTuple | undefined {
    const v = this.env.get(heapKey(this.relFileId, rowId));
    if (!v) return undefined;
    return { rowId, xmin: readXmin(v), xmax: readXmax(v), row: decodeRow(v, dataOffset(v)) };
  }

  fetchAnyVersion(rowId: RowId): HeapTuple | undefined {
    this.env.refresh();
    return this.tupleAt(rowId);
  }

  /** Raw stored version (newest state), for index uniqueness checks inside write(). */
  rawVersion(rowId: RowId): Buffer | undefined {
    return this.env.get(heapKey(this.relFileId, rowId));
  }

  update(
    txn: Transaction,
    snapshot: Snapshot,
    rowId: RowId,
    newRow: Row,
    options?: ModifyOptions,
  ): Promise<ModifyResult> {
    const mode = (options?.keyUpdate ?? true) ? LOCK_UPDATE : LOCK_NO_KEY_UPDATE;
    return this.modify('update', txn, snapshot, rowId, encodeRow(newRow), mode, options);
  }

  delete(
    txn: Transaction,
    snapshot: Snapshot,
    rowId: RowId,
    options?: ModifyOptions,
  ): Promise<ModifyResult> {
    return this.modify('delete', txn, snapshot, rowId, undefined, LOCK_UPDATE, options);
  }

  lockRow(
    txn: Transaction,
    snapshot: Snapshot,
    rowId: RowId,
    mode: RowLockMode,
    options?: ModifyOptions,
  ): Promise<ModifyResult> {
    return this.modify('lock', txn, snapshot, rowId, undefined, LOCK_MODES[mode], options);
  }

  private async modify(
    kind: 'update' | 'delete' | 'lock',
    txn: Transaction,
    _snapshot: Snapshot,
    rowId: RowId,
    data: Buffer | undefined,
    mode: number,
    options: ModifyOptions | undefined,
  ): Promise<ModifyResult> {
    const t = txn as TransactionImpl;
    t.checkWritable();
    const policy = options?.wait ?? 'block';
    const entries = kind === 'update' ? (options?.indexEntries ?? []) : [];
    for (;;) {
      const xid = t.assignXid();
      const cid = t.commandId;
      const prepared = prepareEntries(entries);
      let pending: IndexEntry[] = [];
      const r = this.env.write(() => {
        const a = this.attempt(kind, t, xid, cid, rowId, data, mode);
        if (a.kind === 'done' && entries.length > 0)
          pending = addPrepared(t, entries, prepared, a.rowId);
        return a;
      });
      switch (r.kind) {
        case 'done':
          t.noteWrite(this.env);
          for (const e of pending) await e.index.insert(txn, e.key, r.rowId);
          return { status: 'ok', newRowId: r.rowId };
        case 'self':
          return { status: 'selfModified' };
        case 'gone':
          return { status: 'deleted' };
        case 'wait':
          if (policy === 'nowait') {
            throw storageError(
              SqlState.lockNotAvailable,
              `could not obtain lock on row in relation "${this.name}"`,
            );
          }
          if (policy === 'skipLocked') return { status: 'skipped' };
          await t.waitFor(r.xid);
          continue;
        case 'concurrent': {
          if (t.isolation !== 'read committed') {
            throw storageError(
              SqlState.serializationFailure,
              `could not serialize access due to concurrent ${r.next ? 'update' : 'delete'}`,
            );
          }
          if (!r.next) return { status: 'deleted' };
          const newest = this.newestVersion(r.next);
          return newest ? { status: 'updated', tuple: newest } : { status: 'deleted' };
        }
      }
    }
  }

  /** Inside the heap's write(): one try at update/delete/lock of `rowId`. */
  private attempt(
    kind: 'update' | 'delete' | 'lock',
    t: TransactionImpl,
    xid: number,
    cid: number,
    rowId: RowId,
    data: Buffer | undefined,
    mode: number,
  ): Attempt {
    // Xids stamped on versions we read below were assigned before we got the
    // write lock, so a refreshed global view knows them.
    this.global.refresh();
    const key = heapKey(this.relFileId, rowId);
    const cur = this.env.get(key);
    if (!cur) return { kind: 'gone' };
    const h = readHeader(cur);
    if (h.xmax !== 0 && !t.isAbortedXid(h.xmax)) {
      if (t.isCurrentXid(h.xmax)) return { kind: 'self' };
      const st = xidState(this.global, h.xmax);
      if (st === 'inProgress') return { kind: 'wait', xid: h.xmax };
      if (st === 'committed') return { kind: 'concurrent', next: h.next };
      // aborted: the version is free again
    }
    const locks: RowLock[] = [];
    let held = 0;
    for (const l of h.locks) {
      if (t.isCurrentXid(l.xid)) {
        held = Math.max(held, l.mode);
        locks.push(l);
        continue;
      }
      if (t.isAbortedXid(l.xid)) continue;
      if (xidState(this.global, l.xid) !== 'inProgress') continue; // finished: drop the entry
      if (lockModesConflict(l.mode, mode)) return { kind: 'wait', xid: l.xid };
      locks.push(l);
    }
    const rowBytes = cur.subarray(h.dataOffset);
    if (kind === 'lock') {
      if (held >= mode && locks.length === h.locks.length) return { kind: 'done', rowId };
      if (held < mode) locks.push({ xid, mode });
      this.env.put(key, buildVersion({ ...h, locks }, rowBytes));
      return { kind: 'done', rowId };
    }
    const flags = mode === LOCK_UPDATE ? XMAX_KEY_UPDATE : 0;
    if (kind === 'delete') {
      this.env.put(
        key,
        buildVersion({ ...h, xmax: xid, cmax: cid, next: 0, flags, locks }, rowBytes),
      );
      return { kind: 'done', rowId };
    }
    const newId = this.allocRowIds(1);
    this.env.put(
      heapKey(this.relFileId, newId),
      buildVersion(
        { xmin: xid, cmin: cid, xmax: 0, cmax: 0, next: 0, flags: 0, locks: [] },
        data ?? Buffer.alloc(0),
      ),
    );
    this.env.put(
      key,
      buildVersion({ ...h, xmax: xid, cmax: cid, next: newId, flags, locks }, rowBytes),
    );
    return { kind: 'done', rowId: newId };
  }

  /**
   * Follows the update chain from `rowId` past versions whose updater
   * committed; undefined if the row was deleted (or vacuumed away).
   */
  private newestVersion(rowId: RowId): HeapTuple | undefined {
    this.env.refresh();
    this.global.refresh();
    let id = rowId;
    for (;;) {
      const v = this.env.get(heapKey(this.relFileId, id));
      if (!v) return undefined;
      const h = readHeader(v);
      if (h.xmax !== 0 && xidState(this.global, h.xmax) === 'committed') {
        if (!h.next) return undefined;
        id = h.next;
        continue;
      }
      return { rowId: id, xmin: h.xmin, xmax: h.xmax, row: decodeRow(v, h.dataOffset) };
    }
  }

  countVersions(): number {
    this.env.refresh();
    return this.env.root.getKeysCount({ start: this.lo, end: this.hi });
  }
}

/** Outside the write: each entry's encoded key and unique-check candidates. */
function prepareEntries(entries: readonly IndexEntry[]): PreparedEntry[] {
  return entries.map((e) => (e.index as BtreeIndexImpl).prepare(e.key));
}

/** Inside the heap's write: adds what needs no wait; returns the entries left for BtreeIndex.insert. */
function addPrepared(
  t: TransactionImpl,
  entries: readonly IndexEntry[],
  prepared: readonly PreparedEntry[],
  rowId: RowId,
): IndexEntry[] {
  const pending: IndexEntry[] = [];
  entries.forEach((e, i) => {
    const p = prepared[i];
    if (!p || !(e.index as BtreeIndexImpl).addInWrite(t, p, rowId)) pending.push(e);
  });
  return pending;
}
