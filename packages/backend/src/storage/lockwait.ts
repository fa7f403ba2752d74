/*
 * storage/lockwait.ts — waiting for another transaction to end, with
 * deadlock detection and lock_timeout.
 *
 * PostgreSQL waits for a row lock by waiting on the holder's transaction
 * lock; so do we. The waiter records (its pid -> xid) in the global WAIT
 * table in the same LMDB write transaction in which it checks that the xid is
 * still running; the holder's commit/abort (also a global write transaction)
 * reads the WAIT table and signals waiters. Because both happen under the
 * global write lock a wake-up cannot be lost. A 250 ms re-check bounds the
 * damage if a signal is lost anyway (e.g. a holder killed mid-commit).
 *
 * Deadlocks: every waiter waits for exactly one xid, and every running xid
 * has one owner, so the waits-for graph is a set of chains; after
 * deadlock_timeout the waiter follows its chain inside a write transaction
 * and, if the chain returns to itself, withdraws its wait and fails with
 * 40P01. Doing it under the write lock means only one member of a cycle gives up.
 */
import type { LmdbEnv } from './env.js';
import { WAIT, key0, key32 } from './keys.js';
import { xidOwner, xidState } from './clog.js';
import type { XidState } from './clog.js';
import { sleepOnLatch } from './latch.js';
import { SqlState, storageError } from './errors.js';

export interface WaitOptions {
  /** 0 = no lock_timeout. */
  readonly lockTimeoutMs: number;
  readonly deadlockTimeoutMs: number;
  /** Registers the cancel function of the current sleep (for Transaction.interrupt). */
  readonly onSleep?: (cancel: ((e: Error) => void) | null) => void;
}

const RECHECK_MS = 250;

/**
 * Pids waiting for any of `xids`. Call it AFTER the write transaction that
 * ended those xids committed (never inside one: range cursors inside lmdb-js
 * write transactions are unsafe, see README.md). Nothing is lost that way: a
 * waiter registers only while the xid is still running, under the same write
 * lock, so it either registered before our commit (and this fresh read sees
 * it) or it saw our commit and does not wait.
 */
export function waitersFor(global: LmdbEnv, xids: ReadonlySet<number>): number[] {
  if (xids.size === 0) return [];
  const out: number[] = [];
  const txn = global.freshReadTxn();
  try {
    for (const { key, value } of global.root.getRange({
      start: key0(WAIT),
      end: key0(WAIT + 1),
      transaction: txn,
    })) {
      if (xids.has(value.readUInt32BE(0))) out.push(key.readUInt32BE(1));
    }
  } finally {
    txn.done();
  }
  return out;
}

/** Inside a global write(): removes `pid`'s wait entry. */
export function clearWait(global: LmdbEnv, pid: number): void {
  global.del(key32(WAIT, pid));
}

/**
 * Waits until `xid` is no longer running; returns how it ended. Throws 40P01
 * on deadlock, 55P03 on lock timeout.
 */
export async function waitForXid(
  global: LmdbEnv,
  myPid: number,
  xid: number,
  options: WaitOptions,
): Promise<Exclude<XidState, 'inProgress'>> {
  const started = Date.now();
  let deadlockChecked = false;
  const waitKey = key32(WAIT, myPid);
  const waitVal = Buffer.allocUnsafe(4);
  waitVal.writeUInt32BE(xid >>> 0, 0);
  // Whether our wait entry is in the table. Each write here is a durable LMDB commit, so there
  // is one per wait: the entry is put once, and left behind when the xid ends (an entry naming a
  // finished xid matches no later commit and ends every deadlock chain, and our next wait
  // overwrites it); only a wait given up while the xid still runs withdraws it.
  let registered = false;
  try {
    for (;;) {
      // The holder may have finished already (commit-log entries never change back).
      global.refresh();
      const ended = xidState(global, xid);
      if (ended !== 'inProgress') {
        registered = false;
        return ended;
      }
      if (!registered) {
        const state = global.write(() => {
          const s = xidState(global, xid);
          if (s === 'inProgress') global.put(waitKey, waitVal);
          return s;
        });
        if (state !== 'inProgress') return state;
        registered = true;
      }

      const now = Date.now();
      let timeout = RECHECK_MS;
      if (!deadlockChecked) timeout = Math.min(timeout, started + options.deadlockTimeoutMs - now);
      if (options.lockTimeoutMs > 0)
        timeout = Math.min(timeout, started + options.lockTimeoutMs - now);
      if (timeout > 0) {
        const sleep = sleepOnLatch(timeout);
        options.onSleep?.(sleep.cancel);
        try {
          await sleep.promise;
        } finally {
          options.onSleep?.(null);
        }
      }
      const after = Date.now();
      if (options.lockTimeoutMs > 0 && after - started >= options.lockTimeoutMs) {
        if (global.write(() => xidState(global, xid)) === 'inProgress') {
          throw storageError(SqlState.lockNotAvailable, 'canceling statement due to lock timeout');
        }
      }
      if (!deadlockChecked && after - started >= options.deadlockTimeoutMs) {
        deadlockChecked = true;
        const cycle = global.write(() => findDeadlock(global, myPid));
        if (cycle) throw deadlockError(cycle);
      }
    }
  } finally {
    if (registered) {
      global.write(() => {
        global.del(waitKey);
      });
    }
  }
}

interface WaitEdge {
  readonly pid: number;
  readonly xid: number;
  readonly holder: number;
}

/** Inside a global write(): the wait chain from `myPid` if it leads back to `myPid`. */
function findDeadlock(global: LmdbEnv, myPid: number): WaitEdge[] | undefined {
  const chain: WaitEdge[] = [];
  const seen = new Set<number>();
  let pid = myPid;
  for (;;) {
    if (seen.has(pid)) return undefined; // a cycle that does not include us
    seen.add(pid);
    const w = global.get(key32(WAIT, pid));
    if (!w) return undefined;
    const xid = w.readUInt32BE(0);
    if (xidState(global, xid) !== 'inProgress') return undefined;
    const owner = xidOwner(global, xid);
    if (!owner) return undefined;
    chain.push({ pid, xid: owner.top, holder: owner.pid });
    if (owner.pid === myPid) {
      // Withdraw our wait so the other members of the cycle don't also give up.
      global.del(key32(WAIT, myPid));
      return chain;
    }
    pid = owner.pid;
  }
}

function deadlockError(chain: readonly WaitEdge[]): Error {
  const detail = chain
    .map(
      (e) =>
        `Process ${e.pid} waits for ShareLock on transaction ${e.xid}; blocked by process ${e.holder}.`,
    )
    .join('\n');
  return storageError(SqlState.deadlockDetected, 'deadlock detected', {
    detail,
    hint: 'See server log for query details.',
  });
}
