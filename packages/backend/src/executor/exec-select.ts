/**
 * Executes SELECT queries: scans (sequential or index lookup), nested-loop joins, filtering,
 * hash aggregation, projection, DISTINCT, set operations, sorting and LIMIT/OFFSET. Rows are
 * produced lazily by generators so large results stream to the client without being
 * materialised (unless sorting, grouping or DISTINCT need them all).
 */
import type { RiEvent } from './ri-triggers.js';
import { groupingMask } from '../parser/grouping-sets.js';
import { computeWindows } from './exec-window.js';
import type { Snapshot, Transaction } from '../access/api.js';
import { PgError } from '../utils/errors.js';
import type { Value } from '../utils/adt/types.js';
import { checkForInterrupts } from '../utils/interrupts.js';
import type { EvalContext } from '../parser/primnodes.js';
import type { CommonTable, FromNode, SelectQuery } from '../parser/query.js';
import { chooseIndexLookup } from '../optimizer/planner.js';
import { compileExpr, compileQual, type Compiled, type Row } from './compile-expr.js';

export interface ExecState {
  txn: Transaction;
  snapshot: Snapshot;
  ctx: EvalContext;
  /** Rows already fetched (and locked) for a table scan, used instead of scanning it. */
  lockedRows?: Map<FromNode, Row[]>;
  /** For a LATERAL item: the current row of the FROM items to its left, in flat-row positions. */
  lateralRow?: Row;
  /** WITH queries evaluated so far in this execution (shared by every copy of the state). */
  ctes?: Map<CommonTable, CteState>;
  /** Foreign-key work the running INSERT/UPDATE/DELETE queued for the end of the statement. */
  afterTriggers?: RiEvent[];
}

/** A WITH query's rows: those read so far, and the rest still to come from its evaluation. */
interface CteState {
  rows: Row[];
  pending: Iterator<Row> | undefined;
  /** A recursive query's previous round, read by its recursive term. */
  work: Row[];
}

function cteStates(es: ExecState): Map<CommonTable, CteState> {
  return (es.ctes ??= new Map<CommonTable, CteState>());
}

function newCteState(cte: CommonTable, es: ExecState): CteState {
  const state: CteState = { rows: [], pending: undefined, work: [] };
  // Generators start lazily: nothing runs until the first reader asks for a row.
  state.pending = (cte.recursive ? recursiveUnion(cte, state, es) : runSelect(cte.query, es))[
    Symbol.iterator
  ]();
  return state;
}

/** Reads a WITH query, evaluating it only as far as some reader has needed. */
function* readCte(cte: CommonTable, es: ExecState): Generator<Row> {
  const states = cteStates(es);
  let state = states.get(cte);
  if (!state) {
    // A data-modifying statement's WITH query, first read here.
    state = newCteState(cte, es);
    states.set(cte, state);
  }
  for (let i = 0; ; i++) {
    if (i < state.rows.length) {
      yield state.rows[i]!;
      continue;
    }
    if (!state.pending) return;
    const next = state.pending.next();
    if (next.done) {
      state.pending = undefined;
      return;
    }
    state.rows.push(next.value);
    yield next.value;
  }
}

/** WITH RECURSIVE: the non-recursive term, then the recursive term over each new round. */
function* recursiveUnion(cte: CommonTable, state: CteState, es: ExecState): Generator<Row> {
  const { term, all } = cte.recursive!;
  const seen = all ? undefined : new Set<string>();
  const fresh = (r: Row): boolean => {
    if (!seen) return true;
    const k = rowKey(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  };
  let round: Row[] = [];
  for (const r of runSelect(cte.query, es)) {
    if (!fresh(r)) continue;
    round.push(r);
    yield r;
  }
  while (round.length > 0) {
    state.work = round;
    round = [];
    for (const r of runSelect(term, es)) {
      if (!fresh(r)) continue;
      round.push(r);
      yield r;
    }
  }
  state.work = [];
}

/** A key that is equal for SQL-equal (non-null) values of the same type. */
export function valueKey(v: Value): string {
  if (v === null) return 'N';
  switch (typeof v) {
    case 'string':
      return 's' + v;
    case 'number':
      return Object.is(v, -0) ? 'n0' : 'n' + String(v);
    case 'bigint':
      return 'b' + v.toString();
    case 'boolean':
      return v ? 'T' : 'F';
    default:
      if (v instanceof Uint8Array) return 'x' + Buffer.from(v).toString('hex');
      return (
        'a' + JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))
      );
  }
}

export function rowKey(row: readonly Value[], n = row.length): string {
  let k = '';
  for (let i = 0; i < n; i++) k += valueKey(row[i] ?? null) + '\u0000';
  return k;
}

let rowsSinceCheck = 0;
function tick(): void {
  if (++rowsSinceCheck >= 1000) {
    rowsSinceCheck = 0;
    checkForInterrupts();
  }
}

/* FROM ------------------------------------------------------------------------------------------- */

function* scanRel(
  node: Extract<FromNode, { k: 'rel' }>,
  q: SelectQuery,
  es: ExecState,
  useIndex: boolean,
): Generator<Row> {
  const lookup = useIndex ? chooseIndexLookup(node.rel, node.offset, q.where) : undefined;
  if (lookup) {
    const key = lookup.keys.map((k) => compileExpr(k)([], es.ctx));
    if (key.some((v) => v === null)) return;
    for (const t of lookup.index.btree.lookup(es.snapshot, key)) {
      tick();
      yield t.row as Row;
    }
    return;
  }
  for (const t of node.rel.heap.scan(es.snapshot)) {
    tick();
    yield t.row as Row;
  }
}

const nulls = (n: number): Value[] => new Array<Value>(n).fill(null);

function* scanFrom(node: FromNode, q: SelectQuery, es: ExecState, top: boolean): Generator<Row> {
  switch (node.k) {
    case 'result':
      yield [];
      return;
    case 'rel': {
      const locked = es.lockedRows?.get(node);
      if (locked) yield* locked;
      else yield* scanRel(node, q, es, top);
      return;
    }
    case 'values':
      for (const exprs of node.rows) {
        const compiled = exprs.map(compileExpr);
        yield compiled.map((c) => c([], es.ctx));
      }
      return;
    case 'subquery':
      if (node.lateral && es.lateralRow) {
        // The subquery sees the left items' current row as its enclosing query level.
        const ctx = { ...es.ctx, outer: [es.lateralRow, ...es.ctx.outer] };
        yield* runSelect(node.query, { ...es, ctx, lateralRow: undefined });
        return;
      }
      yield* runSelect(node.query, es);
      return;
    case 'cte':
      yield* readCte(node.cte, es);
      return;
    case 'worktable':
      yield* cteStates(es).get(node.cte)?.work ?? [];
      return;
    case 'function': {
      // A lateral function's arguments read the current row of the items to its left.
      const args = node.args.map((a) => compileExpr(a)(es.lateralRow ?? [], es.ctx));
      const row = node.multiColumn
        ? (v: Value): Row => [...(v as Value[])]
        : (v: Value): Row => [v];
      if (!node.ordinality) {
        for (const v of node.run(args, es.ctx)) yield row(v);
        return;
      }
      let n = 0n;
      for (const v of node.run(args, es.ctx)) yield [...row(v), ++n];
      return;
    }
    case 'join': {
      // The join's quals see the row positions of the whole query: pad to the join's offset.
      const pad = node.offset;
      const qual = compileQual(node.quals);
      const lateral =
        (node.right.k === 'subquery' && node.right.lateral === true) ||
        (node.right.k === 'function' && node.right.lateral);
      if (lateral) {
        yield* lateralJoin(node, q, es, qual);
        return;
      }
      const right = [...scanFrom(node.right, q, es, false)];
      const lw = node.left.width;
      const rw = node.right.width;
      const test = (row: Row): boolean => {
        if (!qual) return true;
        const full = pad === 0 ? row : [...nulls(pad), ...row];
        return qual(full, es.ctx);
      };
      const rightMatched =
        node.type === 'full' || node.type === 'right'
          ? new Array<boolean>(right.length).fill(false)
          : undefined;
      for (const l of scanFrom(node.left, q, es, false)) {
        let matched = false;
        for (let i = 0; i < right.length; i++) {
          tick();
          const row = [...l, ...right[i]!];
          if (test(row)) {
            matched = true;
            if (rightMatched) rightMatched[i] = true;
            yield row;
          }
        }
        if (!matched && (node.type === 'left' || node.type === 'full')) yield [...l, ...nulls(rw)];
      }
      if (rightMatched) {
        for (let i = 0; i < right.length; i++)
          if (!rightMatched[i]) yield [...nulls(lw), ...right[i]!];
      }
      return;
    }
  }
}

/**
 * A join whose right side is LATERAL: the right side is evaluated again for each left row, with
 * that row (at its place in the query's flat row) visible to it. Inner and left joins only.
 */
function* lateralJoin(
  node: Extract<FromNode, { k: 'join' }>,
  q: SelectQuery,
  es: ExecState,
  qual: ReturnType<typeof compileQual>,
): Generator<Row> {
  const pad = node.offset;
  const leftOffset = node.left.offset;
  const rw = node.right.width;
  for (const l of scanFrom(node.left, q, es, false)) {
    const current = [...nulls(leftOffset), ...l];
    let matched = false;
    for (const r of scanFrom(node.right, q, { ...es, lateralRow: current }, false)) {
      tick();
      const row = [...l, ...r];
      if (qual && !qual(pad === 0 ? row : [...nulls(pad), ...row], es.ctx)) continue;
      matched = true;
      yield row;
    }
    if (!matched && node.type === 'left') yield [...l, ...nulls(rw)];
  }
}

/** The rows of a FROM item on its own (UPDATE … FROM, DELETE … USING). */
export function scanFromItem(node: FromNode, q: SelectQuery, es: ExecState): Generator<Row> {
  prepareExecState(es);
  return scanFrom(node, q, es, false);
}

/* Aggregation ------------------------------------------------------------------------------------- */

function* aggregate(q: SelectQuery, input: Iterable<Row>, es: ExecState): Generator<Row> {
  const groupFns = q.groupBy.map(compileExpr);
  const aggs = q.aggs.map((a) => ({
    impl: a.agg,
    args: a.args.map(compileExpr),
    filter: compileQual(a.filter),
    distinct: a.distinct,
    strict: a.agg.strict,
    order: a.orderBy.length > 0 ? a.orderBy : undefined,
    orderKeys: a.orderBy.map((o) => compileExpr(o.expr)),
  }));
  interface Group {
    keys: Value[];
    states: unknown[];
    seen: Array<Set<string> | undefined>;
    impls: Array<ReturnType<(typeof aggs)[number]['impl']['make']>>;
    /** For aggregates with ORDER BY: their inputs (arguments, then sort keys), fed at the end. */
    sorted: Array<Value[][] | undefined>;
    /** Its grouping set (index into q.groupingSets). */
    set: number | undefined;
  }
  const feed = (g: Group, i: number, args: Value[]): void => {
    const seen = g.seen[i];
    if (seen) {
      const key = rowKey(args);
      if (seen.has(key)) return;
      seen.add(key);
    }
    g.states[i] = g.impls[i]!.step(g.states[i], args);
  };
  const finish = (g: Group, i: number): Value => {
    const buffer = g.sorted[i];
    const a = aggs[i]!;
    if (buffer && a.order) {
      const n = a.args.length;
      buffer.sort((x, y) => compareSortKeys(a.order!, x, y, n));
      for (const input of buffer) feed(g, i, input.slice(0, n));
    }
    return g.impls[i]!.final(g.states[i]);
  };
  const groups = new Map<string, Group>();
  // GROUPING SETS: every row joins one group per set, the other grouping columns NULL.
  const sets = q.groupingSets?.map((set) => new Set(set));
  const newGroup = (keys: Value[], set: number | undefined): Group => {
    const impls = aggs.map((a, i) => a.impl.make(q.aggs[i]!.args.map((x) => x.type)));
    return {
      keys,
      set,
      impls,
      states: impls.map((i) => i.init()),
      seen: aggs.map((a) => (a.distinct ? new Set<string>() : undefined)),
      sorted: aggs.map((a) => (a.order ? [] : undefined)),
    };
  };
  const accumulate = (row: Row, keys: Value[], set: number | undefined): void => {
    const k = (set === undefined ? '' : `${set}:`) + rowKey(keys);
    let g = groups.get(k);
    if (!g) {
      g = newGroup(keys, set);
      groups.set(k, g);
    }
    for (let i = 0; i < aggs.length; i++) {
      const a = aggs[i]!;
      if (a.filter && !a.filter(row, es.ctx)) continue;
      const args = a.args.map((f) => f(row, es.ctx));
      if (a.strict && args.some((v) => v === null)) continue;
      const buffer = g.sorted[i];
      if (buffer) buffer.push([...args, ...a.orderKeys.map((f) => f(row, es.ctx))]);
      else feed(g, i, args);
    }
  };
  for (const row of input) {
    const keys = groupFns.map((g) => g(row, es.ctx));
    if (!sets) accumulate(row, keys, undefined);
    else
      sets.forEach((set, si) =>
        accumulate(
          row,
          keys.map((v, i) => (set.has(i) ? v : null)),
          si,
        ),
      );
  }
  if (!sets) {
    if (groups.size === 0 && q.groupBy.length === 0) groups.set('', newGroup([], undefined));
  } else {
    // The empty grouping set yields its one row even over no input, as a plain aggregate does.
    sets.forEach((set, si) => {
      if (set.size === 0 && ![...groups.values()].some((g) => g.set === si))
        groups.set(
          `${si}:`,
          newGroup(
            q.groupBy.map(() => null),
            si,
          ),
        );
    });
  }
  for (const g of groups.values()) {
    const set = g.set === undefined ? undefined : sets![g.set];
    yield [
      ...g.keys,
      ...aggs.map((_a, i) => {
        const refs = q.aggs[i]!.groupingRefs;
        return refs ? groupingMask(refs, set) : finish(g, i);
      }),
    ];
  }
}

/** Orders two rows by sort keys stored from position `from` on (NULLs last unless NULLS FIRST). */
function compareSortKeys(
  keys: ReadonlyArray<{
    desc: boolean;
    nullsFirst: boolean;
    compare: (a: unknown, b: unknown) => number;
  }>,
  a: readonly Value[],
  b: readonly Value[],
  from: number,
): number {
  for (let k = 0; k < keys.length; k++) {
    const c = compareKeyValues(keys[k]!, a[from + k] ?? null, b[from + k] ?? null);
    if (c !== 0) return c;
  }
  return 0;
}

/** One sort key's order of two values: NULLs sort as larger than everything unless NULLS FIRST. */
function compareKeyValues(
  key: { desc: boolean; nullsFirst: boolean; compare: (a: unknown, b: unknown) => number },
  x: Value,
  y: Value,
): number {
  if (x === null || y === null) {
    if (x === y) return 0;
    return (x === null) === key.nullsFirst ? -1 : 1;
  }
  const c = key.compare(x, y);
  return key.desc ? -c : c;
}

/* Sorting ------------------------------------------------------------------------------------------ */

function sortRows(rows: Row[], q: SelectQuery): void {
  const keys = q.sort;
  rows.sort((a, b) => {
    for (const k of keys) {
      const c = compareKeyValues(k, a[k.target] ?? null, b[k.target] ?? null);
      if (c !== 0) return c;
    }
    return 0;
  });
}

/* Set operations ------------------------------------------------------------------------------------ */

function* setOperation(q: SelectQuery, es: ExecState): Generator<Row> {
  const s = q.setOp!;
  const width = q.visible;
  if (s.op === 'union') {
    if (s.all) {
      yield* runSelect(s.left, es);
      yield* runSelect(s.right, es);
      return;
    }
    const seen = new Set<string>();
    for (const side of [s.left, s.right]) {
      for (const r of runSelect(side, es)) {
        const k = rowKey(r, width);
        if (seen.has(k)) continue;
        seen.add(k);
        yield r;
      }
    }
    return;
  }
  const rightCounts = new Map<string, number>();
  for (const r of runSelect(s.right, es)) {
    const k = rowKey(r, width);
    rightCounts.set(k, (rightCounts.get(k) ?? 0) + 1);
  }
  const emitted = new Set<string>();
  for (const r of runSelect(s.left, es)) {
    const k = rowKey(r, width);
    const n = rightCounts.get(k) ?? 0;
    if (s.op === 'intersect') {
      if (n === 0) continue;
      if (s.all) rightCounts.set(k, n - 1);
      else if (emitted.has(k)) continue;
    } else {
      if (s.all) {
        if (n > 0) {
          rightCounts.set(k, n - 1);
          continue;
        }
      } else if (n > 0 || emitted.has(k)) continue;
    }
    emitted.add(k);
    yield r;
  }
}

/* The whole SELECT ------------------------------------------------------------------------------------ */

function limitValue(
  e: SelectQuery['limit'],
  es: ExecState,
  what: 'LIMIT' | 'OFFSET',
): number | undefined {
  if (!e) return undefined;
  const v = compileExpr(e)([], es.ctx);
  if (v === null) return undefined;
  const n = Number(v);
  if (n < 0)
    throw new PgError(what === 'LIMIT' ? '2201W' : '2201X', `${what} must not be negative`);
  return n;
}

/** Runs a SELECT and yields its output rows (visible columns only). */
/**
 * Makes a statement's state ready to run subqueries and WITH queries (idempotent). The WITH
 * results are created before any copy of the state is made, so every copy shares them.
 */
export function prepareExecState(es: ExecState): void {
  cteStates(es);
  if (es.ctx.runSubquery) return;
  es.ctx.runSubquery = (plan, c, row) => {
    const inner: ExecState = {
      ...es,
      ctx: { ...c, outer: [row, ...c.outer], runSubquery: undefined },
    };
    return [...runSelect(plan as SelectQuery, inner)].map((r) => [...r]);
  };
}

export function* runSelect(q: SelectQuery, es: ExecState): Generator<Row> {
  const ctx = es.ctx;
  prepareExecState(es);
  // The query's own WITH queries start afresh (a correlated subquery's may differ per row), and
  // are evaluated with this level's state whoever reads them first.
  const ctes = cteStates(es);
  for (const c of q.ctes) ctes.set(c, newCteState(c, es));
  let rows: Iterable<Row>;
  if (q.setOp) rows = setOperation(q, es);
  else {
    const where = compileQual(q.where);
    const source = scanFrom(q.from, q, es, true);
    rows = where ? filter(source, (r) => where(r, ctx)) : source;
    if (q.grouped) {
      rows = aggregate(q, rows, es);
      const having = compileQual(q.having);
      if (having) rows = filter(rows, (r) => having(r, ctx));
    }
    if (q.windows.length > 0) rows = computeWindows(q.windows, rows, ctx);
    if (q.srfs.length > 0) rows = projectSet(q.srfs, rows, ctx);
  }
  const projections: Compiled[] | undefined = q.setOp
    ? undefined
    : q.targets.map((t) => compileExpr(t.expr));
  let projected: Iterable<Row> = projections
    ? map(rows, (r) => projections.map((p) => p(r, ctx)))
    : rows;
  if (q.setOp && q.targets.length > q.visible) {
    // ORDER BY over a set operation may only name output columns (handled by the analyzer).
    projected = map(projected, (r) => r);
  }
  if (q.distinct) {
    const seen = new Set<string>();
    projected = filter(projected, (r) => {
      const k = rowKey(r, q.visible);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
  if (q.sort.length > 0) {
    const all = [...projected];
    sortRows(all, q);
    projected = all;
  }
  if (q.distinctOn) {
    const keys = q.distinctOn;
    let last: string | undefined;
    projected = filter(projected, (r) => {
      let k = '';
      for (const i of keys) k += valueKey(r[i] ?? null) + '\u0000';
      if (k === last) return false;
      last = k;
      return true;
    });
  }
  const offset = limitValue(q.offset, es, 'OFFSET') ?? 0;
  const limit = limitValue(q.limit, es, 'LIMIT');
  let skipped = 0;
  let emitted = 0;
  if (limit === 0) return;
  const strip = q.targets.length > q.visible;
  for (const r of projected) {
    if (skipped < offset) {
      skipped++;
      continue;
    }
    yield strip ? r.slice(0, q.visible) : r;
    emitted++;
    if (limit !== undefined && emitted >= limit) return;
  }
}

function* filter(rows: Iterable<Row>, pred: (r: Row) => boolean): Generator<Row> {
  for (const r of rows) if (pred(r)) yield r;
}
function* map(rows: Iterable<Row>, fn: (r: Row) => Row): Generator<Row> {
  for (const r of rows) yield fn(r);
}

/**
 * Set-returning functions of the select list (PostgreSQL's ProjectSet): each input row becomes as
 * many rows as its longest function returns, the others padded with NULLs.
 */
function* projectSet(
  calls: SelectQuery['srfs'],
  rows: Iterable<Row>,
  ctx: ExecState['ctx'],
): Generator<Row> {
  const args = calls.map((c) => c.args.map(compileExpr));
  for (const row of rows) {
    const iterators = calls.map((c, i) => {
      const values = args[i]!.map((f) => f(row, ctx));
      // A strict function of a NULL argument returns no rows.
      if (values.some((v) => v === null)) return undefined;
      return c.run(values, ctx)[Symbol.iterator]();
    });
    for (;;) {
      let any = false;
      const out: Value[] = [];
      for (const it of iterators) {
        const next = it?.next();
        if (next && !next.done) {
          any = true;
          out.push(next.value);
        } else out.push(null);
      }
      if (!any) break;
      tick();
      yield [...row, ...out];
    }
  }
}
