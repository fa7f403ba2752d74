/**
 * Catalog access: reading and writing the system catalogs through the storage API (they are
 * ordinary heaps), OID allocation, and the signal other backends use to notice committed DDL.
 */
import type {
  Cluster,
  DatabaseStorage,
  HeapRelation,
  HeapTuple,
  SequenceParams,
  Snapshot,
  Transaction,
} from '../access/api.js';
import { catalogByOid, catalogRecord, catalogRow, type CatalogDefinition } from './definitions.js';
import { CATALOG_VERSION_ID, FIRST_NORMAL_OBJECT_ID, OID_COUNTER_ID } from './oids.js';

export const oidCounterParams: SequenceParams = {
  increment: 1n,
  minValue: BigInt(FIRST_NORMAL_OBJECT_ID),
  maxValue: 4294967295n,
  start: BigInt(FIRST_NORMAL_OBJECT_ID),
  cycle: true,
};
export const catalogVersionParams: SequenceParams = {
  increment: 1n,
  minValue: 1n,
  maxValue: 9223372036854775807n,
  start: 1n,
  cycle: true,
};

export interface CatalogTuple {
  tuple: HeapTuple;
  rec: Record<string, unknown>;
}

/** Catalog access for one database (and the shared catalogs) of a cluster. */
export class CatalogStore {
  private readonly heaps = new Map<number, HeapRelation>();

  constructor(
    readonly cluster: Cluster,
    readonly db: DatabaseStorage,
  ) {}

  definition(oid: number): CatalogDefinition {
    const def = catalogByOid.get(oid);
    if (!def) throw new Error(`no catalog ${oid}`);
    return def;
  }

  heap(catalogOid: number): HeapRelation {
    let h = this.heaps.get(catalogOid);
    if (!h) {
      const def = this.definition(catalogOid);
      const storage = def.shared ? this.cluster.shared : this.db;
      h = storage.heap(catalogOid, def.name);
      this.heaps.set(catalogOid, h);
    }
    return h;
  }

  /** Every visible row of a catalog, as records keyed by column name. */
  *scan(
    catalogOid: number,
    snapshot: Snapshot,
    filter?: (rec: Record<string, unknown>) => boolean,
  ): Generator<CatalogTuple> {
    const def = this.definition(catalogOid);
    for (const tuple of this.heap(catalogOid).scan(snapshot)) {
      const rec = catalogRecord(def, tuple.row);
      if (!filter || filter(rec)) yield { tuple, rec };
    }
  }

  find(
    catalogOid: number,
    snapshot: Snapshot,
    filter: (rec: Record<string, unknown>) => boolean,
  ): CatalogTuple | undefined {
    for (const t of this.scan(catalogOid, snapshot, filter)) return t;
    return undefined;
  }

  insert(txn: Transaction, catalogOid: number, values: Record<string, unknown>): void {
    const def = this.definition(catalogOid);
    this.heap(catalogOid).insert(txn, catalogRow(def, values));
  }

  async update(
    txn: Transaction,
    snapshot: Snapshot,
    catalogOid: number,
    t: CatalogTuple,
    changes: Record<string, unknown>,
  ): Promise<void> {
    const def = this.definition(catalogOid);
    const result = await this.heap(catalogOid).update(
      txn,
      snapshot,
      t.tuple.rowId,
      catalogRow(def, { ...t.rec, ...changes }),
    );
    if (result.status !== 'ok') throw concurrentCatalogUpdate();
  }

  /** Deletes every visible row matching `filter`; returns how many. */
  async deleteWhere(
    txn: Transaction,
    snapshot: Snapshot,
    catalogOid: number,
    filter: (rec: Record<string, unknown>) => boolean,
  ): Promise<number> {
    const victims = [...this.scan(catalogOid, snapshot, filter)];
    for (const v of victims) {
      const result = await this.heap(catalogOid).delete(txn, snapshot, v.tuple.rowId);
      if (result.status !== 'ok' && result.status !== 'selfModified')
        throw concurrentCatalogUpdate();
    }
    return victims.length;
  }

  /** A fresh cluster-wide OID (non-transactional, like PostgreSQL's OID counter). */
  allocateOid(): number {
    return Number(
      this.cluster.shared.sequences.nextval(OID_COUNTER_ID, oidCounterParams, 'oid counter'),
    );
  }

  /**
   * Current catalog version (as of the snapshot's taking, if given): changes whenever any backend
   * commits DDL.
   */
  catalogVersion(snapshot?: Snapshot): bigint {
    return this.cluster.shared.sequences.read(CATALOG_VERSION_ID, snapshot)?.lastValue ?? 0n;
  }

  /** Tells every backend that the catalogs changed (call after a DDL transaction commits). */
  bumpCatalogVersion(): void {
    this.cluster.shared.sequences.nextval(
      CATALOG_VERSION_ID,
      catalogVersionParams,
      'catalog version',
    );
  }
}

function concurrentCatalogUpdate(): Error {
  return Object.assign(new Error('tuple concurrently updated'), { code: 'XX000' });
}
