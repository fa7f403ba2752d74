/**
 * Window functions (PostgreSQL's WindowAgg): for each call, the rows are split into partitions,
 * each partition ordered, and the function evaluated per row over its partition or frame. The
 * results are appended to each row, in the order of the query's window calls.
 */
import { PgError } from '../utils/errors.js';
import type { Value } from '../utils/adt/types.js';
import type { EvalContext } from '../parser/primnodes.js';
import type { FrameBound, WindowCall } from '../parser/query.js';
import { compileExpr, type Compiled, type Row } from './compile-expr.js';
import { rowKey } from './exec-select.js';

interface Ordered {
  /** Row indexes of one partition, in window order. */
  rows: number[];
  /** For each position, the first and last position of its peer group (equal ORDER BY keys). */
  peerStart: number[];
  peerEnd: number[];
}

function partitionAndOrder(call: WindowCall, rows: readonly Row[], ctx: EvalContext): Ordered[] {
  const partFns = call.partitionBy.map(compileExpr);
  const orderFns = call.orderBy.map((o) => compileExpr(o.expr));
  const keys = rows.map((r) => orderFns.map((f) => f(r, ctx)));
  const partitions = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const k = rowKey(partFns.map((f) => f(r, ctx)));
    const list = partitions.get(k);
    if (list) list.push(i);
    else partitions.set(k, [i]);
  });
  const compareKeys = (a: number, b: number): number => {
    for (let j = 0; j < call.orderBy.length; j++) {
      const o = call.orderBy[j]!;
      const x = keys[a]![j] ?? null;
      const y = keys[b]![j] ?? null;
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === o.nullsFirst ? -1 : 1;
      }
      const c = o.compare(x, y);
      if (c !== 0) return o.desc ? -c : c;
    }
    return 0;
  };
  const out: Ordered[] = [];
  for (const list of partitions.values()) {
    // Array.prototype.sort is stable: rows that tie keep their input order.
    if (call.orderBy.length > 0) list.sort(compareKeys);
    const peerStart: number[] = [];
    const peerEnd: number[] = new Array<number>(list.length);
    for (let p = 0; p < list.length; p++) {
      peerStart.push(p > 0 && compareKeys(list[p - 1]!, list[p]!) === 0 ? peerStart[p - 1]! : p);
    }
    for (let p = list.length - 1; p >= 0; p--) {
      peerEnd[p] = p < list.length - 1 && peerStart[p + 1] === peerStart[p] ? peerEnd[p + 1]! : p;
    }
    out.push({ rows: list, peerStart, peerEnd });
  }
  return out;
}

/** Frame offsets, compiled once per query rather than once per row. */
const compiledOffsets = new WeakMap<object, Compiled>();

function boundOffset(
  b: FrameBound,
  which: 'starting' | 'ending',
  row: Row,
  ctx: EvalContext,
): number {
  if (b.k !== 'offset') return 0;
  let offset = compiledOffsets.get(b.offset);
  if (!offset) {
    offset = compileExpr(b.offset);
    compiledOffsets.set(b.offset, offset);
  }
  const v = offset(row, ctx);
  if (v === null) throw new PgError('22004', `frame ${which} offset must not be null`);
  const n = Number(v);
  if (n < 0) throw new PgError('22013', `frame ${which} offset must not be negative`);
  return n;
}

/** The frame [start, end] (positions in the partition, inclusive; empty when start > end). */
function frameAt(
  call: WindowCall,
  part: Ordered,
  p: number,
  row: Row,
  ctx: EvalContext,
): [number, number] {
  const n = part.rows.length;
  const { mode, start, end } = call.frame;
  const bound = (b: FrameBound, isStart: boolean): number => {
    if (b.k === 'unbounded') return isStart ? 0 : n - 1;
    if (b.k === 'current') {
      if (mode === 'rows') return p;
      return isStart ? part.peerStart[p]! : part.peerEnd[p]!;
    }
    const off = boundOffset(b, isStart ? 'starting' : 'ending', row, ctx);
    return b.preceding ? p - off : p + off;
  };
  return [Math.max(0, bound(start, true)), Math.min(n - 1, bound(end, false))];
}

function aggregateOver(
  call: WindowCall,
  part: Ordered,
  rows: readonly Row[],
  ctx: EvalContext,
  out: Value[],
): void {
  const agg = call.agg!;
  const args = call.args.map(compileExpr);
  const filter: Compiled | undefined = call.filter ? compileExpr(call.filter) : undefined;
  const step = (impl: ReturnType<typeof agg.make>, state: unknown, row: Row): unknown => {
    if (filter && filter(row, ctx) !== true) return state;
    const values = args.map((f) => f(row, ctx));
    if (agg.strict && values.some((v) => v === null)) return state;
    return impl.step(state, values);
  };
  const n = part.rows.length;
  // Frames that start at the partition's first row only grow: aggregate incrementally.
  if (call.frame.start.k === 'unbounded' && call.frame.end.k !== 'offset') {
    const impl = agg.make(call.args.map((x) => x.type));
    let state = impl.init();
    let done = -1;
    for (let p = 0; p < n; p++) {
      const [, end] = frameAt(call, part, p, rows[part.rows[p]!]!, ctx);
      while (done < end) {
        done++;
        state = step(impl, state, rows[part.rows[done]!]!);
      }
      out[part.rows[p]!] = impl.final(state);
    }
    return;
  }
  for (let p = 0; p < n; p++) {
    const row = rows[part.rows[p]!]!;
    const [s, e] = frameAt(call, part, p, row, ctx);
    const impl = agg.make(call.args.map((x) => x.type));
    let state = impl.init();
    for (let q = s; q <= e; q++) state = step(impl, state, rows[part.rows[q]!]!);
    out[part.rows[p]!] = impl.final(state);
  }
}

function evaluate(call: WindowCall, rows: readonly Row[], ctx: EvalContext): Value[] {
  const out = new Array<Value>(rows.length).fill(null);
  const args = call.args.map(compileExpr);
  for (const part of partitionAndOrder(call, rows, ctx)) {
    if (call.kind === 'aggregate') {
      aggregateOver(call, part, rows, ctx, out);
      continue;
    }
    const n = part.rows.length;
    let dense = 0;
    for (let p = 0; p < n; p++) {
      const i = part.rows[p]!;
      const row = rows[i]!;
      if (part.peerStart[p] === p) dense++;
      switch (call.kind) {
        case 'row_number':
          out[i] = BigInt(p + 1);
          break;
        case 'rank':
          out[i] = BigInt(part.peerStart[p]! + 1);
          break;
        case 'dense_rank':
          out[i] = BigInt(dense);
          break;
        case 'percent_rank':
          out[i] = n > 1 ? part.peerStart[p]! / (n - 1) : 0;
          break;
        case 'cume_dist':
          out[i] = (part.peerEnd[p]! + 1) / n;
          break;
        case 'ntile': {
          const v = args[0]!(row, ctx);
          if (v === null) break;
          const buckets = v as number;
          if (buckets <= 0)
            throw new PgError('22014', 'argument of ntile must be greater than zero');
          // The first n % buckets buckets get one row more.
          const size = Math.floor(n / buckets);
          const extra = n % buckets;
          const big = extra * (size + 1);
          out[i] =
            p < big ? Math.floor(p / (size + 1)) + 1 : extra + Math.floor((p - big) / size) + 1;
          break;
        }
        case 'lag':
        case 'lead': {
          const off = args[1] ? args[1](row, ctx) : 1;
          if (off === null) break;
          const target = call.kind === 'lag' ? p - (off as number) : p + (off as number);
          out[i] =
            target >= 0 && target < n
              ? args[0]!(rows[part.rows[target]!]!, ctx)
              : args[2]
                ? args[2](row, ctx)
                : null;
          break;
        }
        case 'first_value':
        case 'last_value':
        case 'nth_value': {
          const [s, e] = frameAt(call, part, p, row, ctx);
          let target = call.kind === 'first_value' ? s : e;
          if (call.kind === 'nth_value') {
            const nth = args[1]!(row, ctx);
            if (nth === null) break;
            if ((nth as number) <= 0)
              throw new PgError('22016', 'argument of nth_value must be greater than zero');
            target = s + (nth as number) - 1;
          }
          out[i] =
            s <= e && target >= s && target <= e ? args[0]!(rows[part.rows[target]!]!, ctx) : null;
          break;
        }
      }
    }
  }
  return out;
}

/** Appends each window call's result to every row (the rows keep their order). */
export function computeWindows(calls: WindowCall[], input: Iterable<Row>, ctx: EvalContext): Row[] {
  const rows = [...input];
  const results = calls.map((c) => evaluate(c, rows, ctx));
  return rows.map((r, i) => [...r, ...results.map((res) => res[i]!)]);
}
