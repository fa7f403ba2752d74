/**
 * A session's named objects: prepared statements (protocol-level Parse and SQL PREPARE share one
 * namespace, as in PostgreSQL) and portals (protocol-level Bind and SQL DECLARE CURSOR likewise).
 */
import type { FormatCode } from '@tuskdb/shared-protocol';
import type { Snapshot } from '../access/api.js';
import type { Value } from '../utils/adt/types.js';
import type { RawStatement } from '../parser/parse.js';
import type { Query } from '../parser/query.js';
import type { Row } from '../executor/compile-expr.js';
import type { ResultColumn, RowEncoder } from './dest.js';
import type { Planned } from './statement.js';
import type { CursorScan } from './cursor.js';

export interface PreparedStatement {
  sql: string;
  /** undefined = empty query string. */
  raw: RawStatement | undefined;
  paramTypes: number[];
  columns: ResultColumn[] | null;
  /** Created by SQL PREPARE (for pg_prepared_statements.from_sql). */
  fromSql?: boolean;
  /** When it was prepared (microseconds since 2000-01-01). */
  preparedAt?: bigint;
  /**
   * The plan of its last execution and what it was made under (see Session.planPortal): reused
   * while the catalogs and the settings analysis depends on stay the same.
   */
  plan?: { key: string; planned: Planned };
}

export interface Portal {
  stmt: PreparedStatement;
  params: Value[];
  resultFormats: FormatCode[];
  columns: ResultColumn[] | null;
  /** Set once execution started. */
  started: boolean;
  rows: Iterator<Row> | undefined;
  snapshot: Snapshot | undefined;
  count: number;
  tag: string;
  done: boolean;
  encoder: RowEncoder | undefined;
  query: Query | undefined;
  planned: Planned | undefined;
  /** Set for portals opened by DECLARE CURSOR. */
  cursor?: SqlCursor;
}

export interface SqlCursor {
  scan: CursorScan;
  /** WITH HOLD: survives the commit of its transaction (materialized then). */
  hold: boolean;
  binary: boolean;
  /** Cursor options as pg_cursors shows them. */
  scrollable: boolean;
  /** Statement text, and when it was declared (microseconds since 2000-01-01). */
  statement: string;
  createdAt: bigint;
  /** Declared in the open transaction (an abort drops even a held cursor then). */
  declaredInTransaction: boolean;
}
