/**
 * Analysis of COPY: the target table and column list, defaults for the columns not copied, CHECK
 * constraints and the WHERE filter for COPY FROM; the query (a table's columns or a SELECT) for
 * COPY TO; the validated options; where the data comes from or goes to.
 */
import type { CopyStmt, Node, RangeVar, SelectStmt } from 'libpg-query';
import { PgError } from '../utils/errors.js';
import type { RelationInfo } from '../catalog/relcache.js';
import { parseCopyOptions, type CopyOptions } from '../commands/copy/options.js';
import { ParseState, type AnalyzeEnv } from './parse-state.js';
import { coerceToBoolean, transformExpr } from './analyze-expr.js';
import {
  columnDefault,
  lookupRelation,
  relationChecks,
  relationScope,
  transformSelect,
} from './analyze.js';
import type { Expr } from './primnodes.js';
import type { RowConstraint, SelectQuery } from './query.js';

/** The client (STDIN/STDOUT over the protocol), a server-side file, or a server-side program. */
export type CopyEndpoint =
  { kind: 'client' } | { kind: 'file'; path: string } | { kind: 'program'; command: string };

export interface CopyColumn {
  name: string;
  type: number;
  typmod: number;
}

export interface CopyFromPlan {
  direction: 'from';
  rel: RelationInfo;
  /** The copied columns, in input order. */
  columns: CopyColumn[];
  /** Table column index of each copied column. */
  columnIndexes: number[];
  /** For each table column: its value from the input row (a var) or its default. */
  columnExprs: Expr[];
  checks: RowConstraint[];
  /** COPY … FROM … WHERE, over the table's row. */
  where: Expr | undefined;
  options: CopyOptions;
  /** Per copied column: FORCE_NOT_NULL / FORCE_NULL apply. */
  forceNotNull: boolean[];
  forceNull: boolean[];
  endpoint: CopyEndpoint;
}

export interface CopyToPlan {
  direction: 'to';
  /** For error context ("COPY t, line 3"). */
  relName: string | undefined;
  query: SelectQuery;
  columns: CopyColumn[];
  options: CopyOptions;
  forceQuote: boolean[];
  endpoint: CopyEndpoint;
}

export type CopyPlan = CopyFromPlan | CopyToPlan;

function strVal(n: Node): string {
  return 'String' in n ? (n.String.sval ?? '') : '';
}

/** The table's columns named in `attlist` (all of them when absent), as PostgreSQL resolves them. */
function copyColumnIndexes(rel: RelationInfo, attlist: Node[] | undefined): number[] {
  // Generated columns are left out of COPY (they are computed on the way in).
  if (!attlist || attlist.length === 0)
    return rel.columns.flatMap((c, i) => (c.generated ? [] : [i]));
  const out: number[] = [];
  for (const n of attlist) {
    const name = strVal(n);
    const i = rel.columns.findIndex((c) => c.name === name);
    if (i < 0)
      throw new PgError('42703', `column "${name}" of relation "${rel.name}" does not exist`);
    if (rel.columns[i]!.generated)
      throw new PgError('42P10', `column "${name}" is a generated column`, {
        detail: 'Generated columns cannot be used in COPY.',
      });
    if (out.includes(i)) throw new PgError('42701', `column "${name}" specified more than once`);
    out.push(i);
  }
  return out;
}

/** FORCE_* column lists: every name must be a copied column. */
function columnFlags(
  names: string[] | '*' | undefined,
  columns: CopyColumn[],
  option: string,
  rel: RelationInfo | undefined,
): boolean[] {
  if (names === undefined) return columns.map(() => false);
  if (names === '*') return columns.map(() => true);
  const flags = columns.map(() => false);
  for (const name of names) {
    const i = columns.findIndex((c) => c.name === name);
    if (i < 0) {
      if (rel && !rel.columns.some((c) => c.name === name))
        throw new PgError('42703', `column "${name}" of relation "${rel.name}" does not exist`);
      throw new PgError('42P10', `${option} column "${name}" not referenced by COPY`);
    }
    flags[i] = true;
  }
  return flags;
}

/** PostgreSQL reports no cursor position for COPY's table. */
function lookupCopyRelation(env: AnalyzeEnv, rv: RangeVar): RelationInfo {
  try {
    return lookupRelation(env, rv);
  } catch (err) {
    if (err instanceof PgError) err.byteLocation = undefined;
    throw err;
  }
}

function endpointOf(stmt: CopyStmt): CopyEndpoint {
  if (stmt.filename === undefined || stmt.filename === null) return { kind: 'client' };
  if (stmt.is_program) return { kind: 'program', command: stmt.filename };
  return { kind: 'file', path: stmt.filename };
}

function checkKindForCopy(rel: RelationInfo, from: boolean): void {
  if (rel.kind === 'r') return;
  const what =
    rel.kind === 'v'
      ? 'view'
      : rel.kind === 'S'
        ? 'sequence'
        : rel.kind === 'i'
          ? 'index'
          : 'non-table relation';
  if (from) throw new PgError('42809', `cannot copy to ${what} "${rel.name}"`);
  throw new PgError('42809', `cannot copy from ${what} "${rel.name}"`, {
    hint: rel.kind === 'v' ? 'Try the COPY (SELECT ...) TO variant.' : undefined,
  });
}

export function transformCopy(env: AnalyzeEnv, stmt: CopyStmt): CopyPlan {
  const from = stmt.is_from === true;
  const options = parseCopyOptions(stmt.options, from);
  const endpoint = endpointOf(stmt);
  if (from) {
    const rel = lookupCopyRelation(env, stmt.relation as RangeVar);
    env.permissions?.push({ rel, privilege: 'a' });
    checkKindForCopy(rel, true);
    const columnIndexes = copyColumnIndexes(rel, stmt.attlist);
    const columns = columnIndexes.map((i) => {
      const c = rel.columns[i]!;
      return { name: c.name, type: c.type, typmod: c.typmod };
    });
    // The input row holds the copied columns (already of the column's type, typmod applied on
    // input); the rest take their defaults.
    const columnExprs: Expr[] = rel.columns.map((col, i) => {
      const k = columnIndexes.indexOf(i);
      if (k < 0) return columnDefault(env, rel, i);
      return {
        k: 'var',
        index: k,
        name: col.name,
        type: col.type,
        typmod: col.typmod,
        tableOid: 0,
        attnum: 0,
        levelsUp: 0,
        location: -1,
      };
    });
    let where: Expr | undefined;
    if (stmt.whereClause) {
      const ps = new ParseState(env);
      relationScope(ps, rel, rel.name);
      ps.exprKind = 'where';
      where = coerceToBoolean(ps, transformExpr(ps, stmt.whereClause), 'WHERE');
    }
    return {
      direction: 'from',
      rel,
      columns,
      columnIndexes,
      columnExprs,
      checks: relationChecks(env, rel),
      where,
      options,
      forceNotNull: columnFlags(options.forceNotNull, columns, 'FORCE_NOT_NULL', rel),
      forceNull: columnFlags(options.forceNull, columns, 'FORCE_NULL', rel),
      endpoint,
    };
  }

  if (stmt.whereClause) throw new PgError('0A000', 'WHERE clause not allowed with COPY TO');
  let query: SelectQuery;
  let relName: string | undefined;
  if (stmt.query) {
    if (!('SelectStmt' in stmt.query))
      throw new PgError('0A000', 'COPY of INSERT/UPDATE/DELETE … RETURNING is not supported yet');
    query = transformSelect(env, stmt.query.SelectStmt);
  } else {
    const rv = stmt.relation as RangeVar;
    const rel = lookupCopyRelation(env, rv);
    env.permissions?.push({ rel, privilege: 'r' });
    checkKindForCopy(rel, false);
    relName = rel.name;
    const idx = copyColumnIndexes(rel, stmt.attlist);
    const select: SelectStmt = {
      targetList: idx.map((i) => ({
        ResTarget: { val: { ColumnRef: { fields: [{ String: { sval: rel.columns[i]!.name } }] } } },
      })),
      fromClause: [{ RangeVar: { ...rv, alias: undefined, inh: true } }],
      limitOption: 'LIMIT_OPTION_DEFAULT',
      op: 'SETOP_NONE',
    };
    query = transformSelect(env, select);
  }
  const columns = query.targets.slice(0, query.visible).map((t) => ({
    name: t.name,
    type: t.expr.type,
    typmod: t.expr.typmod,
  }));
  return {
    direction: 'to',
    relName,
    query,
    columns,
    options,
    forceQuote: columnFlags(options.forceQuote, columns, 'FORCE_QUOTE', undefined),
    endpoint,
  };
}
