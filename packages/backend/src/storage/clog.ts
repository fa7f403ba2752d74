/*
 * storage/clog.ts — transaction ids, the commit log and the table of running
 * xids, all in the global environment.
 *
 * An xid is "in progress" while it has an OWNER record (who runs it) and no
 * CLOG record. COMMIT writes CLOG=committed and removes the OWNER records of
 * the whole transaction tree in one LMDB transaction, so a snapshot (which
 * reads the OWNER records) and the commit log always agree. An xid with
 * neither record belonged to a process that died before cleanup finished:
 * it counts as aborted.
 */
import type { LmdbEnv, LmdbReadTxn } from './env.js';
import { CLOG, NEXT_XID, OWNER, key0, key32 } from './keys.js';

export const CLOG_COMMITTED = 1;
export const CLOG_ABORTED = 2;
/** PostgreSQL's FirstNormalTransactionId: 1 and 2 are special there too. */
export const FIRST_NORMAL_XID = 3;

export type XidState = 'inProgress' | 'committed' | 'aborted';

const nextXidKey = key0(NEXT_XID);

/** Final statuses never change: each process caches them (per installation). */
const finalStatusCaches = new WeakMap<LmdbEnv, Map<number, XidState>>();

function cacheOf(global: LmdbEnv): Map<number, XidState> {
  let m = finalStatusCaches.get(global);
  if (!m) {
    m = new Map();
    finalStatusCaches.set(global, m);
  }
  return m;
}

/** Reads NEXT_XID (inside write() or with a read txn). */
export function readNextXid(global: LmdbEnv, txn?: LmdbReadTxn): number {
  const v = global.get(nextXidKey, txn);
  return v ? v.readUInt32BE(0) : FIRST_NORMAL_XID;
}

/**
 * Inside a global write(): allocates `count` consecutive xids owned by `pid`
 * whose top-level xid is `top` (0: the first allocated xid is the top).
 */
export function allocateXids(global: LmdbEnv, pid: number, top: number, count: number): number[] {
  const first = readNextXid(global);
  const out: number[] = [];
  const v = Buffer.allocUnsafe(4);
  v.writeUInt32BE(first + count, 0);
  global.put(nextXidKey, v);
  for (let i = 0; i < count; i++) {
    const xid = first + i;
    const t = top === 0 ? first : top;
    const owner = Buffer.allocUnsafe(8);
    owner.writeUInt32BE(pid >>> 0, 0);
    owner.writeUInt32BE(t >>> 0, 4);
    global.put(key32(OWNER, xid), owner);
    out.push(xid);
  }
  return out;
}

/** Inside a global write(): records the final status of `xids` and forgets their owner. */
export function finishXids(global: LmdbEnv, xids: Iterable<number>, status: 1 | 2): void {
  const v = Buffer.from([status]);
  for (const xid of xids) {
    global.put(key32(CLOG, xid), v);
    global.del(key32(OWNER, xid));
  }
}

/**
 * Status of `xid`. With `txn` (a snapshot's read transaction) or inside a
 * write() the answer is as of that state; without, as of now.
 */
export function xidState(global: LmdbEnv, xid: number, txn?: LmdbReadTxn): XidState {
  const cache = cacheOf(global);
  const cached = cache.get(xid);
  if (cached) return cached;
  const c = global.get(key32(CLOG, xid), txn);
  if (c) {
    const s: XidState = c[0] === CLOG_COMMITTED ? 'committed' : 'aborted';
    if (cache.size > 1_000_000) cache.clear();
    cache.set(xid, s);
    return s;
  }
  if (global.get(key32(OWNER, xid), txn)) return 'inProgress';
  // Neither committed nor running: its process died (or it never existed).
  return 'aborted';
}

/** Owner (pid, top-level xid) of a running xid, or undefined. */
export function xidOwner(
  global: LmdbEnv,
  xid: number,
  txn?: LmdbReadTxn,
): { pid: number; top: number } | undefined {
  const o = global.get(key32(OWNER, xid), txn);
  return o ? { pid: o.readUInt32BE(0), top: o.readUInt32BE(4) } : undefined;
}

/** Every running xid with its owner pid (for snapshots, recovery). */
export function runningXids(
  global: LmdbEnv,
  txn?: LmdbReadTxn,
): { xid: number; pid: number; top: number }[] {
  const out: { xid: number; pid: number; top: number }[] = [];
  for (const { key, value } of global.root.getRange({
    start: key0(OWNER),
    end: key0(OWNER + 1),
    ...(txn ? { transaction: txn } : {}),
  })) {
    out.push({ xid: key.readUInt32BE(1), pid: value.readUInt32BE(0), top: value.readUInt32BE(4) });
  }
  return out;
}
