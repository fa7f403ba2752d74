/**
 * Referential integrity, as PostgreSQL's RI triggers do it: INSERT/UPDATE/DELETE/COPY queue one
 * event per row that a FOREIGN KEY cares about, and once the statement's effects are visible the
 * events are checked or acted on with internal queries (SELECT … FOR KEY SHARE to look for or
 * lock the other side, DELETE/UPDATE for CASCADE, SET NULL and SET DEFAULT). Running the actions
 * as ordinary statements gives them every constraint and cascade of the tables they touch.
 */
import type { RowId, Snapshot } from '../access/api.js';
import type { ForeignKeyInfo, ForeignKeySide, RelationInfo } from '../catalog/relcache.js';
import { transformDelete, transformSelect, transformUpdate } from '../parser/analyze.js';
import type { AnalyzeEnv } from '../parser/parse-state.js';
import { parseStatements } from '../parser/parse.js';
import type { DeleteQuery, SelectQuery, UpdateQuery } from '../parser/query.js';
import { typeByOid, type Value } from '../utils/adt/types.js';
import { PgError, asPgError } from '../utils/errors.js';
import { maybeYield } from '../utils/interrupts.js';
import type { Row } from './compile-expr.js';
import { runSelect, type ExecState } from './exec-select.js';
import { runDelete, runLockingSelect, runUpdate } from './exec-modify.js';

/** A row change some foreign key has to look at once the statement is done. */
export type RiEvent =
  | {
      /** A referencing row was inserted or had its key changed: its key must exist. */
      k: 'check';
      fk: ForeignKeyInfo;
      rel: RelationInfo;
      row: Row;
      rowId: RowId;
    }
  | {
      /** A referenced row was deleted or had its key changed: referencing rows must follow. */
      k: 'referenced';
      fk: ForeignKeyInfo;
      rel: RelationInfo;
      op: 'update' | 'delete';
      oldRow: Row;
      newRow: Row | undefined;
    };

/** What running the internal queries needs from the session. */
export interface RiHost {
  /** The analysis environment for an internal query, over `snapshot`. */
  env(snapshot: Snapshot, paramTypes: number[]): AnalyzeEnv;
  /**
   * Whether a constraint's checks wait for COMMIT (INITIALLY DEFERRED, or SET CONSTRAINTS);
   * deferred events are handed to `defer`.
   */
  isDeferred?(fk: ForeignKeyInfo): boolean;
  defer?(event: RiEvent): void;
}

function position(rel: RelationInfo, attnum: number): number {
  return rel.columns.findIndex((c) => c.attnum === attnum);
}

function keyOf(rel: RelationInfo, side: ForeignKeySide, row: Row): Value[] {
  return side.columns.map((c) => row[position(rel, c.attnum)] ?? null);
}

function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (a instanceof Uint8Array && b instanceof Uint8Array)
    return a.length === b.length && a.every((x, i) => x === b[i]);
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameValue(x as Value, b[i] as Value));
  return false;
}

const sameKey = (a: Value[], b: Value[]): boolean => a.every((v, i) => sameValue(v, b[i]!));

function queue(es: ExecState, event: RiEvent): void {
  (es.afterTriggers ??= []).push(event);
}

/** Whether a referencing key needs looking up: MATCH SIMPLE skips keys with any null. */
function needsCheck(fk: ForeignKeyInfo, key: Value[]): boolean {
  const nulls = key.filter((v) => v === null).length;
  if (nulls === key.length) return false;
  return nulls === 0 || fk.matchFull;
}

export function queueInsertChecks(rel: RelationInfo, row: Row, rowId: RowId, es: ExecState): void {
  for (const fk of rel.foreignKeys)
    if (needsCheck(fk, keyOf(rel, fk.child, row))) queue(es, { k: 'check', fk, rel, row, rowId });
}

export function queueUpdateChecks(
  rel: RelationInfo,
  oldRow: Row,
  newRow: Row,
  newRowId: RowId,
  es: ExecState,
): void {
  for (const fk of rel.foreignKeys) {
    const key = keyOf(rel, fk.child, newRow);
    if (!needsCheck(fk, key) || sameKey(key, keyOf(rel, fk.child, oldRow))) continue;
    queue(es, { k: 'check', fk, rel, row: newRow, rowId: newRowId });
  }
  for (const fk of rel.referencedBy) {
    const oldKey = keyOf(rel, fk.parent, oldRow);
    if (oldKey.some((v) => v === null) || sameKey(oldKey, keyOf(rel, fk.parent, newRow))) continue;
    queue(es, { k: 'referenced', fk, rel, op: 'update', oldRow, newRow });
  }
}

export function queueDeleteChecks(rel: RelationInfo, oldRow: Row, es: ExecState): void {
  for (const fk of rel.referencedBy) {
    if (keyOf(rel, fk.parent, oldRow).some((v) => v === null)) continue;
    queue(es, { k: 'referenced', fk, rel, op: 'delete', oldRow, newRow: undefined });
  }
}

/**
 * Runs the events the statement behind `es` queued (its effects are visible: the caller advanced
 * the command counter). Deferred constraints' events go to the host instead.
 */
export async function fireAfterTriggers(es: ExecState, host: RiHost): Promise<void> {
  const events = es.afterTriggers;
  if (!events || events.length === 0) return;
  es.afterTriggers = [];
  for (const ev of events) {
    if (host.defer && isDeferrable(ev) && host.isDeferred?.(ev.fk)) {
      host.defer(ev);
      continue;
    }
    await fireEvent(ev, es, host);
  }
}

/**
 * Whether an event may wait for COMMIT: row checks and NO ACTION do; RESTRICT and the actions
 * (CASCADE, SET NULL, SET DEFAULT) always run at the end of the statement, as in PostgreSQL.
 */
function isDeferrable(ev: RiEvent): boolean {
  if (ev.k === 'check') return true;
  return (ev.op === 'delete' ? ev.fk.onDelete : ev.fk.onUpdate) === 'a';
}

/** Runs one event now (immediately, or at COMMIT for a deferred constraint). */
export async function fireEvent(ev: RiEvent, es: ExecState, host: RiHost): Promise<void> {
  if (ev.k === 'check') await checkReferencingRow(ev, es, host);
  else await referencedRowChanged(ev, es, host);
}

/** Always-quoted names, as PostgreSQL writes them into its RI queries. */
const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

const qualified = (side: ForeignKeySide): string =>
  `${quoteIdent(side.namespaceName)}.${quoteIdent(side.name)}`;

/** `a = $1 AND b = $2` over a side's key columns, parameters from `first`. */
const keyCondition = (side: ForeignKeySide, first: number): string =>
  side.columns.map((c, i) => `${quoteIdent(c.name)} = $${first + i}`).join(' AND ');

type InternalPlan =
  | { k: 'select'; q: SelectQuery }
  | { k: 'update'; q: UpdateQuery }
  | { k: 'delete'; q: DeleteQuery };

/** Plans kept per constraint descriptor (a new one comes with every relcache rebuild). */
const planCache = new WeakMap<ForeignKeyInfo, Map<string, InternalPlan>>();

function internalPlan(
  fk: ForeignKeyInfo,
  purpose: string,
  sql: () => string,
  paramTypes: number[],
  env: AnalyzeEnv,
): InternalPlan {
  let plans = planCache.get(fk);
  if (!plans) planCache.set(fk, (plans = new Map<string, InternalPlan>()));
  const hit = plans.get(purpose);
  if (hit) return hit;
  const [raw] = parseStatements(sql());
  const node = raw!.stmt;
  const planEnv = { ...env, paramTypes: [...paramTypes] };
  let plan: InternalPlan;
  if ('SelectStmt' in node) plan = { k: 'select', q: transformSelect(planEnv, node.SelectStmt) };
  else if ('UpdateStmt' in node)
    plan = { k: 'update', q: transformUpdate(planEnv, node.UpdateStmt) };
  else if ('DeleteStmt' in node)
    plan = { k: 'delete', q: transformDelete(planEnv, node.DeleteStmt) };
  else throw new PgError('XX000', 'unexpected internal foreign key query');
  plans.set(purpose, plan);
  return plan;
}

/**
 * Runs an internal query over a fresh snapshot (so it sees everything done so far, this
 * statement's changes included) and returns its rows (a modification's count as its length).
 * Modifications fire their own row events before this returns, as PostgreSQL's nested queries do.
 */
async function runInternal(
  fk: ForeignKeyInfo,
  purpose: string,
  sql: () => string,
  paramTypes: number[],
  params: Value[],
  es: ExecState,
  host: RiHost,
): Promise<number> {
  const snapshot = es.txn.statementSnapshot();
  try {
    const plan = internalPlan(fk, purpose, sql, paramTypes, host.env(snapshot, paramTypes));
    const inner: ExecState = {
      txn: es.txn,
      snapshot,
      ctx: { ...es.ctx, params, outer: [], runSubquery: undefined },
      afterTriggers: [],
    };
    if (plan.k === 'select') {
      if (plan.q.lockRows) return (await runLockingSelect(plan.q, inner)).length;
      let n = 0;
      for (const row of runSelect(plan.q, inner)) if (row) n++;
      return n;
    }
    let count: number;
    try {
      count = (
        plan.k === 'update' ? await runUpdate(plan.q, inner) : await runDelete(plan.q, inner)
      ).count;
    } catch (err) {
      // PostgreSQL names the internal statement an error arose in (not its own triggers').
      const e = asPgError(err);
      const where = `SQL statement "${sql()}"`;
      e.where = e.where ? `${e.where}\n${where}` : where;
      throw e;
    }
    es.txn.commandCounterIncrement();
    // Rows may be gone now: parents found earlier must be looked up again.
    checkedKeys.delete(es);
    await fireAfterTriggers(inner, host);
    return count;
  } catch (err) {
    // Positions would point into the internal query's text, which the client never sent.
    if (err instanceof PgError) {
      err.position = undefined;
      err.byteLocation = undefined;
    }
    throw err;
  } finally {
    snapshot.release();
  }
}

function showKey(side: ForeignKeySide, key: Value[], es: ExecState): string {
  const names = side.columns.map((c) => c.name).join(', ');
  const values = key
    .map((v, i) =>
      v === null ? 'null' : typeByOid(side.columns[i]!.type).output(v, es.ctx.session.format),
    )
    .join(', ');
  return `(${names})=(${values})`;
}

async function checkReferencingRow(
  ev: Extract<RiEvent, { k: 'check' }>,
  es: ExecState,
  host: RiHost,
): Promise<void> {
  const { fk, rel } = ev;
  const key = keyOf(rel, fk.child, ev.row);
  // Only MATCH FULL queues a partly-null key.
  if (key.some((v) => v === null)) throw referencingViolation(fk, matchFullDetail);
  // A row this statement went on to delete or update needs no check (its successor has its own).
  const snapshot = es.txn.statementSnapshot();
  try {
    if (!rel.heap.fetch(snapshot, ev.rowId)) return;
  } finally {
    snapshot.release();
  }
  // Many rows of one statement reference the same few parents: one lookup (and key-share lock,
  // held to the end of the transaction) per key is enough until something is deleted or updated.
  const seen = (checkedKeys.get(es) ?? checkedKeys.set(es, new Set()).get(es))!;
  const memo = `${fk.oid}\0${key.map(keyText).join('\0')}`;
  if (seen.has(memo)) return;
  const found = await runInternal(
    fk,
    'parent',
    () =>
      `SELECT 1 FROM ONLY ${qualified(fk.parent)} x WHERE ${keyCondition(fk.parent, 1)} FOR KEY SHARE OF x`,
    fk.child.columns.map((c) => c.type),
    key,
    es,
    host,
  );
  if (found === 0) throw referencingViolation(fk, notPresentDetail(fk, key, es));
  seen.add(memo);
}

/** Parent keys found (and locked) during one statement's checks, per statement state. */
const checkedKeys = new WeakMap<ExecState, Set<string>>();

const keyText = (v: Value): string =>
  v instanceof Uint8Array
    ? Buffer.from(v).toString('hex')
    : typeof v === 'bigint'
      ? `${v}n`
      : JSON.stringify(v);

const matchFullDetail = 'MATCH FULL does not allow mixing of null and nonnull key values.';

const notPresentDetail = (fk: ForeignKeyInfo, key: Value[], es: ExecState): string =>
  `Key ${showKey(fk.child, key, es)} is not present in table "${fk.parent.name}".`;

function referencingViolation(fk: ForeignKeyInfo, detail: string): PgError {
  return new PgError(
    '23503',
    `insert or update on table "${fk.child.name}" violates foreign key constraint "${fk.name}"`,
    { detail, schema: fk.child.namespaceName, table: fk.child.name, constraint: fk.name },
  );
}

async function referencedRowChanged(
  ev: Extract<RiEvent, { k: 'referenced' }>,
  es: ExecState,
  host: RiHost,
): Promise<void> {
  const { fk, rel } = ev;
  const oldKey = keyOf(rel, fk.parent, ev.oldRow);
  const action = ev.op === 'delete' ? fk.onDelete : fk.onUpdate;
  if (action === 'a') await restrict(ev, oldKey, true, es, host);
  else if (action === 'r') await restrict(ev, oldKey, false, es, host);
  else await act(ev, action, oldKey, es, host);
}

/** NO ACTION / RESTRICT: rows still referencing the old key make the change fail. */
async function restrict(
  ev: Extract<RiEvent, { k: 'referenced' }>,
  oldKey: Value[],
  noAction: boolean,
  es: ExecState,
  host: RiHost,
): Promise<void> {
  const { fk } = ev;
  const parentTypes = fk.parent.columns.map((c) => c.type);
  if (noAction) {
    // NO ACTION: another row may carry the same key by now, and then nothing is orphaned.
    const again = await runInternal(
      fk,
      'parent-again',
      () =>
        `SELECT 1 FROM ONLY ${qualified(fk.parent)} x WHERE ${keyCondition(fk.parent, 1)} FOR KEY SHARE OF x`,
      parentTypes,
      oldKey,
      es,
      host,
    );
    if (again > 0) return;
  }
  const referencing = await runInternal(
    fk,
    'children',
    () =>
      `SELECT 1 FROM ONLY ${qualified(fk.child)} x WHERE ${childWhere(fk, 1)} FOR KEY SHARE OF x`,
    parentTypes,
    oldKey,
    es,
    host,
  );
  if (referencing > 0)
    throw new PgError(
      '23503',
      `update or delete on table "${fk.parent.name}" violates foreign key constraint "${fk.name}" on table "${fk.child.name}"`,
      {
        detail: `Key ${showKey(fk.parent, oldKey, es)} is still referenced from table "${fk.child.name}".`,
        schema: fk.child.namespaceName,
        table: fk.child.name,
        constraint: fk.name,
      },
    );
}

/** The referencing rows' condition, written as PostgreSQL writes it (error contexts show it). */
const childWhere = (fk: ForeignKeyInfo, first: number): string =>
  fk.child.columns
    .map((c, i) => `$${first + i} OPERATOR(pg_catalog.=) ${quoteIdent(c.name)}`)
    .join(' AND ');

/** CASCADE, SET NULL, SET DEFAULT: the referencing rows follow the referenced one. */
async function act(
  ev: Extract<RiEvent, { k: 'referenced' }>,
  action: 'c' | 'n' | 'd',
  oldKey: Value[],
  es: ExecState,
  host: RiHost,
): Promise<void> {
  const { fk, rel } = ev;
  const parentTypes = fk.parent.columns.map((c) => c.type);
  const n = fk.child.columns.length;
  if (action === 'c' && ev.op === 'delete') {
    await runInternal(
      fk,
      'cascade-delete',
      () => `DELETE FROM ONLY ${qualified(fk.child)} WHERE ${childWhere(fk, 1)}`,
      parentTypes,
      oldKey,
      es,
      host,
    );
    return;
  }
  if (action === 'c') {
    const newKey = keyOf(rel, fk.parent, ev.newRow!);
    await runInternal(
      fk,
      'cascade-update',
      () =>
        `UPDATE ONLY ${qualified(fk.child)} SET ${fk.child.columns
          .map((c, i) => `${quoteIdent(c.name)} = $${i + 1}`)
          .join(', ')} WHERE ${childWhere(fk, n + 1)}`,
      [...parentTypes, ...parentTypes],
      [...newKey, ...oldKey],
      es,
      host,
    );
    return;
  }
  const value = action === 'n' ? 'NULL' : 'DEFAULT';
  // ON DELETE SET NULL (a): only the columns listed change.
  const only = ev.op === 'delete' ? fk.deleteSetColumns : undefined;
  const setColumns = only
    ? fk.child.columns.filter((c) => only.includes(c.attnum))
    : fk.child.columns;
  await runInternal(
    fk,
    `set-${value}-${ev.op}`,
    () =>
      `UPDATE ONLY ${qualified(fk.child)} SET ${setColumns
        .map((c) => `${quoteIdent(c.name)} = ${value}`)
        .join(', ')} WHERE ${childWhere(fk, 1)}`,
    parentTypes,
    oldKey,
    es,
    host,
  );
  // Rows set to a default equal to the old key did not change, so nothing checked them: the
  // key must still exist, as for NO ACTION.
  if (action === 'd') await restrict(ev, oldKey, true, es, host);
}

/**
 * ALTER TABLE … ADD FOREIGN KEY: every row already in the table must reference an existing row
 * (PostgreSQL's initial check; the same errors as a row check).
 */
export async function validateForeignKey(
  fk: ForeignKeyInfo,
  rel: RelationInfo,
  es: ExecState,
  host: RiHost,
): Promise<void> {
  const found = new Set<string>();
  for (const t of rel.heap.scan(es.snapshot)) {
    const row = t.row as Row;
    const key = keyOf(rel, fk.child, row);
    if (!needsCheck(fk, key)) continue;
    if (key.some((v) => v === null)) throw referencingViolation(fk, matchFullDetail);
    const memo = key.map(keyText).join('\0');
    if (found.has(memo)) continue;
    await maybeYield();
    const matches = await runInternal(
      fk,
      'parent-unlocked',
      () => `SELECT 1 FROM ONLY ${qualified(fk.parent)} x WHERE ${keyCondition(fk.parent, 1)}`,
      fk.child.columns.map((c) => c.type),
      key,
      es,
      host,
    );
    if (matches === 0) throw referencingViolation(fk, notPresentDetail(fk, key, es));
    found.add(memo);
  }
}
