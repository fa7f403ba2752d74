/**
 * A backend session after authentication (PostgreSQL's PostgresMain + exec_simple_query and the
 * exec_*_message family): the ParameterStatus burst, the message loop, simple and extended query
 * processing with prepared statements and portals, transaction status, error recovery (skip to
 * Sync; the failed-transaction state) and streaming of result rows with socket back-pressure.
 */
import { nowMicros } from '../utils/clock.js';
import type net from 'node:net';
import {
  FrontendDecoder,
  MessageWriter,
  ProtocolError,
  type Bind,
  type FormatCode,
  type FrontendMessage,
  type IntervalStyle,
  type NoticeFields,
} from '@tuskdb/shared-protocol';
import type { Cluster, Snapshot, Transaction } from '../access/api.js';
import { CatalogStore } from '../catalog/catalog.js';
import { RelOid } from '../catalog/oids.js';
import { RelationCache } from '../catalog/relcache.js';
import { lookupDatabase, lookupRole, withSnapshot } from '../catalog/roles.js';
import { SessionRoles } from './session-roles.js';
import { startupSettings } from '../commands/role-settings.js';
import { checkRelationPermissions, checkSchemaPermission } from '../catalog/aclchk.js';
import { PgError, asPgError } from '../utils/errors.js';
import { SessionSettings } from '../utils/guc.js';
import { checkForInterrupts, clearCancel, interrupts } from '../utils/interrupts.js';
import { T, typeByOid, type FormatContext, type Value } from '../utils/adt/types.js';
import { bytePositionToCharPosition, parseStatements, type RawStatement } from '../parser/parse.js';
import type { AnalyzeEnv } from '../parser/parse-state.js';
import type { CatalogAccess, EvalContext, SessionInfo } from '../parser/primnodes.js';
import { catalogAccess } from './catalog-access.js';
import { runSelect, type ExecState } from '../executor/exec-select.js';
import { runDelete, runInsert, runLockingSelect, runUpdate } from '../executor/exec-modify.js';
import { describeColumns, expandFormats, rowEncoder, type ResultColumn } from './dest.js';
import { planStatement, queryTag, type Planned } from './statement.js';
import { checkCopyEndpoint, runCopy, type CopyWire } from './copy.js';
import { fireAfterTriggers, type RiHost } from '../executor/ri-triggers.js';
import { DeferredConstraints, type NamedConstraint } from './deferred-constraints.js';
import { Fifo } from '../utils/fifo.js';
import { foldQuery } from '../optimizer/fold.js';
import { TransactionState, abortedError } from './xact.js';
import { runUtility } from './utility.js';
import { sequenceFunctions } from './sequences.js';
import type { Portal, PreparedStatement } from './portal.js';
import { ShapeCache, assignsToModifiedColumn, literalParamType } from './shape-cache.js';
import { literalShape, shapeIsShareable } from '../parser/literal-shape.js';
import {
  planSessionStatement,
  runSessionStatement,
  type SessionStatementHost,
} from './session-statements.js';

export interface SessionStart {
  socket: net.Socket;
  /** Bytes already read after the startup packet. */
  pendingBytes: Uint8Array;
  user: string;
  database: string;
  /** application_name, client_encoding, DateStyle, options ('-c name=value' / '--name=value'), … */
  startupParameters: Map<string, string>;
  processId: number;
  secretKey: number;
  dataDir: string;
  cluster: Cluster;
}

const FLUSH_AT = 64 * 1024;

/** Splits search_path into schema names ("$user" → the user's name). */
function parseSearchPath(value: string, user: string): string[] {
  const out: string[] = [];
  for (const part of value.split(',')) {
    let s = part.trim();
    if (s.startsWith('"') && s.endsWith('"')) s = s.slice(1, -1).replace(/""/g, '"');
    else s = s.toLowerCase();
    if (s === '$user') s = user;
    if (s) out.push(s);
  }
  return out;
}

/** Parses "-c name=value" / "--name=value" words of the startup `options` parameter. */
function parseOptions(options: string): Array<[string, string]> {
  const words: string[] = [];
  let cur = '';
  let escaped = false;
  for (const ch of options) {
    if (escaped) {
      cur += ch;
      escaped = false;
    } else if (ch === '\\') escaped = true;
    else if (/\s/.test(ch)) {
      if (cur) words.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) words.push(cur);
  const out: Array<[string, string]> = [];
  for (let i = 0; i < words.length; i++) {
    let w = words[i]!;
    if (w === '-c') w = words[++i] ?? '';
    else if (w.startsWith('-c')) w = w.slice(2);
    else if (w.startsWith('--')) w = w.slice(2);
    else continue;
    const eq = w.indexOf('=');
    if (eq > 0) out.push([w.slice(0, eq).replace(/-/g, '_'), w.slice(eq + 1)]);
  }
  return out;
}

export class Session {
  private readonly writer = new MessageWriter();
  private readonly decoder = new FrontendDecoder();
  private readonly queue = new Fifo<FrontendMessage>();
  private wake: (() => void) | undefined;
  private closed = false;
  private readonly settings = new SessionSettings();
  private readonly store: CatalogStore;
  private readonly relcache: RelationCache;
  private readonly xact: TransactionState;
  private readonly prepared = new Map<string, PreparedStatement>();
  /** Simple-query statements by literal shape, sharing one plan per shape. */
  private readonly shapes = new ShapeCache();
  private readonly portals = new Map<string, Portal>();
  private skipTillSync = false;
  private readonly roles: SessionRoles;
  private statementStart = 0n;
  private readonly sequenceState = new Map<string, bigint>();
  /** Foreign-key checks of DEFERRABLE constraints waiting for COMMIT. */
  private readonly deferred = new DeferredConstraints();
  /** What foreign-key checks and actions need of the session. */
  private readonly riHost: RiHost = {
    env: (snapshot, paramTypes) => this.env(snapshot, paramTypes, true),
    isDeferred: (fk) => this.deferred.isDeferred(fk),
    defer: (ev) => this.deferred.defer(ev),
  };
  private currentSnapshot: Snapshot | undefined;

  constructor(private readonly start: SessionStart) {
    // As PostgreSQL does (TCP_NODELAY): replies are written whole, so Nagle's algorithm only adds
    // a delayed-ACK wait (~40 ms) to every round trip.
    start.socket.setNoDelay(true);
    const db = lookupDatabase(start.cluster, start.database);
    if (!db)
      throw new PgError('3D000', `database "${start.database}" does not exist`, {
        severity: 'FATAL',
      });
    this.store = new CatalogStore(start.cluster, start.cluster.openDatabase(db.oid));
    this.relcache = new RelationCache(this.store);
    this.xact = new TransactionState(
      start.cluster,
      this.settings,
      () => this.relcache.invalidate(),
      () => {
        this.relcache.invalidate();
        this.store.bumpCatalogVersion();
      },
      (phase) => {
        this.deferred.reset();
        this.endTransactionPortals(phase);
      },
      () => this.fireDeferredChecks(),
    );
    const role = lookupRole(start.cluster, start.user);
    this.roles = new SessionRoles(
      this.store,
      this.settings,
      { oid: role?.oid ?? 0, name: start.user, superuser: role?.superuser ?? false },
      () => this.relcache.generation,
      // In a failed transaction block only committed state can be read.
      (fn) =>
        this.xact.block === 'failed'
          ? withSnapshot(start.cluster, fn)
          : this.withSnapshot((_txn, s) => fn(s)),
    );
  }

  /** The current user (SET ROLE changes it) and whether it is a superuser. */
  private get userOid(): number {
    return this.roles.currentUser.oid;
  }
  private get superuser(): boolean {
    return this.roles.currentUser.superuser;
  }

  /* Output ------------------------------------------------------------------------------------ */

  private async flush(): Promise<void> {
    if (this.writer.length === 0 || this.closed) return;
    const buf = this.writer.take();
    const socket = this.start.socket;
    if (!socket.write(buf)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          socket.off('drain', done);
          socket.off('close', done);
          resolve();
        };
        socket.on('drain', done);
        socket.on('close', done);
      });
    }
  }

  private async maybeFlush(): Promise<void> {
    if (this.writer.length >= FLUSH_AT) await this.flush();
  }

  private sendNotice(fields: NoticeFields): void {
    const level = this.settings.getString('client_min_messages');
    const order = [
      'debug5',
      'debug4',
      'debug3',
      'debug2',
      'debug1',
      'log',
      'notice',
      'warning',
      'error',
    ];
    const sev = fields.severity.toLowerCase();
    if (order.indexOf(sev) >= 0 && order.indexOf(sev) < order.indexOf(level)) return;
    this.writer.backend({ type: 'NoticeResponse', ...fields });
  }

  private notice(message: string, code = '00000', severity = 'NOTICE', detail?: string): void {
    this.sendNotice({
      severity,
      severityNonLocalized: severity,
      code,
      message,
      ...(detail === undefined ? {} : { detail }),
    });
  }

  private sendError(err: unknown, sql: string | undefined): void {
    const e = asPgError(err);
    if (e.code === 'XX000' && !(err instanceof PgError)) {
      // An internal failure: keep the details in the server log for debugging.
      console.error('tusk backend internal error:', err);
    }
    if (e.position === undefined && e.byteLocation !== undefined && sql !== undefined) {
      e.position = bytePositionToCharPosition(sql, e.byteLocation);
    }
    this.writer.backend({ type: 'ErrorResponse', ...e.toFields() });
  }

  private sendReportedSettings(): void {
    for (const [name, value] of this.settings.takeReports()) {
      this.writer.backend({ type: 'ParameterStatus', name, value });
    }
  }

  private async readyForQuery(): Promise<void> {
    this.sendReportedSettings();
    this.writer.readyForQuery(this.xact.status);
    await this.flush();
  }

  /* Input ------------------------------------------------------------------------------------- */

  private feed(chunk: Uint8Array): void {
    try {
      this.decoder.push(chunk, (m) => this.queue.push(m));
    } catch (err) {
      if (err instanceof ProtocolError && !err.fatal) {
        this.queue.push({ type: 'CopyFail', message: `\u0000protocol:${err.code}:${err.message}` });
        try {
          this.decoder.push(new Uint8Array(0), (m) => this.queue.push(m));
        } catch {
          this.closed = true;
        }
      } else {
        const e =
          err instanceof ProtocolError
            ? new PgError(err.code, err.message, { severity: 'FATAL' })
            : asPgError(err);
        e.severity = 'FATAL';
        this.writer.backend({ type: 'ErrorResponse', ...e.toFields() });
        void this.flush();
        this.closed = true;
        this.start.socket.end();
      }
    }
    this.wake?.();
  }

  private async nextMessage(): Promise<FrontendMessage | undefined> {
    for (;;) {
      const m = this.queue.shift();
      if (m) return m;
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }

  /* Session start ------------------------------------------------------------------------------- */

  private applyStartupParameters(): void {
    // ALTER ROLE / DATABASE … SET defaults first: the client's own startup settings override them.
    const db = this.store.db.oid;
    for (const [name, value] of startupSettings(this.start.cluster, db, this.userOid)) {
      try {
        this.settings.initialize(name, value);
      } catch (err) {
        const e = asPgError(err);
        this.notice(e.message, e.code, 'WARNING');
      }
    }
    const params = this.start.startupParameters;
    for (const [name, value] of params) {
      if (
        name === 'user' ||
        name === 'database' ||
        name === 'replication' ||
        name.startsWith('_pq_.')
      )
        continue;
      if (name === 'options') {
        for (const [n, v] of parseOptions(value)) this.trySetAtStartup(n, v);
        continue;
      }
      this.trySetAtStartup(name, value);
    }
    this.settings.initialize('session_authorization', this.start.user);
    this.settings.initialize('is_superuser', this.superuser ? 'on' : 'off');
  }

  private trySetAtStartup(name: string, value: string): void {
    try {
      this.settings.initialize(name, value);
    } catch (err) {
      // PostgreSQL rejects bad startup settings with a FATAL error; unknown ones too.
      const e = asPgError(err);
      e.severity = 'FATAL';
      throw e;
    }
  }

  async run(): Promise<void> {
    const socket = this.start.socket;
    this.decoder.expectTypedMessages();
    const onData = (chunk: Buffer): void => this.feed(chunk);
    const onClose = (): void => {
      this.closed = true;
      this.wake?.();
    };
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.on('end', onClose);
    socket.on('error', onClose);
    // The startup code may have paused the socket while it read the startup packet.
    socket.resume();
    try {
      try {
        this.applyStartupParameters();
      } catch (err) {
        this.sendError(err, undefined);
        await this.flush();
        socket.end();
        return;
      }
      for (const [name, value] of this.settings.reported()) {
        this.writer.backend({ type: 'ParameterStatus', name, value });
      }
      this.settings.takeReports();
      this.writer.backend({
        type: 'BackendKeyData',
        processId: this.start.processId,
        secretKey: this.start.secretKey,
      });
      await this.readyForQuery();
      if (this.start.pendingBytes.length > 0) this.feed(this.start.pendingBytes);
      await this.loop();
    } finally {
      socket.off('data', onData);
      for (const p of this.portals.values()) p.snapshot?.release();
      this.portals.clear();
      if (this.xact.block !== 'none' || this.xact.hasStorageTransaction) this.xact.abort();
      if (!socket.destroyed) socket.end();
    }
  }

  private async loop(): Promise<void> {
    for (;;) {
      const m = await this.nextMessage();
      if (!m) return;
      if (m.type === 'Terminate') return;
      if (m.type === 'CopyFail' && m.message.startsWith('\u0000protocol:')) {
        // A malformed but skippable message: report it like PostgreSQL.
        const [, code = '08P01', ...rest] = m.message.slice(1).split(':');
        this.sendError(new PgError(code, rest.join(':')), undefined);
        if (this.isExtended) this.skipTillSync = true;
        else await this.readyForQuery();
        continue;
      }
      if (this.skipTillSync && m.type !== 'Sync') continue;
      try {
        if (interrupts.terminatePending) checkForInterrupts();
        await this.dispatch(m);
      } catch (err) {
        const e = asPgError(err);
        if (e.severity === 'FATAL') {
          this.sendError(e, undefined);
          await this.flush();
          return;
        }
        throw err;
      }
    }
  }

  private isExtended = false;

  private async dispatch(m: FrontendMessage): Promise<void> {
    switch (m.type) {
      case 'Query':
        this.isExtended = false;
        await this.simpleQuery(m.sql);
        return;
      case 'Parse':
        this.isExtended = true;
        this.extended(() => this.parseMessage(m.statement, m.sql, m.parameterTypes), m.sql);
        return;
      case 'Bind':
        this.isExtended = true;
        this.extended(() => this.bindMessage(m), this.prepared.get(m.statement)?.sql);
        return;
      case 'Describe':
        this.isExtended = true;
        this.extended(() => this.describeMessage(m.target, m.name), undefined);
        return;
      case 'Execute': {
        this.isExtended = true;
        const portal = this.portals.get(m.portal);
        try {
          await this.executeMessage(m.portal, m.maxRows);
        } catch (err) {
          this.extendedError(err, portal?.stmt.sql);
        }
        await this.maybeFlush();
        return;
      }
      case 'Close':
        this.isExtended = true;
        if (m.target === 'S') this.prepared.delete(m.name);
        else this.closePortal(m.name);
        this.writer.backend({ type: 'CloseComplete' });
        return;
      case 'Sync':
        this.isExtended = false;
        this.skipTillSync = false;
        await this.syncMessage();
        return;
      case 'Flush':
        await this.flush();
        return;
      case 'FunctionCall':
        this.sendError(
          new PgError('0A000', 'fastpath function calls are not supported'),
          undefined,
        );
        await this.readyForQuery();
        return;
      case 'CopyData':
      case 'CopyDone':
      case 'CopyFail':
        // Outside COPY these are ignored, as PostgreSQL does.
        return;
      default:
        this.sendError(
          new PgError('08P01', `invalid frontend message type ${m.type}`, { severity: 'FATAL' }),
          undefined,
        );
        await this.flush();
        this.closed = true;
        return;
    }
  }

  /* Statement machinery ------------------------------------------------------------------------- */

  private formatContext(): FormatContext {
    return { ...this.baseFormat(), names: this.catalog.names };
  }

  private baseFormat(): FormatContext {
    return {
      extraFloatDigits: this.settings.getInt('extra_float_digits'),
      timeZone: this.settings.getString('TimeZone'),
      byteaOutput: this.settings.getString('bytea_output'),
      intervalStyle: this.settings.getString('IntervalStyle') as IntervalStyle,
    };
  }

  /** Catalog lookups for reg* types and catalog functions, over the running statement's snapshot. */
  private readonly catalog: CatalogAccess = catalogAccess({
    store: () => this.store,
    relcache: () => this.relcache,
    snapshot: () => this.currentSnapshot,
    searchPath: () =>
      parseSearchPath(this.settings.getString('search_path'), this.roles.currentUser.name),
    format: () => this.baseFormat(),
    currentUser: () => this.roles.currentUser,
  });

  private env(snapshot: Snapshot, paramTypes: number[], internal = false): AnalyzeEnv {
    const user = this.roles.currentUser;
    return {
      // Internal queries (foreign-key checks) run with the table owner's rights, as in PostgreSQL.
      checkSchemaUsage:
        internal || user.superuser
          ? undefined
          : (ns) => checkSchemaPermission(this.store, snapshot, user, ns, 'U'),
      relcache: this.relcache,
      snapshot,
      searchPath: parseSearchPath(
        this.settings.getString('search_path'),
        this.roles.currentUser.name,
      ),
      format: this.formatContext(),
      paramTypes,
    };
  }

  private sessionInfo(txn: Transaction): SessionInfo {
    const seq = sequenceFunctions({
      relcache: this.relcache,
      store: this.store,
      snapshot: () => this.currentSnapshot ?? txn.statementSnapshot(),
      searchPath: () =>
        parseSearchPath(this.settings.getString('search_path'), this.roles.currentUser.name),
      state: this.sequenceState,
      user: () => this.roles.currentUser,
    });
    return {
      user: this.roles.currentUser.name,
      sessionUser: this.roles.sessionUser.name,
      database: this.start.database,
      processId: this.start.processId,
      transactionTimestamp: () => this.xact.startTimestamp,
      statementTimestamp: () => this.statementStart,
      setting: (name) => this.settings.show(name),
      settingsRows: () => this.settings.settingsRows(),
      setConfig: (name, value, isLocal) => {
        this.settings.set(name, value, {
          local: isLocal,
          givenName: name,
          superuser: this.superuser,
        });
        return this.settings.show(name);
      },
      ...seq,
      format: this.formatContext(),
      catalog: this.catalog,
    };
  }

  private evalContext(txn: Transaction, params: Value[]): EvalContext {
    return { params, outer: [], session: this.sessionInfo(txn) };
  }

  /** Runs `fn` with a snapshot of the current transaction (catalog reads for Parse/Describe). */
  private withSnapshot<R>(fn: (txn: Transaction, s: Snapshot) => R): R {
    const txn = this.xact.storage();
    const s = txn.statementSnapshot();
    try {
      this.relcache.checkVersion(s);
      return fn(txn, s);
    } finally {
      s.release();
    }
  }

  private isTransactionExit(raw: RawStatement | undefined): boolean {
    if (!raw || !('TransactionStmt' in raw.stmt)) return false;
    const kind = raw.stmt.TransactionStmt.kind;
    return (
      kind === 'TRANS_STMT_COMMIT' ||
      kind === 'TRANS_STMT_ROLLBACK' ||
      kind === 'TRANS_STMT_ROLLBACK_TO' ||
      kind === 'TRANS_STMT_PREPARE' ||
      kind === 'TRANS_STMT_COMMIT_PREPARED' ||
      kind === 'TRANS_STMT_ROLLBACK_PREPARED'
    );
  }

  /**
   * Plans a portal (analysis and constant folding, PostgreSQL's Bind-time planning): errors such
   * as 1/0 in constants surface here, before any row description is sent.
   */
  private planPortal(portal: Portal, snapshot: Snapshot): void {
    const raw = portal.stmt.raw;
    if (!raw || 'TransactionStmt' in raw.stmt) return;
    if (this.xact.block === 'failed') throw abortedError();
    const txn = this.xact.storage();
    this.relcache.checkVersion(snapshot);
    this.currentSnapshot = snapshot;
    // A query's plan is kept with its prepared statement and reused by later executions (as
    // PostgreSQL's plan cache does) until DDL anywhere, or a change of a setting analysis reads,
    // invalidates it. Planning is a fifth of the work of a pgbench -S transaction. Parameters
    // stay parameters in the plan and constant folding only evaluates functions of constants
    // (time- and setting-dependent ones are volatile here), so the plan fits every execution.
    const key = this.planKey();
    const kept = portal.stmt.plan;
    let planned: Planned;
    if (kept && kept.key === key) {
      planned = kept.planned;
    } else {
      try {
        planned = this.plan(raw, portal.stmt.sql, this.env(snapshot, [...portal.stmt.paramTypes]));
      } catch (err) {
        // Re-planning a kept statement: the client's current query text is not the one the
        // position would point into, so PostgreSQL reports none.
        if (kept && err instanceof PgError) {
          err.position = undefined;
          err.byteLocation = undefined;
        }
        throw err;
      }
      if (kept && !sameResultType(kept.planned.columns, planned.columns)) {
        // The client may have described the old row type; PostgreSQL refuses to change it.
        throw new PgError('0A000', 'cached plan must not change result type');
      }
      if (planned.kind === 'query') {
        foldQuery(planned.query, this.evalContext(txn, portal.params));
        portal.stmt.plan = { key, planned };
      }
    }
    portal.planned = planned;
    this.setPortalColumns(portal, planned.columns);
  }

  /** What a kept plan depends on besides the statement: catalogs, search_path, formatting. */
  private planKey(): string {
    return [
      this.relcache.generation,
      this.userOid,
      this.settings.getString('search_path'),
      this.settings.getString('DateStyle'),
      JSON.stringify(this.baseFormat()),
    ].join('\u0000');
  }

  /** Starts a portal: snapshot, and for writes and utility statements the whole execution. */
  private async startPortal(portal: Portal): Promise<void> {
    portal.started = true;
    const raw = portal.stmt.raw;
    if (!raw) {
      portal.done = true;
      return;
    }
    const node = raw.stmt;
    if ('TransactionStmt' in node) {
      portal.tag = await this.transactionStatement(node.TransactionStmt);
      portal.done = true;
      return;
    }
    if (this.xact.block === 'failed') throw abortedError();
    const txn = this.xact.storage();
    this.statementStart = nowMicros();
    portal.snapshot ??= txn.statementSnapshot();
    const snapshot = portal.snapshot;
    this.currentSnapshot = snapshot;
    if (!portal.planned) this.planPortal(portal, snapshot);
    const planned = portal.planned!;
    if (planned.kind === 'copy')
      checkCopyEndpoint(planned.copy, { superuser: this.superuser, dataDir: this.start.dataDir });
    if (planned.permissions)
      checkRelationPermissions(this.store, snapshot, this.roles.currentUser, planned.permissions);
    if (planned.kind === 'session') {
      await this.runSessionStatement(portal, planned);
      return;
    }
    const es: ExecState = { txn, snapshot, ctx: this.evalContext(txn, portal.params) };
    if (planned.kind === 'utility' && 'ConstraintsSetStmt' in planned.node) {
      if (!this.xact.inBlock)
        this.notice('SET CONSTRAINTS can only be used in transaction blocks', '25P01', 'WARNING');
      await this.deferred.set(
        planned.node.ConstraintsSetStmt,
        (name, schema) => this.namedConstraints(name, schema, snapshot),
        es,
        this.riHost,
      );
      portal.tag = 'SET CONSTRAINTS';
      portal.done = true;
      txn.commandCounterIncrement();
      return;
    }
    if (planned.kind === 'utility') {
      const result = await runUtility(planned, {
        txn,
        snapshot,
        store: this.store,
        relcache: this.relcache,
        env: this.env(snapshot, []),
        settings: this.settings,
        userOid: this.userOid,
        superuser: this.superuser,
        sessionUserOid: this.roles.sessionUser.oid,
        notice: (msg, code, detail) => this.notice(msg, code, 'NOTICE', detail),
        onCommit: (fn) => this.xact.onCommit(fn),
        catalogChanged: () => this.xact.markCatalogChanged(),
        inTransactionBlock: this.xact.inBlock,
        inAnyBlock: this.xact.block !== 'none',
        databaseName: this.start.database,
        evalContext: es.ctx,
        warn: (msg, code) => this.notice(msg, code, 'WARNING'),
      });
      portal.tag = result.tag;
      if (result.columns) this.setPortalColumns(portal, result.columns);
      portal.rows = result.rows?.[Symbol.iterator]();
      if (!portal.rows) portal.done = true;
      txn.commandCounterIncrement();
      return;
    }
    if (planned.kind === 'copy') {
      const n = await runCopy(planned.copy, es, this.copyWire(), {
        superuser: this.superuser,
        dataDir: this.start.dataDir,
      });
      portal.tag = `COPY ${n}`;
      portal.done = true;
      txn.commandCounterIncrement();
      await fireAfterTriggers(es, this.riHost);
      return;
    }
    const q = planned.query;
    portal.query = q;
    if (q.kind === 'select') {
      portal.rows = q.lockRows
        ? (await runLockingSelect(q, es))[Symbol.iterator]()
        : runSelect(q, es);
      return;
    }
    const result =
      q.kind === 'insert'
        ? await runInsert(q, es)
        : q.kind === 'update'
          ? await runUpdate(q, es)
          : await runDelete(q, es);
    txn.commandCounterIncrement();
    if (es.afterTriggers?.length) await fireAfterTriggers(es, this.riHost);
    portal.tag = queryTag(q, result.count);
    portal.rows = result.returning.length > 0 ? result.returning[Symbol.iterator]() : undefined;
    if (!portal.rows) portal.done = true;
  }

  /** COMMIT: the deferred foreign-key checks run first; a violation aborts the transaction. */
  private async fireDeferredChecks(): Promise<void> {
    if (!this.deferred.hasPending) return;
    const txn = this.xact.storage();
    txn.commandCounterIncrement();
    const snapshot = txn.statementSnapshot();
    try {
      await this.deferred.fire({ txn, snapshot, ctx: this.evalContext(txn, []) }, this.riHost);
    } finally {
      snapshot.release();
    }
  }

  /** Constraints named NAME (in SCHEMA, or along the search path) for SET CONSTRAINTS. */
  private namedConstraints(
    name: string,
    schema: string | undefined,
    snapshot: Snapshot,
  ): NamedConstraint[] {
    const path = parseSearchPath(
      this.settings.getString('search_path'),
      this.roles.currentUser.name,
    );
    const namespaces = (schema !== undefined ? [schema] : path)
      .map((n) => this.relcache.namespaceOid(n, snapshot))
      .filter((n): n is number => n !== undefined);
    for (const ns of namespaces) {
      const found = [
        ...this.store.scan(
          RelOid.pg_constraint,
          snapshot,
          (r) => r.conname === name && r.connamespace === ns,
        ),
      ].map((c) => ({
        oid: c.rec.oid as number,
        name,
        deferrable: c.rec.condeferrable === true,
      }));
      if (found.length > 0) return found;
    }
    return [];
  }

  /** The protocol operations COPY FROM STDIN / TO STDOUT use. */
  private copyWire(): CopyWire {
    return {
      next: () => this.nextMessage(),
      send: (m) => {
        this.writer.backend(m);
      },
      maybeFlush: async () => {
        await this.maybeFlush();
        if (this.closed)
          throw new PgError('08006', 'connection to client lost', { severity: 'FATAL' });
      },
      flush: () => this.flush(),
    };
  }

  /**
   * Sends up to `maxRows` rows of the portal (0 = all); returns true if it completed. Rows go out
   * in batches with back-pressure, so a huge result never sits in memory.
   */
  private async pumpPortal(portal: Portal, maxRows: number): Promise<boolean> {
    const rows = portal.rows;
    let sentTotal = 0;
    if (rows && !portal.done) {
      const encode = portal.encoder!;
      let sent = 0;
      for (;;) {
        if (maxRows > 0 && sent >= maxRows) {
          // PostgreSQL reports completion, not suspension, when the limit lands exactly on the end;
          // we can't know without fetching ahead, so fetch one more row lazily next time.
          return false;
        }
        const next = rows.next();
        if (next.done) break;
        let row = next.value;
        if (row.some((v) => (v as unknown) instanceof Promise)) {
          row = (await Promise.all(row.map((v) => v as unknown))) as Value[];
        }
        const encoded = encode(row);
        if ('text' in encoded) this.writer.dataRowText(encoded.text);
        else this.writer.dataRow(encoded.wire);
        sent++;
        sentTotal++;
        portal.count++;
        if ((portal.count & 255) === 0) {
          checkForInterrupts();
          await this.maybeFlush();
          if (this.closed)
            throw new PgError('08006', 'connection to client lost', { severity: 'FATAL' });
        }
      }
    }
    portal.done = true;
    // A SELECT's tag counts the rows this Execute returned, as PostgreSQL reports it.
    if (portal.query?.kind === 'select') portal.tag = queryTag(portal.query, sentTotal);
    if (portal.snapshot) {
      portal.snapshot.release();
      portal.snapshot = undefined;
    }
    this.currentSnapshot = undefined;
    return true;
  }

  private setPortalColumns(portal: Portal, columns: ResultColumn[] | null): void {
    portal.columns = columns;
    if (!columns) return;
    const formats = expandFormats(portal.resultFormats, columns.length);
    portal.resultFormats = formats;
    portal.encoder = rowEncoder(columns, formats, () => this.formatContext());
  }

  private plan(raw: RawStatement, sql: string, env: AnalyzeEnv): Planned {
    const planned = planSessionStatement(raw.stmt, this.host) ?? planStatement(raw.stmt, env);
    if (planned.kind === 'utility' && 'ViewStmt' in raw.stmt) {
      const bytes = Buffer.from(sql, 'utf8');
      const end = raw.byteLength === 0 ? bytes.length : raw.byteStart + raw.byteLength;
      planned.text = bytes.subarray(raw.byteStart, end).toString('utf8');
    }
    return planned;
  }

  /** What cursor and PREPARE/EXECUTE statements reach of the session. */
  private readonly host: SessionStatementHost = {
    prepared: this.prepared,
    portals: this.portals,
    canDeclareCursor: () =>
      this.xact.inBlock || (this.xact.block === 'implicit' && !this.isExtended),
    prepare: (sql, raw, paramTypes) => this.prepare(sql, raw, paramTypes),
    openPortal: async (stmt, params, resultFormats) => {
      const portal = this.newPortal(stmt, params, resultFormats);
      if (stmt.columns) this.setPortalColumns(portal, stmt.columns);
      await this.startPortal(portal);
      return portal;
    },
    closePortal: (name) => this.closePortal(name),
    env: (paramTypes) => this.env(this.currentSnapshot!, paramTypes),
    evalContext: (params) => this.evalContext(this.xact.storage(), params),
    now: () => nowMicros(),
    inTransactionBlock: () => this.xact.inBlock,
    discardPlans: () => this.relcache.invalidate(),
    discardSequences: () => this.sequenceState.clear(),
    resetSessionSettings: () => {
      this.settings.set('session_authorization', null);
      this.settings.set('role', null);
      this.settings.resetAll();
    },
  };

  /** Runs DECLARE/FETCH/CLOSE/PREPARE/EXECUTE/DEALLOCATE into `portal`. */
  private async runSessionStatement(
    portal: Portal,
    planned: Extract<Planned, { kind: 'session' }>,
  ): Promise<void> {
    const snapshot = this.currentSnapshot;
    const r = await runSessionStatement(planned, portal, this.host);
    this.currentSnapshot = snapshot;
    const inner = r.inner;
    if (inner) {
      // EXECUTE: the prepared statement's portal's results (and snapshot) become this portal's.
      portal.snapshot?.release();
      portal.snapshot = inner.snapshot;
      inner.snapshot = undefined;
      portal.rows = inner.rows;
      portal.query = inner.query;
      portal.tag = inner.tag;
      portal.done = inner.done;
      if (inner.columns) this.setPortalColumns(portal, inner.columns);
      return;
    }
    portal.tag = r.tag;
    if (r.resultFormats) portal.resultFormats = r.resultFormats;
    if (r.columns) this.setPortalColumns(portal, r.columns);
    portal.rows = r.rows;
    if (!portal.rows) portal.done = true;
  }

  /**
   * At transaction end portals go, as in PostgreSQL: cursors WITH HOLD survive a commit (their
   * remaining rows read first, so they no longer need the transaction's snapshot).
   */
  private endTransactionPortals(phase: 'precommit' | 'abort'): void {
    for (const [name, p] of [...this.portals]) {
      const c = p.cursor;
      if (c?.hold && phase === 'precommit') {
        c.scan.materialize();
        p.snapshot?.release();
        p.snapshot = undefined;
        c.declaredInTransaction = false;
      } else if (!c?.hold || c.declaredInTransaction) {
        this.closePortal(name);
      }
    }
  }

  private closePortal(name: string): void {
    const p = this.portals.get(name);
    if (p) {
      p.snapshot?.release();
      this.portals.delete(name);
    }
  }

  /* Transaction statements ------------------------------------------------------------------------ */

  private async transactionStatement(
    t: Extract<RawStatement['stmt'], { TransactionStmt: unknown }>['TransactionStmt'],
  ): Promise<string> {
    const kind = t.kind;
    const isolationOptions = (): void => {
      for (const o of t.options ?? []) {
        const d = (
          o as {
            DefElem?: {
              defname?: string;
              arg?: { A_Const?: { sval?: { sval?: string }; ival?: { ival?: number } } };
            };
          }
        ).DefElem;
        if (!d?.defname) continue;
        const c = d.arg?.A_Const;
        const value = c?.sval?.sval ?? (c?.ival !== undefined ? (c.ival.ival ? 'on' : 'off') : '');
        this.settings.set(d.defname, value, { local: true });
      }
    };
    switch (kind) {
      case 'TRANS_STMT_BEGIN':
      case 'TRANS_STMT_START':
        try {
          this.xact.begin();
        } catch (err) {
          if (err instanceof PgError && err.severity === 'WARNING')
            this.notice(err.message, err.code, 'WARNING');
          else throw err;
        }
        isolationOptions();
        return kind === 'TRANS_STMT_BEGIN' ? 'BEGIN' : 'START TRANSACTION';
      case 'TRANS_STMT_COMMIT': {
        if (this.xact.block === 'failed') {
          this.xact.abort();
          return 'ROLLBACK';
        }
        if (this.xact.block !== 'explicit') {
          this.notice('there is no transaction in progress', '25P01', 'WARNING');
        }
        await this.xact.commit();
        return 'COMMIT';
      }
      case 'TRANS_STMT_ROLLBACK':
        if (!this.xact.inBlock)
          this.notice('there is no transaction in progress', '25P01', 'WARNING');
        this.xact.abort();
        return 'ROLLBACK';
      case 'TRANS_STMT_SAVEPOINT':
        this.xact.savepoint(t.savepoint_name ?? '');
        return 'SAVEPOINT';
      case 'TRANS_STMT_RELEASE':
        this.xact.release(t.savepoint_name ?? '');
        return 'RELEASE';
      case 'TRANS_STMT_ROLLBACK_TO':
        this.xact.rollbackTo(t.savepoint_name ?? '');
        return 'ROLLBACK';
      default:
        throw new PgError('0A000', 'prepared transactions are not supported');
    }
  }

  /* Simple query ------------------------------------------------------------------------------------ */

  private statementTimer(): () => void {
    const ms = this.settings.getInt('statement_timeout');
    if (ms <= 0) return () => undefined;
    const timer = setTimeout(() => {
      interrupts.timeoutPending = true;
    }, ms);
    return () => {
      clearTimeout(timer);
      interrupts.timeoutPending = false;
    };
  }

  /**
   * A simple query of one statement whose literal shape can be shared runs as that shape's
   * statement with its literals as parameters, reusing the shape's parse and plan. Returns the
   * planned portal, or undefined for the ordinary path: every failure here (a literal its
   * parameter's type does not accept, a table not there, a plan that no longer fits) falls back to
   * it before anything was sent or executed, so errors are reported from the statement as written,
   * exactly as PostgreSQL reports them (cursor positions included).
   */
  private shapedPortal(sql: string): Portal | undefined {
    if (this.xact.block === 'failed' || !this.settings.getBool('standard_conforming_strings'))
      return undefined;
    const shape = literalShape(sql);
    if (!shape) return undefined;
    let stmt = this.shapes.get(shape.key);
    if (stmt === 'unshareable') return undefined;
    const known = stmt !== undefined;
    const snapshotBefore = this.currentSnapshot;
    let portal: Portal | undefined;
    try {
      if (!stmt) {
        let stmts: RawStatement[];
        try {
          stmts = parseStatements(shape.text);
        } catch {
          this.shapes.unshareable(shape.key);
          return undefined;
        }
        const raw = stmts[0];
        if (stmts.length !== 1 || !raw || !shapeIsShareable(raw.stmt)) {
          this.shapes.unshareable(shape.key);
          return undefined;
        }
        this.xact.startIfIdle('none');
        stmt = this.prepare(shape.text, raw, shape.kinds.map(literalParamType));
      } else {
        this.xact.startIfIdle('none');
      }
      portal = this.newPortal(stmt, [], []);
      portal.snapshot = this.xact.storage().statementSnapshot();
      // Literals of reg* types look names up in the catalogs, through the statement's snapshot.
      this.currentSnapshot = portal.snapshot;
      const ctx = this.formatContext();
      const types = stmt.paramTypes;
      portal.params = shape.values.map((v, i) => typeByOid(types[i] ?? T.text).input(v, -1, ctx));
      this.planPortal(portal, portal.snapshot);
      if (!known && portal.planned && assignsToModifiedColumn(stmt.raw?.stmt, portal.planned)) {
        portal.snapshot.release();
        this.currentSnapshot = snapshotBefore;
        this.shapes.unshareable(shape.key);
        return undefined;
      }
      this.shapes.keep(shape.key, stmt);
      return portal;
    } catch (err) {
      if (asPgError(err).severity === 'FATAL') throw err;
      portal?.snapshot?.release();
      this.currentSnapshot = snapshotBefore;
      this.shapes.failed(shape.key);
      return undefined;
    }
  }

  private async simpleQuery(sql: string): Promise<void> {
    clearCancel();
    const shaped = this.shapedPortal(sql);
    let stmts: RawStatement[];
    try {
      stmts = shaped?.stmt.raw ? [shaped.stmt.raw] : parseStatements(sql);
    } catch (err) {
      this.onStatementError(err, sql);
      await this.readyForQuery();
      return;
    }
    if (stmts.length === 0) {
      this.writer.backend({ type: 'EmptyQueryResponse' });
      await this.readyForQuery();
      return;
    }
    const multi = stmts.length > 1;
    for (let i = 0; i < stmts.length; i++) {
      const raw = stmts[i]!;
      const last = i === stmts.length - 1;
      const stop = this.statementTimer();
      try {
        if (this.xact.block === 'failed' && !this.isTransactionExit(raw)) throw abortedError();
        this.xact.startIfIdle(multi ? 'implicit' : 'none');
        const portal =
          shaped ?? this.newPortal({ sql, raw, paramTypes: [], columns: null }, [], []);
        if (!('TransactionStmt' in raw.stmt)) {
          if (this.xact.block === 'failed') throw abortedError();
          if (!shaped) {
            portal.snapshot = this.xact.storage().statementSnapshot();
            this.planPortal(portal, portal.snapshot);
          }
          const described = portal.planned?.kind === 'query' && portal.columns !== null;
          if (described) {
            this.writer.backend({
              type: 'RowDescription',
              fields: describeColumns(portal.columns!, []),
            });
          }
          await this.startPortal(portal);
          const executesRows = 'ExecuteStmt' in raw.stmt && portal.columns !== null;
          if (!described && portal.columns && (portal.rows || executesRows)) {
            // Utility statements that return rows (SHOW, FETCH, EXECUTE) know their columns only
            // now; an EXECUTE of a RETURNING statement describes its columns even for no rows.
            this.writer.backend({
              type: 'RowDescription',
              fields: describeColumns(portal.columns, portal.resultFormats),
            });
          }
        } else {
          await this.startPortal(portal);
        }
        await this.pumpPortal(portal, 0);
        // Autocommit: the statement's transaction ends before CommandComplete goes out.
        if (this.xact.block === 'none' || (this.xact.block === 'implicit' && last)) {
          if (this.xact.hasStorageTransaction || this.xact.block === 'implicit')
            await this.xact.commit();
          else this.xact.abort();
        }
        this.writer.commandComplete(portal.tag);
        await this.maybeFlush();
      } catch (err) {
        this.onStatementError(err, sql);
        stop();
        break;
      }
      stop();
    }
    if (this.xact.block === 'implicit') await this.xact.commit();
    else if (this.xact.block === 'none' && this.xact.hasStorageTransaction)
      await this.xact.commit();
    await this.readyForQuery();
  }

  private newPortal(stmt: PreparedStatement, params: Value[], resultFormats: FormatCode[]): Portal {
    const portal: Portal = {
      stmt,
      params,
      resultFormats,
      columns: null,
      started: false,
      rows: undefined,
      snapshot: undefined,
      count: 0,
      tag: '',
      done: false,
      encoder: undefined,
      query: undefined,
      planned: undefined,
    };
    return portal;
  }

  /** After an error: report it, and move the transaction to where PostgreSQL would be. */
  private onStatementError(err: unknown, sql: string | undefined): void {
    this.currentSnapshot = undefined;
    const e = asPgError(err);
    if (e.severity === 'FATAL') throw e;
    this.sendError(e, sql);
    if (this.xact.block === 'explicit' || this.xact.block === 'failed') this.xact.fail();
    else this.xact.abort();
  }

  /* Extended query --------------------------------------------------------------------------------- */

  private extended(fn: () => void, sql: string | undefined): void {
    try {
      fn();
    } catch (err) {
      this.extendedError(err, sql);
    }
  }

  private extendedError(err: unknown, sql: string | undefined): void {
    this.onStatementError(err, sql);
    this.skipTillSync = true;
  }

  private parseMessage(name: string, sql: string, parameterTypes: number[]): void {
    if (name !== '' && this.prepared.has(name)) {
      throw new PgError('42P05', `prepared statement "${name}" already exists`);
    }
    const stmts = parseStatements(sql);
    if (stmts.length > 1)
      throw new PgError('42601', 'cannot insert multiple commands into a prepared statement');
    const raw = stmts[0];
    if (this.xact.block === 'failed' && !this.isTransactionExit(raw)) throw abortedError();
    if (raw && !('TransactionStmt' in raw.stmt)) this.xact.startIfIdle('implicit');
    this.prepared.set(name, this.prepare(sql, raw, parameterTypes));
    this.writer.backend({ type: 'ParseComplete' });
  }

  /** Analyzes a statement for later execution: its result columns and parameter types. */
  private prepare(
    sql: string,
    raw: RawStatement | undefined,
    parameterTypes: number[],
  ): PreparedStatement {
    const paramTypes = [...parameterTypes];
    let columns: ResultColumn[] | null = null;
    if (raw && !('TransactionStmt' in raw.stmt)) {
      columns = this.withSnapshot((_txn, s) => {
        const env = this.env(s, paramTypes);
        const planned = this.plan(raw, sql, env);
        return planned.columns;
      });
      for (let i = 0; i < paramTypes.length; i++) {
        if (!paramTypes[i] || paramTypes[i] === T.unknown) paramTypes[i] = T.text;
      }
    }
    return { sql, raw, paramTypes, columns };
  }

  private bindMessage(m: Bind): void {
    const stmt = this.prepared.get(m.statement);
    if (!stmt) throw new PgError('26000', `prepared statement "${m.statement}" does not exist`);
    if (this.xact.block === 'failed' && !this.isTransactionExit(stmt.raw)) throw abortedError();
    const n = stmt.paramTypes.length;
    if (m.parameters.length !== n) {
      throw new PgError(
        '08P01',
        `bind message supplies ${m.parameters.length} parameters, but prepared statement "${m.statement}" requires ${n}`,
      );
    }
    const formats =
      m.parameterFormats.length === 0
        ? new Array<FormatCode>(n).fill(0)
        : m.parameterFormats.length === 1
          ? new Array<FormatCode>(n).fill(m.parameterFormats[0]!)
          : m.parameterFormats;
    if (formats.length !== n)
      throw new PgError(
        '08P01',
        `bind message has ${m.parameterFormats.length} parameter formats but ${n} parameters`,
      );
    const ctx = this.formatContext();
    const params = m.parameters.map((p, i): Value => {
      if (p === null) return null;
      const type = typeByOid(stmt.paramTypes[i] ?? T.text);
      try {
        if (formats[i] === 1) return type.receive(p, -1, ctx);
        return type.input(
          Buffer.from(p.buffer, p.byteOffset, p.byteLength).toString('utf8'),
          -1,
          ctx,
        );
      } catch (err) {
        const e = asPgError(err);
        if (formats[i] === 1 && e.code === '22P03') e.where = `unnamed portal parameter $${i + 1}`;
        throw e;
      }
    });
    if (m.portal !== '' && this.portals.has(m.portal))
      throw new PgError('42P03', `cursor "${m.portal}" already exists`);
    this.closePortal(m.portal);
    this.xact.startIfIdle('implicit');
    const portal = this.newPortal(stmt, params, m.resultFormats);
    if (stmt.columns) this.setPortalColumns(portal, stmt.columns);
    if (stmt.raw && !('TransactionStmt' in stmt.raw.stmt)) {
      // As PostgreSQL's PortalStart at Bind: a query's execution snapshot is the one it was
      // planned under (one snapshot per Bind/Execute, not two).
      const snapshot = this.xact.storage().statementSnapshot();
      try {
        this.planPortal(portal, snapshot);
      } catch (err) {
        snapshot.release();
        throw err;
      } finally {
        this.currentSnapshot = undefined;
      }
      if (portal.planned?.kind === 'query') portal.snapshot = snapshot;
      else snapshot.release();
    }
    this.portals.set(m.portal, portal);
    this.writer.backend({ type: 'BindComplete' });
  }

  private describeMessage(target: 'S' | 'P', name: string): void {
    if (target === 'S') {
      const stmt = this.prepared.get(name);
      if (!stmt) throw new PgError('26000', `prepared statement "${name}" does not exist`);
      this.writer.backend({ type: 'ParameterDescription', parameterTypes: stmt.paramTypes });
      if (stmt.columns)
        this.writer.backend({ type: 'RowDescription', fields: describeColumns(stmt.columns, []) });
      else this.writer.backend({ type: 'NoData' });
      return;
    }
    const portal = this.portals.get(name);
    if (!portal) throw new PgError('34000', `portal "${name}" does not exist`);
    if (portal.columns)
      this.writer.backend({
        type: 'RowDescription',
        fields: describeColumns(portal.columns, portal.resultFormats),
      });
    else this.writer.backend({ type: 'NoData' });
  }

  private async executeMessage(name: string, maxRows: number): Promise<void> {
    const portal = this.portals.get(name);
    if (!portal) throw new PgError('34000', `portal "${name}" does not exist`);
    if (!portal.stmt.raw) {
      this.writer.backend({ type: 'EmptyQueryResponse' });
      return;
    }
    if (portal.done && portal.started) {
      // Re-executing a completed portal returns no rows and the same kind of tag.
      this.writer.commandComplete(portal.query?.kind === 'select' ? 'SELECT 0' : portal.tag);
      return;
    }
    const stop = this.statementTimer();
    try {
      if (!portal.started) {
        if (this.xact.block === 'failed' && !this.isTransactionExit(portal.stmt.raw))
          throw abortedError();
        this.xact.startIfIdle('implicit');
        await this.startPortal(portal);
      }
      const complete = await this.pumpPortal(portal, maxRows);
      if (complete) this.writer.commandComplete(portal.tag);
      else this.writer.backend({ type: 'PortalSuspended' });
    } finally {
      stop();
    }
  }

  private async syncMessage(): Promise<void> {
    // The unnamed portal does not outlive the implicit transaction.
    try {
      if (
        this.xact.block === 'implicit' ||
        (this.xact.block === 'none' && this.xact.hasStorageTransaction)
      ) {
        for (const p of this.portals.values()) p.snapshot?.release();
        this.portals.clear();
        await this.xact.commit();
      }
    } catch (err) {
      this.onStatementError(err, undefined);
    }
    await this.readyForQuery();
  }
}

/** Runs a session until Terminate or the socket closes (never throws for client errors). */
function sameResultType(a: ResultColumn[] | null, b: ResultColumn[] | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.length === b.length && a.every((c, i) => c.type === b[i]!.type && c.typmod === b[i]!.typmod)
  );
}

export async function runSession(start: SessionStart): Promise<void> {
  let session: Session;
  try {
    session = new Session(start);
  } catch (err) {
    const e = asPgError(err);
    e.severity = 'FATAL';
    const w = new MessageWriter();
    w.backend({ type: 'ErrorResponse', ...e.toFields() });
    start.socket.end(w.take());
    return;
  }
  await session.run();
}
