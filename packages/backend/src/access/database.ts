/*
 * access/database.ts — the storage of one database (one LMDB environment
 * under base/<oid>/, or global/ for the shared catalogs): relation storage
 * lifetime, heap/index/sequence handles and VACUUM.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type {
  BtreeIndex,
  BtreeIndexSpec,
  DatabaseStorage,
  HeapRelation,
  Oid,
  RelFileId,
  Transaction,
  VacuumResult,
} from './api.js';
import type { LmdbEnv } from '../storage/env.js';
import { HEAP, INDEX, ROW_COUNTER, heapKey, key32, prefixEnd, readRowId } from '../storage/keys.js';
import { xidState } from '../storage/clog.js';
import { HeapRelationImpl } from './heap.js';
import { BtreeIndexImpl, UNIQUE_CLAIM } from './btree.js';
import { SequenceStoreImpl } from './sequence.js';
import type { TransactionImpl } from './xact.js';
import { oldestNeededXid } from './xact.js';
import { readXmax, readXmin } from './tuple.js';

const BATCH = 1000;

export class DatabaseStorageImpl implements DatabaseStorage {
  readonly oid: Oid;
  readonly env: LmdbEnv;
  readonly global: LmdbEnv;
  readonly sequences: SequenceStoreImpl;

  constructor(oid: Oid, env: LmdbEnv, global: LmdbEnv) {
    this.oid = oid;
    this.env = env;
    this.global = global;
    this.sequences = new SequenceStoreImpl(env);
  }

  createRelation(_relFileId: RelFileId): void {
    // Nothing to do: a relation's storage is a key prefix and exists once used.
  }

  truncateRelation(relFileId: RelFileId): void {
    const prefixes = [
      key32(HEAP, relFileId),
      key32(INDEX, relFileId),
      key32(UNIQUE_CLAIM, relFileId),
    ];
    for (const prefix of prefixes) this.deletePrefix(prefix);
    this.env.write(() => {
      this.env.del(key32(ROW_COUNTER, relFileId));
    });
  }

  private deletePrefix(prefix: Buffer): void {
    const end = prefixEnd(prefix);
    for (;;) {
      this.env.refresh();
      const keys: Buffer[] = [];
      for (const k of this.env.root.getKeys({ start: prefix, end, limit: BATCH }))
        keys.push(Buffer.from(k));
      if (keys.length === 0) return;
      this.env.write(() => {
        for (const k of keys) this.env.del(k);
      });
    }
  }

  dropRelationAtCommit(txn: Transaction, relFileId: RelFileId): void {
    (txn as TransactionImpl).onCommit(() => this.truncateRelation(relFileId));
  }

  heap(relFileId: RelFileId, relationName: string): HeapRelation {
    return new HeapRelationImpl(this, relFileId, relationName);
  }

  btree(spec: BtreeIndexSpec, heap: HeapRelation): BtreeIndex {
    return new BtreeIndexImpl(spec, heap as HeapRelationImpl, this.global);
  }

  vacuum(heap: HeapRelation, indexes: readonly BtreeIndex[]): VacuumResult {
    const h = heap as HeapRelationImpl;
    const horizon = oldestNeededXid(this.global);
    this.global.refresh();
    this.env.refresh();
    const dead = new Set<number>();
    let kept = 0;
    const lo = key32(HEAP, h.relFileId);
    for (const { key, value } of this.env.root.getRange({ start: lo, end: prefixEnd(lo) })) {
      const xmin = readXmin(value);
      const xmax = readXmax(value);
      let isDead = false;
      if (xidState(this.global, xmin) === 'aborted') isDead = true;
      else if (xmax !== 0 && xmax < horizon && xidState(this.global, xmax) === 'committed')
        isDead = true;
      if (isDead) dead.add(readRowId(key, 5));
      else kept++;
    }
    let removedIndexEntries = 0;
    if (dead.size > 0) {
      for (const ix of indexes) removedIndexEntries += (ix as BtreeIndexImpl).removeEntries(dead);
      const ids = [...dead];
      for (let i = 0; i < ids.length; i += BATCH) {
        const batch = ids.slice(i, i + BATCH);
        this.env.write(() => {
          this.env.notePrune();
          for (const id of batch) this.env.del(heapKey(h.relFileId, id));
        });
      }
    }
    return { removedVersions: dead.size, removedIndexEntries, keptVersions: kept };
  }

  sizeOnDisk(): number {
    return statSync(join(this.env.path, 'data.mdb')).size;
  }
}
