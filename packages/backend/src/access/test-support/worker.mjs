// Test worker for the multi-process storage tests (storage.mp.test.ts).
// Runs one scenario in its own OS process against the built dist/, talking to
// the test over the fork IPC channel. Kept as plain .mjs so no build step is
// needed for the worker itself beyond the package's normal `tsc` build.
/* global setInterval, performance */
import { openCluster } from '../../../dist/access/index.js';

const DB = 5;
const HEAP = 16384;
const INDEX = 16385;
const idSpec = { relFileId: INDEX, name: 't_pkey', unique: true, columns: [{ type: 'integer' }] };

function send(msg) {
  process.send?.(msg);
}

function nextMessage() {
  return new Promise((resolve) => process.once('message', resolve));
}

function open(dir) {
  const cluster = openCluster(dir);
  const db = cluster.openDatabase(DB);
  const heap = db.heap(HEAP, 't');
  const index = db.btree(idSpec, heap);
  return { cluster, db, heap, index };
}

function findById(index, snapshot, id) {
  for (const t of index.lookup(snapshot, [id])) return t;
  return undefined;
}

/** UPDATE t SET v = v + 1 WHERE id = $id, READ COMMITTED, with EvalPlanQual re-checks. */
async function incrementOnce(ctx, id, isolation = 'read committed') {
  const txn = ctx.cluster.beginTransaction({ isolation });
  try {
    const s = txn.statementSnapshot();
    let tup = findById(ctx.index, s, id);
    for (;;) {
      if (!tup) throw new Error('row vanished');
      const r = await ctx.heap.update(txn, s, tup.rowId, [tup.row[0], tup.row[1] + 1], {
        keyUpdate: false,
      });
      if (r.status === 'ok') {
        await ctx.index.insert(txn, [id], r.newRowId);
        break;
      }
      if (r.status === 'updated') {
        tup = r.tuple;
        continue;
      }
      throw new Error(`unexpected ${r.status}`);
    }
    await txn.commit();
  } catch (e) {
    try {
      txn.abort();
    } catch (e2) {
      e.message += ` (then abort failed: ${e2.message})`;
    }
    throw e;
  }
}

const scenarios = {
  async increment({ dir, id, times }) {
    const ctx = open(dir);
    for (let i = 0; i < times; i++) await incrementOnce(ctx, id);
    await ctx.cluster.close();
    return { done: times };
  },

  async incrementRR({ dir, id, times }) {
    const ctx = open(dir);
    let ok = 0;
    let failures = 0;
    while (ok < times) {
      try {
        await incrementOnce(ctx, id, 'repeatable read');
        ok++;
      } catch (e) {
        if (e.code !== '40001') throw e;
        failures++;
      }
    }
    await ctx.cluster.close();
    return { done: ok, failures };
  },

  // Opens and closes the environment over and over while others commit.
  async churn({ dir, worker, rounds, perRound }) {
    const acked = [];
    let increments = 0;
    for (let r = 0; r < rounds; r++) {
      const ctx = open(dir);
      for (let i = 0; i < perRound; i++) {
        const txn = ctx.cluster.beginTransaction();
        const key = worker * 1_000_000 + r * 1000 + i + 10;
        const rowId = ctx.heap.insert(txn, [key, 0]);
        await ctx.index.insert(txn, [key], rowId);
        await txn.commit();
        acked.push(key);
        await incrementOnce(ctx, 1);
        increments++;
      }
      await ctx.cluster.close();
    }
    return { acked, increments };
  },

  // Locks row `first`, waits for "go", then updates row `second`.
  async lockThenUpdate({ dir, first, second, deadlockTimeoutMs }) {
    const ctx = open(dir);
    const txn = ctx.cluster.beginTransaction({ deadlockTimeoutMs });
    const s = txn.statementSnapshot();
    const a = findById(ctx.index, s, first);
    const r1 = await ctx.heap.update(txn, s, a.rowId, [first, a.row[1] + 1], { keyUpdate: false });
    await ctx.index.insert(txn, [first], r1.newRowId);
    send({ locked: r1.status });
    await nextMessage();
    const b = findById(ctx.index, s, second);
    try {
      const r2 = await ctx.heap.update(txn, s, b.rowId, [second, b.row[1] + 1], {
        keyUpdate: false,
      });
      await ctx.index.insert(txn, [second], r2.newRowId);
      await txn.commit();
      await ctx.cluster.close();
      return { outcome: 'committed', status: r2.status };
    } catch (e) {
      txn.abort();
      await ctx.cluster.close();
      return { outcome: 'error', code: e.code, message: e.message, detail: e.detail };
    }
  },

  // SKIP LOCKED job queue: take jobs until none is left.
  async jobs({ dir, holdMs }) {
    const ctx = open(dir);
    const taken = [];
    // Start together: process start-up skew under load would let one worker drain the queue.
    send({ ready: true });
    await nextMessage();
    for (;;) {
      const txn = ctx.cluster.beginTransaction();
      const s = txn.statementSnapshot();
      let got;
      for (const t of ctx.heap.scan(s)) {
        const r = await ctx.heap.lockRow(txn, s, t.rowId, 'update', { wait: 'skipLocked' });
        if (r.status === 'ok') {
          got = t;
          break;
        }
      }
      if (!got) {
        await txn.commit();
        break;
      }
      await new Promise((res) => setTimeout(res, holdMs));
      const d = await ctx.heap.delete(txn, s, got.rowId);
      if (d.status !== 'ok') throw new Error(`delete ${d.status}`);
      await txn.commit();
      taken.push(got.row[0]);
    }
    await ctx.cluster.close();
    return { taken };
  },

  // Writes inside a transaction, reports, then waits to be killed.
  async writeAndHang({ dir, id }) {
    const ctx = open(dir);
    const txn = ctx.cluster.beginTransaction();
    const s = txn.statementSnapshot();
    const a = findById(ctx.index, s, id);
    await ctx.heap.update(txn, s, a.rowId, [id, 1_000_000], { keyUpdate: false });
    const rowId = ctx.heap.insert(txn, [999, 999]);
    await ctx.index.insert(txn, [999], rowId);
    send({ ready: true });
    // Stay alive (with an open transaction) until killed.
    await new Promise(() => setInterval(() => undefined, 1000));
  },

  // Inserts key `key`, reports, then commits or aborts on command.
  async insertKey({ dir, key }) {
    const ctx = open(dir);
    const txn = ctx.cluster.beginTransaction();
    try {
      const rowId = ctx.heap.insert(txn, [key, 0]);
      send({ inserting: true });
      await ctx.index.insert(txn, [key], rowId);
      send({ inserted: true });
      const { then } = await nextMessage();
      if (then === 'commit') await txn.commit();
      else txn.abort();
      await ctx.cluster.close();
      return { outcome: then };
    } catch (e) {
      txn.abort();
      await ctx.cluster.close();
      return { outcome: 'error', code: e.code, message: e.message };
    }
  },

  // Commits `count` single-row inserts as fast as possible (throughput).
  async commitLoop({ dir, worker, count }) {
    const ctx = open(dir);
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const txn = ctx.cluster.beginTransaction();
      ctx.heap.insert(txn, [worker * 1_000_000 + i + 10, 0]);
      await txn.commit();
    }
    const ms = performance.now() - t0;
    await ctx.cluster.close();
    return { ms };
  },
};

// Handshake: the parent sends the scenario only once we listen for it.
const first = nextMessage();
send({ hello: true });
const { scenario, args } = await first;
try {
  const result = await scenarios[scenario](args);
  send({ result });
} catch (e) {
  send({ error: { message: e.message, code: e.code, stack: e.stack } });
}
process.disconnect?.();
