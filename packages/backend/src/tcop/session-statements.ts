/**
 * Statements over a session's own objects rather than the database: DECLARE / FETCH / MOVE / CLOSE
 * (SQL cursors, PostgreSQL's portalcmds.c) and PREPARE / EXECUTE / DEALLOCATE (prepare.c). They
 * share namespaces with the protocol's portals and prepared statements.
 */
import type { FormatCode } from '@tuskdb/shared-protocol';
import type { Node } from 'libpg-query';
import { PgError } from '../utils/errors.js';
import { formatType, type Value } from '../utils/adt/types.js';
import { ParseState, type AnalyzeEnv } from '../parser/parse-state.js';
import { transformExpr, tryCoerce, typeFromTypeName } from '../parser/analyze-expr.js';
import type { RawStatement } from '../parser/parse.js';
import type { EvalContext } from '../parser/primnodes.js';
import { compileExpr, type Row } from '../executor/compile-expr.js';
import { CursorScan, type ScrollOption } from './cursor.js';
import type { Portal, PreparedStatement } from './portal.js';
import type { Planned } from './statement.js';
import type { ResultColumn } from './dest.js';

/** DECLARE's option bits (parsenodes.h CURSOR_OPT_*). */
const CURSOR_OPT_BINARY = 0x1;
const CURSOR_OPT_SCROLL = 0x2;
const CURSOR_OPT_NO_SCROLL = 0x4;
const CURSOR_OPT_HOLD = 0x20;

/** What these statements need from the session. */
export interface SessionStatementHost {
  readonly prepared: Map<string, PreparedStatement>;
  readonly portals: Map<string, Portal>;
  /** Whether a cursor without HOLD may be declared now (inside a transaction block). */
  canDeclareCursor(): boolean;
  /** Analyzes a statement to prepare it (inferring parameter types, as Parse does). */
  prepare(sql: string, raw: RawStatement, paramTypes: number[]): PreparedStatement;
  /** Opens and starts a portal over `stmt` with `params`, sharing the caller's snapshot. */
  openPortal(
    stmt: PreparedStatement,
    params: Value[],
    resultFormats: FormatCode[],
    outer: Portal,
  ): Promise<Portal>;
  closePortal(name: string): void;
  env(paramTypes: number[]): AnalyzeEnv;
  evalContext(params: Value[]): EvalContext;
  /** Current time, microseconds since 2000-01-01. */
  now(): bigint;
  /** Whether an explicit transaction block is open. */
  inTransactionBlock(): boolean;
  /** DISCARD PLANS: cached plans are made again at next use. */
  discardPlans(): void;
  /** DISCARD SEQUENCES: currval and lastval forget this session's values. */
  discardSequences(): void;
  /** RESET ALL plus SET SESSION AUTHORIZATION DEFAULT and RESET ROLE. */
  resetSessionSettings(): void;
}

/** The result of running one of these statements into `portal`. */
export interface SessionStatementResult {
  tag: string;
  rows?: Iterator<Row>;
  columns?: ResultColumn[] | null;
  resultFormats?: FormatCode[];
  /** EXECUTE: the portal of the prepared statement, whose results become this statement's. */
  inner?: Portal;
}

const sessionTags: Record<string, string> = {
  DeclareCursorStmt: 'DECLARE CURSOR',
  PrepareStmt: 'PREPARE',
};

function cursorNotFound(name: string): PgError {
  return new PgError('34000', `cursor "${name}" does not exist`);
}

function preparedNotFound(name: string): PgError {
  return new PgError('26000', `prepared statement "${name}" does not exist`);
}

/** Plans one of these statements (its result columns), or returns undefined for other nodes. */
export function planSessionStatement(node: Node, host: SessionStatementHost): Planned | undefined {
  if ('FetchStmt' in node) {
    const f = node.FetchStmt;
    const cursor = host.portals.get(f.portalname ?? '');
    // An unknown cursor is reported when the FETCH runs; describing it gives no columns.
    const columns = f.ismove ? null : (cursor?.columns ?? null);
    return { kind: 'session', node, tag: f.ismove ? 'MOVE' : 'FETCH', columns };
  }
  if ('ExecuteStmt' in node) {
    const stmt = host.prepared.get(node.ExecuteStmt.name ?? '');
    return { kind: 'session', node, tag: '', columns: stmt?.columns ?? null };
  }
  if ('ClosePortalStmt' in node) {
    const all = node.ClosePortalStmt.portalname === undefined;
    return { kind: 'session', node, tag: all ? 'CLOSE CURSOR ALL' : 'CLOSE CURSOR', columns: null };
  }
  if ('DiscardStmt' in node) {
    const target = (node.DiscardStmt.target ?? 'DISCARD_ALL').replace('DISCARD_', '');
    return { kind: 'session', node, tag: `DISCARD ${target}`, columns: null };
  }
  if ('DeallocateStmt' in node) {
    const all = node.DeallocateStmt.isall === true;
    return { kind: 'session', node, tag: all ? 'DEALLOCATE ALL' : 'DEALLOCATE', columns: null };
  }
  const tag = sessionTags[Object.keys(node)[0] ?? ''];
  return tag ? { kind: 'session', node, tag, columns: null } : undefined;
}

/** Runs a statement planned by planSessionStatement for `portal`. */
export async function runSessionStatement(
  planned: Extract<Planned, { kind: 'session' }>,
  portal: Portal,
  host: SessionStatementHost,
): Promise<SessionStatementResult> {
  const node = planned.node;
  if ('DeclareCursorStmt' in node) return declareCursor(node.DeclareCursorStmt, portal, host);
  if ('FetchStmt' in node) return fetchCursor(node.FetchStmt, portal, host);
  if ('ClosePortalStmt' in node) {
    const name = node.ClosePortalStmt.portalname;
    if (name === undefined) {
      for (const n of [...host.portals.keys()]) host.closePortal(n);
    } else {
      if (!host.portals.has(name)) throw cursorNotFound(name);
      host.closePortal(name);
    }
    return { tag: planned.tag };
  }
  if ('DiscardStmt' in node) {
    discard(node.DiscardStmt.target ?? 'DISCARD_ALL', portal, host);
    return { tag: planned.tag };
  }
  if ('PrepareStmt' in node) return prepareStatement(node.PrepareStmt, portal, host);
  if ('ExecuteStmt' in node) return executeStatement(node.ExecuteStmt, portal, host);
  if ('DeallocateStmt' in node) {
    const d = node.DeallocateStmt;
    if (d.isall) host.prepared.clear();
    else {
      const name = d.name ?? '';
      if (!host.prepared.has(name)) throw preparedNotFound(name);
      host.prepared.delete(name);
    }
    return { tag: planned.tag };
  }
  throw new PgError('XX000', `unexpected session statement ${Object.keys(node)[0] ?? ''}`);
}

/** DISCARD (PostgreSQL's discard.c); ALL is what connection poolers send between clients. */
function discard(target: string, portal: Portal, host: SessionStatementHost): void {
  if (target === 'DISCARD_PLANS') return host.discardPlans();
  if (target === 'DISCARD_SEQUENCES') return host.discardSequences();
  // No temporary tables exist here, so DISCARD TEMP has nothing to drop.
  if (target === 'DISCARD_TEMP') return;
  if (host.inTransactionBlock())
    throw new PgError('25001', 'DISCARD ALL cannot run inside a transaction block');
  for (const name of [...host.portals.keys()])
    if (host.portals.get(name) !== portal) host.closePortal(name);
  host.resetSessionSettings();
  host.prepared.clear();
  host.discardPlans();
  host.discardSequences();
}

type NodeOf<K extends string> =
  Extract<Node, Record<K, unknown>> extends Record<K, infer V> ? V : never;

async function declareCursor(
  d: NodeOf<'DeclareCursorStmt'>,
  portal: Portal,
  host: SessionStatementHost,
): Promise<SessionStatementResult> {
  const name = d.portalname ?? '';
  const options = d.options ?? 0;
  const hold = (options & CURSOR_OPT_HOLD) !== 0;
  if (!hold && !host.canDeclareCursor()) {
    throw new PgError('25P01', 'DECLARE CURSOR can only be used in transaction blocks');
  }
  if (name !== '' && host.portals.has(name)) {
    throw new PgError('42P03', `cursor "${name}" already exists`);
  }
  const raw = portal.stmt.raw!;
  const stmt: PreparedStatement = {
    sql: portal.stmt.sql,
    raw: { ...raw, stmt: d.query! },
    paramTypes: portal.stmt.paramTypes,
    columns: null,
  };
  const binary = (options & CURSOR_OPT_BINARY) !== 0;
  const cursor = await host.openPortal(stmt, portal.params, binary ? [1] : [], portal);
  const scroll: ScrollOption =
    (options & CURSOR_OPT_SCROLL) !== 0
      ? 'scroll'
      : (options & CURSOR_OPT_NO_SCROLL) !== 0
        ? 'no scroll'
        : 'default';
  cursor.cursor = {
    scan: new CursorScan(cursor.rows ?? [][Symbol.iterator](), scroll),
    hold,
    binary,
    scrollable: scroll === 'scroll',
    statement: portal.stmt.sql,
    createdAt: host.now(),
    declaredInTransaction: true,
  };
  cursor.rows = undefined;
  host.portals.set(name, cursor);
  return { tag: 'DECLARE CURSOR' };
}

function fetchCursor(
  f: NodeOf<'FetchStmt'>,
  portal: Portal,
  host: SessionStatementHost,
): SessionStatementResult {
  const name = f.portalname ?? '';
  const cursor = host.portals.get(name);
  if (!cursor?.cursor) throw cursorNotFound(name);
  const { rows, count } = cursor.cursor.scan.fetch(
    f.direction ?? 'FETCH_FORWARD',
    Number(f.howMany ?? 0),
  );
  if (f.ismove) return { tag: `MOVE ${count}` };
  return {
    tag: `FETCH ${count}`,
    rows: rows[Symbol.iterator](),
    columns: cursor.columns,
    // A BINARY cursor answers in binary unless the protocol asked for formats.
    resultFormats:
      cursor.cursor.binary && portal.resultFormats.length === 0 ? [1] : portal.resultFormats,
  };
}

function prepareStatement(
  p: NodeOf<'PrepareStmt'>,
  portal: Portal,
  host: SessionStatementHost,
): SessionStatementResult {
  const name = p.name ?? '';
  if (host.prepared.has(name)) {
    throw new PgError('42P05', `prepared statement "${name}" already exists`);
  }
  const paramTypes = (p.argtypes ?? []).map((t) =>
    'TypeName' in t ? typeFromTypeName(t.TypeName).type : 0,
  );
  const raw = portal.stmt.raw!;
  const stmt = host.prepare(portal.stmt.sql, { ...raw, stmt: p.query! }, paramTypes);
  stmt.fromSql = true;
  stmt.preparedAt = host.now();
  host.prepared.set(name, stmt);
  return { tag: 'PREPARE' };
}

async function executeStatement(
  e: NodeOf<'ExecuteStmt'>,
  portal: Portal,
  host: SessionStatementHost,
): Promise<SessionStatementResult> {
  const name = e.name ?? '';
  const stmt = host.prepared.get(name);
  if (!stmt) throw preparedNotFound(name);
  const args = e.params ?? [];
  if (args.length !== stmt.paramTypes.length) {
    throw new PgError('42601', `wrong number of parameters for prepared statement "${name}"`, {
      detail: `Expected ${stmt.paramTypes.length} parameters but got ${args.length}.`,
    });
  }
  const ps = new ParseState(host.env([...portal.stmt.paramTypes]));
  const ctx = host.evalContext(portal.params);
  const params = args.map((arg, i): Value => {
    const expr = transformExpr(ps, arg);
    const type = stmt.paramTypes[i]!;
    const coerced = tryCoerce(ps, expr, type, -1, 'assignment');
    if (!coerced) {
      throw new PgError(
        '42804',
        `parameter $${i + 1} of type ${formatType(expr.type, -1)} cannot be coerced to the expected type ${formatType(type, -1)}`,
        { hint: 'You will need to rewrite or cast the expression.' },
      ).at(expr.location);
    }
    return compileExpr(coerced)([], ctx);
  });
  const inner = await host.openPortal(stmt, params, portal.resultFormats, portal);
  return { tag: inner.tag, inner };
}
