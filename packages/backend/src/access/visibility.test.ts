// MVCC visibility rules in one process: own writes, others' uncommitted and
// committed-after-snapshot writes, aborts, subtransactions, command ids.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCluster } from './cluster.js';
import type { Cluster, DatabaseStorage, HeapRelation, Snapshot } from './api.js';

let dir: string;
let cluster: Cluster;
let db: DatabaseStorage;
let heap: HeapRelation;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tusk-vis-'));
  cluster = createCluster(dir);
  cluster.createDatabaseStorage(5);
  db = cluster.openDatabase(5);
  heap = db.heap(16384, 't');
});

afterEach(async () => {
  await cluster.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = (s: Snapshot): unknown[] => [...heap.scan(s)].map((t) => t.row[0]);

describe('visibility', () => {
  it('round-trips values of every kind', async () => {
    const t = cluster.beginTransaction();
    const row = [
      null,
      true,
      1.5,
      2n ** 62n,
      -7n,
      'héllo',
      new Uint8Array([0, 1, 255]),
      [1, [2]],
      { a: { b: [1, 'x'] } },
      2 ** 40,
    ];
    heap.insert(t, row);
    await t.commit();
    const r = cluster.beginTransaction();
    const s = r.statementSnapshot();
    const [got] = [...heap.scan(s)];
    expect(got?.row.slice(0, 6)).toEqual(row.slice(0, 6));
    expect(Buffer.from(got?.row[6] as Uint8Array)).toEqual(Buffer.from([0, 1, 255]));
    expect(got?.row.slice(7)).toEqual(row.slice(7));
    expect(typeof got?.row[3]).toBe('bigint');
    expect(typeof got?.row[9]).toBe('number');
    r.abort();
  });

  it('own writes are visible to later commands only', () => {
    const t = cluster.beginTransaction();
    const before = t.statementSnapshot();
    heap.insert(t, [1]);
    expect(rows(before)).toEqual([]);
    const same = t.statementSnapshot();
    expect(rows(same)).toEqual([]); // same command: the Halloween rule
    t.commandCounterIncrement();
    expect(rows(t.statementSnapshot())).toEqual([1]);
    t.abort();
  });

  it("others' uncommitted writes are invisible, committed ones visible to new snapshots", async () => {
    const w = cluster.beginTransaction();
    heap.insert(w, [1]);
    const r = cluster.beginTransaction();
    const s1 = r.statementSnapshot();
    expect(rows(s1)).toEqual([]);
    await w.commit();
    expect(rows(s1)).toEqual([]); // committed after the snapshot
    expect(rows(r.statementSnapshot())).toEqual([1]); // READ COMMITTED: new snapshot
    const rr = cluster.beginTransaction({ isolation: 'repeatable read' });
    expect(rows(rr.statementSnapshot())).toEqual([1]);
    const w2 = cluster.beginTransaction();
    heap.insert(w2, [2]);
    await w2.commit();
    expect(rows(rr.statementSnapshot())).toEqual([1]); // REPEATABLE READ keeps its snapshot
    expect(rows(r.statementSnapshot())).toEqual([1, 2]);
    rr.abort();
    r.abort();
  });

  it('aborted writes stay invisible; deletes by aborted transactions are undone', async () => {
    const a = cluster.beginTransaction();
    heap.insert(a, [1]);
    a.abort();
    const b = cluster.beginTransaction();
    const id = heap.insert(b, [2]);
    await b.commit();
    const c = cluster.beginTransaction();
    const res = await heap.delete(c, c.statementSnapshot(), id);
    expect(res.status).toBe('ok');
    c.commandCounterIncrement();
    expect(rows(c.statementSnapshot())).toEqual([]);
    c.abort();
    const d = cluster.beginTransaction();
    expect(rows(d.statementSnapshot())).toEqual([2]);
    expect(cluster.xidStatus(a.topXid)).toBe('aborted');
    expect(cluster.xidStatus(b.topXid)).toBe('committed');
    d.abort();
  });

  it('subtransactions: rolled-back parts vanish, released parts commit', async () => {
    const t = cluster.beginTransaction();
    heap.insert(t, [1]);
    t.beginSubtransaction();
    heap.insert(t, [2]);
    t.rollbackSubtransaction();
    t.beginSubtransaction();
    heap.insert(t, [3]);
    t.beginSubtransaction();
    heap.insert(t, [4]);
    t.releaseSubtransaction();
    t.releaseSubtransaction();
    t.commandCounterIncrement();
    expect(rows(t.statementSnapshot())).toEqual([1, 3, 4]);
    const other = cluster.beginTransaction();
    expect(rows(other.statementSnapshot())).toEqual([]);
    await t.commit();
    expect(rows(other.statementSnapshot())).toEqual([1, 3, 4]);
    other.abort();
  });

  it('an update inside a rolled-back savepoint is undone', async () => {
    const t0 = cluster.beginTransaction();
    const id = heap.insert(t0, ['a']);
    await t0.commit();
    const t = cluster.beginTransaction();
    t.beginSubtransaction();
    const r = await heap.update(t, t.statementSnapshot(), id, ['b']);
    expect(r.status).toBe('ok');
    t.commandCounterIncrement();
    expect(rows(t.statementSnapshot())).toEqual(['b']);
    t.rollbackSubtransaction();
    t.commandCounterIncrement();
    expect(rows(t.statementSnapshot())).toEqual(['a']);
    const r2 = await heap.update(t, t.statementSnapshot(), id, ['c']);
    expect(r2.status).toBe('ok');
    await t.commit();
    const v = cluster.beginTransaction();
    expect(rows(v.statementSnapshot())).toEqual(['c']);
    v.abort();
  });

  it('a scan does not see rows the same statement updates (Halloween)', async () => {
    const t0 = cluster.beginTransaction();
    heap.insertMany(t0, [[1], [2], [3]]);
    await t0.commit();
    const t = cluster.beginTransaction();
    const s = t.statementSnapshot();
    let n = 0;
    for (const tup of heap.scan(s)) {
      n++;
      const r = await heap.update(t, s, tup.rowId, [(tup.row[0] as number) * 10]);
      expect(r.status).toBe('ok');
    }
    expect(n).toBe(3);
    t.commandCounterIncrement();
    expect(rows(t.statementSnapshot()).sort()).toEqual([10, 20, 30]);
    await t.commit();
  });

  it('REPEATABLE READ fails with 40001 on a concurrent update, READ COMMITTED gets the new version', async () => {
    const t0 = cluster.beginTransaction();
    const id = heap.insert(t0, [0]);
    await t0.commit();
    const rr = cluster.beginTransaction({ isolation: 'repeatable read' });
    const rc = cluster.beginTransaction();
    const srr = rr.statementSnapshot();
    const src = rc.statementSnapshot();
    const w = cluster.beginTransaction();
    const wr = await heap.update(w, w.statementSnapshot(), id, [1]);
    expect(wr.status).toBe('ok');
    await w.commit();
    await expect(heap.update(rr, srr, id, [2])).rejects.toMatchObject({ code: '40001' });
    const r = await heap.update(rc, src, id, [3]);
    expect(r.status).toBe('updated');
    if (r.status !== 'updated') throw new Error();
    expect(r.tuple.row).toEqual([1]);
    const r2 = await heap.update(rc, src, r.tuple.rowId, [(r.tuple.row[0] as number) + 1]);
    expect(r2.status).toBe('ok');
    await rc.commit();
    rr.abort();
    const v = cluster.beginTransaction();
    expect(rows(v.statementSnapshot())).toEqual([2]);
    v.abort();
  });

  it('never hands out an xid again after a restart, even one an OS crash made it forget', async () => {
    // An OS crash can undo global/'s last write transaction (noMetaSync), and with it the newest
    // xid allocation, while rows stamped with that xid survive in a database environment.
    const t = cluster.beginTransaction();
    heap.insert(t, [1]);
    const used = t.topXid;
    t.abort();
    cluster.recoverAfterCrash();
    const u = cluster.beginTransaction();
    heap.insert(u, [2]);
    expect(u.topXid).toBeGreaterThanOrEqual(used + 1000);
    await u.commit();
  });
});
