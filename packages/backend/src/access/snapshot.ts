/*
 * access/snapshot.ts — MVCC snapshots (PostgreSQL's SnapshotData).
 *
 * A snapshot is taken from the global environment's table of running xids
 * (the proc array): xmax = next xid to be assigned, xip = running xids,
 * xmin = oldest of them. It keeps LMDB read transactions open:
 * - on global/, so commit-log lookups see at least the state the snapshot saw;
 * - on every open database environment, taken right after the xid table was
 *   read. VACUUM can only remove versions dead to every *advertised* snapshot
 *   xmin; a READ COMMITTED statement does not advertise one, but its LMDB read
 *   transaction still holds the versions it can see (LMDB is itself MVCC).
 */
import type { CommandId, Snapshot, Xid } from './api.js';
import type { LmdbEnv, LmdbReadTxn } from '../storage/env.js';
import { xidState } from '../storage/clog.js';

/** The xid part of a snapshot, shared by the statements of a REPEATABLE READ transaction. */
export interface SnapshotXids {
  readonly xmin: Xid;
  readonly xmax: Xid;
  readonly xip: ReadonlySet<Xid>;
}

/** What visibility checks need to know about the transaction owning a snapshot. */
export interface SnapshotOwner {
  /** A non-aborted xid of this transaction tree. */
  isCurrentXid(xid: Xid): boolean;
  /** An xid of a rolled-back subtransaction of this transaction. */
  isAbortedXid(xid: Xid): boolean;
}

export class SnapshotImpl implements Snapshot {
  readonly xmin: Xid;
  readonly xmax: Xid;
  readonly curcid: CommandId;
  readonly xids: SnapshotXids;
  readonly owner: SnapshotOwner;
  private readonly global: LmdbEnv;
  private globalTxn: LmdbReadTxn | null;
  private readonly dataTxns = new Map<LmdbEnv, LmdbReadTxn>();
  private released = false;
  private readonly onRelease: (s: SnapshotImpl) => void;

  constructor(
    xids: SnapshotXids,
    curcid: CommandId,
    owner: SnapshotOwner,
    global: LmdbEnv,
    globalTxn: LmdbReadTxn,
    dataEnvs: Iterable<LmdbEnv>,
    onRelease: (s: SnapshotImpl) => void,
  ) {
    this.xids = xids;
    this.xmin = xids.xmin;
    this.xmax = xids.xmax;
    this.curcid = curcid;
    this.owner = owner;
    this.global = global;
    this.globalTxn = globalTxn;
    this.onRelease = onRelease;
    for (const env of dataEnvs) if (env !== global) this.dataTxns.set(env, env.freshReadTxn());
  }

  isInProgress(xid: Xid): boolean {
    return xid >= this.xmax || this.xids.xip.has(xid);
  }

  /** Did `xid` commit before this snapshot was taken? (Not for the owner's own xids.) */
  committedBefore(xid: Xid): boolean {
    if (xid >= this.xmax || this.xids.xip.has(xid)) return false;
    return xidState(this.global, xid, this.globalTxn ?? undefined) === 'committed';
  }

  /** The read transaction to use for `env` under this snapshot. */
  readTxnFor(env: LmdbEnv): LmdbReadTxn {
    if (this.released) throw new Error('snapshot used after release');
    if (env === this.global) {
      if (!this.globalTxn) throw new Error('snapshot used after release');
      return this.globalTxn;
    }
    let t = this.dataTxns.get(env);
    if (!t) {
      // A database opened after the snapshot: its current state is newer
      // than the snapshot, which visibility rules handle.
      t = env.freshReadTxn();
      this.dataTxns.set(env, t);
    }
    return t;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    for (const t of this.dataTxns.values()) t.done();
    this.dataTxns.clear();
    this.globalTxn?.done();
    this.globalTxn = null;
    this.onRelease(this);
  }
}
