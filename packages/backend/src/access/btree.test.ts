// Btree indexes, sequences and VACUUM in one process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCluster } from './cluster.js';
import type { BtreeIndex, Cluster, DatabaseStorage, HeapRelation, SequenceParams } from './api.js';

let dir: string;
let cluster: Cluster;
let db: DatabaseStorage;
let heap: HeapRelation;
let index: BtreeIndex;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tusk-bt-'));
  cluster = createCluster(dir, { fsync: false }); // durability is not what these tests check
  cluster.createDatabaseStorage(5);
  db = cluster.openDatabase(5);
  heap = db.heap(16384, 't');
  index = db.btree(
    {
      relFileId: 16385,
      name: 't_a_b_key',
      unique: true,
      columns: [{ type: 'integer' }, { type: 'text', desc: true }],
      describeKey: (k) => `(a, b)=(${k.map(String).join(', ')})`,
    },
    heap,
  );
});

afterEach(async () => {
  await cluster.close();
  rmSync(dir, { recursive: true, force: true });
});

async function insert(rows: [number | null, string | null][]): Promise<void> {
  const t = cluster.beginTransaction();
  for (const r of rows) await index.insert(t, r, heap.insert(t, r));
  await t.commit();
}

function scanKeys(range: Parameters<BtreeIndex['scan']>[1]): unknown[][] {
  const t = cluster.beginTransaction();
  const out = [...index.scan(t.statementSnapshot(), range)].map((x) => [...x.row]);
  t.abort();
  return out;
}

describe('btree', () => {
  it('range scans honour bounds, prefixes, DESC columns and direction', async () => {
    await insert([
      [1, 'a'],
      [1, 'b'],
      [2, 'a'],
      [2, 'c'],
      [3, 'x'],
      [null, 'n'],
    ]);
    expect(scanKeys({})).toEqual([
      [1, 'b'],
      [1, 'a'],
      [2, 'c'],
      [2, 'a'],
      [3, 'x'],
      [null, 'n'],
    ]);
    expect(
      scanKeys({ lower: { key: [2], inclusive: true }, upper: { key: [2], inclusive: true } }),
    ).toEqual([
      [2, 'c'],
      [2, 'a'],
    ]);
    expect(
      scanKeys({ lower: { key: [1], inclusive: false }, upper: { key: [3], inclusive: false } }),
    ).toEqual([
      [2, 'c'],
      [2, 'a'],
    ]);
    expect(scanKeys({ lower: { key: [2], inclusive: true }, direction: 'backward' })).toEqual([
      [null, 'n'],
      [3, 'x'],
      [2, 'a'],
      [2, 'c'],
    ]);
    expect(scanKeys({ upper: { key: [2, 'b'], inclusive: true } })).toEqual([
      [1, 'b'],
      [1, 'a'],
      [2, 'c'],
    ]);
  });

  it('unique: 23505 with detail, NULLs never conflict, own deleted rows do not conflict', async () => {
    await insert([
      [1, 'a'],
      [null, 'a'],
    ]);
    await insert([[null, 'a']]);
    const t = cluster.beginTransaction();
    await expect(index.insert(t, [1, 'a'], heap.insert(t, [1, 'a']))).rejects.toMatchObject({
      code: '23505',
      message: 'duplicate key value violates unique constraint "t_a_b_key"',
      detail: 'Key (a, b)=(1, a) already exists.',
    });
    t.abort();
    // delete + re-insert of the same key in one transaction is fine
    const u = cluster.beginTransaction();
    const s = u.statementSnapshot();
    const [old] = [...index.lookup(s, [1, 'a'])];
    expect((await heap.delete(u, s, old!.rowId)).status).toBe('ok');
    await index.insert(u, [1, 'a'], heap.insert(u, [1, 'a']));
    await u.commit();
    expect(
      scanKeys({
        lower: { key: [1, 'a'], inclusive: true },
        upper: { key: [1, 'a'], inclusive: true },
      }),
    ).toEqual([[1, 'a']]);
  });

  it('rejects keys longer than LMDB allows with 54000', async () => {
    const t = cluster.beginTransaction();
    const long = 'x'.repeat(3000);
    await expect(index.insert(t, [1, long], heap.insert(t, [1, long]))).rejects.toMatchObject({
      code: '54000',
      message: expect.stringMatching(
        /^index row size \d+ exceeds btree version 4 maximum 1978 for index "t_a_b_key"$/,
      ),
    });
    t.abort();
  });
});

describe('sequences', () => {
  const p: SequenceParams = {
    increment: 5n,
    minValue: 1n,
    maxValue: 20n,
    start: 10n,
    cycle: false,
  };
  it('nextval/setval are non-transactional and respect limits', () => {
    const seq = db.sequences;
    seq.create(16390, p);
    expect(seq.read(16390)).toEqual({ lastValue: 10n, isCalled: false });
    expect(seq.nextval(16390, p, 's')).toBe(10n);
    expect(seq.nextval(16390, p, 's')).toBe(15n);
    expect(seq.nextval(16390, p, 's')).toBe(20n);
    expect(() => seq.nextval(16390, p, 's')).toThrow(
      expect.objectContaining({
        code: '2200H',
        message: 'nextval: reached maximum value of sequence "s" (20)',
      }),
    );
    expect(seq.nextval(16390, { ...p, cycle: true }, 's')).toBe(1n);
    seq.setval(16390, p, 's', 3n, false);
    expect(seq.nextval(16390, p, 's')).toBe(3n);
    expect(() => seq.setval(16390, p, 's', 99n, true)).toThrow(
      expect.objectContaining({ code: '22003' }),
    );
  });
});

describe('vacuum', () => {
  it('removes versions dead to every snapshot, keeps what an open REPEATABLE READ snapshot sees', async () => {
    await insert([[1, 'v0']]);
    const updateOnce = async (n: number): Promise<void> => {
      const t = cluster.beginTransaction();
      const s = t.statementSnapshot();
      const [cur] = [...index.lookup(s, [1, `v${n - 1}`])];
      const r = await heap.update(t, s, cur!.rowId, [1, `v${n}`]);
      if (r.status !== 'ok') throw new Error(r.status);
      await index.insert(t, [1, `v${n}`], r.newRowId);
      await t.commit();
    };
    for (let i = 1; i <= 50; i++) await updateOnce(i);
    const rr = cluster.beginTransaction({ isolation: 'repeatable read' });
    const rrSnap = rr.statementSnapshot();
    for (let i = 51; i <= 100; i++) await updateOnce(i);
    expect(heap.countVersions()).toBe(101);
    const r1 = db.vacuum(heap, [index]);
    // v0..v49 are dead to everyone; v50 is what the RR snapshot sees
    expect(r1.removedVersions).toBe(50);
    expect(r1.removedIndexEntries).toBe(50);
    expect([...heap.scan(rrSnap)].map((x) => x.row[1])).toEqual(['v50']);
    rr.abort();
    const r2 = db.vacuum(heap, [index]);
    expect(r2.removedVersions).toBe(50);
    expect(heap.countVersions()).toBe(1);
    expect(index.countEntries()).toBe(1);
    expect(scanKeys({}).map((r) => r[1])).toEqual(['v100']);
  }, 30_000);

  it('a table updated forever stops growing on disk when vacuumed', async () => {
    await insert([[1, 'x'.repeat(500)]]);
    const t0 = cluster.beginTransaction();
    let rowId = [...index.lookup(t0.statementSnapshot(), [1, 'x'.repeat(500)])][0]!.rowId;
    t0.abort(); // an open snapshot would pin old pages and defeat the reuse we measure
    const sizes: number[] = [];
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 150; i++) {
        const t = cluster.beginTransaction();
        const r = await heap.update(t, t.statementSnapshot(), rowId, [
          1,
          'y'.repeat(500) + String(i),
        ]);
        if (r.status !== 'ok') throw new Error(r.status);
        rowId = r.newRowId;
        await t.commit();
      }
      db.vacuum(heap, [index]);
      sizes.push(db.sizeOnDisk());
    }
    expect(heap.countVersions()).toBe(1);
    // after the first rounds the freed pages are reused: no growth
    expect(sizes[5]).toBe(sizes[2]);
  }, 30_000);

  it('a row updated over and over keeps few index entries without VACUUM (bottom-up deletion)', async () => {
    await insert([[7, 'k']]);
    const t0 = cluster.beginTransaction();
    let rowId = [...index.lookup(t0.statementSnapshot(), [7, 'k'])][0]!.rowId;
    t0.abort();
    const reader = cluster.beginTransaction({ isolation: 'repeatable read' });
    const old = reader.statementSnapshot(); // pins the versions it sees: nothing it needs is pruned
    for (let i = 0; i < 200; i++) {
      const t = cluster.beginTransaction();
      const r = await heap.update(t, t.statementSnapshot(), rowId, [7, 'k'], {
        indexEntries: [{ index, key: [7, 'k'] }],
      });
      if (r.status !== 'ok') throw new Error(r.status);
      rowId = r.newRowId;
      await t.commit();
      if (i === 99) {
        // While the old snapshot is open every version since it was taken is kept.
        expect(index.countEntries()).toBe(101);
        expect([...index.lookup(old, [7, 'k'])]).toHaveLength(1);
        await reader.commit();
      }
    }
    expect(index.countEntries()).toBeLessThanOrEqual(3);
    const t = cluster.beginTransaction();
    expect([...index.lookup(t.statementSnapshot(), [7, 'k'])].map((r) => r.rowId)).toEqual([rowId]);
    // a duplicate is still caught
    await expect(index.insert(t, [7, 'k'], heap.insert(t, [7, 'k']))).rejects.toThrow(
      'duplicate key value violates unique constraint "t_a_b_key"',
    );
    t.abort();
    expect(heap.countVersions()).toBeGreaterThan(200); // heap versions are VACUUM's job
  }, 30_000);
});
