/**
 * Executes INSERT, UPDATE and DELETE: computes new rows, enforces NOT NULL, writes heap versions and
 * index entries through the storage API, re-checks rows that a concurrent transaction updated
 * first (READ COMMITTED's EvalPlanQual), and produces RETURNING rows.
 */
import { PgError } from '../utils/errors.js';
import { typeByOid, type Value } from '../utils/adt/types.js';
import { maybeYield } from '../utils/interrupts.js';
import type { IndexInfo, RelationInfo } from '../catalog/relcache.js';
import type {
  DeleteQuery,
  InsertQuery,
  SelectQuery,
  TargetEntry,
  UpdateQuery,
  RowConstraint,
} from '../parser/query.js';
import type { HeapTuple, IndexEntry, RowId } from '../access/api.js';
import { chooseIndexLookup } from '../optimizer/planner.js';
import { compileExpr, compileQual, type Row } from './compile-expr.js';
import { prepareExecState, runSelect, scanFromItem, type ExecState } from './exec-select.js';
import { queueDeleteChecks, queueInsertChecks, queueUpdateChecks } from './ri-triggers.js';

export interface ModifyResult {
  count: number;
  returning: Row[];
}

export function checkNotNull(rel: RelationInfo, row: Row, es: ExecState): void {
  for (let i = 0; i < rel.columns.length; i++) {
    const col = rel.columns[i]!;
    if (col.notNull && (row[i] ?? null) === null) {
      const shown = row
        .map((v, j) =>
          v === null ? 'null' : typeByOid(rel.columns[j]!.type).output(v, es.ctx.session.format),
        )
        .join(', ');
      throw new PgError(
        '23502',
        `null value in column "${col.name}" of relation "${rel.name}" violates not-null constraint`,
        {
          detail: `Failing row contains (${shown}).`,
          schema: rel.namespaceName,
          table: rel.name,
          column: col.name,
        },
      );
    }
  }
}

export type CheckFn = (row: Row, es: ExecState) => void;

/**
 * A new row's constraints as PostgreSQL applies them: generated columns computed from the row,
 * then NOT NULL, then CHECK constraints (the row is completed in place).
 */
export function compileChecks(rel: RelationInfo, checks: RowConstraint[]): CheckFn {
  const generators = checks
    .filter((c) => c.generates !== undefined)
    .map((c) => ({ index: c.generates!, fn: compileExpr(c.expr) }));
  const fns = checks
    .filter((c) => c.generates === undefined)
    .map((c) => ({ name: c.name, fn: compileExpr(c.expr) }));
  return (row, es) => {
    for (const g of generators) (row as Value[])[g.index] = g.fn(row, es.ctx);
    checkNotNull(rel, row, es);
    for (const c of fns) {
      if (c.fn(row, es.ctx) === false) {
        const shown = row
          .map((v, j) =>
            v === null ? 'null' : typeByOid(rel.columns[j]!.type).output(v, es.ctx.session.format),
          )
          .join(', ');
        throw new PgError(
          '23514',
          `new row for relation "${rel.name}" violates check constraint "${c.name}"`,
          {
            detail: `Failing row contains (${shown}).`,
            schema: rel.namespaceName,
            table: rel.name,
            constraint: c.name,
          },
        );
      }
    }
  };
}

export function indexKey(rel: RelationInfo, attnums: number[], row: Row): Value[] {
  return attnums.map((n) => row[rel.columns.findIndex((c) => c.attnum === n)] ?? null);
}

/** The entries every index of `rel` needs for a new version holding `row`. */
function indexEntries(rel: RelationInfo, row: Row): IndexEntry[] {
  return rel.indexes.map((ix) => ({ index: ix.btree, key: indexKey(rel, ix.columns, row) }));
}

function projectReturning(
  returning: TargetEntry[],
): ((row: Row, es: ExecState) => Row) | undefined {
  if (returning.length === 0) return undefined;
  const fns = returning.map((t) => compileExpr(t.expr));
  return (row, es) => fns.map((f) => f(row, es.ctx));
}

export async function runInsert(q: InsertQuery, es: ExecState): Promise<ModifyResult> {
  prepareExecState(es);
  const rel = q.rel;
  const columnFns = q.columnExprs.map(compileExpr);
  const check = compileChecks(rel, q.checks);
  const returning = projectReturning(q.returning);
  const onConflict = compileOnConflict(q, es, check);
  // Rows this command wrote: a second proposal colliding with one of them is an error.
  const touched = new Set<RowId>();
  const out: Row[] = [];
  let count = 0;
  // Materialise the source first: an INSERT … SELECT from the same table must not see its own rows.
  const sourceRows = [...runSelect(q.source, es)];
  for (const src of sourceRows) {
    await maybeYield();
    const row = columnFns.map((f) => f(src, es.ctx));
    // Volatile defaults (pg_sleep in a default…) may produce promises; settle them.
    for (let i = 0; i < row.length; i++) {
      const v = row[i] as unknown;
      if (v instanceof Promise) row[i] = (await v) as Value;
    }
    check(row, es);
    const written = onConflict ? await onConflict(row, touched) : await insertRow(rel, row, es.txn);
    if (written === undefined) continue;
    if (!onConflict && rel.foreignKeys.length > 0)
      queueInsertChecks(rel, written.row, written.rowId, es);
    touched.add(written.rowId);
    count++;
    if (returning) out.push(returning(written.row, es));
  }
  return { count, returning: out };
}

async function insertRow(
  rel: RelationInfo,
  row: Row,
  txn: ExecState['txn'],
): Promise<{ rowId: RowId; row: Row }> {
  const rowId = await rel.heap.insertIndexed(txn, row, indexEntries(rel, row));
  return { rowId, row };
}

/**
 * Inserts a row that no arbiter index had a conflict for a moment ago, in a subtransaction so that
 * losing a race to a concurrent insert of the same key undoes it (PostgreSQL's speculative
 * insertion) instead of failing the statement.
 */
async function insertSpeculatively(
  rel: RelationInfo,
  row: Row,
  arbiters: IndexInfo[],
  txn: ExecState['txn'],
): Promise<{ rowId: RowId; row: Row } | 'conflict'> {
  txn.beginSubtransaction();
  try {
    const written = await insertRow(rel, row, txn);
    txn.releaseSubtransaction();
    return written;
  } catch (err) {
    const lostRace =
      err instanceof PgError &&
      err.code === '23505' &&
      arbiters.some((ix) => ix.name === err.constraint);
    if (!lostRace) {
      txn.releaseSubtransaction();
      throw err;
    }
    txn.rollbackSubtransaction();
    return 'conflict';
  }
}

/** The existing row a proposed row collides with in one of the arbiter indexes. */
async function findConflict(
  rel: RelationInfo,
  arbiters: IndexInfo[],
  row: Row,
  es: ExecState,
): Promise<HeapTuple | undefined> {
  for (const ix of arbiters) {
    const key = indexKey(rel, ix.columns, row);
    if (key.some((v) => v === null)) continue;
    const hit = await ix.btree.findConflict(es.txn, key);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * INSERT … ON CONFLICT for one proposed row: insert it, skip it (DO NOTHING), or update the row it
 * collides with (DO UPDATE, retried from the start when a concurrent change gets there first).
 * Returns the row written, if any.
 */
function compileOnConflict(
  q: InsertQuery,
  es: ExecState,
  check: CheckFn,
):
  ((row: Row, touched: Set<RowId>) => Promise<{ rowId: RowId; row: Row } | undefined>) | undefined {
  const spec = q.onConflict;
  if (!spec) return undefined;
  const rel = q.rel;
  const arbiters = spec.arbiters ?? rel.indexes.filter((ix) => ix.unique);
  const assigns = [...spec.assignments].map(([i, e]) => [i, compileExpr(e)] as const);
  const where = compileQual(spec.where);
  const changedCols = new Set([...spec.assignments.keys()].map((i) => rel.columns[i]!.attnum));
  const keyUpdate = rel.indexes.some(
    (ix) => ix.unique && ix.columns.some((c) => changedCols.has(c)),
  );
  return async (row, touched) => {
    for (;;) {
      const existing = await findConflict(rel, arbiters, row, es);
      if (!existing) {
        const inserted = await insertSpeculatively(rel, row, arbiters, es.txn);
        // Another transaction inserted the same key meanwhile: it is a conflict after all.
        if (inserted === 'conflict') continue;
        if (rel.foreignKeys.length > 0) queueInsertChecks(rel, inserted.row, inserted.rowId, es);
        return inserted;
      }
      if (spec.action === 'nothing') return undefined;
      if (touched.has(existing.rowId)) {
        throw new PgError(
          '21000',
          'ON CONFLICT DO UPDATE command cannot affect row a second time',
          {
            hint: 'Ensure that no rows proposed for insertion within the same command have duplicate constrained values.',
          },
        );
      }
      if (es.txn.isolation !== 'read committed' && !rel.heap.fetch(es.snapshot, existing.rowId)) {
        throw new PgError('40001', 'could not serialize access due to concurrent update');
      }
      const old = existing.row as Row;
      const pair = [...old, ...row];
      if (where && !where(pair, es.ctx)) {
        // PostgreSQL still locks the row it declined to update.
        const locked = await rel.heap.lockRow(es.txn, es.snapshot, existing.rowId, 'update');
        if (locked.status === 'updated' || locked.status === 'deleted') continue;
        return undefined;
      }
      const newRow = [...old];
      for (const [i, f] of assigns) newRow[i] = f(pair, es.ctx);
      check(newRow, es);
      const result = await rel.heap.update(es.txn, es.snapshot, existing.rowId, newRow, {
        keyUpdate,
        indexEntries: indexEntries(rel, newRow),
      });
      if (result.status === 'ok') {
        if (rel.foreignKeys.length > 0 || rel.referencedBy.length > 0)
          queueUpdateChecks(rel, old, newRow, result.newRowId, es);
        return { rowId: result.newRowId, row: newRow };
      }
      if (result.status === 'selfModified') return undefined;
      // Someone else updated or deleted it first: look for the conflict again.
    }
  };
}

/** A target-table version the statement's WHERE selects, and the FROM/USING row it joined. */
interface Target {
  tuple: HeapTuple;
  joined: Row;
}

const noJoin: Row = [];

/**
 * The rows UPDATE/DELETE act on: versions of the target table its WHERE selects (via an index when
 * possible); with FROM/USING, each joined to the first row of those items that satisfies WHERE
 * (PostgreSQL, too, changes a target row once whatever the number of matches).
 */
function targets(rel: RelationInfo, q: UpdateQuery | DeleteQuery, es: ExecState): Target[] {
  const where = compileQual(q.scan.where);
  const out: Target[] = [];
  if (q.extra) {
    const joinedRows = [...scanFromItem(q.extra, q.scan, es)];
    for (const t of rel.heap.scan(es.snapshot)) {
      const row = t.row as Row;
      for (const joined of joinedRows) {
        if (where && !where([...row, ...joined], es.ctx)) continue;
        out.push({ tuple: t, joined });
        break;
      }
    }
    return out;
  }
  const lookup = chooseIndexLookup(rel, 0, q.scan.where);
  let source: Iterable<HeapTuple>;
  if (lookup) {
    const key = lookup.keys.map((k) => compileExpr(k)([], es.ctx));
    source = key.some((v) => v === null) ? [] : lookup.index.btree.lookup(es.snapshot, key);
  } else {
    source = rel.heap.scan(es.snapshot);
  }
  for (const t of source)
    if (!where || where(t.row as Row, es.ctx)) out.push({ tuple: t, joined: noJoin });
  return out;
}

/** The table row followed by the FROM/USING row it was joined with (what WHERE and SET see). */
const withJoined = (row: Row, joined: Row): Row =>
  joined.length === 0 ? row : [...row, ...joined];

export async function runUpdate(q: UpdateQuery, es: ExecState): Promise<ModifyResult> {
  prepareExecState(es);
  const rel = q.rel;
  const where = compileQual(q.scan.where);
  const assigns = [...q.assignments].map(([i, e]) => [i, compileExpr(e)] as const);
  const check = compileChecks(rel, q.checks);
  const returning = projectReturning(q.returning);
  const changedCols = new Set([...q.assignments.keys()].map((i) => rel.columns[i]!.attnum));
  const keyUpdate = rel.indexes.some(
    (ix) => ix.unique && ix.columns.some((c) => changedCols.has(c)),
  );
  const out: Row[] = [];
  let count = 0;
  for (const { tuple: first, joined } of targets(rel, q, es)) {
    await maybeYield();
    let tuple: HeapTuple = first;
    for (;;) {
      const oldRow = tuple.row as Row;
      const seen = withJoined(oldRow, joined);
      const newRow = [...oldRow] as Value[];
      for (const [i, f] of assigns) newRow[i] = f(seen, es.ctx);
      check(newRow, es);
      const result = await rel.heap.update(es.txn, es.snapshot, tuple.rowId, newRow, {
        keyUpdate,
        indexEntries: indexEntries(rel, newRow),
      });
      if (result.status === 'ok') {
        count++;
        if (rel.foreignKeys.length > 0 || rel.referencedBy.length > 0)
          queueUpdateChecks(rel, oldRow, newRow, result.newRowId, es);
        if (returning) out.push(returning(withJoined(newRow, joined), es));
        break;
      }
      if (result.status === 'updated') {
        // Someone else committed a newer version first: re-check our WHERE against it.
        if (where && !where(withJoined(result.tuple.row as Row, joined), es.ctx)) break;
        tuple = result.tuple;
        continue;
      }
      break;
    }
  }
  return { count, returning: out };
}

export async function runDelete(q: DeleteQuery, es: ExecState): Promise<ModifyResult> {
  prepareExecState(es);
  const rel = q.rel;
  const where = compileQual(q.scan.where);
  const returning = projectReturning(q.returning);
  const out: Row[] = [];
  let count = 0;
  for (const { tuple: first, joined } of targets(rel, q, es)) {
    await maybeYield();
    let tuple: HeapTuple = first;
    for (;;) {
      const result = await rel.heap.delete(es.txn, es.snapshot, tuple.rowId);
      if (result.status === 'ok') {
        count++;
        if (rel.referencedBy.length > 0) queueDeleteChecks(rel, tuple.row as Row, es);
        if (returning) out.push(returning(withJoined(tuple.row as Row, joined), es));
        break;
      }
      if (result.status === 'updated') {
        if (where && !where(withJoined(result.tuple.row as Row, joined), es.ctx)) break;
        tuple = result.tuple;
        continue;
      }
      break;
    }
  }
  return { count, returning: out };
}

/**
 * SELECT … FOR UPDATE/SHARE on one table: locks every row the WHERE clause selects (waiting for
 * conflicting transactions and re-checking updated rows, as READ COMMITTED does), then runs the
 * rest of the query (sorting, LIMIT, projection) over the locked rows.
 */
export async function runLockingSelect(q: SelectQuery, es: ExecState): Promise<Row[]> {
  const from = q.from;
  if (from.k !== 'rel' || !q.lockRows) throw new PgError('XX000', 'not a locking query');
  const rel = from.rel;
  const where = compileQual(q.where);
  const { mode, wait } = q.lockRows;
  const lookup = chooseIndexLookup(rel, 0, q.where);
  let source: Iterable<HeapTuple>;
  if (lookup) {
    const key = lookup.keys.map((k) => compileExpr(k)([], es.ctx));
    source = key.some((v) => v === null) ? [] : lookup.index.btree.lookup(es.snapshot, key);
  } else source = rel.heap.scan(es.snapshot);
  const candidates = [...source].filter((t) => !where || where(t.row as Row, es.ctx));
  const locked: Row[] = [];
  for (const first of candidates) {
    await maybeYield();
    let tuple: HeapTuple = first;
    for (;;) {
      const result = await rel.heap.lockRow(es.txn, es.snapshot, tuple.rowId, mode, { wait });
      if (result.status === 'ok' || result.status === 'selfModified') {
        locked.push(tuple.row as Row);
        break;
      }
      if (result.status === 'updated') {
        if (where && !where(result.tuple.row as Row, es.ctx)) break;
        tuple = result.tuple;
        continue;
      }
      break;
    }
  }
  return [...runSelect(q, { ...es, lockedRows: new Map([[from, locked]]) })];
}

/** TRUNCATE, done transactionally as a delete of every visible row. */
export async function truncateRelations(rels: RelationInfo[], es: ExecState): Promise<void> {
  for (const rel of rels) {
    for (const t of [...rel.heap.scan(es.snapshot)]) {
      await maybeYield();
      await rel.heap.delete(es.txn, es.snapshot, t.rowId);
    }
  }
}
