/**
 * Executes INSERT, UPDATE and DELETE: computes new rows, enforces NOT NULL, writes heap versions and
 * index entries through the storage API, re-checks rows that a concurrent transaction updated
 * first (READ COMMITTED's EvalPlanQual), and produces RETURNING rows.
 */
import { PgError } from '../utils/errors.js';
import { typeByOid, type Value } from '../utils/adt/types.js';
import { maybeYield } from '../utils/interrupts.js';
import type { RelationInfo } from '../catalog/relcache.js';
import type {
  DeleteQuery,
  InsertQuery,
  SelectQuery,
  TargetEntry,
  UpdateQuery,
} from '../parser/query.js';
import type { HeapTuple } from '../access/api.js';
import type { Expr } from '../parser/primnodes.js';
import { chooseIndexLookup } from '../optimizer/planner.js';
import { compileExpr, compileQual, type Row } from './compile-expr.js';
import { prepareExecState, runSelect, type ExecState } from './exec-select.js';

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

export function compileChecks(
  rel: RelationInfo,
  checks: Array<{ name: string; expr: Expr }>,
): CheckFn {
  const fns = checks.map((c) => ({ name: c.name, fn: compileExpr(c.expr) }));
  return (row, es) => {
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
    checkNotNull(rel, row, es);
    check(row, es);
    if (q.onConflictDoNothing) {
      let conflict = false;
      for (const ix of rel.indexes) {
        if (!ix.unique) continue;
        const key = indexKey(rel, ix.columns, row);
        if (key.some((v) => v === null)) continue;
        if (await ix.btree.findConflict(es.txn, key)) {
          conflict = true;
          break;
        }
      }
      if (conflict) continue;
    }
    const rowId = rel.heap.insert(es.txn, row);
    for (const ix of rel.indexes) {
      await ix.btree.insert(es.txn, indexKey(rel, ix.columns, row), rowId);
    }
    count++;
    if (returning) out.push(returning(row, es));
  }
  return { count, returning: out };
}

/** The versions of the target table the statement's WHERE selects (via an index when possible). */
function candidates(rel: RelationInfo, q: UpdateQuery | DeleteQuery, es: ExecState): HeapTuple[] {
  const where = compileQual(q.scan.where);
  const lookup = chooseIndexLookup(rel, 0, q.scan.where);
  let source: Iterable<HeapTuple>;
  if (lookup) {
    const key = lookup.keys.map((k) => compileExpr(k)([], es.ctx));
    source = key.some((v) => v === null) ? [] : lookup.index.btree.lookup(es.snapshot, key);
  } else {
    source = rel.heap.scan(es.snapshot);
  }
  const out: HeapTuple[] = [];
  for (const t of source) if (!where || where(t.row as Row, es.ctx)) out.push(t);
  return out;
}

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
  for (const first of candidates(rel, q, es)) {
    await maybeYield();
    let tuple: HeapTuple = first;
    for (;;) {
      const oldRow = tuple.row as Row;
      const newRow = [...oldRow] as Value[];
      for (const [i, f] of assigns) newRow[i] = f(oldRow, es.ctx);
      checkNotNull(rel, newRow, es);
      check(newRow, es);
      const result = await rel.heap.update(es.txn, es.snapshot, tuple.rowId, newRow, { keyUpdate });
      if (result.status === 'ok') {
        for (const ix of rel.indexes) {
          await ix.btree.insert(es.txn, indexKey(rel, ix.columns, newRow), result.newRowId);
        }
        count++;
        if (returning) out.push(returning(newRow, es));
        break;
      }
      if (result.status === 'updated') {
        // Someone else committed a newer version first: re-check our WHERE against it.
        if (where && !where(result.tuple.row as Row, es.ctx)) break;
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
  for (const first of candidates(rel, q, es)) {
    await maybeYield();
    let tuple: HeapTuple = first;
    for (;;) {
      const result = await rel.heap.delete(es.txn, es.snapshot, tuple.rowId);
      if (result.status === 'ok') {
        count++;
        if (returning) out.push(returning(tuple.row as Row, es));
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
