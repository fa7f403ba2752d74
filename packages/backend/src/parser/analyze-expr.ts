/**
 * Expression analysis (PostgreSQL's parse_expr / parse_func / parse_oper / parse_coerce entry
 * points): raw expression trees → typed expression trees, with name resolution, operator and
 * function selection, coercion of literals and parameters, and PostgreSQL's error texts and
 * positions.
 */
import { computedCatalogOids } from '../catalog/system-views.js';
import { noteColumnRead } from '../catalog/aclchk.js';
import type { Node, TypeName } from 'libpg-query';
import { PgError } from '../utils/errors.js';
import {
  T,
  findTypeByName,
  formatType,
  typeByOid,
  truncateIdentifier,
  arrayElementType,
  type Value,
} from '../utils/adt/types.js';
import { checkInt } from '../utils/adt/int.js';
import {
  cannotCast,
  findCast,
  selectCommonType,
  typmodCoercer,
  type CoercionContext,
} from './coerce.js';
import { resolveOperator } from './operators.js';
import { resolveDatetimeOperator } from './datetime-operators.js';
import { isWindowFunction, transformWindowCall } from './analyze-window.js';
import {
  aggregateResultType,
  isAggregate,
  resolveAggregate,
  resolveFunction,
  srfRunner,
  type BuiltinFunction,
} from './functions.js';
import { makeConst, type Expr, type EvalContext, type FuncExpr } from './primnodes.js';
import { parseQualifiedName } from './qualified-name.js';
import { exprKey } from './expr-utils.js';
import { groupingAggregate } from './grouping-sets.js';
import { orderedSetAggregate, orderedSetNames } from './ordered-set-aggregates.js';
import type { WindowOrderKey } from './query.js';
import { restrictedClauseNames, type ParseState, type ScopeColumn } from './parse-state.js';

/* Small helpers over raw nodes ---------------------------------------------------------------- */

export function strVal(n: Node | undefined): string {
  if (n && 'String' in n) return n.String.sval ?? '';
  return '';
}

export function nodeLocation(n: Node | undefined): number {
  if (!n) return -1;
  const inner = Object.values(n)[0] as unknown;
  if (typeof inner !== 'object' || inner === null) return -1;
  const loc = (inner as { location?: unknown }).location;
  return typeof loc === 'number' ? loc : -1;
}

/** PostgreSQL's exprLocation of a raw expression: where its leftmost part is written. */
export function leftmostLocation(n: Node | undefined): number {
  if (!n) return -1;
  const own = nodeLocation(n);
  const left =
    'A_Expr' in n
      ? leftmostLocation(n.A_Expr.lexpr)
      : 'TypeCast' in n
        ? leftmostLocation(n.TypeCast.arg)
        : -1;
  if (left < 0) return own;
  return own < 0 ? left : Math.min(own, left);
}

/* Coercion ------------------------------------------------------------------------------------- */

/** Sets the type of an as-yet-untyped parameter and returns the node. */
function resolveParam(ps: ParseState, e: Expr, type: number): Expr {
  if (e.k === 'param' && e.type === T.unknown) {
    e.type = type;
    ps.env.paramTypes[e.index] = type;
  }
  return e;
}

/**
 * Folds a conversion of a constant at analysis time. Only the input function of an untyped
 * literal reports the literal's position on error, as PostgreSQL's parser does; casts and length
 * coercions of constants fail without one (PostgreSQL folds those later, in the planner).
 */
function evalConst(e: Expr, fn: (v: Value) => Value, withPosition = false): Expr {
  if (e.k !== 'const') throw new Error('not a constant');
  try {
    return { ...e, value: e.value === null ? null : fn(e.value) };
  } catch (err) {
    if (withPosition && err instanceof PgError) err.at(e.location);
    throw err;
  }
}

/**
 * Coerces `e` to `type`/`typmod` in `context`. Returns undefined if no such coercion exists (the
 * caller raises the error that fits its situation).
 */
export function tryCoerce(
  ps: ParseState,
  e: Expr,
  type: number,
  typmod: number,
  context: CoercionContext,
): Expr | undefined {
  const format = ps.env.format;
  let out: Expr;
  if (e.type === type) {
    out = e;
  } else if (e.k === 'param' && e.type === T.unknown) {
    out = resolveParam(ps, e, type);
  } else if (e.k === 'const' && e.type === T.unknown && type === T.regclass) {
    // regclass input looks the relation up now, as PostgreSQL's regclassin does.
    out = {
      ...e,
      type,
      typmod: -1,
      value: e.value === null ? null : resolveRegclass(ps, e.value as string, e.location),
    };
  } else if (e.k === 'const' && e.type === T.unknown) {
    const input = typeByOid(type);
    out = evalConst({ ...e, type, typmod: -1 }, (v) => input.input(v as string, -1, format), true);
  } else {
    const cast = findCast(e.type, type, context);
    if (!cast) return undefined;
    if (e.k === 'const') out = evalConst({ ...e, type, typmod: -1 }, (v) => cast(v, format));
    else {
      out = {
        k: 'func',
        name: `cast to ${typeByOid(type).name}`,
        args: [e],
        strict: true,
        volatile: false,
        display: context === 'explicit' ? 'explicit-cast' : 'implicit-cast',
        type,
        typmod: -1,
        location: e.location,
        impl: (a, c) => cast(a[0]!, c.session.format),
      };
    }
  }
  if (typmod >= 0 && out.typmod !== typmod) {
    const coercer = typmodCoercer(type, typmod, context === 'explicit');
    if (coercer) {
      if (out.k === 'const') out = evalConst({ ...out, typmod }, coercer);
      else {
        const inner = out;
        out = {
          k: 'func',
          name: 'typmod',
          args: [inner],
          strict: true,
          volatile: false,
          display: context === 'explicit' ? 'explicit-cast' : 'implicit-cast',
          type,
          typmod,
          location: inner.location,
          impl: (a) => coercer(a[0]!),
        };
      }
    }
  }
  return out;
}

export function coerceExplicit(
  ps: ParseState,
  e: Expr,
  type: number,
  typmod: number,
  location: number,
): Expr {
  const out = tryCoerce(ps, e, type, typmod, 'explicit');
  if (!out) throw cannotCast(e.type, type).at(location);
  return out;
}

/** Coerces to boolean for WHERE / HAVING / ON / AND / OR / NOT (42804 otherwise). */
export function coerceToBoolean(ps: ParseState, e: Expr, construct: string): Expr {
  if (e.type === T.bool) return e;
  const out = tryCoerce(ps, e, T.bool, -1, 'assignment');
  if (!out || (e.type !== T.unknown && e.type !== T.bool)) {
    throw new PgError(
      '42804',
      `argument of ${construct} must be type boolean, not type ${formatType(e.type, -1)}`,
    ).at(e.location);
  }
  return out;
}

/** Assignment coercion for INSERT/UPDATE targets, with PostgreSQL's 42804 message. */
export function coerceForAssignment(
  ps: ParseState,
  e: Expr,
  type: number,
  typmod: number,
  column: string,
): Expr {
  const out = tryCoerce(ps, e, type, typmod, 'assignment');
  if (!out) {
    throw new PgError(
      '42804',
      `column "${column}" is of type ${formatType(type, -1)} but expression is of type ${formatType(e.type, -1)}`,
      {
        hint: 'You will need to rewrite or cast the expression.',
      },
    ).at(e.location);
  }
  return out;
}

/** Gives leftover unknown literals and parameters type text (as PostgreSQL does for outputs). */
export function resolveUnknown(ps: ParseState, e: Expr): Expr {
  if (e.type !== T.unknown) return e;
  return tryCoerce(ps, e, T.text, -1, 'implicit') ?? e;
}

function resolveRegclass(ps: ParseState, text: string, location: number): number {
  // A number is taken as the OID itself, as regclassin does.
  if (/^\s*\d+\s*$/.test(text)) return Number(text);
  const parts = parseQualifiedName(text);
  const name = parts[parts.length - 1] ?? '';
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  const rel = ps.env.relcache.resolve(schema, name, ps.env.searchPath, ps.env.snapshot);
  const computed =
    schema === undefined || schema === 'pg_catalog' ? computedCatalogOids[name] : undefined;
  if (!rel && computed !== undefined) return computed;
  if (!rel) throw new PgError('42P01', `relation "${text}" does not exist`).at(location);
  return rel.oid;
}

/* Type names ----------------------------------------------------------------------------------- */

/** ASC/DESC and NULLS FIRST/LAST of an ORDER BY item (NULLS FIRST is the default for DESC). */
export function sortOptions(sb: { sortby_dir?: string; sortby_nulls?: string; useOp?: Node[] }): {
  desc: boolean;
  nullsFirst: boolean;
} {
  let desc = sb.sortby_dir === 'SORTBY_DESC';
  if (sb.sortby_dir === 'SORTBY_USING') {
    // USING < and USING > are the ascending and descending orders of the type's btree class.
    const op = strVal(sb.useOp?.at(-1));
    if (op !== '<' && op !== '>')
      throw new PgError('0A000', `ORDER BY USING ${op} is not supported yet`);
    desc = op === '>';
  }
  const nullsFirst =
    sb.sortby_nulls === 'SORTBY_NULLS_FIRST'
      ? true
      : sb.sortby_nulls === 'SORTBY_NULLS_LAST'
        ? false
        : desc;
  return { desc, nullsFirst };
}

export function typeFromTypeName(tn: TypeName): { type: number; typmod: number } {
  const names = (tn.names ?? []).map(strVal);
  const last = names[names.length - 1] ?? '';
  const schema = names.length > 1 ? names[0] : undefined;
  const location = tn.location ?? -1;
  const info = schema === undefined || schema === 'pg_catalog' ? findTypeByName(last) : undefined;
  if (!info) throw new PgError('42704', `type "${names.join('.')}" does not exist`).at(location);
  let type = info.oid;
  const mods = (tn.typmods ?? []).map((m) => {
    if ('A_Const' in m && m.A_Const.ival !== undefined) return m.A_Const.ival.ival ?? 0;
    throw new PgError('42601', 'type modifiers must be simple constants or identifiers').at(
      nodeLocation(m),
    );
  });
  let typmod = -1;
  if (type === T.varchar || type === T.bpchar) {
    // The grammar itself gives a bare char its length 1; bpchar written as such has none.
    const n = mods[0];
    if (n !== undefined) {
      if (n < 1)
        throw new PgError(
          '22023',
          `length for type ${type === T.varchar ? 'varchar' : 'char'} must be at least 1`,
        ).at(location);
      if (n > 10485760)
        throw new PgError(
          '22023',
          `length for type ${type === T.varchar ? 'varchar' : 'char'} cannot exceed 10485760`,
        ).at(location);
      typmod = n + 4;
    }
  } else if (type === T.numeric && mods.length > 0) {
    const p = mods[0]!;
    const s = mods[1] ?? 0;
    if (p < 1 || p > 1000)
      throw new PgError('22023', `NUMERIC precision ${p} must be between 1 and 1000`).at(location);
    if (s < -1000 || s > 1000)
      throw new PgError('22023', `NUMERIC scale ${s} must be between -1000 and 1000`).at(location);
    typmod = ((p << 16) | (s & 0x7ff)) + 4;
  } else if (
    mods.length > 0 &&
    (type === T.timestamp || type === T.timestamptz || type === T.time || type === T.interval)
  ) {
    typmod = -1; // precision is accepted and ignored (microseconds kept)
  } else if (mods.length > 0 && type === T.float8 && last === 'float') {
    // float(p): 1..24 → real, 25..53 → double precision.
    const p = mods[0]!;
    if (p < 1)
      throw new PgError('22023', 'precision for type float must be at least 1 bit').at(location);
    if (p > 53)
      throw new PgError('22023', 'precision for type float must be less than 54 bits').at(location);
    if (p <= 24) type = T.float4;
  }
  if ((tn.arrayBounds ?? []).length > 0) {
    if (!info.arrayOid)
      throw new PgError('42704', `could not find array type for data type ${info.sqlName}`).at(
        location,
      );
    return { type: info.arrayOid, typmod: -1 };
  }
  return { type, typmod };
}

/* Column references ------------------------------------------------------------------------------ */

function findColumn(
  ps: ParseState,
  table: string | undefined,
  column: string,
  location: number,
): { col: ScopeColumn; levelsUp: number } | undefined {
  let level = 0;
  for (let p: ParseState | undefined = ps; p; p = p.parent, level++) {
    let found: ScopeColumn | undefined;
    let tableSeen = false;
    for (const entry of p.entries) {
      if (table !== undefined && entry.alias !== table) continue;
      tableSeen = true;
      for (const c of entry.columns) {
        if (c.name !== column) continue;
        // The right-hand copy of a USING column is reachable only through its table's name.
        if (table === undefined && entry.hiddenFromStar?.has(c.index)) continue;
        if (found && table === undefined) {
          throw new PgError('42702', `column reference "${column}" is ambiguous`).at(location);
        }
        found = c;
      }
    }
    if (found) return { col: found, levelsUp: level };
    if (table !== undefined && tableSeen) {
      throw new PgError('42703', `column ${table}.${column} does not exist`).at(location);
    }
  }
  if (table !== undefined) {
    // A FROM item to the left that a non-LATERAL subquery may not see.
    for (let p: ParseState | undefined = ps; p; p = p.parent) {
      if (p.cteParent?.entries.some((e) => e.alias === table))
        throw new PgError('42P01', `invalid reference to FROM-clause entry for table "${table}"`, {
          hint: `There is an entry for table "${table}", but it cannot be referenced from this part of the query.`,
        }).at(location);
    }
    throw new PgError('42P01', `missing FROM-clause entry for table "${table}"`).at(location);
  }
  return undefined;
}

/**
 * The system column `tableoid` of the (one) table entry the reference means, when no real column
 * has that name: a constant, since each entry reads one table.
 */
function tableOidOf(ps: ParseState, table: string | undefined): number | undefined {
  for (let p: ParseState | undefined = ps; p; p = p.parent) {
    const entries = p.entries.filter((e) => table === undefined || e.alias === table);
    if (entries.some((e) => e.columns.some((c) => c.name === 'tableoid'))) return undefined;
    const tables = entries.filter((e) => e.tableOid !== undefined);
    if (tables.length === 1) return tables[0]!.tableOid;
    if (tables.length > 1 || (table !== undefined && entries.length > 0)) return undefined;
  }
  return undefined;
}

function transformColumnRef(ps: ParseState, fields: Node[], location: number): Expr {
  if (fields.some((f) => 'A_Star' in f)) {
    throw new PgError('42601', '"*" is not allowed here').at(location);
  }
  const names = fields.map(strVal);
  const column = names[names.length - 1]!;
  const table = names.length >= 2 ? names[names.length - 2] : undefined;
  if (column === 'tableoid') {
    const oid = tableOidOf(ps, table);
    if (oid !== undefined) return makeConst(T.oid, oid, location);
  }
  const hit = findColumn(ps, table, column, location);
  if (!hit) {
    // A bare name may also be a whole-row reference to a table; not supported yet.
    throw new PgError('42703', `column "${column}" does not exist`).at(location);
  }
  const { col, levelsUp } = hit;
  noteColumnRead(ps.env.permissions, col.tableOid, col.attnum);
  if (table === undefined && col.merged) return atLevel(col.merged, levelsUp);
  return {
    k: 'var',
    index: col.index,
    name: col.name,
    type: col.type,
    typmod: col.typmod,
    tableOid: col.tableOid,
    attnum: col.attnum,
    levelsUp,
    location,
    relAlias: col.relAlias,
  };
}

/** A merged USING column's expression (vars and COALESCEs) seen from `levelsUp` levels below. */
export function atLevel(e: Expr, levelsUp: number): Expr {
  if (levelsUp === 0) return e;
  if (e.k === 'var') return { ...e, levelsUp: e.levelsUp + levelsUp };
  if (e.k === 'coalesce') return { ...e, args: e.args.map((a) => atLevel(a, levelsUp)) };
  if (e.k === 'func') return { ...e, args: e.args.map((a) => atLevel(a, levelsUp)) };
  return e;
}

/* Operators ------------------------------------------------------------------------------------- */

export function makeOperator(
  ps: ParseState,
  name: string,
  left: Expr | null,
  right: Expr,
  location: number,
): Expr {
  const special = resolveDatetimeOperator(name, left?.type ?? null, right.type, location);
  const op = special ?? resolveOperator(name, left?.type ?? null, right.type, location);
  const args: Expr[] = [];
  if (left) args.push(mustCoerce(ps, left, op.left!));
  args.push(mustCoerce(ps, right, op.right));
  return {
    k: 'func',
    name,
    args,
    strict: op.strict,
    volatile: false,
    display: 'operator',
    type: op.result,
    typmod: -1,
    location,
    impl: op.impl,
  };
}

function mustCoerce(ps: ParseState, e: Expr, type: number): Expr {
  const out = tryCoerce(ps, e, type, -1, 'implicit');
  if (!out) throw cannotCast(e.type, type).at(e.location);
  return out;
}

function opName(nodes: Node[] | undefined): string {
  const names = (nodes ?? []).map(strVal);
  return names[names.length - 1] ?? '';
}

function transformAExpr(
  ps: ParseState,
  a: NonNullable<Extract<Node, { A_Expr: unknown }>['A_Expr']>,
): Expr {
  const location = a.location ?? -1;
  const name = opName(a.name);
  const kind = a.kind ?? 'AEXPR_OP';
  switch (kind) {
    case 'AEXPR_OP': {
      if (a.lexpr && 'RowExpr' in a.lexpr && a.rexpr && 'RowExpr' in a.rexpr)
        return rowComparison(
          ps,
          name,
          a.lexpr.RowExpr.args ?? [],
          a.rexpr.RowExpr.args ?? [],
          location,
        );
      const left = a.lexpr ? transformExpr(ps, a.lexpr) : null;
      const right = transformExpr(ps, a.rexpr!);
      return makeOperator(ps, name, left, right, location);
    }
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE':
    case 'AEXPR_SIMILAR': {
      const left = transformExpr(ps, a.lexpr!);
      const right = transformExpr(ps, a.rexpr!);
      return makeOperator(ps, name, left, right, location);
    }
    case 'AEXPR_DISTINCT':
    case 'AEXPR_NOT_DISTINCT': {
      const left = transformExpr(ps, a.lexpr!);
      const right = transformExpr(ps, a.rexpr!);
      const eq = makeOperator(ps, '=', left, right, location) as FuncExpr;
      const not = kind === 'AEXPR_DISTINCT';
      return {
        ...eq,
        name: not ? 'IS DISTINCT FROM' : 'IS NOT DISTINCT FROM',
        strict: false,
        impl: (args, c) => {
          const [x, y] = args;
          if (x === null || y === null) return (x === null && y === null) !== not;
          return (eq.impl(args, c) === true) !== not;
        },
      };
    }
    case 'AEXPR_NULLIF': {
      const left = transformExpr(ps, a.lexpr!);
      const right = transformExpr(ps, a.rexpr!);
      const eq = makeOperator(ps, '=', left, right, location) as FuncExpr;
      return {
        ...eq,
        name: 'nullif',
        type: eq.args[0]!.type,
        strict: false,
        impl: (args, c) =>
          args[0] !== null && args[1] !== null && eq.impl(args, c) === true ? null : args[0]!,
      };
    }
    case 'AEXPR_IN': {
      if (a.lexpr && 'RowExpr' in a.lexpr) {
        const leftItems = a.lexpr.RowExpr.args ?? [];
        const rows = a.rexpr && 'List' in a.rexpr ? (a.rexpr.List.items ?? []) : [];
        // (a, b) IN ((1, 2), …) is an OR of row equalities; NOT IN an AND of row inequalities.
        const tests = rows.map((r) =>
          rowComparison(
            ps,
            name === '=' ? '=' : '<>',
            leftItems,
            'RowExpr' in r ? (r.RowExpr.args ?? []) : [r],
            location,
          ),
        );
        return {
          k: 'bool',
          op: name === '=' ? 'or' : 'and',
          args: tests,
          type: T.bool,
          typmod: -1,
          location,
        };
      }
      const left = transformExpr(ps, a.lexpr!);
      const items = (a.rexpr && 'List' in a.rexpr ? (a.rexpr.List.items ?? []) : []).map((n) =>
        transformExpr(ps, n),
      );
      const common = selectCommonType([left.type, ...items.map((i) => i.type)], 'IN', location);
      const l = mustCoerceOrOp(ps, left, common);
      const list = items.map((i) => mustCoerceOrOp(ps, i, common));
      const eq = resolveOperator('=', common, common, location);
      const useOr = name === '=';
      return {
        k: 'saop',
        arg: l,
        list,
        useOr,
        compare: (x, y, c) => {
          const r = eq.impl([x, y], c);
          return useOr ? r : !(r as boolean);
        },
        type: T.bool,
        typmod: -1,
        location,
      };
    }
    case 'AEXPR_BETWEEN':
    case 'AEXPR_NOT_BETWEEN':
    case 'AEXPR_BETWEEN_SYM':
    case 'AEXPR_NOT_BETWEEN_SYM': {
      const bounds = a.rexpr && 'List' in a.rexpr ? (a.rexpr.List.items ?? []) : [];
      const x = transformExpr(ps, a.lexpr!);
      const lo = transformExpr(ps, bounds[0]!);
      const hi = transformExpr(ps, bounds[1]!);
      const ge = makeOperator(ps, '>=', x, lo, location);
      const le = makeOperator(ps, '<=', x, hi, location);
      let e: Expr = { k: 'bool', op: 'and', args: [ge, le], type: T.bool, typmod: -1, location };
      if (kind === 'AEXPR_BETWEEN_SYM' || kind === 'AEXPR_NOT_BETWEEN_SYM') {
        const ge2 = makeOperator(ps, '>=', x, hi, location);
        const le2 = makeOperator(ps, '<=', x, lo, location);
        e = {
          k: 'bool',
          op: 'or',
          args: [e, { k: 'bool', op: 'and', args: [ge2, le2], type: T.bool, typmod: -1, location }],
          type: T.bool,
          typmod: -1,
          location,
        };
      }
      if (kind === 'AEXPR_NOT_BETWEEN' || kind === 'AEXPR_NOT_BETWEEN_SYM')
        e = { k: 'bool', op: 'not', args: [e], type: T.bool, typmod: -1, location };
      return e;
    }
    case 'AEXPR_OP_ANY':
    case 'AEXPR_OP_ALL': {
      const left = transformExpr(ps, a.lexpr!);
      const right = transformExpr(ps, a.rexpr!);
      if (right.k === 'array') {
        const common = selectCommonType(
          [left.type, ...right.elements.map((i) => i.type)],
          'ANY',
          location,
        );
        const op = resolveOperator(name, common, common, location);
        return {
          k: 'saop',
          arg: mustCoerceOrOp(ps, left, common),
          list: right.elements.map((i) => mustCoerceOrOp(ps, i, common)),
          useOr: kind === 'AEXPR_OP_ANY',
          compare: (x, y, c) => op.impl([x, y], c),
          type: T.bool,
          typmod: -1,
          location,
        };
      }
      // x op ANY (array value): an untyped literal is read as an array of the left side's type.
      let array: Expr = right;
      let elem = arrayElementType(right.type);
      if (right.type === T.unknown) {
        const leftType = left.type === T.unknown ? T.text : left.type;
        const arrayType = typeByOid(leftType).arrayOid;
        if (arrayType !== 0) {
          array = mustCoerce(ps, right, arrayType);
          elem = leftType;
        }
      }
      if (elem === 0) {
        throw new PgError('42809', `op ANY/ALL (array) requires array on right side`).at(location);
      }
      const elemOp = resolveOperator(
        name,
        left.type === T.unknown ? elem : left.type,
        elem,
        location,
      );
      if (elemOp.result !== T.bool) {
        throw new PgError('42809', 'op ANY/ALL (array) requires operator to yield boolean').at(
          location,
        );
      }
      return {
        k: 'saop',
        arg: mustCoerce(ps, left, elemOp.left!),
        list: [array],
        overArray: true,
        opName: name,
        useOr: kind === 'AEXPR_OP_ANY',
        compare: (x, y, c) => elemOp.impl([x, y], c),
        type: T.bool,
        typmod: -1,
        location,
      };
    }
    default:
      throw new PgError('0A000', `expression kind ${String(kind)} is not supported yet`).at(
        location,
      );
  }
}

function mustCoerceOrOp(ps: ParseState, e: Expr, type: number): Expr {
  return tryCoerce(ps, e, type, -1, 'implicit') ?? e;
}

/* Functions ------------------------------------------------------------------------------------- */

export function noFunction(name: string, types: number[], location: number): PgError {
  return new PgError(
    '42883',
    `function ${name}(${types.map((t) => formatType(t, -1)).join(', ')}) does not exist`,
    {
      hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
    },
  ).at(location);
}

function transformFuncCall(
  ps: ParseState,
  f: NonNullable<Extract<Node, { FuncCall: unknown }>['FuncCall']>,
): Expr {
  const names = (f.funcname ?? []).map(strVal);
  const name = names[names.length - 1] ?? '';
  const location = f.location ?? -1;
  if (names.length > 1 && names[0] !== 'pg_catalog') {
    throw new PgError('3F000', `schema "${names[0]}" does not exist`).at(location);
  }
  if (f.over) return transformWindowCall(ps, f, name, location);
  if (isWindowFunction(name)) {
    throw new PgError('42809', `window function ${name} requires an OVER clause`).at(location);
  }
  if (isAggregate(name)) return transformAggregate(ps, f, name, location);
  if (f.agg_star)
    throw new PgError('42809', `${name}(*) specified, but ${name} is not an aggregate function`).at(
      location,
    );
  const args = (f.args ?? []).map((n) => transformExpr(ps, n));
  if (name === 'coalesce' || name === 'greatest' || name === 'least') {
    return transformVariadicCommon(ps, name, args, location);
  }
  const call = buildFunctionCall(ps, names.join('.'), name, args, location);
  if (call.fn.srf) return transformSetReturningCall(ps, call.fn, call.expr, location);
  return call.expr;
}

/** Resolves a built-in function call over analyzed arguments (coercing them to its signature). */
/** anyarray/anyelement resolution: the array type and element type the arguments agree on. */
function polymorphicTypes(
  kinds: Array<'array' | 'element' | undefined>,
  types: number[],
): { array: number; element: number } | undefined {
  let array = 0;
  let element = 0;
  for (let i = 0; i < kinds.length; i++) {
    const t = types[i];
    if (t === undefined || t === T.unknown) continue;
    if (kinds[i] === 'array') {
      if (arrayElementType(t) === 0) return undefined;
      if (array !== 0 && array !== t) return undefined;
      array = t;
    } else if (kinds[i] === 'element' && element === 0) element = t;
  }
  if (array !== 0) return { array, element: arrayElementType(array) };
  const e = element === 0 ? T.text : element;
  const a = typeByOid(e).arrayOid;
  return a ? { array: a, element: e } : undefined;
}

/**
 * Row-wise comparison (a, b) op (c, d): = is an AND of field equalities, <> an OR of
 * inequalities, and < <= > >= compare field by field from the left, as PostgreSQL does.
 */
function rowComparison(
  ps: ParseState,
  op: string,
  leftNodes: Node[],
  rightNodes: Node[],
  location: number,
): Expr {
  if (leftNodes.length !== rightNodes.length)
    throw new PgError('42601', 'unequal number of entries in row expressions').at(location);
  const left = leftNodes.map((n) => transformExpr(ps, n));
  const right = rightNodes.map((n) => transformExpr(ps, n));
  if (op === '=' || op === '<>') {
    const args = left.map((l, i) => makeOperator(ps, op, l, right[i]!, location));
    if (args.length === 1) return args[0]!;
    return { k: 'bool', op: op === '=' ? 'and' : 'or', args, type: T.bool, typmod: -1, location };
  }
  if (!['<', '<=', '>', '>='].includes(op))
    throw new PgError(
      '42883',
      `could not determine interpretation of row comparison operator ${op}`,
      {
        hint: 'Row comparison operators must be associated with btree operator families.',
      },
    ).at(location);
  const strict = op === '<=' ? '<' : op === '>=' ? '>' : op;
  const n = left.length;
  const eqs = left.map((l, i) => makeOperator(ps, '=', l, right[i]!, location) as FuncExpr);
  const cmps = left.map(
    (l, i) => makeOperator(ps, i === n - 1 ? op : strict, l, right[i]!, location) as FuncExpr,
  );
  const args = cmps.flatMap((c) => c.args);
  return {
    k: 'func',
    name: `row ${op}`,
    args,
    strict: false,
    volatile: false,
    type: T.bool,
    typmod: -1,
    location,
    impl: (values, c) => {
      for (let i = 0; i < n; i++) {
        const x = values[2 * i]!;
        const y = values[2 * i + 1]!;
        if (x === null || y === null) return null;
        if (i < n - 1 && eqs[i]!.impl([x, y], c) === true) continue;
        return cmps[i]!.impl([x, y], c);
      }
      return false;
    },
  };
}

export function buildFunctionCall(
  ps: ParseState,
  shownName: string,
  name: string,
  args: Expr[],
  location: number,
): { fn: BuiltinFunction; expr: Extract<Expr, { k: 'func' }> } {
  let types = args.map((a) => a.type);
  const fn = resolveFunction(name, types);
  if (!fn) throw noFunction(shownName, types, location);
  const poly = fn.polymorphic ? polymorphicTypes(fn.polymorphic, types) : undefined;
  if (fn.polymorphic && !poly) throw noFunction(shownName, types, location);
  const coerced = args.map((a, i) => {
    const kind = fn.polymorphic?.[i];
    if (poly && kind) return mustCoerce(ps, a, kind === 'array' ? poly.array : poly.element);
    const want = fn.args[i] ?? fn.variadic ?? T.unknown;
    if (want === T.unknown) return resolveUnknown(ps, a);
    return mustCoerce(ps, a, want);
  });
  types = coerced.map((a) => a.type);
  const result = fn.resultFrom ? fn.resultFrom(types) : fn.result;
  if (result === 0)
    throw noFunction(
      shownName,
      args.map((a) => a.type),
      location,
    );
  const impl = fn.impl;
  // Functions over "any" (concat, pg_typeof) read their argument types at run time.
  const wantsTypes = fn.variadic === T.unknown || fn.args.includes(T.unknown);
  const expr: Extract<Expr, { k: 'func' }> = {
    k: 'func',
    name,
    args: coerced,
    strict: fn.strict ?? true,
    volatile: fn.volatile ?? false,
    type: result,
    typmod: -1,
    location,
    impl: wantsTypes ? (a, c) => impl(a, { ...c, argTypes: types } as EvalContext) : impl,
  };
  return { fn, expr };
}

const srfForbidden: Partial<Record<ParseState['exprKind'], string>> = {
  ...restrictedClauseNames,
  other: 'this context',
};

/**
 * A set-returning function in the select list: replaced by a variable reading its current value;
 * the executor expands each row into as many rows as the longest such function returns.
 */
function transformSetReturningCall(
  ps: ParseState,
  fn: BuiltinFunction,
  call: Extract<Expr, { k: 'func' }>,
  location: number,
): Expr {
  const where = srfForbidden[ps.exprKind];
  if (where) {
    throw new PgError('0A000', `set-returning functions are not allowed in ${where}`).at(location);
  }
  if (fn.outColumns)
    throw new PgError(
      '0A000',
      `${fn.name}() returns records; call it in FROM (record values are not supported yet)`,
    ).at(location);
  if (ps.inAggregateArgs) {
    throw new PgError(
      '0A000',
      'aggregate function calls cannot contain set-returning function calls',
      {
        hint: 'You might be able to move the set-returning function into a LATERAL FROM item.',
      },
    ).at(location);
  }
  if (ps.inWindowArgs) {
    throw new PgError(
      '0A000',
      'window function calls cannot contain set-returning function calls',
      {
        hint: 'You might be able to move the set-returning function into a LATERAL FROM item.',
      },
    ).at(location);
  }
  const index = ps.srfs.length;
  const ref: Extract<Expr, { k: 'var' }> = {
    k: 'var',
    index: -10_000 - index,
    name: call.name,
    type: call.type,
    typmod: -1,
    tableOid: 0,
    attnum: 0,
    levelsUp: 0,
    location,
    srfIndex: index,
  };
  ps.srfs.push({ call: { run: srfRunner(fn), args: call.args }, ref });
  return ref;
}

function transformVariadicCommon(
  ps: ParseState,
  name: string,
  args: Expr[],
  location: number,
): Expr {
  const upper = name.toUpperCase();
  const common = selectCommonType(
    args.map((a) => a.type),
    upper,
    location,
  );
  const coerced = args.map((a) => {
    const out = tryCoerce(ps, a, common, -1, 'implicit');
    if (!out)
      throw new PgError(
        '42804',
        `${upper} could not convert type ${formatType(a.type, -1)} to ${formatType(common, -1)}`,
      ).at(a.location);
    return out;
  });
  if (name === 'coalesce')
    return { k: 'coalesce', args: coerced, type: common, typmod: -1, location };
  return {
    k: 'minmax',
    op: name === 'greatest' ? 'greatest' : 'least',
    args: coerced,
    compare: typeByOid(common).compare,
    type: common,
    typmod: -1,
    location,
  };
}

const aggForbidden: Partial<Record<string, string>> = {
  where: 'aggregate functions are not allowed in WHERE',
  join: 'aggregate functions are not allowed in JOIN conditions',
  group: 'aggregate functions are not allowed in GROUP BY',
  values: 'aggregate functions are not allowed in VALUES',
  update: 'aggregate functions are not allowed in UPDATE',
  returning: 'aggregate functions are not allowed in RETURNING',
  default: 'aggregate functions are not allowed in DEFAULT expressions',
  limit: 'aggregate functions are not allowed in LIMIT',
};

/** name(direct args) WITHIN GROUP (ORDER BY x): the sort value and direct args feed the aggregate. */
function transformOrderedSetAggregate(
  ps: ParseState,
  f: NonNullable<Extract<Node, { FuncCall: unknown }>['FuncCall']>,
  name: string,
  location: number,
): Expr {
  const order = f.agg_order ?? [];
  if (!f.agg_within_group || order.length !== 1 || !orderedSetNames.has(name)) {
    // Called without WITHIN GROUP there is no plain aggregate of that name to find.
    const types = (f.args ?? []).map((n) => transformExpr(ps, n).type);
    throw noFunction(name, types, location);
  }
  ps.inAggregateArgs = true;
  let sortExpr: Expr;
  let direct: Expr[];
  let sb: Extract<Node, { SortBy: unknown }>['SortBy'];
  try {
    sb = (order[0] as Extract<Node, { SortBy: unknown }>).SortBy;
    sortExpr = resolveUnknown(ps, transformExpr(ps, sb.node!));
    direct = (f.args ?? []).map((n) => transformExpr(ps, n));
  } finally {
    ps.inAggregateArgs = false;
  }
  const wantsFraction = name !== 'mode';
  if (direct.length !== (wantsFraction ? 1 : 0))
    throw noFunction(
      name,
      direct.map((d) => d.type),
      location,
    );
  if (name === 'percentile_cont') sortExpr = mustCoerce(ps, sortExpr, T.float8);
  const agg = orderedSetAggregate(name, sortExpr.type);
  const args = [sortExpr, ...direct.map((d) => mustCoerce(ps, d, T.float8))];
  const compare = typeByOid(sortExpr.type).compare as (a: unknown, b: unknown) => number;
  ps.aggs.push({
    agg,
    args,
    distinct: false,
    filter: undefined,
    orderBy: [{ expr: sortExpr, ...sortOptions(sb), compare }],
    location,
  });
  return { k: 'aggref', index: ps.aggs.length - 1, type: agg.result, typmod: -1, location };
}

function transformAggregate(
  ps: ParseState,
  f: NonNullable<Extract<Node, { FuncCall: unknown }>['FuncCall']>,
  name: string,
  location: number,
): Expr {
  const forbidden = aggForbidden[ps.exprKind];
  if (forbidden) throw new PgError('42803', forbidden).at(location);
  if (ps.inAggregateArgs)
    throw new PgError('42803', 'aggregate function calls cannot be nested').at(location);
  if (orderedSetNames.has(name) || f.agg_within_group)
    return transformOrderedSetAggregate(ps, f, name, location);
  ps.inAggregateArgs = true;
  let args: Expr[];
  let filter: Expr | undefined;
  let orderBy: WindowOrderKey[];
  try {
    args = (f.args ?? []).map((n) => transformExpr(ps, n));
    filter = f.agg_filter
      ? coerceToBoolean(ps, transformExpr(ps, f.agg_filter), 'FILTER')
      : undefined;
    orderBy = (f.agg_order ?? []).map((n) => {
      const sb = (n as Extract<Node, { SortBy: unknown }>).SortBy;
      const expr = resolveUnknown(ps, transformExpr(ps, sb.node!));
      const compare = typeByOid(expr.type).compare as (a: unknown, b: unknown) => number;
      return { expr, ...sortOptions(sb), compare };
    });
  } finally {
    ps.inAggregateArgs = false;
  }
  const star = f.agg_star === true;
  const agg = resolveAggregate(
    name,
    args.map((a) => a.type),
    star,
  );
  if (!agg) {
    if (star)
      throw new PgError('42883', `function ${name}(*) does not exist`, {
        hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
      }).at(location);
    throw noFunction(
      name,
      args.map((a) => a.type),
      location,
    );
  }
  const coerced = args.map((a, i) => {
    const want = agg.args[i] ?? T.unknown;
    return want === T.unknown ? resolveUnknown(ps, a) : mustCoerce(ps, a, want);
  });
  const distinct = f.agg_distinct === true;
  if (distinct) {
    const argKeys = new Set(coerced.map(exprKey));
    const stray = orderBy.find((o) => !argKeys.has(exprKey(o.expr)));
    if (stray)
      throw new PgError(
        '42P10',
        'in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list',
      ).at(stray.expr.location);
  }
  ps.aggs.push({ agg, args: coerced, distinct, filter, orderBy, location });
  const type = aggregateResultType(
    agg,
    coerced.map((a) => a.type),
  );
  return { k: 'aggref', index: ps.aggs.length - 1, type, typmod: -1, location };
}

/* Everything else -------------------------------------------------------------------------------- */

function withLiteral(literal: { text: string; type: number }, c: Expr): Expr {
  return { ...c, literal } as Expr;
}

function transformConst(c: NonNullable<Extract<Node, { A_Const: unknown }>['A_Const']>): Expr {
  const location = c.location ?? -1;
  if (c.isnull) return makeConst(T.unknown, null, location);
  if (c.ival !== undefined) {
    const v = c.ival.ival ?? 0;
    return { ...makeConst(T.int4, v, location), literal: { text: String(v), type: T.int4 } };
  }
  if (c.fval !== undefined) {
    const text = c.fval.fval ?? '0';
    if (/^[-+]?\d+$/.test(text)) {
      const b = BigInt(text);
      if (b >= -9223372036854775808n && b <= 9223372036854775807n)
        return { ...makeConst(T.int8, b, location), literal: { text, type: T.int8 } };
    }
    const literal = { text, type: T.numeric };
    return withLiteral(
      literal,
      makeConst(
        T.numeric,
        typeByOid(T.numeric).input(text, -1, {
          extraFloatDigits: 1,
          timeZone: 'UTC',
          byteaOutput: 'hex',
        }),
        location,
      ),
    );
  }
  if (c.boolval !== undefined) return makeConst(T.bool, c.boolval.boolval === true, location);
  if (c.sval !== undefined) return makeConst(T.unknown, c.sval.sval ?? '', location);
  if (c.bsval !== undefined)
    throw new PgError('0A000', 'bit string constants are not supported yet').at(location);
  return makeConst(T.unknown, null, location);
}

/** Marks a SQL value function's expansion with the keyword it reads back as. */
function spelled(e: Expr, sql: string): Expr {
  return e.k === 'func' ? { ...e, display: { sql } } : e;
}

function transformSqlValueFunction(ps: ParseState, op: string, location: number): Expr {
  const call = (name: string): Expr => {
    const fn = resolveFunction(name, [])!;
    return {
      k: 'func',
      name,
      args: [],
      strict: false,
      volatile: true,
      type: fn.result,
      typmod: -1,
      location,
      impl: fn.impl,
    };
  };
  switch (op) {
    case 'SVFOP_CURRENT_USER':
    case 'SVFOP_CURRENT_ROLE':
    case 'SVFOP_USER':
      return spelled(call('current_user'), op === 'SVFOP_USER' ? 'USER' : 'CURRENT_USER');
    case 'SVFOP_SESSION_USER':
      return spelled(call('session_user'), 'SESSION_USER');
    case 'SVFOP_CURRENT_CATALOG':
      return spelled(call('current_database'), 'CURRENT_CATALOG');
    case 'SVFOP_CURRENT_SCHEMA':
      return spelled(call('current_schema'), 'CURRENT_SCHEMA');
    case 'SVFOP_CURRENT_TIMESTAMP':
    case 'SVFOP_CURRENT_TIMESTAMP_N':
      return spelled(call('now'), 'CURRENT_TIMESTAMP');
    case 'SVFOP_CURRENT_DATE':
      return spelled(coerceExplicit(ps, call('now'), T.date, -1, location), 'CURRENT_DATE');
    case 'SVFOP_LOCALTIMESTAMP':
    case 'SVFOP_LOCALTIMESTAMP_N':
      return spelled(coerceExplicit(ps, call('now'), T.timestamp, -1, location), 'LOCALTIMESTAMP');
    default:
      throw new PgError('0A000', `${op} is not supported yet`).at(location);
  }
}

/** Array subscripts: a[i], a[i][j], a[lo:hi] (1-based, out of range → NULL, as PostgreSQL). */
function transformIndirection(
  ps: ParseState,
  ind: NonNullable<Extract<Node, { A_Indirection: unknown }>['A_Indirection']>,
): Expr {
  let e = transformExpr(ps, ind.arg!);
  const location = nodeLocation(ind.arg);
  const subs = ind.indirection ?? [];
  const indices: Array<{ lower?: Expr; upper?: Expr; slice: boolean }> = [];
  for (const s of subs) {
    if (!('A_Indices' in s)) {
      throw new PgError('0A000', 'field selection is not supported yet').at(location);
    }
    const ai = s.A_Indices;
    const sub = (n: Node | undefined): Expr | undefined =>
      n === undefined ? undefined : mustCoerceSubscript(ps, transformExpr(ps, n));
    indices.push({ lower: sub(ai.lidx), upper: sub(ai.uidx), slice: ai.is_slice === true });
  }
  const elem = arrayElementType(e.type);
  if (e.type === T.name && indices.length === 1 && !indices[0]!.slice && indices[0]!.upper) {
    // name is a fixed-length char array: name[i] is its i-th byte (from 0) as "char".
    return {
      k: 'func',
      name: 'subscript',
      args: [e, indices[0]!.upper],
      strict: true,
      volatile: false,
      type: T.char,
      typmod: -1,
      location,
      impl: (a) => {
        const bytes = Buffer.from(a[0] as string, 'utf8');
        const i = a[1] as number;
        return i >= 0 && i < bytes.length ? String.fromCharCode(bytes[i]!) : '';
      },
    };
  }
  if (elem === 0) {
    throw new PgError(
      '42804',
      `cannot subscript type ${formatType(e.type, -1)} because it does not support subscripting`,
    ).at(location);
  }
  const slice = indices.some((i) => i.slice);
  const args: Expr[] = [e];
  const layout = indices.map((i) => {
    const lo = i.lower ? args.push(i.lower) - 1 : -1;
    const hi = i.upper ? args.push(i.upper) - 1 : -1;
    return { lo, hi, slice: i.slice };
  });
  e = {
    k: 'func',
    name: 'subscript',
    args,
    strict: false,
    volatile: false,
    type: slice ? e.type : elem,
    typmod: -1,
    location,
    impl: (a) => {
      let v = a[0] ?? null;
      if (v === null) return null;
      for (const l of layout) {
        const items = v as readonly Value[];
        const lo = l.lo >= 0 ? a[l.lo] : 1;
        const hi = l.hi >= 0 ? a[l.hi] : items.length;
        if (lo === null || hi === null || lo === undefined || hi === undefined) return null;
        if (slice) {
          v = items.slice(Math.max(0, (lo as number) - 1), Math.max(0, hi as number));
          continue;
        }
        const n = hi as number;
        if (n < 1 || n > items.length) return null;
        v = items[n - 1] ?? null;
        if (v === null) return null;
      }
      return v;
    },
  };
  return e;
}

function mustCoerceSubscript(ps: ParseState, e: Expr): Expr {
  const out = tryCoerce(ps, e, T.int4, -1, 'assignment');
  if (!out) throw new PgError('42804', 'array subscript must have type integer').at(e.location);
  return out;
}

/** Hook for subqueries (set by the statement analyzer, which knows how to analyze SELECTs). */
export const subqueryHooks: {
  analyzeSubquery?: (ps: ParseState, node: Node) => { plan: unknown; types: number[] };
} = {};

function transformSubLink(
  ps: ParseState,
  s: NonNullable<Extract<Node, { SubLink: unknown }>['SubLink']>,
): Expr {
  const location = s.location ?? -1;
  const analyze = subqueryHooks.analyzeSubquery;
  if (!analyze || !s.subselect)
    throw new PgError('0A000', 'subqueries are not supported here').at(location);
  const { plan, types } = analyze(ps, s.subselect);
  switch (s.subLinkType) {
    case 'EXISTS_SUBLINK':
      return { k: 'sublink', kind: 'exists', plan, type: T.bool, typmod: -1, location };
    case 'EXPR_SUBLINK':
      if (types.length !== 1)
        throw new PgError('42601', 'subquery must return only one column').at(location);
      return { k: 'sublink', kind: 'expr', plan, type: types[0]!, typmod: -1, location };
    case 'ARRAY_SUBLINK': {
      const elem = typeByOid(types[0] ?? T.text);
      return {
        k: 'sublink',
        kind: 'array',
        plan,
        type: elem.arrayOid || T.textArray,
        typmod: -1,
        location,
      };
    }
    case 'ANY_SUBLINK':
    case 'ALL_SUBLINK': {
      const test = s.testexpr;
      if (test && 'RowExpr' in test && (test.RowExpr.args ?? []).length > 1)
        return rowSubLink(ps, s, test.RowExpr.args ?? [], plan, types, location);
      if (types.length !== 1)
        throw new PgError(
          '42601',
          types.length > 1 ? 'subquery has too many columns' : 'subquery has too few columns',
        ).at(location);
      const left = transformExpr(ps, s.testexpr!);
      const name = s.operName ? opName(s.operName) : '=';
      const common = selectCommonType([left.type, types[0]!], 'IN', location);
      const op = resolveOperator(name, common, common, location);
      const subCast = findCast(types[0]!, common, 'implicit') ?? ((v: Value) => v);
      return {
        k: 'sublink',
        kind: s.subLinkType === 'ANY_SUBLINK' ? 'any' : 'all',
        plan,
        testexpr: mustCoerce(ps, left, common),
        compare: (a, b, c) =>
          a === null || b === null ? null : op.impl([a, subCast(b, c.session.format)], c),
        type: T.bool,
        typmod: -1,
        location,
      };
    }
    default:
      throw new PgError('0A000', `${s.subLinkType} subqueries are not supported yet`).at(location);
  }
}

/**
 * (a, b) = ANY (SELECT x, y …) and (a, b) <> ALL (…), which IN and NOT IN are: per column, the
 * row comparison's three-valued logic (= is an AND of equalities, <> an OR of inequalities).
 */
function rowSubLink(
  ps: ParseState,
  s: NonNullable<Extract<Node, { SubLink: unknown }>['SubLink']>,
  items: Node[],
  plan: unknown,
  types: number[],
  location: number,
): Expr {
  if (types.length !== items.length)
    throw new PgError(
      '42601',
      types.length > items.length
        ? 'subquery has too many columns'
        : 'subquery has too few columns',
    ).at(location);
  const name = s.operName ? opName(s.operName) : '=';
  if (name !== '=' && name !== '<>')
    throw new PgError(
      '0A000',
      `row comparison with ${name} against a subquery is not supported yet`,
    ).at(location);
  const lefts = items.map((n) => transformExpr(ps, n));
  const columns = lefts.map((left, i) => {
    const common = selectCommonType([left.type, types[i]!], 'IN', location);
    const op = resolveOperator(name, common, common, location);
    const cast = findCast(types[i]!, common, 'implicit') ?? ((v: Value) => v);
    return { left: mustCoerce(ps, left, common), op, cast };
  });
  const all = name === '<>';
  return {
    k: 'sublink',
    kind: s.subLinkType === 'ANY_SUBLINK' ? 'any' : 'all',
    plan,
    testexpr: {
      k: 'array',
      elements: columns.map((c) => c.left),
      type: T.textArray,
      typmod: -1,
      location,
    },
    rowWidth: items.length,
    compare: (a, b, c) => {
      const xs = a as Value[];
      const ys = b as unknown as Value[];
      let sawNull = false;
      for (let i = 0; i < columns.length; i++) {
        const x = xs[i] ?? null;
        const y = ys[i] ?? null;
        const col = columns[i]!;
        const v =
          x === null || y === null ? null : col.op.impl([x, col.cast(y, c.session.format)], c);
        if (v === null) sawNull = true;
        // =: one false decides; <>: one true decides.
        else if (v === all) return all;
      }
      return sawNull ? null : !all;
    },
    type: T.bool,
    typmod: -1,
    location,
  };
}

/** Transforms a raw expression into a typed expression. */
export function transformExpr(ps: ParseState, node: Node): Expr {
  if ('A_Const' in node) return transformConst(node.A_Const);
  if ('ColumnRef' in node)
    return transformColumnRef(ps, node.ColumnRef.fields ?? [], node.ColumnRef.location ?? -1);
  if ('ParamRef' in node) {
    const n = node.ParamRef.number ?? 0;
    const location = node.ParamRef.location ?? -1;
    if (n < 1 || n > 65535) throw new PgError('42P02', `there is no parameter $${n}`).at(location);
    const types = ps.env.paramTypes;
    while (types.length < n) types.push(0);
    const known = types[n - 1] ?? 0;
    return {
      k: 'param',
      index: n - 1,
      type: known === 0 ? T.unknown : known,
      typmod: -1,
      location,
    };
  }
  if ('A_Expr' in node) return transformAExpr(ps, node.A_Expr);
  if ('BoolExpr' in node) {
    const b = node.BoolExpr;
    const op = b.boolop === 'AND_EXPR' ? 'and' : b.boolop === 'OR_EXPR' ? 'or' : 'not';
    const construct = op.toUpperCase();
    const args = (b.args ?? []).map((a) => coerceToBoolean(ps, transformExpr(ps, a), construct));
    return { k: 'bool', op, args, type: T.bool, typmod: -1, location: b.location ?? -1 };
  }
  if ('GroupingFunc' in node) {
    const g = node.GroupingFunc;
    const location = g.location ?? -1;
    const forbidden = aggForbidden[ps.exprKind];
    if (forbidden)
      throw new PgError(
        '42803',
        forbidden.replace('aggregate functions', 'grouping operations'),
      ).at(location);
    const args = (g.args ?? []).map((n) => resolveUnknown(ps, transformExpr(ps, n)));
    if (args.length > 31)
      throw new PgError('54023', 'GROUPING must have fewer than 32 arguments').at(location);
    ps.aggs.push({
      agg: groupingAggregate,
      args: [],
      distinct: false,
      filter: undefined,
      orderBy: [],
      location,
      grouping: args,
    });
    return { k: 'aggref', index: ps.aggs.length - 1, type: T.int4, typmod: -1, location };
  }
  if ('NullTest' in node) {
    const n = node.NullTest;
    if (n.arg && 'RowExpr' in n.arg) {
      // A row IS NULL when every field is null, IS NOT NULL when none is.
      const tests: Expr[] = (n.arg.RowExpr.args ?? []).map((f) => ({
        k: 'nulltest',
        arg: resolveUnknown(ps, transformExpr(ps, f)),
        isNull: n.nulltesttype === 'IS_NULL',
        type: T.bool,
        typmod: -1,
        location: n.location ?? -1,
      }));
      return {
        k: 'bool',
        op: 'and',
        args: tests,
        type: T.bool,
        typmod: -1,
        location: n.location ?? -1,
      };
    }
    const arg = resolveUnknown(ps, transformExpr(ps, n.arg!));
    return {
      k: 'nulltest',
      arg,
      isNull: n.nulltesttype === 'IS_NULL',
      type: T.bool,
      typmod: -1,
      location: n.location ?? -1,
    };
  }
  if ('BooleanTest' in node) {
    const b = node.BooleanTest;
    const arg = coerceToBoolean(ps, transformExpr(ps, b.arg!), 'IS TRUE');
    const map = {
      IS_TRUE: 'true',
      IS_NOT_TRUE: 'not true',
      IS_FALSE: 'false',
      IS_NOT_FALSE: 'not false',
      IS_UNKNOWN: 'unknown',
      IS_NOT_UNKNOWN: 'not unknown',
    } as const;
    return {
      k: 'booltest',
      arg,
      test: map[b.booltesttype ?? 'IS_TRUE'],
      type: T.bool,
      typmod: -1,
      location: b.location ?? -1,
    };
  }
  if ('A_Indirection' in node) return transformIndirection(ps, node.A_Indirection);
  if ('TypeCast' in node) {
    const c = node.TypeCast;
    const { type, typmod } = typeFromTypeName(c.typeName!);
    const arg = transformExpr(ps, c.arg!);
    const location = c.location ?? -1;
    // A cast of a literal reports input errors at the literal, as PostgreSQL does.
    const out = coerceExplicit(ps, arg, type, typmod, location);
    // An explicitly cast literal reads back with its cast (5::bigint shows as '5'::bigint).
    if (out.k === 'const' && out.literal) return { ...out, literal: undefined };
    return out;
  }
  if ('FuncCall' in node) return transformFuncCall(ps, node.FuncCall);
  if ('CaseExpr' in node) {
    const c = node.CaseExpr;
    const location = c.location ?? -1;
    const testArg = c.arg ? transformExpr(ps, c.arg) : undefined;
    const whens = (c.args ?? []).map((w) => {
      const cw = (w as Extract<Node, { CaseWhen: unknown }>).CaseWhen;
      let cond: Expr;
      if (testArg)
        cond = makeOperator(ps, '=', testArg, transformExpr(ps, cw.expr!), cw.location ?? location);
      else cond = coerceToBoolean(ps, transformExpr(ps, cw.expr!), 'CASE/WHEN');
      return { cond, result: transformExpr(ps, cw.result!) };
    });
    const otherwise = c.defresult
      ? transformExpr(ps, c.defresult)
      : makeConst(T.unknown, null, location);
    const type = selectCommonType(
      [...whens.map((w) => w.result.type), otherwise.type],
      'CASE',
      location,
    );
    const conv = (e: Expr): Expr => {
      const out = tryCoerce(ps, e, type, -1, 'implicit');
      if (!out)
        throw new PgError(
          '42804',
          `CASE could not convert type ${formatType(e.type, -1)} to ${formatType(type, -1)}`,
        ).at(e.location);
      return out;
    };
    return {
      k: 'case',
      whens: whens.map((w) => ({ cond: w.cond, result: conv(w.result) })),
      otherwise: conv(otherwise),
      type,
      typmod: -1,
      location,
    };
  }
  if ('CoalesceExpr' in node) {
    const c = node.CoalesceExpr;
    return transformVariadicCommon(
      ps,
      'coalesce',
      (c.args ?? []).map((a) => transformExpr(ps, a)),
      c.location ?? -1,
    );
  }
  if ('MinMaxExpr' in node) {
    const m = node.MinMaxExpr;
    return transformVariadicCommon(
      ps,
      m.op === 'IS_GREATEST' ? 'greatest' : 'least',
      (m.args ?? []).map((a) => transformExpr(ps, a)),
      m.location ?? -1,
    );
  }
  if ('SQLValueFunction' in node)
    return transformSqlValueFunction(
      ps,
      node.SQLValueFunction.op ?? '',
      node.SQLValueFunction.location ?? -1,
    );
  if ('SubLink' in node) return transformSubLink(ps, node.SubLink);
  if ('A_ArrayExpr' in node) {
    const a = node.A_ArrayExpr;
    const location = a.location ?? -1;
    const elems = (a.elements ?? []).map((e) => transformExpr(ps, e));
    const common = selectCommonType(
      elems.map((e) => e.type),
      'ARRAY',
      location,
    );
    // ARRAY[[…], […]]: elements that are arrays make a multidimensional array of the same type.
    const nested = common !== T.unknown && arrayElementType(common) !== 0;
    const arrayType = nested ? common : typeByOid(common).arrayOid;
    if (!arrayType)
      throw new PgError(
        '42704',
        `could not find array type for data type ${formatType(common, -1)}`,
      ).at(location);
    return {
      k: 'array',
      elements: elems.map((e) => mustCoerce(ps, e, common)),
      type: arrayType,
      typmod: -1,
      location,
    };
  }
  if ('CollateClause' in node) {
    const c = node.CollateClause;
    return transformExpr(ps, c.arg!);
  }
  if ('ResTarget' in node) return transformExpr(ps, node.ResTarget.val!);
  const tag = Object.keys(node)[0] ?? '?';
  throw new PgError('0A000', `${tag} expressions are not supported yet`).at(nodeLocation(node));
}

/** Integer constant check used by LIMIT/OFFSET and friends. */
export function intConst(e: Expr): number | undefined {
  if (e.k === 'const' && (e.type === T.int4 || e.type === T.int8) && e.value !== null)
    return Number(e.value);
  return undefined;
}

void checkInt;
void truncateIdentifier;
