/**
 * Turning one raw statement into something runnable: the analyzed query (or the utility node)
 * plus the shape of its result, for SELECT, VALUES, INSERT/UPDATE/DELETE (… RETURNING), SHOW and
 * the utility statements; and the CommandComplete tag each produces.
 */
import type { Node } from 'libpg-query';
import { PgError } from '../utils/errors.js';
import { T } from '../utils/adt/types.js';
import {
  transformDelete,
  transformInsert,
  transformSelect,
  transformUpdate,
} from '../parser/analyze.js';
import type { AnalyzeEnv } from '../parser/parse-state.js';
import type { PermissionRequest } from '../catalog/aclchk.js';
import { transformCopy, type CopyPlan } from '../parser/analyze-copy.js';
import type { Query, TargetEntry } from '../parser/query.js';
import type { ResultColumn } from './dest.js';

/** What planning produces; `permissions` lists the privileges to check before each run. */
export type Planned = PlannedStatement & { permissions?: PermissionRequest[] };

type PlannedStatement =
  | { kind: 'query'; query: Query; columns: ResultColumn[] | null }
  | {
      kind: 'utility';
      node: Node;
      tag: string;
      columns: ResultColumn[] | null;
      /** The statement's own text (CREATE VIEW keeps its query's). */
      text?: string;
    }
  | { kind: 'copy'; copy: CopyPlan; columns: null }
  /** Statements over the session's own state: cursors and SQL-level prepared statements. */
  | { kind: 'session'; node: Node; tag: string; columns: ResultColumn[] | null };

export function nodeTag(node: Node): string {
  return Object.keys(node)[0] ?? '';
}

function columnsOf(targets: TargetEntry[], visible: number): ResultColumn[] {
  return targets.slice(0, visible).map((t) => ({
    name: t.name,
    type: t.expr.type === T.unknown ? T.text : t.expr.type,
    typmod: t.expr.typmod,
    tableOid: t.tableOid,
    attnum: t.attnum,
  }));
}

const utilityTags: Record<string, string> = {
  CreateStmt: 'CREATE TABLE',
  IndexStmt: 'CREATE INDEX',
  CreateSeqStmt: 'CREATE SEQUENCE',
  VariableShowStmt: 'SHOW',
  TruncateStmt: 'TRUNCATE TABLE',
  CreatedbStmt: 'CREATE DATABASE',
  DropdbStmt: 'DROP DATABASE',
  AlterTableStmt: 'ALTER TABLE',
  ViewStmt: 'CREATE VIEW',
  CreateSchemaStmt: 'CREATE SCHEMA',
  CommentStmt: 'COMMENT',
  ConstraintsSetStmt: 'SET CONSTRAINTS',
  LockStmt: 'LOCK TABLE',
  CreateRoleStmt: 'CREATE ROLE',
  AlterRoleStmt: 'ALTER ROLE',
  DropRoleStmt: 'DROP ROLE',
  AlterSeqStmt: 'ALTER SEQUENCE',
  AlterRoleSetStmt: 'ALTER ROLE',
  AlterDatabaseSetStmt: 'ALTER DATABASE',
};

function dropTag(node: Node): string {
  if (!('DropStmt' in node)) return 'DROP';
  const map: Record<string, string> = {
    OBJECT_TABLE: 'DROP TABLE',
    OBJECT_INDEX: 'DROP INDEX',
    OBJECT_SEQUENCE: 'DROP SEQUENCE',
    OBJECT_VIEW: 'DROP VIEW',
    OBJECT_SCHEMA: 'DROP SCHEMA',
  };
  return map[node.DropStmt.removeType ?? ''] ?? 'DROP';
}

/** Analyzes `node`; `paramTypes` is updated with inferred parameter types. */
export function planStatement(node: Node, env: AnalyzeEnv): Planned {
  const permissions: PermissionRequest[] = [];
  const planned: Planned = analyzeStatement(node, { ...env, permissions });
  if (permissions.length > 0) planned.permissions = permissions;
  return planned;
}

function analyzeStatement(node: Node, env: AnalyzeEnv): Planned {
  if ('SelectStmt' in node) {
    const q = transformSelect(env, node.SelectStmt);
    return { kind: 'query', query: q, columns: columnsOf(q.targets, q.visible) };
  }
  if ('InsertStmt' in node) {
    const q = transformInsert(env, node.InsertStmt);
    return {
      kind: 'query',
      query: q,
      columns: q.returning.length ? columnsOf(q.returning, q.returning.length) : null,
    };
  }
  if ('UpdateStmt' in node) {
    const q = transformUpdate(env, node.UpdateStmt);
    return {
      kind: 'query',
      query: q,
      columns: q.returning.length ? columnsOf(q.returning, q.returning.length) : null,
    };
  }
  if ('DeleteStmt' in node) {
    const q = transformDelete(env, node.DeleteStmt);
    return {
      kind: 'query',
      query: q,
      columns: q.returning.length ? columnsOf(q.returning, q.returning.length) : null,
    };
  }
  if ('CopyStmt' in node)
    return { kind: 'copy', copy: transformCopy(env, node.CopyStmt), columns: null };
  const tag = nodeTag(node);
  if ('VariableShowStmt' in node) {
    const name = node.VariableShowStmt.name ?? '';
    if (name.toLowerCase() === 'all') {
      return {
        kind: 'utility',
        node,
        tag: 'SHOW',
        columns: ['name', 'setting', 'description'].map((n) => ({
          name: n,
          type: T.text,
          typmod: -1,
          tableOid: 0,
          attnum: 0,
        })),
      };
    }
    return {
      kind: 'utility',
      node,
      tag: 'SHOW',
      columns: [{ name, type: T.text, typmod: -1, tableOid: 0, attnum: 0 }],
    };
  }
  if ('VariableSetStmt' in node) {
    const kind = node.VariableSetStmt.kind;
    return {
      kind: 'utility',
      node,
      tag: kind === 'VAR_RESET' || kind === 'VAR_RESET_ALL' ? 'RESET' : 'SET',
      columns: null,
    };
  }
  if ('DropStmt' in node) return { kind: 'utility', node, tag: dropTag(node), columns: null };
  if ('VacuumStmt' in node)
    return {
      kind: 'utility',
      node,
      tag: node.VacuumStmt.is_vacuumcmd ? 'VACUUM' : 'ANALYZE',
      columns: null,
    };
  if ('TransactionStmt' in node) return { kind: 'utility', node, tag: '', columns: null };
  if ('AlterOwnerStmt' in node)
    return {
      kind: 'utility',
      node,
      tag: node.AlterOwnerStmt.objectType === 'OBJECT_DATABASE' ? 'ALTER DATABASE' : 'ALTER SCHEMA',
      columns: null,
    };
  if ('GrantStmt' in node)
    return {
      kind: 'utility',
      node,
      tag: node.GrantStmt.is_grant ? 'GRANT' : 'REVOKE',
      columns: null,
    };
  if ('GrantRoleStmt' in node)
    return {
      kind: 'utility',
      node,
      tag: node.GrantRoleStmt.is_grant ? 'GRANT ROLE' : 'REVOKE ROLE',
      columns: null,
    };
  if ('RenameStmt' in node && node.RenameStmt.renameType === 'OBJECT_ROLE')
    return { kind: 'utility', node, tag: 'ALTER ROLE', columns: null };
  const known = utilityTags[tag];
  if (known) return { kind: 'utility', node, tag: known, columns: null };
  const shown = tag
    .replace(/Stmt$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
  throw new PgError('0A000', `${shown} is not supported yet`);
}

/** CommandComplete tag for a query that affected/returned `count` rows. */
export function queryTag(q: Query, count: number): string {
  switch (q.kind) {
    case 'select':
      return `SELECT ${count}`;
    case 'insert':
      return `INSERT 0 ${count}`;
    case 'update':
      return `UPDATE ${count}`;
    case 'delete':
      return `DELETE ${count}`;
  }
}
