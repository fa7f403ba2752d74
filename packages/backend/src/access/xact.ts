/*
 * access/xact.ts — transactions: lazy xid assignment, command ids,
 * subtransactions (savepoints), snapshots per statement or per transaction,
 * commit (durable) and abort. (PostgreSQL's xact.c + parts of procarray.c.)
 *
 * Xids are assigned on the first write, one global LMDB write transaction
 * per (sub)transaction level; a savepoint's xid is assigned together with any
 * missing parent xids. COMMIT: fsync every environment this transaction wrote
 * (so its row versions are durable), then in ONE global write transaction
 * mark the whole tree committed, drop it from the running-xid table and
 * collect whoever waits for it, fsync global/ (the commit record), and wake
 * the waiters.
 */
import type {
  CommandId,
  IsolationLevel,
  Snapshot,
  Transaction,
  TransactionOptions,
  Xid,
} from './api.js';
import type { LmdbEnv, LmdbReadTxn } from '../storage/env.js';
import {
  CLOG_ABORTED,
  CLOG_COMMITTED,
  allocateXids,
  finishXids,
  readNextXid,
  runningXids,
} from '../storage/clog.js';
import { PROC, key0 } from '../storage/keys.js';
import { waitForXid, waitersFor } from '../storage/lockwait.js';
import { wakeProcess } from '../storage/latch.js';
import { SqlState, storageError } from '../storage/errors.js';
import { SnapshotImpl } from './snapshot.js';
import type { SnapshotOwner, SnapshotXids } from './snapshot.js';

/** What a transaction needs from the cluster that created it. */
export interface XactHost {
  readonly global: LmdbEnv;
  readonly pid: number;
  /** Environments of the databases open in this process (snapshots pin them). */
  openEnvs(): Iterable<LmdbEnv>;
  transactionEnded(t: TransactionImpl): void;
}

/** Distinguishes transactions of one process in the PROC table (tests run several at once). */
let nextSerial = 1;

interface Level {
  xid: Xid;
  /** xids of this level and of its released children. */
  xids: Xid[];
}

export class TransactionImpl implements Transaction, SnapshotOwner {
  readonly isolation: IsolationLevel;
  readonly readOnly: boolean;
  state: 'active' | 'committed' | 'aborted' = 'active';
  commandId: CommandId = 0;
  private readonly host: XactHost;
  private readonly levels: Level[] = [{ xid: 0, xids: [] }];
  private readonly current = new Set<Xid>();
  private readonly aborted = new Set<Xid>();
  private readonly written = new Set<LmdbEnv>();
  private readonly snapshots = new Set<SnapshotImpl>();
  private txnXids: SnapshotXids | null = null;
  private advertised = false;
  private readonly commitActions: (() => void)[] = [];
  private lockTimeoutMs: number;
  private readonly deadlockTimeoutMs: number;
  private cancelSleep: ((e: Error) => void) | null = null;
  /** [PROC][pid][serial]: where this transaction advertises its snapshot xmin. */
  private readonly procKey: Buffer;

  constructor(host: XactHost, options: TransactionOptions = {}) {
    this.host = host;
    this.isolation = options.isolation ?? 'read committed';
    this.readOnly = options.readOnly ?? false;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 0;
    this.deadlockTimeoutMs = options.deadlockTimeoutMs ?? 1000;
    this.procKey = Buffer.allocUnsafe(9);
    this.procKey[0] = PROC;
    this.procKey.writeUInt32BE(host.pid >>> 0, 1);
    this.procKey.writeUInt32BE(nextSerial++ >>> 0, 5);
  }

  get topXid(): Xid {
    return this.levels[0]?.xid ?? 0;
  }

  get nestingLevel(): number {
    return this.levels.length;
  }

  isCurrentXid(xid: Xid): boolean {
    return this.current.has(xid);
  }

  isAbortedXid(xid: Xid): boolean {
    return this.aborted.size > 0 && this.aborted.has(xid);
  }

  private checkActive(): void {
    if (this.state !== 'active') throw new Error(`transaction already ${this.state}`);
  }

  /** Throws 25006 in a read-only transaction (the SQL layer normally checks first). */
  checkWritable(): void {
    this.checkActive();
    if (this.readOnly) {
      throw storageError(
        SqlState.readOnlyTransaction,
        'cannot execute write in a read-only transaction',
      );
    }
  }

  assignXid(): Xid {
    this.checkActive();
    const inner = this.levels[this.levels.length - 1];
    if (!inner) throw new Error('no transaction level');
    if (inner.xid !== 0) return inner.xid;
    const missing = this.levels.filter((l) => l.xid === 0);
    const g = this.host.global;
    const top = this.levels[0]?.xid ?? 0;
    const xids = g.write(() => allocateXids(g, this.host.pid, top, missing.length));
    missing.forEach((l, i) => {
      const x = xids[i] ?? 0;
      l.xid = x;
      l.xids.push(x);
      this.current.add(x);
    });
    return inner.xid;
  }

  /** Records that this transaction wrote to `env` (it must be fsynced at commit). */
  noteWrite(env: LmdbEnv): void {
    this.written.add(env);
  }

  commandCounterIncrement(): void {
    this.checkActive();
    this.commandId++;
  }

  statementSnapshot(): Snapshot {
    return this.takeSnapshot();
  }

  /** Implementation of statementSnapshot with the concrete type. */
  takeSnapshot(): SnapshotImpl {
    this.checkActive();
    const g = this.host.global;
    let xids = this.txnXids;
    if (!xids && this.isolation === 'read committed') {
      const s = this.readCommittedSnapshot();
      this.snapshots.add(s);
      return s;
    }
    if (!xids) {
      // Advertise an xmin (so VACUUM and index pruning keep what we can see), then take the
      // snapshot: its xmin can only be >= the advertised one, and anything a VACUUM that ran
      // before the advertisement removed was dead before this snapshot too. (No range reads
      // inside write transactions: README.md.)
      const first = this.readXids();
      const v = Buffer.allocUnsafe(4);
      v.writeUInt32BE(first.xmin >>> 0, 0);
      g.write(() => {
        g.put(this.procKey, v);
      });
      xids = this.readXids();
      this.advertised = true;
      this.txnXids = xids;
    }
    const s = this.snapshotFrom(xids);
    this.snapshots.add(s);
    return s;
  }

  /** A snapshot of `xids`; it reads the global environment through `globalTxn` (or a fresh one). */
  private snapshotFrom(xids: SnapshotXids, globalTxn?: LmdbReadTxn): SnapshotImpl {
    const g = this.host.global;
    return new SnapshotImpl(
      xids,
      this.commandId,
      this,
      g,
      globalTxn ?? g.freshReadTxn(),
      this.host.openEnvs(),
      (done) => this.snapshots.delete(done),
    );
  }

  /**
   * A READ COMMITTED snapshot advertises no xmin: its read transactions protect what it sees, once
   * they are open. It reads the global environment through the very read transaction the running
   * xids came from, so nothing can happen there in between; a removal (VACUUM, index pruning)
   * committed in a database between reading the xids and opening its read transaction could have
   * taken a version only this snapshot still needs, so the snapshot is taken again if that
   * database's prune counter moved meanwhile (LmdbEnv.notePrune).
   */
  private readCommittedSnapshot(): SnapshotImpl {
    const g = this.host.global;
    for (;;) {
      const t = g.freshReadTxn();
      let xids: SnapshotXids;
      try {
        xids = readSnapshotXids(g, t);
      } catch (err) {
        t.done();
        throw err;
      }
      const s = this.snapshotFrom(xids, t);
      // The counter as this process last saw it was read before the xids were: if it is still the
      // same in the snapshot's read transaction, no removal committed in between.
      let moved = false;
      for (const e of this.host.openEnvs()) {
        if (e === g) continue;
        const now = e.pruneCount(s.readTxnFor(e));
        if (now !== e.prunesSeen) {
          e.prunesSeen = now;
          moved = true;
        }
      }
      if (!moved) return s;
      s.release();
    }
  }

  private readXids(): SnapshotXids {
    const g = this.host.global;
    const t = g.freshReadTxn();
    try {
      return readSnapshotXids(g, t);
    } finally {
      t.done();
    }
  }

  beginSubtransaction(): void {
    this.checkActive();
    this.levels.push({ xid: 0, xids: [] });
  }

  releaseSubtransaction(): void {
    this.checkActive();
    if (this.levels.length < 2) throw new Error('no subtransaction to release');
    const l = this.levels.pop();
    const parent = this.levels[this.levels.length - 1];
    if (l && parent) parent.xids.push(...l.xids);
  }

  rollbackSubtransaction(): void {
    this.checkActive();
    if (this.levels.length < 2) throw new Error('no subtransaction to roll back');
    const l = this.levels.pop();
    if (!l || l.xids.length === 0) return;
    const set = new Set(l.xids);
    const g = this.host.global;
    g.write(() => {
      finishXids(g, l.xids, CLOG_ABORTED);
    });
    const waiters = waitersFor(g, set);
    for (const x of l.xids) {
      this.current.delete(x);
      this.aborted.add(x);
    }
    for (const pid of waiters) wakeProcess(pid);
  }

  /** Runs `action` after a successful commit (deferred storage removal). */
  onCommit(action: () => void): void {
    this.commitActions.push(action);
  }

  async commit(): Promise<void> {
    this.checkActive();
    const g = this.host.global;
    if (this.current.size === 0 && this.aborted.size === 0) {
      if (this.advertised) {
        g.write(() => {
          g.del(this.procKey);
        });
      }
      this.finish('committed');
      this.runCommitActions();
      return;
    }
    // 1. Row versions (and anything else written) durable before the commit record.
    await Promise.all([...this.written].map((e) => e.syncToDisk()));
    // 2. The commit record.
    const xids = [...this.current];
    const all = new Set<Xid>([...xids, ...this.aborted]);
    g.write(() => {
      finishXids(g, xids, CLOG_COMMITTED);
      g.del(this.procKey);
    });
    const waiters = waitersFor(g, all);
    this.finish('committed');
    for (const pid of waiters) wakeProcess(pid);
    this.runCommitActions();
    // 3. Durable before we acknowledge.
    await g.syncToDisk();
  }

  abort(): void {
    if (this.state !== 'active') return;
    const g = this.host.global;
    if (this.current.size > 0 || this.advertised) {
      const xids = [...this.current];
      const all = new Set<Xid>([...xids, ...this.aborted]);
      g.write(() => {
        finishXids(g, xids, CLOG_ABORTED);
        g.del(this.procKey);
      });
      const waiters = waitersFor(g, all);
      for (const pid of waiters) wakeProcess(pid);
    }
    this.finish('aborted');
  }

  private finish(state: 'committed' | 'aborted'): void {
    this.state = state;
    for (const s of [...this.snapshots]) s.release();
    this.host.transactionEnded(this);
  }

  private runCommitActions(): void {
    for (const a of this.commitActions.splice(0)) a();
  }

  interrupt(reason: Error): void {
    this.cancelSleep?.(reason);
  }

  setLockTimeout(ms: number): void {
    this.lockTimeoutMs = ms;
  }

  /** Waits for another transaction's xid to finish (row locks, unique checks). */
  waitFor(xid: Xid): Promise<'committed' | 'aborted'> {
    return waitForXid(this.host.global, this.host.pid, xid, {
      lockTimeoutMs: this.lockTimeoutMs,
      deadlockTimeoutMs: this.deadlockTimeoutMs,
      onSleep: (c) => {
        this.cancelSleep = c;
      },
    });
  }
}

/** Reads the running-xid table under read transaction `txn`. */
export function readSnapshotXids(
  g: LmdbEnv,
  txn?: import('../storage/env.js').LmdbReadTxn,
): SnapshotXids {
  const xmax = readNextXid(g, txn);
  const xip = new Set<Xid>();
  let xmin = xmax;
  for (const r of runningXids(g, txn)) {
    xip.add(r.xid);
    if (r.xid < xmin) xmin = r.xid;
  }
  return { xmin, xmax, xip };
}

/** Oldest xid any snapshot anywhere may still need (VACUUM's horizon). */
export function oldestNeededXid(g: LmdbEnv): Xid {
  const t = g.freshReadTxn();
  try {
    let h = readSnapshotXids(g, t).xmin;
    for (const { value } of g.root.getRange({
      start: key0(PROC),
      end: key0(PROC + 1),
      transaction: t,
    })) {
      const x = value.readUInt32BE(0);
      if (x < h) h = x;
    }
    return h;
  } finally {
    t.done();
  }
}
