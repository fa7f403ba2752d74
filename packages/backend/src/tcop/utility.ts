/**
 * ProcessUtility: runs the non-query statements (DDL, SET/RESET/SHOW) and returns their
 * CommandComplete tag and, for SHOW, the rows and result columns.
 */
import { commentOn } from '../commands/comment.js';
import { createSchema } from '../commands/schemacmds.js';
import { createView } from '../commands/view.js';
import type { LockStmt } from 'libpg-query';
import { checkRelationPermissions } from '../catalog/aclchk.js';
import { PgError } from '../utils/errors.js';
import { T, type Value } from '../utils/adt/types.js';
import type { UtilityContext } from '../commands/context.js';
import {
  createIndex,
  createSequence,
  createTable,
  dropObjects,
  markHasIndex,
} from '../commands/tablecmds.js';
import { executeSet, executeShow } from '../commands/variable.js';
import type { ResultColumn } from './dest.js';
import { createDatabase, dropDatabase } from '../commands/dbcommands.js';
import { alterTable } from '../commands/alter-table.js';
import { vacuum } from '../commands/vacuum.js';
import { alterOwner, grantPrivileges } from '../commands/grant.js';
import { alterSequence } from '../commands/alter-sequence.js';
import { alterDatabaseSet, alterRoleSet } from '../commands/role-settings.js';
import { alterRole, createRole, dropRoles, grantRoles, renameRole } from '../commands/user.js';
import { lookupRelation } from '../parser/analyze.js';
import { truncateRelations } from '../executor/exec-modify.js';
import type { EvalContext } from '../parser/primnodes.js';
import type { Planned } from './statement.js';

export interface UtilityResult {
  tag: string;
  rows?: Value[][];
  columns?: ResultColumn[];
}

export interface UtilityRunContext extends UtilityContext {
  inTransactionBlock: boolean;
  /** Inside an explicit block or a multi-statement implicit one. */
  inAnyBlock: boolean;
  databaseName: string;
  evalContext: EvalContext;
}

const lockModes = [
  '',
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
];

/**
 * LOCK TABLE: the tables must exist and be tables, inside a transaction block. The modes up to ROW
 * EXCLUSIVE conflict only with locks this server's DDL does not take, so holding them changes
 * nothing; stronger modes would have to block other sessions' writes, which is not built yet.
 */
function lockTables(ctx: UtilityRunContext, stmt: LockStmt): void {
  if (!ctx.inTransactionBlock)
    throw new PgError('25P01', 'LOCK TABLE can only be used in transaction blocks');
  const mode = stmt.mode ?? 8;
  for (const n of stmt.relations ?? []) {
    if (!('RangeVar' in n)) continue;
    const rel = lookupRelation(ctx.env, n.RangeVar);
    if (rel.kind !== 'r' && rel.kind !== 'v')
      throw new PgError('42809', `cannot lock relation "${rel.name}"`, {
        detail:
          'This operation is not supported for ' + (rel.kind === 'i' ? 'indexes.' : 'sequences.'),
      });
  }
  if (mode > 3)
    throw new PgError(
      '0A000',
      `LOCK TABLE … IN ${lockModes[mode] ?? '?'} MODE is not supported yet`,
    );
}

const textColumn = (name: string): ResultColumn => ({
  name,
  type: T.text,
  typmod: -1,
  tableOid: 0,
  attnum: 0,
});

export async function runUtility(
  planned: Extract<Planned, { kind: 'utility' }>,
  ctx: UtilityRunContext,
): Promise<UtilityResult> {
  const node = planned.node;
  if ('VariableSetStmt' in node) {
    executeSet(ctx.settings, node.VariableSetStmt, ctx.inTransactionBlock, ctx.superuser, (m, c) =>
      ctx.warn(m, c),
    );
    return { tag: planned.tag };
  }
  if ('VariableShowStmt' in node) {
    const name = node.VariableShowStmt.name ?? '';
    if (name.toLowerCase() === 'all') {
      return {
        tag: 'SHOW',
        rows: ctx.settings.all().map((s) => [s.name, s.setting, s.description]),
        columns: ['name', 'setting', 'description'].map(textColumn),
      };
    }
    const { column, value } = executeShow(ctx.settings, name);
    return { tag: 'SHOW', rows: [[value]], columns: [textColumn(column)] };
  }
  if ('CreateStmt' in node) {
    await createTable(ctx, node.CreateStmt);
    return { tag: planned.tag };
  }
  if ('CreateSchemaStmt' in node) {
    createSchema(ctx, node.CreateSchemaStmt);
    return { tag: planned.tag };
  }
  if ('DropStmt' in node) {
    await dropObjects(ctx, node.DropStmt);
    return { tag: planned.tag };
  }
  if ('IndexStmt' in node) {
    const table = createIndex(ctx, node.IndexStmt);
    if (table !== undefined) await markHasIndex(ctx, table);
    return { tag: planned.tag };
  }
  if ('TruncateStmt' in node) {
    const rels = (node.TruncateStmt.relations ?? []).map((n) => {
      if (!('RangeVar' in n)) throw new PgError('42601', 'syntax error');
      const rel = lookupRelation(ctx.env, n.RangeVar);
      if (rel.kind !== 'r') throw new PgError('42809', `"${rel.name}" is not a table`);
      return rel;
    });
    checkRelationPermissions(
      ctx.store,
      ctx.snapshot,
      { oid: ctx.userOid, superuser: ctx.superuser },
      rels.map((rel) => ({ rel, privilege: 'D' })),
    );
    const cascade = node.TruncateStmt.behavior === 'DROP_CASCADE';
    const chosen = new Set(rels.map((r) => r.oid));
    // Tables whose foreign keys reference a truncated one would be left dangling.
    for (let i = 0; i < rels.length; i++) {
      for (const fk of rels[i]!.referencedBy) {
        if (chosen.has(fk.child.oid)) continue;
        if (!cascade)
          throw new PgError(
            '0A000',
            'cannot truncate a table referenced in a foreign key constraint',
            {
              detail: `Table "${fk.child.name}" references "${fk.parent.name}".`,
              hint: `Truncate table "${fk.child.name}" at the same time, or use TRUNCATE ... CASCADE.`,
            },
          );
        const child = ctx.relcache.byRelOid(fk.child.oid, ctx.snapshot);
        if (!child) continue;
        chosen.add(child.oid);
        rels.push(child);
        ctx.notice(`truncate cascades to table "${child.name}"`, '00000');
      }
    }
    await truncateRelations(rels, { txn: ctx.txn, snapshot: ctx.snapshot, ctx: ctx.evalContext });
    return { tag: planned.tag };
  }
  if ('LockStmt' in node) {
    lockTables(ctx, node.LockStmt);
    return { tag: planned.tag };
  }
  if ('CreatedbStmt' in node) {
    createDatabase(ctx, node.CreatedbStmt, ctx.inAnyBlock);
    return { tag: planned.tag };
  }
  if ('DropdbStmt' in node) {
    await dropDatabase(ctx, node.DropdbStmt, ctx.inAnyBlock, ctx.databaseName);
    return { tag: planned.tag };
  }
  if ('AlterTableStmt' in node) {
    await alterTable(ctx, node.AlterTableStmt, ctx.evalContext);
    return { tag: planned.tag };
  }
  if ('VacuumStmt' in node) {
    return { tag: vacuum(ctx, node.VacuumStmt, ctx.inAnyBlock).tag };
  }
  if ('ViewStmt' in node) {
    await createView(ctx, node.ViewStmt, planned.text ?? '');
    return { tag: planned.tag };
  }
  if ('CommentStmt' in node) {
    await commentOn(ctx, node.CommentStmt);
    return { tag: planned.tag };
  }
  if ('CreateRoleStmt' in node) {
    await createRole(ctx, node.CreateRoleStmt);
    ctx.catalogChanged();
    return { tag: planned.tag };
  }
  if ('AlterRoleStmt' in node) {
    await alterRole(ctx, node.AlterRoleStmt);
    ctx.catalogChanged();
    return { tag: planned.tag };
  }
  if ('DropRoleStmt' in node) {
    await dropRoles(ctx, node.DropRoleStmt);
    ctx.catalogChanged();
    return { tag: planned.tag };
  }
  if ('AlterRoleSetStmt' in node) {
    await alterRoleSet(ctx, node.AlterRoleSetStmt);
    return { tag: planned.tag };
  }
  if ('AlterDatabaseSetStmt' in node) {
    await alterDatabaseSet(ctx, node.AlterDatabaseSetStmt);
    return { tag: planned.tag };
  }
  if ('AlterSeqStmt' in node) {
    await alterSequence(ctx, node.AlterSeqStmt);
    return { tag: planned.tag };
  }
  if ('AlterOwnerStmt' in node) {
    await alterOwner(ctx, node.AlterOwnerStmt);
    ctx.catalogChanged();
    return { tag: planned.tag };
  }
  if ('GrantStmt' in node) {
    await grantPrivileges(ctx, node.GrantStmt);
    ctx.catalogChanged();
    return { tag: planned.tag };
  }
  if ('GrantRoleStmt' in node) {
    await grantRoles(ctx, node.GrantRoleStmt);
    ctx.catalogChanged();
    return { tag: planned.tag };
  }
  if ('RenameStmt' in node && node.RenameStmt.renameType === 'OBJECT_ROLE') {
    await renameRole(ctx, node.RenameStmt.subname ?? '', node.RenameStmt.newname ?? '');
    ctx.catalogChanged();
    return { tag: planned.tag };
  }
  if ('CreateSeqStmt' in node) {
    createSequence(ctx, node.CreateSeqStmt);
    return { tag: planned.tag };
  }
  throw new PgError('0A000', `${planned.tag || 'statement'} is not supported yet`);
}
