/**
 * Window function calls (fn(…) OVER (PARTITION BY … ORDER BY … frame), or OVER a named WINDOW):
 * the ranking and value functions and every aggregate used as a window function. The call is
 * replaced by a variable that reads its result, which the executor appends to each row.
 */
import type { FuncCall, Node, WindowDef } from 'libpg-query';
import { PgError } from '../utils/errors.js';
import { T, typeByOid } from '../utils/adt/types.js';
import { aggregateResultType, isAggregate, resolveAggregate } from './functions.js';
import type { Expr } from './primnodes.js';
import { restrictedClauseNames, type ParseState } from './parse-state.js';
import type { FrameBound, WindowCall, WindowFunctionKind, WindowOrderKey } from './query.js';
import {
  coerceToBoolean,
  noFunction,
  resolveUnknown,
  sortOptions,
  transformExpr,
  tryCoerce,
} from './analyze-expr.js';
import { formatType } from '../utils/adt/types.js';

/* parsenodes.h FRAMEOPTION_* bits. */
const FRAME_RANGE = 0x2;
const FRAME_ROWS = 0x4;
const FRAME_GROUPS = 0x8;
const FRAME_START_UNBOUNDED_PRECEDING = 0x20;
const FRAME_END_UNBOUNDED_FOLLOWING = 0x100;
const FRAME_START_CURRENT_ROW = 0x200;
const FRAME_END_CURRENT_ROW = 0x400;
const FRAME_START_OFFSET_PRECEDING = 0x800;
const FRAME_END_OFFSET_PRECEDING = 0x1000;
const FRAME_START_OFFSET_FOLLOWING = 0x2000;
const FRAME_END_OFFSET_FOLLOWING = 0x4000;
const FRAME_EXCLUSION = 0x8000 | 0x10000 | 0x20000;

interface Builtin {
  kind: WindowFunctionKind;
  /** Argument count range. */
  min: number;
  max: number;
  /** Result type from the first argument's type (undefined: fixed `result`). */
  result?: number;
}

const builtins: Record<string, Builtin> = {
  row_number: { kind: 'row_number', min: 0, max: 0, result: T.int8 },
  rank: { kind: 'rank', min: 0, max: 0, result: T.int8 },
  dense_rank: { kind: 'dense_rank', min: 0, max: 0, result: T.int8 },
  percent_rank: { kind: 'percent_rank', min: 0, max: 0, result: T.float8 },
  cume_dist: { kind: 'cume_dist', min: 0, max: 0, result: T.float8 },
  ntile: { kind: 'ntile', min: 1, max: 1, result: T.int4 },
  lag: { kind: 'lag', min: 1, max: 3 },
  lead: { kind: 'lead', min: 1, max: 3 },
  first_value: { kind: 'first_value', min: 1, max: 1 },
  last_value: { kind: 'last_value', min: 1, max: 1 },
  nth_value: { kind: 'nth_value', min: 2, max: 2 },
};

export function isWindowFunction(name: string): boolean {
  return name in builtins;
}

function mustCoerce(ps: ParseState, e: Expr, type: number, name: string, location: number): Expr {
  const out = tryCoerce(ps, e, type, -1, 'implicit');
  if (!out) throw noFunction(name, [e.type], location);
  return out;
}

/** The effective definition: OVER (…) merged with the named window it refers to. */
function effectiveDef(ps: ParseState, over: WindowDef, location: number): WindowDef {
  const refName =
    over.refname ?? (over.partitionClause || over.orderClause ? undefined : over.name);
  if (refName === undefined) return over;
  const base = ps.windowDefs.get(refName);
  if (!base) {
    throw new PgError('42704', `window "${refName}" does not exist`).at(over.location ?? location);
  }
  if (over.partitionClause) {
    throw new PgError('42P20', `cannot override PARTITION BY clause of window "${refName}"`).at(
      location,
    );
  }
  if (over.orderClause && base.orderClause) {
    throw new PgError('42P20', `cannot override ORDER BY clause of window "${refName}"`).at(
      location,
    );
  }
  return {
    ...base,
    orderClause: over.orderClause ?? base.orderClause,
    frameOptions: over.orderClause || over.refname ? over.frameOptions : base.frameOptions,
    startOffset: over.refname ? over.startOffset : base.startOffset,
    endOffset: over.refname ? over.endOffset : base.endOffset,
  };
}

function orderKeys(ps: ParseState, items: Node[]): WindowOrderKey[] {
  return items.map((item) => {
    if (!('SortBy' in item)) throw new PgError('XX000', 'unexpected window ORDER BY item');
    const sb = item.SortBy;
    const { desc, nullsFirst } = sortOptions(sb);
    const expr = resolveUnknown(ps, transformExpr(ps, sb.node!));
    return {
      expr,
      desc,
      nullsFirst,
      compare: typeByOid(expr.type).compare as (a: unknown, b: unknown) => number,
    };
  });
}

function frameOf(ps: ParseState, def: WindowDef, location: number): WindowCall['frame'] {
  const opts =
    def.frameOptions ?? FRAME_RANGE | FRAME_START_UNBOUNDED_PRECEDING | FRAME_END_CURRENT_ROW;
  if (opts & FRAME_GROUPS)
    throw new PgError('0A000', 'GROUPS frames are not supported yet').at(location);
  if (opts & FRAME_EXCLUSION)
    throw new PgError('0A000', 'frame exclusion is not supported yet').at(location);
  const mode = opts & FRAME_ROWS ? 'rows' : 'range';
  const offset = (node: Node | undefined, preceding: boolean): FrameBound => {
    if (mode === 'range') {
      throw new PgError('0A000', 'RANGE with an offset is not supported yet').at(location);
    }
    const e = transformExpr(ps, node!);
    const asInt = tryCoerce(ps, e, T.int8, -1, 'assignment');
    if (!asInt) {
      throw new PgError(
        '42804',
        `argument of ROWS must be type bigint, not type ${formatType(e.type, -1)}`,
      ).at(e.location);
    }
    return { k: 'offset', offset: asInt, preceding };
  };
  const start: FrameBound =
    opts & FRAME_START_UNBOUNDED_PRECEDING
      ? { k: 'unbounded' }
      : opts & FRAME_START_CURRENT_ROW
        ? { k: 'current' }
        : opts & FRAME_START_OFFSET_PRECEDING
          ? offset(def.startOffset, true)
          : opts & FRAME_START_OFFSET_FOLLOWING
            ? offset(def.startOffset, false)
            : { k: 'unbounded' };
  const end: FrameBound =
    opts & FRAME_END_UNBOUNDED_FOLLOWING
      ? { k: 'unbounded' }
      : opts & FRAME_END_CURRENT_ROW
        ? { k: 'current' }
        : opts & FRAME_END_OFFSET_PRECEDING
          ? offset(def.endOffset, true)
          : opts & FRAME_END_OFFSET_FOLLOWING
            ? offset(def.endOffset, false)
            : { k: 'current' };
  return { mode, start, end };
}

/** Analyzes `f` (which has OVER) and returns the variable its result is read from. */
export function transformWindowCall(
  ps: ParseState,
  f: FuncCall,
  name: string,
  location: number,
): Expr {
  const where = restrictedClauseNames[ps.exprKind];
  if (where) {
    throw new PgError('42P20', `window functions are not allowed in ${where}`).at(location);
  }
  if (ps.inWindowArgs) {
    throw new PgError('42P20', 'window function calls cannot be nested').at(location);
  }
  if (ps.inAggregateArgs) {
    throw new PgError('42803', 'aggregate function calls cannot contain window function calls').at(
      location,
    );
  }
  if (f.agg_distinct) {
    throw new PgError('0A000', 'DISTINCT is not implemented for window functions').at(location);
  }
  const def = effectiveDef(ps, f.over!, location);
  ps.inWindowArgs = true;
  let call: WindowCall;
  let type: number;
  try {
    const args = (f.args ?? []).map((a) => transformExpr(ps, a));
    const filter = f.agg_filter
      ? coerceToBoolean(ps, transformExpr(ps, f.agg_filter), 'FILTER')
      : undefined;
    const partitionBy = (def.partitionClause ?? []).map((n) =>
      resolveUnknown(ps, transformExpr(ps, n)),
    );
    const orderBy = orderKeys(ps, def.orderClause ?? []);
    const frame = frameOf(ps, def, location);
    const builtin = builtins[name];
    if (builtin) {
      if (filter) {
        throw new PgError(
          '0A000',
          'FILTER is not implemented for non-aggregate window functions',
        ).at(location);
      }
      if (args.length < builtin.min || args.length > builtin.max || f.agg_star) {
        throw noFunction(
          name,
          args.map((a) => a.type),
          location,
        );
      }
      let coerced = args;
      if (builtin.kind === 'ntile') coerced = [mustCoerce(ps, args[0]!, T.int4, name, location)];
      else if (builtin.kind === 'lag' || builtin.kind === 'lead' || builtin.kind === 'nth_value') {
        const value = resolveUnknown(ps, args[0]!);
        coerced = [value];
        if (args[1]) coerced.push(mustCoerce(ps, args[1], T.int4, name, location));
        if (args[2]) coerced.push(mustCoerce(ps, args[2], value.type, name, location));
      } else if (args[0]) coerced = [resolveUnknown(ps, args[0])];
      type = builtin.result ?? coerced[0]!.type;
      call = {
        kind: builtin.kind,
        agg: undefined,
        args: coerced,
        filter,
        partitionBy,
        orderBy,
        frame,
      };
    } else if (isAggregate(name)) {
      const agg = resolveAggregate(
        name,
        args.map((a) => a.type),
        f.agg_star === true,
      );
      if (!agg)
        throw noFunction(
          name,
          args.map((a) => a.type),
          location,
        );
      const coerced = args.map((a, i) => {
        const want = agg.args[i] ?? T.unknown;
        return want === T.unknown ? resolveUnknown(ps, a) : mustCoerce(ps, a, want, name, location);
      });
      if ((f.agg_order ?? []).length > 0)
        throw new PgError('0A000', 'aggregate ORDER BY is not implemented for window functions').at(
          location,
        );
      type = aggregateResultType(
        agg,
        coerced.map((a) => a.type),
      );
      call = { kind: 'aggregate', agg, args: coerced, filter, partitionBy, orderBy, frame };
    } else {
      throw new PgError(
        '42809',
        `OVER specified, but ${name} is not a window function nor an aggregate function`,
      ).at(location);
    }
  } finally {
    ps.inWindowArgs = false;
  }
  const index = ps.windows.length;
  const ref: Extract<Expr, { k: 'var' }> = {
    k: 'var',
    // Placeholder until the row layout after grouping is known (see placeWindowResults).
    index: -1 - index,
    name,
    type,
    typmod: -1,
    tableOid: 0,
    attnum: 0,
    levelsUp: 0,
    location,
    windowIndex: index,
  };
  ps.windows.push({ call, ref });
  return ref;
}

/** Window results follow the (grouped) input row: points each result variable at its column. */
export function placeWindowResults(ps: ParseState, rowWidth: number): WindowCall[] {
  for (const w of ps.windows) w.ref.index = rowWidth + w.ref.windowIndex!;
  return ps.windows.map((w) => w.call);
}
