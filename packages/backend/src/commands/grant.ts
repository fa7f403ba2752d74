/**
 * GRANT and REVOKE of privileges on tables, views, sequences, schemas and databases (PostgreSQL's
 * aclchk.c ExecuteGrantStmt): rewrites the object's ACL column. As in PostgreSQL, the owner is
 * recorded as grantor when the owner or a superuser grants.
 */
import type { AlterOwnerStmt, GrantStmt, Node, RangeVar } from 'libpg-query';
import { isOwner } from '../catalog/aclchk.js';
import type { CatalogTuple } from '../catalog/catalog.js';
import { RelOid } from '../catalog/oids.js';
import { lookupRelation } from '../parser/analyze.js';
import { strVal } from '../parser/analyze-expr.js';
import {
  aclGrant,
  aclRenameRole,
  aclRevoke,
  allPrivileges,
  defaultAcl,
  privilegeLetters,
  type AclObjectKind,
} from '../utils/acl.js';
import { PgError } from '../utils/errors.js';
import { currentUser, type UtilityContext } from './context.js';
import { resolveRoleSpec } from './user.js';

interface Target {
  tuple: CatalogTuple;
  catalog: number;
  aclColumn: string;
  ownerColumn: string;
  kind: AclObjectKind;
  /** For "permission denied for table t". */
  noun: string;
  name: string;
}

const relationNouns: Record<string, string> = {
  r: 'table',
  p: 'table',
  v: 'view',
  m: 'materialized view',
  S: 'sequence',
};

function relationTarget(ctx: UtilityContext, oid: number): Target {
  const t = ctx.store.find(RelOid.pg_class, ctx.snapshot, (r) => r.oid === oid)!;
  const relkind = t.rec.relkind as string;
  return {
    tuple: t,
    catalog: RelOid.pg_class,
    aclColumn: 'relacl',
    ownerColumn: 'relowner',
    kind: relkind === 'S' ? 'sequence' : 'table',
    noun: relationNouns[relkind] ?? 'relation',
    name: t.rec.relname as string,
  };
}

function targets(
  ctx: UtilityContext,
  stmt: Pick<GrantStmt, 'targtype' | 'objtype' | 'objects'>,
): Target[] {
  const objects = stmt.objects ?? [];
  const objtype = stmt.objtype;
  if (stmt.targtype === 'ACL_TARGET_ALL_IN_SCHEMA') {
    const want = objtype === 'OBJECT_SEQUENCE' ? ['S'] : ['r', 'p', 'v', 'm'];
    return objects.flatMap((n) => {
      const schema = strVal(n);
      const ns = ctx.relcache.namespaceOid(schema, ctx.snapshot);
      if (ns === undefined) throw new PgError('3F000', `schema "${schema}" does not exist`);
      return [
        ...ctx.store.scan(
          RelOid.pg_class,
          ctx.snapshot,
          (r) => r.relnamespace === ns && want.includes(r.relkind as string),
        ),
      ].map((t) => relationTarget(ctx, t.rec.oid as number));
    });
  }
  if (stmt.targtype !== 'ACL_TARGET_OBJECT')
    throw new PgError('0A000', 'ALTER DEFAULT PRIVILEGES is not supported yet');
  switch (objtype) {
    case 'OBJECT_TABLE':
    case 'OBJECT_SEQUENCE':
      return objects.map((n: Node) => {
        const rel = lookupRelation(ctx.env, (n as { RangeVar: RangeVar }).RangeVar);
        if (objtype === 'OBJECT_SEQUENCE' && rel.kind !== 'S')
          throw new PgError('42809', `"${rel.name}" is not a sequence`);
        return relationTarget(ctx, rel.oid);
      });
    case 'OBJECT_SCHEMA':
      return objects.map((n) => {
        const name = strVal(n);
        const t = ctx.store.find(RelOid.pg_namespace, ctx.snapshot, (r) => r.nspname === name);
        if (!t) throw new PgError('3F000', `schema "${name}" does not exist`);
        return {
          tuple: t,
          catalog: RelOid.pg_namespace,
          aclColumn: 'nspacl',
          ownerColumn: 'nspowner',
          kind: 'schema',
          noun: 'schema',
          name,
        };
      });
    case 'OBJECT_DATABASE':
      return objects.map((n) => {
        const name = strVal(n);
        const t = ctx.store.find(RelOid.pg_database, ctx.snapshot, (r) => r.datname === name);
        if (!t) throw new PgError('3D000', `database "${name}" does not exist`);
        return {
          tuple: t,
          catalog: RelOid.pg_database,
          aclColumn: 'datacl',
          ownerColumn: 'datdba',
          kind: 'database',
          noun: 'database',
          name,
        };
      });
    default:
      throw new PgError(
        '0A000',
        `GRANT ON ${(objtype ?? '').replace('OBJECT_', '')} is not supported yet`,
      );
  }
}

interface Requested {
  /** Table-wide (object-wide) privilege letters. */
  object: string;
  /** Column name → letters, for GRANT SELECT (a, b) … */
  columns: Map<string, string>;
}

/** The privilege letters the statement names (ALL PRIVILEGES: everything the kind has). */
function requested(stmt: GrantStmt, kind: AclObjectKind): Requested {
  const privs = stmt.privileges ?? [];
  const out: Requested = { object: '', columns: new Map() };
  if (privs.length === 0) {
    out.object = allPrivileges[kind];
    return out;
  }
  for (const p of privs) {
    if (!('AccessPriv' in p)) continue;
    const name = p.AccessPriv.priv_name ?? '';
    const cols = (p.AccessPriv.cols ?? []).map(strVal);
    const letter = privilegeLetters[name];
    if (letter === undefined || !allPrivileges[kind].includes(letter))
      throw new PgError('0LP01', `invalid privilege type ${name.toUpperCase()} for ${kind}`);
    if (cols.length > 0) {
      if (!'rawx'.includes(letter))
        throw new PgError('0LP01', `invalid privilege type ${name.toUpperCase()} for column`);
      for (const c of cols) {
        const had = out.columns.get(c) ?? '';
        if (!had.includes(letter)) out.columns.set(c, had + letter);
      }
    } else if (!out.object.includes(letter)) out.object += letter;
  }
  return out;
}

/** Column privileges (pg_attribute.attacl); REVOKE of a table privilege clears them too. */
async function changeColumnAcls(
  ctx: UtilityContext,
  stmt: GrantStmt,
  t: Target,
  req: Requested,
  grantees: string[],
  grantor: string,
): Promise<void> {
  if (t.catalog !== RelOid.pg_class) return;
  const relid = t.tuple.rec.oid as number;
  const attrs = [
    ...ctx.store.scan(RelOid.pg_attribute, ctx.snapshot, (r) => r.attrelid === relid),
  ].filter((a) => (a.rec.attnum as number) > 0 && a.rec.attisdropped !== true);
  for (const name of req.columns.keys())
    if (!attrs.some((a) => a.rec.attname === name))
      throw new PgError('42703', `column "${name}" of relation "${t.name}" does not exist`);
  for (const a of attrs) {
    let letters = req.columns.get(a.rec.attname as string) ?? '';
    // REVOKE on the table takes the same privileges off every column.
    if (!stmt.is_grant) letters += req.object;
    if (letters === '') continue;
    const current = (a.rec.attacl as string[] | null) ?? [];
    if (!stmt.is_grant && current.length === 0) continue;
    const acl = stmt.is_grant
      ? aclGrant(current, 'table', grantees, grantor, letters, stmt.grant_option === true)
      : aclRevoke(current, 'table', grantees, grantor, letters, stmt.grant_option === true);
    await ctx.store.update(ctx.txn, ctx.snapshot, RelOid.pg_attribute, a, {
      attacl: acl.length > 0 ? acl : null,
    });
  }
}

export async function grantPrivileges(ctx: UtilityContext, stmt: GrantStmt): Promise<void> {
  const grantees = (stmt.grantees ?? []).flatMap((n) => {
    if (!('RoleSpec' in n)) return [];
    if (n.RoleSpec.roletype === 'ROLESPEC_PUBLIC') return [''];
    return [resolveRoleSpec(ctx, n.RoleSpec).name];
  });
  const nameOf = (oid: number): string =>
    (ctx.store.find(RelOid.pg_authid, ctx.snapshot, (r) => r.oid === oid)?.rec.rolname as
      string | undefined) ?? String(oid);
  for (const t of targets(ctx, stmt)) {
    const owner = t.tuple.rec[t.ownerColumn] as number;
    if (!isOwner(ctx.store, ctx.snapshot, currentUser(ctx), owner))
      throw new PgError('42501', `permission denied for ${t.noun} ${t.name}`);
    const req = requested(stmt, t.kind);
    const ownerName = nameOf(owner);
    if (req.columns.size > 0 && t.catalog !== RelOid.pg_class)
      throw new PgError('0LP01', `invalid privilege type for ${t.kind}`);
    await changeColumnAcls(ctx, stmt, t, req, grantees, ownerName);
    if (req.object === '') continue;
    const current = (t.tuple.rec[t.aclColumn] as string[] | null) ?? defaultAcl(t.kind, ownerName);
    const privs = req.object;
    const acl = stmt.is_grant
      ? aclGrant(current, t.kind, grantees, ownerName, privs, stmt.grant_option === true)
      : aclRevoke(current, t.kind, grantees, ownerName, privs, stmt.grant_option === true);
    await ctx.store.update(ctx.txn, ctx.snapshot, t.catalog, t.tuple, { [t.aclColumn]: acl });
  }
}

/**
 * ALTER SCHEMA | DATABASE … OWNER TO: the owner changes, and so do the owner's entries in the
 * object's ACL (PostgreSQL's aclnewowner).
 */
export async function alterOwner(ctx: UtilityContext, stmt: AlterOwnerStmt): Promise<void> {
  const kind = stmt.objectType === 'OBJECT_SCHEMA' ? 'schema' : 'database';
  if (stmt.objectType !== 'OBJECT_SCHEMA' && stmt.objectType !== 'OBJECT_DATABASE')
    throw new PgError(
      '0A000',
      `ALTER ${(stmt.objectType ?? '').replace('OBJECT_', '')} … OWNER TO is not supported yet`,
    );
  const name = stmt.object ? strVal(stmt.object) : '';
  const [target] = targets(ctx, {
    targtype: 'ACL_TARGET_OBJECT',
    objtype: stmt.objectType,
    objects: stmt.object ? [stmt.object] : [],
  });
  if (!target) throw new PgError('42704', `${kind} "${name}" does not exist`);
  const owner = target.tuple.rec[target.ownerColumn] as number;
  const next = resolveRoleSpec(ctx, stmt.newowner);
  if (owner === next.oid) return;
  const user = currentUser(ctx);
  if (!isOwner(ctx.store, ctx.snapshot, user, owner))
    throw new PgError('42501', `must be owner of ${kind} ${name}`);
  if (!isOwner(ctx.store, ctx.snapshot, user, next.oid))
    throw new PgError('42501', `must be member of role "${next.name}"`);
  const acl = target.tuple.rec[target.aclColumn] as string[] | null;
  const oldName =
    (ctx.store.find(RelOid.pg_authid, ctx.snapshot, (r) => r.oid === owner)?.rec.rolname as
      string | undefined) ?? String(owner);
  await ctx.store.update(ctx.txn, ctx.snapshot, target.catalog, target.tuple, {
    [target.ownerColumn]: next.oid,
    [target.aclColumn]: acl === null ? null : aclRenameRole(acl, kind, oldName, next.name),
  });
}
