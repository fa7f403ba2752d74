/**
 * CREATE SCHEMA and DROP SCHEMA (PostgreSQL's schemacmds.c and the schema part of dependency.c):
 * pg_namespace rows, the owner from AUTHORIZATION, and a DROP that refuses while the schema holds
 * tables, views or sequences — or with CASCADE drops them, naming each in a NOTICE.
 */
import { dropDescriptions } from './comment.js';
import type { CreateSchemaStmt, DropStmt } from 'libpg-query';
import { PgError } from '../utils/errors.js';
import { truncateIdentifier } from '../utils/adt/types.js';
import { RelOid } from '../catalog/oids.js';
import { resolveRoleSpec } from './user.js';
import { strVal } from '../parser/analyze-expr.js';
import { quoteIdent } from '../parser/deparse.js';
import { currentUser, type UtilityContext } from './context.js';
import { effectiveRoles, holds, isOwner } from '../catalog/aclchk.js';
import { dropRelation } from './tablecmds.js';

const PG_CATALOG_NAMESPACE = 11;

/** CREATE SCHEMA needs the CREATE privilege on the current database. */
function checkDatabaseCreate(ctx: UtilityContext): void {
  if (ctx.superuser) return;
  const db = ctx.store.find(RelOid.pg_database, ctx.snapshot, (r) => r.oid === ctx.store.db.oid);
  if (!db) return;
  const roles = effectiveRoles(ctx.store, ctx.snapshot, ctx.userOid);
  const acl = (db.rec.datacl as string[] | null) ?? null;
  if (!holds(roles, acl, 'database', db.rec.datdba as number, 'C'))
    throw new PgError('42501', `permission denied for database ${db.rec.datname as string}`);
}

function namespaceNamed(ctx: UtilityContext, name: string): number | undefined {
  const row = ctx.store.find(RelOid.pg_namespace, ctx.snapshot, (r) => r.nspname === name);
  return row ? (row.rec.oid as number) : undefined;
}

export function createSchema(ctx: UtilityContext, stmt: CreateSchemaStmt): void {
  const owner = resolveRoleSpec(ctx, stmt.authrole);
  checkDatabaseCreate(ctx);
  // Creating a schema for another role needs that role's privileges.
  if (!isOwner(ctx.store, ctx.snapshot, currentUser(ctx), owner.oid))
    throw new PgError('42501', `must be member of role "${owner.name}"`);
  // CREATE SCHEMA AUTHORIZATION role: the schema is named after the role.
  const name = truncateIdentifier(stmt.schemaname ?? owner.name);
  if ((stmt.schemaElts ?? []).length > 0)
    throw new PgError('0A000', 'CREATE SCHEMA with schema elements is not supported yet');
  if (name.startsWith('pg_')) {
    throw new PgError('42939', `unacceptable schema name "${name}"`, {
      detail: 'The prefix "pg_" is reserved for system schemas.',
    });
  }
  if (namespaceNamed(ctx, name) !== undefined) {
    if (stmt.if_not_exists) {
      ctx.notice(`schema "${name}" already exists, skipping`, '42P06');
      return;
    }
    throw new PgError('42P06', `schema "${name}" already exists`);
  }
  ctx.catalogChanged();
  ctx.store.insert(ctx.txn, RelOid.pg_namespace, {
    oid: ctx.store.allocateOid(),
    nspname: name,
    nspowner: owner.oid,
    nspacl: null,
  });
}

const relkindNoun: Record<string, string> = { r: 'table', v: 'view', S: 'sequence' };

interface Member {
  oid: number;
  kind: string;
  description: string;
}

/** The tables, views and free-standing sequences of a schema, oldest first (PostgreSQL's order). */
function membersOf(ctx: UtilityContext, nsOid: number, nsName: string): Member[] {
  const owned = new Set<number>();
  for (const d of ctx.store.scan(
    RelOid.pg_depend,
    ctx.snapshot,
    (r) => r.classid === RelOid.pg_class && r.refclassid === RelOid.pg_class && r.deptype === 'a',
  ))
    owned.add(d.rec.objid as number);
  const visible = ctx.env.searchPath.includes(nsName);
  return [
    ...ctx.store.scan(
      RelOid.pg_class,
      ctx.snapshot,
      (r) => r.relnamespace === nsOid && (r.relkind as string) in relkindNoun,
    ),
  ]
    .filter((c) => !owned.has(c.rec.oid as number))
    .map((c) => {
      const rel = quoteIdent(c.rec.relname as string);
      const shown = visible ? rel : `${quoteIdent(nsName)}.${rel}`;
      return {
        oid: c.rec.oid as number,
        kind: c.rec.relkind as string,
        description: `${relkindNoun[c.rec.relkind as string] ?? 'relation'} ${shown}`,
      };
    })
    .sort((a, b) => a.oid - b.oid);
}

export async function dropSchemas(ctx: UtilityContext, stmt: DropStmt): Promise<void> {
  const cascade = stmt.behavior === 'DROP_CASCADE';
  const targets: Array<{ oid: number; name: string }> = [];
  for (const obj of stmt.objects ?? []) {
    const name = strVal(obj);
    const oid = namespaceNamed(ctx, name);
    if (oid === undefined) {
      if (stmt.missing_ok) {
        ctx.notice(`schema "${name}" does not exist, skipping`, '00000');
        continue;
      }
      throw new PgError('3F000', `schema "${name}" does not exist`);
    }
    if (oid === PG_CATALOG_NAMESPACE || name === 'information_schema' || name === 'pg_toast') {
      throw new PgError(
        '2BP01',
        `cannot drop schema ${name} because it is required by the database system`,
      );
    }
    const owner = ctx.store.find(RelOid.pg_namespace, ctx.snapshot, (r) => r.oid === oid)?.rec
      .nspowner as number;
    if (!isOwner(ctx.store, ctx.snapshot, currentUser(ctx), owner))
      throw new PgError('42501', `must be owner of schema ${name}`);
    targets.push({ oid, name });
  }
  if (targets.length === 0) return;
  const members = targets.flatMap((t) =>
    membersOf(ctx, t.oid, t.name).map((m) => ({ ...m, schema: t.name })),
  );
  if (members.length > 0 && !cascade) {
    throw new PgError(
      '2BP01',
      `cannot drop schema ${targets[0]!.name} because other objects depend on it`,
      {
        detail: members.map((m) => `${m.description} depends on schema ${m.schema}`).join('\n'),
        hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
      },
    );
  }
  if (members.length === 1) ctx.notice(`drop cascades to ${members[0]!.description}`, '00000');
  else if (members.length > 1) {
    ctx.notice(
      `drop cascades to ${members.length} other objects`,
      '00000',
      members.map((m) => `drop cascades to ${m.description}`).join('\n'),
    );
  }
  ctx.catalogChanged();
  // Views first: they depend on the tables and sequences beside them.
  const isView = (m: Member): number => (m.kind === 'v' ? 1 : 0);
  for (const m of [...members].sort((a, b) => isView(b) - isView(a)))
    await dropRelation(ctx, m.oid);
  const dropping = new Set(targets.map((t) => t.oid));
  for (const t of targets) await dropDescriptions(ctx, t.oid, RelOid.pg_namespace);
  await ctx.store.deleteWhere(ctx.txn, ctx.snapshot, RelOid.pg_namespace, (r) =>
    dropping.has(r.oid as number),
  );
}
