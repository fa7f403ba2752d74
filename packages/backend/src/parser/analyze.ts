/**
 * Statement analysis (PostgreSQL's analyze.c / parse_clause / parse_target): SELECT, VALUES,
 * INSERT, UPDATE and DELETE raw trees → Query trees, with FROM-clause scoping, * expansion,
 * grouping checks, ORDER BY resolution, INSERT column defaults and assignment coercions.
 */
import { noteColumnRead } from '../catalog/aclchk.js';
import type {
  Node,
  SelectStmt,
  InsertStmt,
  UpdateStmt,
  DeleteStmt,
  RangeVar,
  OnConflictClause,
} from 'libpg-query';
import { PgError } from '../utils/errors.js';
import { T, typeByOid, formatType, type Value } from '../utils/adt/types.js';
import { isAggregate, srfRunner } from './functions.js';
import type { IndexInfo, RelationInfo } from '../catalog/relcache.js';
import { ParseState, type AnalyzeEnv, type ScopeColumn } from './parse-state.js';
import {
  coerceForAssignment,
  coerceToBoolean,
  leftmostLocation,
  nodeLocation,
  resolveUnknown,
  strVal,
  subqueryHooks,
  transformExpr,
  tryCoerce,
  buildFunctionCall,
  sortOptions,
} from './analyze-expr.js';
import { selectCommonType } from './coerce.js';
import { expandGroupingSets, resolveGroupingCalls, usesGroupingSets } from './grouping-sets.js';
import {
  checkOuterJoinRecursion,
  cteHooks,
  transformCteReference,
  transformWithClause,
} from './analyze-cte.js';
import { computedCatalogOids, systemViews } from '../catalog/system-views.js';
import { informationSchemaViews } from '../catalog/information-schema.js';
import { parseStatements } from './parse.js';
import { exprContains, exprKey, mapChildren } from './expr-utils.js';
import { makeConst, type EvalContext, type Expr } from './primnodes.js';
import type {
  CommonTable,
  DeleteQuery,
  FromNode,
  InsertQuery,
  OnConflict,
  SelectQuery,
  SortKey,
  TargetEntry,
  UpdateQuery,
  WindowCall,
  ProjectSetCall,
  RowConstraint,
} from './query.js';

/* FROM clause ------------------------------------------------------------------------------------ */

export function lookupRelation(env: AnalyzeEnv, rv: RangeVar): RelationInfo {
  const name = rv.relname ?? '';
  if (rv.schemaname !== undefined && env.checkSchemaUsage) {
    const ns = env.relcache.namespaceOid(rv.schemaname, env.snapshot);
    if (ns !== undefined) {
      try {
        env.checkSchemaUsage(ns);
      } catch (err) {
        if (err instanceof PgError) err.at(rv.location ?? -1);
        throw err;
      }
    }
  }
  const rel = env.relcache.resolve(rv.schemaname, name, env.searchPath, env.snapshot);
  if (!rel) {
    const shown = rv.schemaname ? `${rv.schemaname}.${name}` : name;
    throw new PgError('42P01', `relation "${shown}" does not exist`).at(rv.location ?? -1);
  }
  return rel;
}

function relColumns(rel: RelationInfo): Array<Omit<ScopeColumn, 'index' | 'relAlias'>> {
  return rel.columns.map((c) => ({
    name: c.name,
    type: c.type,
    typmod: c.typmod,
    tableOid: rel.oid,
    attnum: c.attnum,
  }));
}

function aliasNames(alias: { aliasname?: string; colnames?: Node[] } | undefined): {
  name?: string;
  cols: string[];
} {
  return { name: alias?.aliasname, cols: (alias?.colnames ?? []).map(strVal) };
}

function renameColumns<C extends { name: string }>(
  cols: C[],
  names: string[],
  alias: string,
  location: number,
): C[] {
  if (names.length > cols.length) {
    throw new PgError(
      '42P10',
      `table "${alias}" has ${cols.length} columns available but ${names.length} columns specified`,
    ).at(location);
  }
  return cols.map((c, i) => (names[i] !== undefined ? { ...c, name: names[i] } : c));
}

/** The output columns of a FROM-clause subquery, as scope columns. */
function subqueryColumns(query: SelectQuery): Array<Omit<ScopeColumn, 'index' | 'relAlias'>> {
  return query.targets.slice(0, query.visible).map((t) => ({
    name: t.name,
    type: t.expr.type,
    typmod: t.expr.typmod,
    tableOid: 0,
    attnum: 0,
  }));
}

/** The parsed SELECT of a system view, cached (the text never changes). */
const viewTrees = new Map<string, Node>();
function systemViewTree(schema: string | undefined, name: string): Node | undefined {
  const sql =
    schema === 'information_schema'
      ? informationSchemaViews.get(name)
      : schema === undefined || schema === 'pg_catalog'
        ? systemViews.get(name)
        : undefined;
  if (sql === undefined) return undefined;
  const key = `${schema ?? 'pg_catalog'}.${name}`;
  let tree = viewTrees.get(key);
  if (!tree) {
    tree = parseStatements(sql)[0]!.stmt;
    viewTrees.set(key, tree);
  }
  return tree;
}

/** A system view named in FROM: analyzed as a subquery under the view's name. */
function transformSystemView(ps: ParseState, rv: RangeVar, tree: Node): FromNode {
  // System views belong to the bootstrap superuser: their catalogs (pg_authid …) are read with
  // its rights, and USAGE of pg_catalog is never in question.
  const sub = new ParseState({ ...ps.env, permissions: undefined, checkSchemaUsage: undefined });
  const query = transformSelectStmt(sub, selectOf(tree));
  const { name, cols } = aliasNames(rv.alias);
  const alias = name ?? rv.relname ?? '';
  const offset = ps.width;
  ps.checkRefName(alias);
  ps.addEntry(
    alias,
    renameColumns(subqueryColumns(query), cols, alias, rv.location ?? -1),
  ).tableOid = computedCatalogOids[rv.relname ?? ''];
  return { k: 'subquery', query, offset, width: query.visible };
}

/**
 * A view named in FROM: its stored query analyzed as a subquery, its columns named and typed as
 * the view's (and reported as the view's columns in RowDescription).
 */
/**
 * SELECT … FROM a sequence: its one row (last_value, log_cnt, is_called), read from the sequence
 * storage when the query runs. log_cnt is always 0: no WAL is pre-logged for sequences here.
 */
function transformSequenceReference(ps: ParseState, rv: RangeVar, rel: RelationInfo): FromNode {
  const location = rv.location ?? -1;
  const field = (i: 0 | 1 | 2, type: number): Expr => ({
    k: 'func',
    name: 'pg_sequence_row',
    args: [],
    strict: false,
    volatile: true,
    type,
    typmod: -1,
    location,
    impl: (_a, c) => c.session.sequenceRow(rel.oid)[i],
  });
  const row = [field(0, T.int8), field(1, T.int8), field(2, T.bool)];
  const { name, cols } = aliasNames(rv.alias);
  const alias = name ?? rel.name;
  const offset = ps.width;
  ps.checkRefName(alias, name ? undefined : rel.oid);
  const columns = ['last_value', 'log_cnt', 'is_called'].map((n, i) => ({
    name: n,
    type: row[i]!.type,
    typmod: -1,
    tableOid: rel.oid,
    attnum: i + 1,
  }));
  ps.addEntry(alias, renameColumns(columns, cols, alias, location)).tableOid = rel.oid;
  return { k: 'values', rows: [row], offset, width: 3 };
}

function transformViewReference(ps: ParseState, rv: RangeVar, rel: RelationInfo): FromNode {
  // parseStatements caches parse trees by text, so a view is parsed once while it is in use.
  const tree = parseStatements(rel.viewSql!)[0]!.stmt;
  let query: SelectQuery;
  try {
    // The view's tables are read with its owner's rights, not checked against the user.
    query = transformSelectStmt(
      new ParseState({ ...ps.env, permissions: undefined, checkSchemaUsage: undefined }),
      selectOf(tree),
    );
  } catch (err) {
    // Positions inside the view's text mean nothing in this statement.
    if (err instanceof PgError) err.byteLocation = undefined;
    if (err instanceof PgError) err.position = undefined;
    throw err;
  }
  // A `*` in the view expands to the columns its tables have now; the view keeps its own.
  query.visible = Math.min(query.visible, rel.columns.length);
  const { name, cols } = aliasNames(rv.alias);
  const alias = name ?? rel.name;
  const columns = rel.columns.map((c, i) => ({
    name: c.name,
    type: query.targets[i]?.expr.type ?? c.type,
    typmod: c.typmod,
    tableOid: rel.oid,
    attnum: c.attnum,
  }));
  const offset = ps.width;
  ps.checkRefName(alias, name ? undefined : rel.oid);
  ps.addEntry(alias, renameColumns(columns, cols, alias, rv.location ?? -1));
  return { k: 'subquery', query, offset, width: query.visible };
}

function transformFromItem(ps: ParseState, node: Node): FromNode {
  if ('RangeVar' in node) {
    const rv = node.RangeVar;
    const view = systemViewTree(rv.schemaname, rv.relname ?? '');
    if (view) return transformSystemView(ps, rv, view);
    const cte = rv.schemaname === undefined ? ps.findCte(rv.relname ?? '') : undefined;
    if (cte) {
      const location = rv.location ?? -1;
      const rename = <C extends { name: string }>(cols: C[], names: string[], alias: string): C[] =>
        renameColumns(cols, names, alias, location);
      return transformCteReference(ps, rv, cte, aliasNames(rv.alias).cols, rename);
    }
    const rel = lookupRelation(ps.env, rv);
    ps.env.permissions?.push({ rel, privilege: 'r', columns: new Set() });
    if (rel.viewSql !== undefined) return transformViewReference(ps, rv, rel);
    if (rel.kind === 'S') return transformSequenceReference(ps, rv, rel);
    const { name, cols } = aliasNames(rv.alias);
    const alias = name ?? rel.name;
    const offset = ps.width;
    ps.checkRefName(alias, name ? undefined : rel.oid);
    ps.addEntry(alias, renameColumns(relColumns(rel), cols, alias, rv.location ?? -1)).tableOid =
      rel.oid;
    return { k: 'rel', rel, offset, width: rel.columns.length, alias };
  }
  if ('JoinExpr' in node) {
    const j = node.JoinExpr;
    const offset = ps.width;
    const entriesBefore = ps.entries.length;
    const left = transformFromItem(ps, j.larg!);
    const leftEntries = ps.entries.slice(entriesBefore);
    const right = transformFromItem(ps, j.rarg!);
    const rightEntries = ps.entries.slice(entriesBefore + leftEntries.length);
    const type =
      j.jointype === 'JOIN_LEFT'
        ? 'left'
        : j.jointype === 'JOIN_RIGHT'
          ? 'right'
          : j.jointype === 'JOIN_FULL'
            ? 'full'
            : j.quals || j.usingClause || j.isNatural
              ? 'inner'
              : 'cross';
    let quals: Expr | undefined;
    const saved = ps.exprKind;
    ps.exprKind = 'join';
    try {
      let using = (j.usingClause ?? []).map(strVal);
      if (j.isNatural) {
        const leftNames = new Set(leftEntries.flatMap((e) => e.columns.map((c) => c.name)));
        using = rightEntries
          .flatMap((e) => e.columns.map((c) => c.name))
          .filter((n) => leftNames.has(n));
      }
      if (using.length > 0) {
        const conds: Expr[] = [];
        for (const colName of using) {
          const l = leftEntries.flatMap((e) => e.columns).find((c) => c.name === colName);
          const r = rightEntries.flatMap((e) => e.columns).find((c) => c.name === colName);
          if (!l)
            throw new PgError(
              '42703',
              `column "${colName}" specified in USING clause does not exist in left table`,
            );
          if (!r)
            throw new PgError(
              '42703',
              `column "${colName}" specified in USING clause does not exist in right table`,
            );
          // The left side's column may itself be a merged column of an inner USING join.
          const lv: Expr = l.merged ?? {
            k: 'var',
            index: l.index,
            name: l.name,
            type: l.type,
            typmod: l.typmod,
            tableOid: l.tableOid,
            attnum: l.attnum,
            levelsUp: 0,
            location: -1,
          };
          const rv: Expr = {
            k: 'var',
            index: r.index,
            name: r.name,
            type: r.type,
            typmod: r.typmod,
            tableOid: r.tableOid,
            attnum: r.attnum,
            levelsUp: 0,
            location: -1,
          };
          conds.push(makeEq(ps, lv, rv));
          if (type === 'right' || type === 'full') {
            const leftEntry = leftEntries.find((e) => e.columns.includes(l))!;
            const merged = mergedUsingColumn(ps, type, lv, rv);
            leftEntry.columns = leftEntry.columns.map((c) => (c === l ? { ...c, merged } : c));
          }
          // The merged column is referenced unqualified through the left side only.
          for (const e of rightEntries)
            e.columns = e.columns.map((c) => (c.name === colName ? { ...c, name: c.name } : c));
        }
        quals =
          conds.length === 1
            ? conds[0]
            : { k: 'bool', op: 'and', args: conds, type: T.bool, typmod: -1, location: -1 };
        // USING columns appear once in * (from the left); hide the right copies from unqualified lookup.
        for (const e of rightEntries) {
          e.hiddenFromStar = new Set(
            e.columns.filter((c) => using.includes(c.name)).map((c) => c.index),
          );
        }
      } else if (j.quals) {
        quals = coerceToBoolean(ps, transformExpr(ps, j.quals), 'JOIN/ON');
      }
    } finally {
      ps.exprKind = saved;
    }
    checkOuterJoinRecursion(type, left, right);
    const lateral =
      (right.k === 'subquery' && right.lateral === true) ||
      (right.k === 'function' && right.lateral);
    if (lateral && (type === 'right' || type === 'full'))
      throw new PgError(
        '42601',
        'The combining JOIN type must be INNER or LEFT for a LATERAL reference.',
      ).at(j.rarg ? nodeLocation(j.rarg) : -1);
    return { k: 'join', type, left, right, quals, offset, width: ps.width - offset };
  }
  if ('RangeSubselect' in node) {
    const rs = node.RangeSubselect;
    const sub = new ParseState(ps.env, rs.lateral ? ps : ps.parent);
    sub.cteParent = ps;
    const query = transformSelectStmt(sub, selectOf(rs.subquery!));
    const { name, cols } = aliasNames(rs.alias);
    if (!name)
      throw new PgError('42601', 'subquery in FROM must have an alias').at(
        nodeLocation(rs.subquery),
      );
    const offset = ps.width;
    ps.checkRefName(name);
    ps.addEntry(name, renameColumns(subqueryColumns(query), cols, name, -1));
    return { k: 'subquery', query, offset, width: query.visible, lateral: rs.lateral === true };
  }
  if ('RangeFunction' in node) return transformRangeFunction(ps, node.RangeFunction);
  const tag = Object.keys(node)[0] ?? '?';
  throw new PgError('0A000', `${tag} in FROM is not supported yet`).at(nodeLocation(node));
}

/**
 * A function in FROM: a set-returning function's rows, or a scalar function's single value, as a
 * one-column relation (plus the ordinal with WITH ORDINALITY).
 */
function transformRangeFunction(
  ps: ParseState,
  rf: NonNullable<Extract<Node, { RangeFunction: unknown }>['RangeFunction']>,
): FromNode {
  const first = rf.functions?.[0];
  const call = first && 'List' in first ? first.List.items?.[0] : undefined;
  if (!call || !('FuncCall' in call) || (rf.functions?.length ?? 0) > 1) {
    throw new PgError('0A000', 'only a single function call is supported in FROM for now').at(
      nodeLocation(call),
    );
  }
  const f = call.FuncCall;
  const names = (f.funcname ?? []).map(strVal);
  const name = names[names.length - 1] ?? '';
  const location = f.location ?? -1;
  if (names.length > 1 && names[0] !== 'pg_catalog') {
    throw new PgError('3F000', `schema "${names[0]}" does not exist`).at(location);
  }
  if (f.over || isAggregate(name)) {
    throw new PgError('42803', 'aggregate functions are not allowed in functions in FROM').at(
      location,
    );
  }
  const saved = ps.exprKind;
  ps.exprKind = 'other';
  const args = (f.args ?? []).map((a) => transformExpr(ps, a));
  const { fn, expr } = buildFunctionCall(ps, names.join('.'), name, args, location);
  ps.exprKind = saved;
  const scalar = expr.impl;
  const run =
    (fn.srf && srfRunner(fn)) ??
    ((values: Value[], ctx: EvalContext): Iterable<Value> => {
      if (expr.strict && values.some((v) => v === null)) return [null];
      return [scalar(values, ctx)];
    });
  const { name: alias, cols } = aliasNames(rf.alias);
  const offset = ps.width;
  const ordinality = rf.ordinality === true;
  const base = fn.outColumns
    ? fn.outColumns.map((c) => ({ ...c, typmod: -1, tableOid: 0, attnum: 0 }))
    : [
        {
          // An OUT parameter keeps its name under a table alias.
          name: fn.columnName ?? alias ?? name,
          type: expr.type,
          typmod: -1,
          tableOid: 0,
          attnum: 0,
        },
      ];
  if (ordinality)
    base.push({ name: 'ordinality', type: T.int8, typmod: -1, tableOid: 0, attnum: 0 });
  const columns = renameColumns(base, cols, alias ?? name, -1);
  ps.checkRefName(alias ?? name);
  ps.addEntry(alias ?? name, columns);
  return {
    k: 'function',
    name,
    args: expr.args,
    type: expr.type,
    run,
    multiColumn: fn.outColumns !== undefined,
    // Functions in FROM may always read the items to their left (LATERAL is implied).
    lateral: expr.args.some((a) => exprContains(a, (n) => n.k === 'var' && n.levelsUp === 0)),
    ordinality,
    offset,
    width: columns.length,
  };
}

/** What an unqualified USING column of a RIGHT or FULL join is: right's, or the two coalesced. */
function mergedUsingColumn(ps: ParseState, type: 'right' | 'full', l: Expr, r: Expr): Expr {
  const common = selectCommonType([l.type, r.type], 'JOIN/USING');
  const lc = tryCoerce(ps, l, common, -1, 'implicit') ?? l;
  const rc = tryCoerce(ps, r, common, -1, 'implicit') ?? r;
  if (type === 'right') return rc;
  return { k: 'coalesce', args: [lc, rc], type: common, typmod: -1, location: -1 };
}

function makeEq(ps: ParseState, l: Expr, r: Expr): Expr {
  return transformExprFromOp(ps, '=', l, r);
}

import { makeOperator } from './analyze-expr.js';
import { placeWindowResults } from './analyze-window.js';
function transformExprFromOp(ps: ParseState, op: string, l: Expr, r: Expr): Expr {
  return makeOperator(ps, op, l, r, -1);
}

function selectOf(node: Node): SelectStmt {
  if ('SelectStmt' in node) return node.SelectStmt;
  throw new PgError('0A000', 'only SELECT subqueries are supported').at(nodeLocation(node));
}

/* Target list ------------------------------------------------------------------------------------ */

/** PostgreSQL's FigureColname: the output name of an unnamed select-list item. */
export function figureColname(node: Node | undefined): string {
  return figureColnameInternal(node)[0];
}

/** The name and its strength: 2 = a real name, 1 = a type name from a cast, 0 = none. */
function figureColnameInternal(node: Node | undefined): [string, number] {
  if (node && 'TypeCast' in node) {
    const [inner, strength] = figureColnameInternal(node.TypeCast.arg);
    if (strength > 1) return [inner, strength];
    const names = node.TypeCast.typeName?.names ?? [];
    return [strVal(names[names.length - 1]), 1];
  }
  if (node && 'A_Indirection' in node) {
    // a[1] is named after a, whatever a is (a cast gives its type's name).
    const last = (node.A_Indirection.indirection ?? []).at(-1);
    if (last && 'A_Indices' in last) return figureColnameInternal(node.A_Indirection.arg);
  }
  // PostgreSQL's grammar reads TRUE / FALSE as 't'::bool, so they name a column as a cast does.
  if (node && 'A_Const' in node && node.A_Const.boolval !== undefined) return ['bool', 1];
  const name = figureColnameBasic(node);
  return [name, name === '?column?' ? 0 : 2];
}

function figureColnameBasic(node: Node | undefined): string {
  if (!node) return '?column?';
  if ('ColumnRef' in node) {
    const f = node.ColumnRef.fields ?? [];
    const last = f[f.length - 1];
    return last && 'String' in last ? strVal(last) : '?column?';
  }
  if ('FuncCall' in node) {
    const n = node.FuncCall.funcname ?? [];
    return strVal(n[n.length - 1]);
  }
  if ('A_ArrayExpr' in node) return 'array';
  if ('CaseExpr' in node)
    return figureColname(node.CaseExpr.defresult) !== '?column?'
      ? figureColname(node.CaseExpr.defresult)
      : 'case';
  if ('CoalesceExpr' in node) return 'coalesce';
  if ('GroupingFunc' in node) return 'grouping';
  if ('MinMaxExpr' in node) return node.MinMaxExpr.op === 'IS_GREATEST' ? 'greatest' : 'least';
  if ('A_ArrayExpr' in node) return 'array';
  if ('A_Expr' in node && node.A_Expr.kind === 'AEXPR_NULLIF') return 'nullif';
  if ('SubLink' in node) {
    const s = node.SubLink;
    if (s.subLinkType === 'EXISTS_SUBLINK') return 'exists';
    if (s.subLinkType === 'ARRAY_SUBLINK') return 'array';
    if (s.subLinkType === 'EXPR_SUBLINK' && s.subselect && 'SelectStmt' in s.subselect) {
      // The subquery's first output column names it (VALUES columns are column1, …).
      if (s.subselect.SelectStmt.valuesLists) return 'column1';
      const t = s.subselect.SelectStmt.targetList?.[0];
      if (t && 'ResTarget' in t) return t.ResTarget.name ?? figureColname(t.ResTarget.val);
    }
    return '?column?';
  }
  if ('SQLValueFunction' in node) {
    const map: Record<string, string> = {
      SVFOP_CURRENT_DATE: 'current_date',
      SVFOP_CURRENT_TIMESTAMP: 'current_timestamp',
      SVFOP_CURRENT_TIMESTAMP_N: 'current_timestamp',
      SVFOP_LOCALTIMESTAMP: 'localtimestamp',
      SVFOP_LOCALTIMESTAMP_N: 'localtimestamp',
      SVFOP_CURRENT_ROLE: 'current_role',
      SVFOP_CURRENT_USER: 'current_user',
      SVFOP_USER: 'user',
      SVFOP_SESSION_USER: 'session_user',
      SVFOP_CURRENT_CATALOG: 'current_catalog',
      SVFOP_CURRENT_SCHEMA: 'current_schema',
    };
    return map[node.SQLValueFunction.op ?? ''] ?? '?column?';
  }
  if ('A_Const' in node && node.A_Const.boolval !== undefined) return 'bool';
  return '?column?';
}

function varFromColumn(c: ScopeColumn): Expr {
  return {
    k: 'var',
    index: c.index,
    name: c.name,
    type: c.type,
    typmod: c.typmod,
    tableOid: c.tableOid,
    attnum: c.attnum,
    levelsUp: 0,
    location: -1,
    relAlias: c.relAlias,
  };
}

function expandStar(ps: ParseState, table: string | undefined, location: number): TargetEntry[] {
  const out: TargetEntry[] = [];
  let matched = false;
  for (const entry of ps.entries) {
    if (table !== undefined && entry.alias !== table) continue;
    matched = true;
    for (const c of entry.columns) {
      if (table === undefined && entry.hiddenFromStar?.has(c.index)) continue;
      const merged = table === undefined ? c.merged : undefined;
      if (merged) out.push({ expr: merged, name: c.name, tableOid: 0, attnum: 0 });
      else {
        noteColumnRead(ps.env.permissions, c.tableOid, c.attnum);
        out.push({ expr: varFromColumn(c), name: c.name, tableOid: c.tableOid, attnum: c.attnum });
      }
    }
  }
  if (table !== undefined && !matched)
    throw new PgError('42P01', `missing FROM-clause entry for table "${table}"`).at(location);
  if (table === undefined && ps.entries.length === 0) {
    throw new PgError('42601', 'SELECT * with no tables specified is not valid').at(location);
  }
  return out;
}

export function transformTargetList(ps: ParseState, list: Node[]): TargetEntry[] {
  const out: TargetEntry[] = [];
  for (const item of list) {
    if (!('ResTarget' in item)) continue;
    const rt = item.ResTarget;
    const val = rt.val;
    if (val && 'ColumnRef' in val && (val.ColumnRef.fields ?? []).some((f) => 'A_Star' in f)) {
      const fields = val.ColumnRef.fields ?? [];
      const table = fields.length >= 2 ? strVal(fields[fields.length - 2]) : undefined;
      out.push(...expandStar(ps, table, val.ColumnRef.location ?? -1));
      continue;
    }
    const raw = transformExpr(ps, val!);
    const expr = ps.keepUnknownTargets ? raw : resolveUnknown(ps, raw);
    const name = rt.name ?? figureColname(val);
    const isVar = expr.k === 'var' && expr.levelsUp === 0;
    out.push({ expr, name, tableOid: isVar ? expr.tableOid : 0, attnum: isVar ? expr.attnum : 0 });
  }
  return out;
}

/* SELECT ------------------------------------------------------------------------------------------ */

function emptyQuery(from: FromNode): SelectQuery {
  return {
    kind: 'select',
    from,
    where: undefined,
    grouped: false,
    groupBy: [],
    groupingSets: undefined,
    aggs: [],
    having: undefined,
    windows: [],
    srfs: [],
    targets: [],
    visible: 0,
    sort: [],
    distinct: false,
    distinctOn: undefined,
    limit: undefined,
    offset: undefined,
    setOp: undefined,
    lockRows: undefined,
    ctes: [],
  };
}

function transformValues(ps: ParseState, stmt: SelectStmt): SelectQuery {
  const lists = (stmt.valuesLists ?? []).map((l) => ('List' in l ? (l.List.items ?? []) : []));
  const width = lists[0]?.length ?? 0;
  ps.exprKind = 'values';
  const rows = lists.map((items, r) => {
    if (items.length !== width) {
      throw new PgError('42601', 'VALUES lists must all be the same length').at(
        nodeLocation(items[0]) >= 0 ? nodeLocation(items[0]) : -1,
      );
    }
    void r;
    return items.map((n) => transformExpr(ps, n));
  });
  const types: number[] = [];
  for (let c = 0; c < width; c++) {
    const t = selectCommonType(
      rows.map((row) => row[c]!.type),
      'VALUES',
    );
    types.push(t);
    for (const row of rows) {
      const e = row[c]!;
      const out = tryCoerce(ps, e, t, -1, 'implicit');
      if (!out)
        throw new PgError(
          '42804',
          `VALUES types ${formatType(t, -1)} and ${formatType(e.type, -1)} cannot be matched`,
        ).at(e.location);
      row[c] = out;
    }
  }
  const from: FromNode = { k: 'values', rows, offset: 0, width };
  const q = emptyQuery(from);
  const entry = ps.addEntry(
    '*VALUES*',
    types.map((t, i) => ({ name: `column${i + 1}`, type: t, typmod: -1, tableOid: 0, attnum: 0 })),
  );
  q.targets = entry.columns.map((c) => ({
    expr: varFromColumn(c),
    name: c.name,
    tableOid: 0,
    attnum: 0,
  }));
  q.visible = q.targets.length;
  finishSortLimit(ps, q, stmt);
  return q;
}

/** Where a query's first output expression is written (for errors about its column count). */
function firstOutputLocation(stmt: SelectStmt): number {
  if (stmt.op && stmt.op !== 'SETOP_NONE' && stmt.larg) return firstOutputLocation(stmt.larg);
  const first = stmt.targetList?.[0];
  if (first && 'ResTarget' in first) return nodeLocation(first.ResTarget.val);
  const row = stmt.valuesLists?.[0];
  const items = row && 'List' in row ? (row.List.items ?? []) : [];
  return items[0] ? nodeLocation(items[0]) : -1;
}

/**
 * A set operation is sorted by its result columns only: by name or position, never by an
 * expression (PostgreSQL's rule, with its message).
 */
function checkSetOpSortClause(stmt: SelectStmt): void {
  for (const item of stmt.sortClause ?? []) {
    if (!('SortBy' in item)) continue;
    const node = item.SortBy.node;
    if (!node) continue;
    if ('ColumnRef' in node) {
      const fields = node.ColumnRef.fields ?? [];
      if (fields.length === 1 && !('A_Star' in fields[0]!)) continue;
    }
    if ('A_Const' in node) continue;
    throw new PgError('0A000', 'invalid UNION/INTERSECT/EXCEPT ORDER BY clause', {
      detail: 'Only result column names can be used, not expressions or functions.',
      hint: 'Add the expression/function to every SELECT, or move the UNION into a FROM clause.',
    }).at(leftmostLocation(node));
  }
}

function transformSetOp(ps: ParseState, stmt: SelectStmt): SelectQuery {
  const op =
    stmt.op === 'SETOP_UNION' ? 'union' : stmt.op === 'SETOP_INTERSECT' ? 'intersect' : 'except';
  const arm = (): ParseState => {
    const s = new ParseState(ps.env, ps.parent);
    s.cteParent = ps;
    s.keepUnknownTargets = true;
    return s;
  };
  const left = transformSelectStmt(arm(), stmt.larg!);
  const right = transformSelectStmt(arm(), stmt.rarg!);
  if (left.visible !== right.visible) {
    throw new PgError(
      '42601',
      `each ${op.toUpperCase()} query must have the same number of columns`,
    ).at(firstOutputLocation(stmt.rarg!));
  }
  const q = emptyQuery({ k: 'result', offset: 0, width: 0 });
  const columns = left.targets.slice(0, left.visible).map((lt, i) => {
    const rt = right.targets[i]!;
    const type = selectCommonType([lt.expr.type, rt.expr.type], op.toUpperCase());
    for (const side of [left, right]) {
      const t = side.targets[i]!;
      const c = tryCoerce(ps, t.expr, type, -1, 'implicit');
      if (!c)
        throw new PgError(
          '42804',
          `${op.toUpperCase()} types ${formatType(lt.expr.type, -1)} and ${formatType(rt.expr.type, -1)} cannot be matched`,
        );
      t.expr = c;
    }
    return { name: lt.name, type, typmod: -1, tableOid: 0, attnum: 0 };
  });
  q.setOp = { op, all: stmt.all === true, left, right };
  checkSetOpSortClause(stmt);
  const entry = ps.addEntry('*SELECT*', columns);
  q.targets = entry.columns.map((c) => ({
    expr: varFromColumn(c),
    name: c.name,
    tableOid: 0,
    attnum: 0,
  }));
  q.visible = q.targets.length;
  finishSortLimit(ps, q, stmt);
  return q;
}

export function transformSelectStmt(ps: ParseState, stmt: SelectStmt): SelectQuery {
  const ctes = stmt.withClause ? transformWithClause(ps.env, ps, ps.ctes, stmt.withClause) : [];
  const q = transformSelectBody(ps, stmt);
  q.ctes = ctes;
  return q;
}
cteHooks.transformSelectStmt = transformSelectStmt;

function transformSelectBody(ps: ParseState, stmt: SelectStmt): SelectQuery {
  if (stmt.op && stmt.op !== 'SETOP_NONE') return transformSetOp(ps, stmt);
  if (stmt.valuesLists) return transformValues(ps, stmt);
  if (stmt.intoClause) throw new PgError('0A000', 'SELECT INTO is not supported yet');

  // FROM: several items are cross-joined.
  let from: FromNode = { k: 'result', offset: 0, width: 0 };
  for (const item of stmt.fromClause ?? []) {
    const node = transformFromItem(ps, item);
    from =
      from.k === 'result'
        ? node
        : {
            k: 'join',
            type: 'cross',
            left: from,
            right: node,
            quals: undefined,
            offset: 0,
            width: ps.width,
          };
  }
  const q = emptyQuery(from);
  for (const w of stmt.windowClause ?? []) {
    if (!('WindowDef' in w)) continue;
    const def = w.WindowDef;
    const name = def.name ?? '';
    if (ps.windowDefs.has(name)) {
      throw new PgError('42P20', `window "${name}" is already defined`).at(def.location ?? -1);
    }
    ps.windowDefs.set(name, def);
  }

  ps.exprKind = 'select';
  q.targets = transformTargetList(ps, stmt.targetList ?? []);
  q.visible = q.targets.length;

  if (stmt.whereClause) {
    ps.exprKind = 'where';
    q.where = coerceToBoolean(ps, transformExpr(ps, stmt.whereClause), 'WHERE');
  }
  if (stmt.havingClause) {
    ps.exprKind = 'having';
    q.having = coerceToBoolean(ps, transformExpr(ps, stmt.havingClause), 'HAVING');
  }
  // ORDER BY before GROUP BY, as PostgreSQL does (it matters for which error comes first).
  const sortItems = resolveSortItems(ps, q, stmt.sortClause ?? []);

  if (stmt.groupClause && stmt.groupClause.length > 0) {
    ps.exprKind = 'group';
    const groupExpr = (g: Node): Expr => {
      const byTarget = targetReference(q, g);
      if (byTarget !== undefined) return q.targets[byTarget]!.expr;
      return resolveUnknown(ps, transformExpr(ps, g));
    };
    if (usesGroupingSets(stmt.groupClause)) {
      const expanded = expandGroupingSets(stmt.groupClause, groupExpr);
      q.groupBy = expanded.groupBy;
      q.groupingSets = expanded.sets;
    } else q.groupBy = stmt.groupClause.map(groupExpr);
  }
  resolveGroupingCalls(ps.aggs, q.groupBy);
  let sort = sortItems;
  if (stmt.distinctClause) {
    // Plain DISTINCT is a list holding one empty node; DISTINCT ON lists its expressions.
    const on = stmt.distinctClause.filter((n) => Object.keys(n).length > 0);
    if (on.length > 0) {
      const d = resolveDistinctOn(ps, q, on, sortItems);
      q.distinctOn = d.keys;
      sort = d.sort;
    } else q.distinct = true;
  }
  q.aggs = ps.aggs;
  q.grouped = q.aggs.length > 0 || q.groupBy.length > 0 || q.having !== undefined;
  q.sort = sort;
  if (q.distinct && q.targets.length > q.visible) {
    const junk = q.targets[q.visible]!;
    throw new PgError(
      '42P10',
      'for SELECT DISTINCT, ORDER BY expressions must appear in select list',
    ).at(junk.expr.location);
  }
  const windows = placeWindowResults(ps, q.grouped ? q.groupBy.length + q.aggs.length : ps.width);
  const base = (q.grouped ? q.groupBy.length + q.aggs.length : ps.width) + windows.length;
  for (const s of ps.srfs) s.ref.index = base + s.ref.srfIndex!;
  const srfs = ps.srfs.map((s) => s.call);
  if (q.grouped) applyGrouping(q, windows, srfs);
  q.windows = windows;
  q.srfs = srfs;
  finishLimit(ps, q, stmt);
  if (stmt.lockingClause && stmt.lockingClause.length > 0) {
    const lc = (stmt.lockingClause[0] as Extract<Node, { LockingClause: unknown }>).LockingClause;
    const strengths = {
      LCS_FORKEYSHARE: 'keyShare',
      LCS_FORSHARE: 'share',
      LCS_FORNOKEYUPDATE: 'noKeyUpdate',
      LCS_FORUPDATE: 'update',
      LCS_NONE: 'update',
    } as const;
    const clause = {
      LCS_FORKEYSHARE: 'FOR KEY SHARE',
      LCS_FORSHARE: 'FOR SHARE',
      LCS_FORNOKEYUPDATE: 'FOR NO KEY UPDATE',
      LCS_FORUPDATE: 'FOR UPDATE',
      LCS_NONE: 'FOR UPDATE',
    } as const;
    const strength = lc.strength ?? 'LCS_FORUPDATE';
    if (q.grouped)
      throw new PgError('0A000', `${clause[strength]} is not allowed with aggregate functions`);
    if (q.distinct || q.distinctOn)
      throw new PgError('0A000', `${clause[strength]} is not allowed with DISTINCT clause`);
    if (q.from.k !== 'rel')
      throw new PgError('0A000', `${clause[strength]} is supported only on a single table for now`);
    const wait =
      lc.waitPolicy === 'LockWaitSkip'
        ? 'skipLocked'
        : lc.waitPolicy === 'LockWaitError'
          ? 'nowait'
          : 'block';
    q.lockRows = { mode: strengths[strength], wait };
  }
  return q;
}

/** GROUP BY / ORDER BY items may name an output column or give its position. */
function targetReference(q: SelectQuery, node: Node): number | undefined {
  if ('A_Const' in node && node.A_Const.ival !== undefined) {
    const n = node.A_Const.ival.ival ?? 0;
    if (n < 1 || n > q.visible) {
      throw new PgError('42P10', `${'position'} ${n} is not in select list`).at(
        node.A_Const.location ?? -1,
      );
    }
    return n - 1;
  }
  if ('ColumnRef' in node) {
    const f = node.ColumnRef.fields ?? [];
    if (f.length === 1 && 'String' in f[0]!) {
      const name = strVal(f[0]);
      const hits = q.targets
        .slice(0, q.visible)
        .map((t, i) => (t.name === name ? i : -1))
        .filter((i) => i >= 0);
      if (hits.length === 1) return hits[0];
    }
  }
  return undefined;
}

/**
 * The select-list entry an ORDER BY or DISTINCT ON item names: by position, by output name, or as
 * an expression (added as a sort-only entry when it is not in the list).
 */
function sortTarget(
  ps: ParseState,
  q: SelectQuery,
  node: Node,
  clause: 'ORDER BY' | 'DISTINCT ON',
): number {
  if ('A_Const' in node && node.A_Const.ival !== undefined) {
    const n = node.A_Const.ival.ival ?? 0;
    if (n < 1 || n > q.visible)
      throw new PgError('42P10', `${clause} position ${n} is not in select list`).at(
        node.A_Const.location ?? -1,
      );
    return n - 1;
  }
  const ref = 'ColumnRef' in node ? targetReference(q, node) : undefined;
  if (ref !== undefined) return ref;
  const expr = resolveUnknown(ps, transformExpr(ps, node));
  const key = exprKey(expr);
  const found = q.targets.findIndex((t) => exprKey(t.expr) === key);
  if (found >= 0) return found;
  q.targets.push({ expr, name: '?column?', tableOid: 0, attnum: 0 });
  return q.targets.length - 1;
}

function sortKey(q: SelectQuery, target: number, desc: boolean, nullsFirst: boolean): SortKey {
  const cmp = typeByOid(q.targets[target]!.expr.type).compare;
  return { target, desc, nullsFirst, compare: cmp as (a: unknown, b: unknown) => number };
}

function resolveSortItems(ps: ParseState, q: SelectQuery, items: Node[]): SortKey[] {
  ps.exprKind = 'order';
  const keys: SortKey[] = [];
  for (const item of items) {
    if (!('SortBy' in item)) continue;
    const sb = item.SortBy;
    const index = sortTarget(ps, q, sb.node!, 'ORDER BY');
    const { desc, nullsFirst } = sortOptions(sb);
    keys.push(sortKey(q, index, desc, nullsFirst));
  }
  return keys;
}

/**
 * DISTINCT ON: the key entries, and the sort that brings each key's rows together. The leading
 * ORDER BY items must be the DISTINCT ON expressions (in any order); keys ORDER BY does not reach
 * are sorted ascending after it.
 */
function resolveDistinctOn(
  ps: ParseState,
  q: SelectQuery,
  items: Node[],
  sort: SortKey[],
): { keys: number[]; sort: SortKey[] } {
  ps.exprKind = 'order';
  const keys = items.map((n) => sortTarget(ps, q, n, 'DISTINCT ON'));
  const unmatched = new Set(keys);
  for (const s of sort) {
    if (unmatched.size === 0) break;
    if (!unmatched.delete(s.target)) {
      const first = keys.findIndex((k) => unmatched.has(k));
      throw new PgError(
        '42P10',
        'SELECT DISTINCT ON expressions must match initial ORDER BY expressions',
      ).at(nodeLocation(items[first]));
    }
  }
  return { keys, sort: [...sort, ...[...unmatched].map((k) => sortKey(q, k, false, false))] };
}

/** Rewrites post-grouping expressions to read the grouped row: [group keys…, aggregates…]. */
function applyGrouping(q: SelectQuery, windows: WindowCall[], srfs: ProjectSetCall[]): void {
  const groupKeys = q.groupBy.map(exprKey);
  const nGroup = q.groupBy.length;
  const rewrite = (e: Expr): Expr => {
    // A window function's result is computed over the grouped rows; it is not a grouped column.
    if (e.k === 'var' && (e.windowIndex !== undefined || e.srfIndex !== undefined)) return e;
    const key = exprKey(e);
    const g = groupKeys.indexOf(key);
    if (g >= 0)
      return {
        k: 'var',
        index: g,
        name: e.k === 'var' ? e.name : '?',
        type: e.type,
        typmod: e.typmod,
        tableOid: e.k === 'var' ? e.tableOid : 0,
        attnum: e.k === 'var' ? e.attnum : 0,
        levelsUp: 0,
        location: e.location,
      };
    if (e.k === 'aggref')
      return {
        k: 'var',
        index: nGroup + e.index,
        name: '?',
        type: e.type,
        typmod: e.typmod,
        tableOid: 0,
        attnum: 0,
        levelsUp: 0,
        location: e.location,
      };
    if (e.k === 'var' && e.levelsUp === 0) {
      const qualified = e.relAlias ? `${e.relAlias}.${e.name}` : e.name;
      throw new PgError(
        '42803',
        `column "${qualified}" must appear in the GROUP BY clause or be used in an aggregate function`,
      ).at(e.location);
    }
    return mapChildren(e, rewrite);
  };
  q.targets = q.targets.map((t) => ({ ...t, expr: rewrite(t.expr) }));
  if (q.having) q.having = rewrite(q.having);
  for (const w of windows) {
    w.args = w.args.map(rewrite);
    if (w.filter) w.filter = rewrite(w.filter);
    w.partitionBy = w.partitionBy.map(rewrite);
    w.orderBy = w.orderBy.map((o) => ({ ...o, expr: rewrite(o.expr) }));
  }
  for (const s of srfs) s.args = s.args.map(rewrite);
}

function finishLimit(ps: ParseState, q: SelectQuery, stmt: SelectStmt): void {
  ps.exprKind = 'limit';
  const asInt8 = (n: Node, what: string): Expr => {
    const e = transformExpr(ps, n);
    const out = tryCoerce(ps, e, T.int8, -1, 'assignment');
    if (!out)
      throw new PgError(
        '42804',
        `argument of ${what} must be type bigint, not type ${formatType(e.type, -1)}`,
      ).at(e.location);
    return out;
  };
  if (stmt.limitCount && !('A_Const' in stmt.limitCount && stmt.limitCount.A_Const.isnull))
    q.limit = asInt8(stmt.limitCount, 'LIMIT');
  if (stmt.limitOffset) q.offset = asInt8(stmt.limitOffset, 'OFFSET');
}

function finishSortLimit(ps: ParseState, q: SelectQuery, stmt: SelectStmt): void {
  q.sort = resolveSortItems(ps, q, stmt.sortClause ?? []);
  finishLimit(ps, q, stmt);
}

/* Subqueries in expressions ------------------------------------------------------------------------ */

subqueryHooks.analyzeSubquery = (ps, node) => {
  const sub = new ParseState(ps.env, ps);
  sub.inSublink = true;
  const q = transformSelectStmt(sub, selectOf(node));
  return { plan: q, types: q.targets.slice(0, q.visible).map((t) => t.expr.type) };
};

/* Column defaults ---------------------------------------------------------------------------------- */

/** The analyzed DEFAULT of a column (coerced to its type), or a typed NULL. */
export function columnDefault(env: AnalyzeEnv, rel: RelationInfo, index: number): Expr {
  const col = rel.columns[index]!;
  // A generated column is computed from the finished row (relationChecks), not defaulted.
  if (col.defaultSql === undefined || col.generated) return makeConst(col.type, null);
  // pg_attrdef.adbin holds the raw expression tree (as JSON), PostgreSQL's node-tree role.
  const node = JSON.parse(col.defaultSql) as Node;
  const ps = new ParseState({ ...env, paramTypes: [] });
  ps.exprKind = 'default';
  let out: Expr;
  try {
    const e = transformExpr(ps, node);
    out = coerceForAssignment(ps, e, col.type, col.typmod, col.name);
  } catch (err) {
    // Positions inside the default refer to the CREATE TABLE text, not this statement.
    if (err instanceof PgError) err.byteLocation = undefined;
    throw err;
  }
  // Locations inside the default refer to its own text, not the statement's.
  return stripLocations(out);
}

function stripLocations(e: Expr): Expr {
  return mapChildren({ ...e, location: -1 }, stripLocations);
}

/** A VALUES scan producing whole table rows (one expression per column). */
function valuesSource(rel: RelationInfo, rows: Expr[][]): SelectQuery {
  const q = emptyQuery({ k: 'values', rows, offset: 0, width: rel.columns.length });
  q.targets = rel.columns.map((c, i) => ({
    expr: {
      k: 'var',
      index: i,
      name: c.name,
      type: c.type,
      typmod: c.typmod,
      tableOid: 0,
      attnum: 0,
      levelsUp: 0,
      location: -1,
    },
    name: c.name,
    tableOid: 0,
    attnum: 0,
  }));
  q.visible = q.targets.length;
  return q;
}

/* INSERT ------------------------------------------------------------------------------------------ */

function targetColumns(rel: RelationInfo, cols: Node[] | undefined): number[] {
  if (!cols || cols.length === 0) return rel.columns.map((_c, i) => i);
  const seen = new Set<number>();
  return cols.map((c) => {
    const rt = (c as Extract<Node, { ResTarget: unknown }>).ResTarget;
    const name = rt.name ?? '';
    const i = rel.columns.findIndex((col) => col.name === name);
    if (i < 0)
      throw new PgError('42703', `column "${name}" of relation "${rel.name}" does not exist`).at(
        rt.location ?? -1,
      );
    if (seen.has(i))
      throw new PgError('42701', `column "${name}" specified more than once`).at(rt.location ?? -1);
    if ((rt.indirection ?? []).length > 0)
      throw new PgError('0A000', 'assignment to array elements or fields is not supported yet').at(
        rt.location ?? -1,
      );
    seen.add(i);
    return i;
  });
}

export function relationScope(ps: ParseState, rel: RelationInfo, alias: string): void {
  ps.checkRefName(alias, alias === rel.name ? rel.oid : undefined);
  ps.addEntry(alias, relColumns(rel));
}

/** The table's CHECK constraints analyzed over its row. */
export function relationChecks(env: AnalyzeEnv, rel: RelationInfo): RowConstraint[] {
  const generated: RowConstraint[] = [];
  rel.columns.forEach((col, i) => {
    if (!col.generated || col.defaultSql === undefined) return;
    const ps = new ParseState({ ...env, paramTypes: [] });
    relationScope(ps, rel, rel.name);
    ps.exprKind = 'other';
    const e = transformExpr(ps, JSON.parse(col.defaultSql) as Node);
    const expr = coerceForAssignment(ps, e, col.type, col.typmod, col.name);
    generated.push({ name: col.name, expr: stripLocations(expr), generates: i });
  });
  const checks = rel.checks.map((c) => {
    const ps = new ParseState({ ...env, paramTypes: [] });
    relationScope(ps, rel, rel.name);
    ps.exprKind = 'other';
    const e = coerceToBoolean(ps, transformExpr(ps, JSON.parse(c.exprJson) as Node), 'CHECK');
    return { name: c.name, expr: stripLocations(e) };
  });
  return [...generated, ...checks];
}

function transformReturning(
  env: AnalyzeEnv,
  rel: RelationInfo,
  alias: string,
  list: Node[] | undefined,
): TargetEntry[] {
  if (!list || list.length === 0) return [];
  const ps = new ParseState(env);
  relationScope(ps, rel, alias);
  ps.exprKind = 'returning';
  return transformTargetList(ps, list);
}

/** A data-modifying statement's WITH clause: its names are visible to the whole statement. */
function statementWith(
  env: AnalyzeEnv,
  w: InsertStmt['withClause'],
): { env: AnalyzeEnv; ctes: CommonTable[] } {
  if (!w) return { env, ctes: [] };
  const scope = new Map(env.statementCtes);
  const inner = { ...env, statementCtes: scope };
  return { env: inner, ctes: transformWithClause(inner, undefined, scope, w) };
}

export function transformInsert(outerEnv: AnalyzeEnv, stmt: InsertStmt): InsertQuery {
  const { env, ctes } = statementWith(outerEnv, stmt.withClause);
  const rv = stmt.relation!;
  const rel = lookupRelation(env, rv);
  const insertRequest = { rel, privilege: 'a', columns: new Set<number>() };
  env.permissions?.push(insertRequest);
  if (stmt.returningClause || stmt.onConflictClause?.action === 'ONCONFLICT_UPDATE')
    env.permissions?.push({ rel, privilege: 'r', columns: new Set() });
  if (stmt.onConflictClause?.action === 'ONCONFLICT_UPDATE')
    env.permissions?.push({ rel, privilege: 'w' });
  if (rel.kind !== 'r')
    throw new PgError(
      '42809',
      `cannot insert into ${rel.kind === 'S' ? 'sequence' : 'relation'} "${rel.name}"`,
    );
  let cols = targetColumns(rel, stmt.cols);
  const firstRow =
    stmt.selectStmt && 'SelectStmt' in stmt.selectStmt
      ? stmt.selectStmt.SelectStmt.valuesLists?.[0]
      : undefined;
  if ((!stmt.cols || stmt.cols.length === 0) && firstRow && 'List' in firstRow) {
    // Without a column list, a shorter VALUES row fills the leading columns (the rest get defaults).
    const len = firstRow.List.items?.length ?? 0;
    if (len < cols.length) cols = cols.slice(0, len);
  }
  for (const i of cols) insertRequest.columns.add(rel.columns[i]!.attnum);
  const alias = rv.alias?.aliasname ?? rel.name;
  const defaults = (i: number): Expr => columnDefault(env, rel, i);
  const override = stmt.override;
  // OVERRIDING USER VALUE: identity columns take their next value whatever the statement gives.
  const overridden = (i: number): boolean =>
    override === 'OVERRIDING_USER_VALUE' && rel.columns[i]!.identity !== '';
  const checkIdentity = (i: number, item: Node | undefined): void => {
    const col = rel.columns[i]!;
    if (col.generated && !(item && 'SetToDefault' in item))
      throw new PgError('428C9', `cannot insert a non-DEFAULT value into column "${col.name}"`, {
        detail: `Column "${col.name}" is a generated column.`,
      });
    if (col.identity !== 'a' || override === 'OVERRIDING_SYSTEM_VALUE' || overridden(i)) return;
    if (item && 'SetToDefault' in item) return;
    throw new PgError('428C9', `cannot insert a non-DEFAULT value into column "${col.name}"`, {
      detail: `Column "${col.name}" is an identity column defined as GENERATED ALWAYS.`,
      hint: 'Use OVERRIDING SYSTEM VALUE to override.',
    });
  };
  let source: SelectQuery;
  let columnExprs: Expr[];
  const sel =
    stmt.selectStmt && 'SelectStmt' in stmt.selectStmt ? stmt.selectStmt.SelectStmt : undefined;
  if (!sel) {
    // INSERT … DEFAULT VALUES
    const row = rel.columns.map((_c, i) => defaults(i));
    source = valuesSource(rel, [row]);
    columnExprs = rel.columns.map((c, i) => ({
      k: 'var',
      index: i,
      name: c.name,
      type: c.type,
      typmod: c.typmod,
      tableOid: 0,
      attnum: 0,
      levelsUp: 0,
      location: -1,
    }));
  } else if (sel.valuesLists && !sel.sortClause && !sel.limitCount && !sel.limitOffset) {
    const ps = new ParseState(env);
    ps.exprKind = 'values';
    const rows = sel.valuesLists.map((l) => {
      const items = 'List' in l ? (l.List.items ?? []) : [];
      if (items.length > cols.length)
        throw new PgError('42601', 'INSERT has more expressions than target columns').at(
          nodeLocation(items[cols.length]),
        );
      if (items.length < cols.length) {
        const rt = (stmt.cols?.[items.length] as Extract<Node, { ResTarget: unknown }> | undefined)
          ?.ResTarget;
        throw new PgError('42601', 'INSERT has more target columns than expressions').at(
          rt?.location ?? -1,
        );
      }
      const row: Expr[] = rel.columns.map((_c, i) =>
        cols.includes(i) ? makeConst(T.unknown, null) : defaults(i),
      );
      items.forEach((item, k) => checkIdentity(cols[k]!, item));
      items.forEach((item, k) => {
        const ci = cols[k]!;
        const col = rel.columns[ci]!;
        if ('SetToDefault' in item || overridden(ci)) row[ci] = defaults(ci);
        else
          row[ci] = coerceForAssignment(
            ps,
            transformExpr(ps, item),
            col.type,
            col.typmod,
            col.name,
          );
      });
      return row;
    });
    source = valuesSource(rel, rows);
    columnExprs = rel.columns.map((c, i) => ({
      k: 'var',
      index: i,
      name: c.name,
      type: c.type,
      typmod: c.typmod,
      tableOid: 0,
      attnum: 0,
      levelsUp: 0,
      location: -1,
    }));
  } else {
    const ps = new ParseState(env);
    // Untyped literals (NULL, '…') take the target column's type, as PostgreSQL does.
    ps.keepUnknownTargets = true;
    source = transformSelectStmt(ps, sel);
    if ((!stmt.cols || stmt.cols.length === 0) && source.visible < cols.length)
      cols = cols.slice(0, source.visible);
    if (source.visible > cols.length)
      throw new PgError('42601', 'INSERT has more expressions than target columns').at(
        source.targets[cols.length]!.expr.location,
      );
    if (source.visible < cols.length)
      throw new PgError('42601', 'INSERT has more target columns than expressions');
    const cps = new ParseState(env);
    for (const i of cols) checkIdentity(i, undefined);
    columnExprs = rel.columns.map((col, i) => {
      const k = cols.indexOf(i);
      if (k < 0 || overridden(i)) return defaults(i);
      const t = source.targets[k]!;
      if (t.expr.type === T.unknown)
        t.expr = coerceForAssignment(ps, t.expr, col.type, col.typmod, col.name);
      const v: Expr = {
        k: 'var',
        index: k,
        name: t.name,
        type: t.expr.type,
        typmod: t.expr.typmod,
        tableOid: 0,
        attnum: 0,
        levelsUp: 0,
        location: t.expr.location,
      };
      return coerceForAssignment(cps, v, col.type, col.typmod, col.name);
    });
  }
  const onConflict = stmt.onConflictClause
    ? transformOnConflict(env, rel, alias, stmt.onConflictClause)
    : undefined;
  const returning = transformReturning(env, rel, alias, stmt.returningClause?.exprs);
  return {
    kind: 'insert',
    ctes,
    rel,
    columnExprs,
    source,
    returning,
    onConflict,
    checks: relationChecks(env, rel),
  };
}

/** The unique indexes an ON CONFLICT target names (columns, or a constraint). */
function inferArbiters(
  rel: RelationInfo,
  infer: NonNullable<OnConflictClause['infer']>,
): IndexInfo[] {
  if (infer.conname !== undefined) {
    const ix = rel.indexes.find((i) => i.name === infer.conname && i.unique);
    if (!ix)
      throw new PgError(
        '42704',
        `constraint "${infer.conname}" for table "${rel.name}" does not exist`,
      );
    return [ix];
  }
  const attnums = new Set<number>();
  for (const n of infer.indexElems ?? []) {
    const elem = (n as Extract<Node, { IndexElem: unknown }>).IndexElem;
    const col = elem.name === undefined ? undefined : rel.columns.find((c) => c.name === elem.name);
    if (!col) {
      if (elem.name === undefined)
        throw new PgError('0A000', 'ON CONFLICT on expressions is not supported yet');
      throw new PgError('42703', `column "${elem.name}" does not exist`).at(infer.location ?? -1);
    }
    attnums.add(col.attnum);
  }
  const matching = rel.indexes.filter(
    (ix) =>
      ix.unique && ix.columns.length === attnums.size && ix.columns.every((c) => attnums.has(c)),
  );
  if (matching.length === 0 || infer.whereClause)
    throw new PgError(
      '42P10',
      'there is no unique or exclusion constraint matching the ON CONFLICT specification',
    );
  return matching;
}

function transformOnConflict(
  env: AnalyzeEnv,
  rel: RelationInfo,
  alias: string,
  clause: OnConflictClause,
): OnConflict {
  const arbiters = clause.infer ? inferArbiters(rel, clause.infer) : undefined;
  if (clause.action !== 'ONCONFLICT_UPDATE')
    return { action: 'nothing', arbiters, assignments: new Map(), where: undefined };
  if (!arbiters)
    throw new PgError(
      '42601',
      'ON CONFLICT DO UPDATE requires inference specification or constraint name',
      { hint: 'For example, ON CONFLICT (column_name).' },
    ).at(clause.location ?? -1);
  // The existing row under the table's name, then the proposed one as "excluded".
  const ps = new ParseState(env);
  relationScope(ps, rel, alias);
  relationScope(ps, rel, 'excluded');
  ps.exprKind = 'update';
  const assignments = transformAssignments(env, ps, rel, clause.targetList ?? []);
  let where: Expr | undefined;
  if (clause.whereClause) {
    ps.exprKind = 'where';
    where = coerceToBoolean(ps, transformExpr(ps, clause.whereClause), 'WHERE');
  }
  return { action: 'update', arbiters, assignments, where };
}

/* UPDATE / DELETE ------------------------------------------------------------------------------------ */

/** SET column = expression, … of UPDATE and ON CONFLICT DO UPDATE: expressions by column index. */
/**
 * SET (a, b) = (x, y) and SET (a, b) = (SELECT x, y …): each column gets its own expression, the
 * row's element or the subquery reduced to that one output column (a subquery of more than one
 * row fails as PostgreSQL's does; it is evaluated once per column).
 */
function expandMultiAssignments(targetList: Node[]): Node[] {
  return targetList.map((item) => {
    if (!('ResTarget' in item)) return item;
    const val = item.ResTarget.val;
    if (!val || !('MultiAssignRef' in val)) return item;
    const m = val.MultiAssignRef;
    const source = m.source;
    const colno = m.colno ?? 1;
    const mismatch = (): PgError =>
      new PgError('42601', 'number of columns does not match number of values').at(
        nodeLocation(source),
      );
    let expr: Node | undefined;
    if (source && 'RowExpr' in source) {
      const args = source.RowExpr.args ?? [];
      if (args.length !== m.ncolumns) throw mismatch();
      expr = args[colno - 1];
    } else if (source && 'SubLink' in source) {
      const sub = source.SubLink.subselect;
      const select = sub && 'SelectStmt' in sub ? sub.SelectStmt : undefined;
      const plain = select && (!select.op || select.op === 'SETOP_NONE') && !select.distinctClause;
      if (!select || !plain)
        throw new PgError('0A000', 'this form of multiple-column UPDATE is not supported yet').at(
          nodeLocation(source),
        );
      const targets = select.targetList ?? [];
      if (targets.length !== m.ncolumns) throw mismatch();
      expr = {
        SubLink: {
          ...source.SubLink,
          subselect: { SelectStmt: { ...select, targetList: [targets[colno - 1]!] } },
        },
      };
    }
    if (!expr) throw mismatch();
    return { ResTarget: { ...item.ResTarget, val: expr } };
  });
}

function transformAssignments(
  env: AnalyzeEnv,
  ps: ParseState,
  rel: RelationInfo,
  targetList: Node[],
): Map<number, Expr> {
  const assignments = new Map<number, Expr>();
  for (const item of expandMultiAssignments(targetList)) {
    if (!('ResTarget' in item)) continue;
    const rt = item.ResTarget;
    const name = rt.name ?? '';
    const i = rel.columns.findIndex((c) => c.name === name);
    if (i < 0)
      throw new PgError('42703', `column "${name}" of relation "${rel.name}" does not exist`).at(
        rt.location ?? -1,
      );
    if (assignments.has(i))
      throw new PgError('42601', `multiple assignments to same column "${name}"`).at(
        rt.location ?? -1,
      );
    const col = rel.columns[i]!;
    const val = rt.val!;
    if (col.generated && !('SetToDefault' in val))
      throw new PgError('428C9', `column "${col.name}" can only be updated to DEFAULT`, {
        detail: `Column "${col.name}" is a generated column.`,
      });
    if (col.identity === 'a' && !('SetToDefault' in val))
      throw new PgError('428C9', `column "${col.name}" can only be updated to DEFAULT`, {
        detail: `Column "${col.name}" is an identity column defined as GENERATED ALWAYS.`,
      });
    const e =
      'SetToDefault' in val
        ? columnDefault(env, rel, i)
        : coerceForAssignment(ps, transformExpr(ps, val), col.type, col.typmod, col.name);
    assignments.set(i, e);
  }
  return assignments;
}

function targetScan(
  env: AnalyzeEnv,
  rel: RelationInfo,
  alias: string,
  where: Node | undefined,
  extraFrom: Node[] | undefined,
): { ps: ParseState; scan: SelectQuery; extra: FromNode | undefined } {
  const ps = new ParseState(env);
  relationScope(ps, rel, alias);
  const scan = emptyQuery({ k: 'rel', rel, offset: 0, width: rel.columns.length, alias });
  // UPDATE … FROM / DELETE … USING: further FROM items, after the table's columns in the row.
  let extra: FromNode | undefined;
  for (const item of extraFrom ?? []) {
    const node = transformFromItem(ps, item);
    extra = extra
      ? {
          k: 'join',
          type: 'cross',
          left: extra,
          right: node,
          quals: undefined,
          offset: extra.offset,
          width: ps.width - extra.offset,
        }
      : node;
  }
  if (where) {
    ps.exprKind = 'where';
    scan.where = coerceToBoolean(ps, transformExpr(ps, where), 'WHERE');
  }
  return { ps, scan, extra };
}

/** RETURNING over the written row (and, with FROM/USING, the row it was joined with). */
function transformReturningIn(ps: ParseState, list: Node[] | undefined): TargetEntry[] {
  if (!list || list.length === 0) return [];
  ps.exprKind = 'returning';
  return transformTargetList(ps, list);
}

export function transformUpdate(outerEnv: AnalyzeEnv, stmt: UpdateStmt): UpdateQuery {
  const { env, ctes } = statementWith(outerEnv, stmt.withClause);
  const rv = stmt.relation!;
  const rel = lookupRelation(env, rv);
  if (rel.kind !== 'r') throw new PgError('42809', `cannot update relation "${rel.name}"`);
  const updateRequest = { rel, privilege: 'w', columns: new Set<number>() };
  env.permissions?.push(updateRequest);
  // Reading the table's columns (WHERE, RETURNING, SET a = a + 1 …) needs SELECT too.
  if (
    stmt.whereClause ||
    stmt.returningClause ||
    stmt.fromClause?.length ||
    JSON.stringify(stmt.targetList ?? []).includes('"ColumnRef"')
  )
    env.permissions?.push({ rel, privilege: 'r', columns: new Set() });
  const alias = rv.alias?.aliasname ?? rel.name;
  const { ps, scan, extra } = targetScan(env, rel, alias, stmt.whereClause, stmt.fromClause);
  ps.exprKind = 'update';
  const assignments = transformAssignments(env, ps, rel, stmt.targetList ?? []);
  for (const i of assignments.keys()) updateRequest.columns.add(rel.columns[i]!.attnum);
  const returning = transformReturningIn(ps, stmt.returningClause?.exprs);
  return {
    kind: 'update',
    ctes,
    rel,
    scan,
    extra,
    assignments,
    returning,
    checks: relationChecks(env, rel),
  };
}

export function transformDelete(outerEnv: AnalyzeEnv, stmt: DeleteStmt): DeleteQuery {
  const { env, ctes } = statementWith(outerEnv, stmt.withClause);
  const rv = stmt.relation!;
  const rel = lookupRelation(env, rv);
  if (rel.kind !== 'r') throw new PgError('42809', `cannot delete from relation "${rel.name}"`);
  env.permissions?.push({ rel, privilege: 'd' });
  if (stmt.whereClause || stmt.returningClause || stmt.usingClause?.length)
    env.permissions?.push({ rel, privilege: 'r' });
  const alias = rv.alias?.aliasname ?? rel.name;
  const { ps, scan, extra } = targetScan(env, rel, alias, stmt.whereClause, stmt.usingClause);
  const returning = transformReturningIn(ps, stmt.returningClause?.exprs);
  return { kind: 'delete', ctes, rel, scan, extra, returning };
}

/** Entry point for SELECT / VALUES. */
export function transformSelect(env: AnalyzeEnv, stmt: SelectStmt): SelectQuery {
  return transformSelectStmt(new ParseState(env), stmt);
}
