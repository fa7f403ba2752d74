/**
 * Roles (PostgreSQL 15's commands/user.c): CREATE/ALTER/DROP ROLE (and their USER and GROUP
 * spellings), ALTER ROLE … RENAME, and GRANT/REVOKE of role membership. Roles and memberships
 * live in the shared catalogs pg_authid and pg_auth_members, so every database sees them.
 */
import type {
  AlterRoleStmt,
  CreateRoleStmt,
  DefElem,
  DropRoleStmt,
  GrantRoleStmt,
  Node,
  RoleSpec,
} from 'libpg-query';
import type { CatalogTuple } from '../catalog/catalog.js';
import { RelOid } from '../catalog/oids.js';
import { memberships, rolesOf } from '../catalog/role-membership.js';
import { md5Verifier, scramVerifier, verifierKind } from '../libpq-be/password-check.js';
import { aclRenameRole, parseAclItem, type AclObjectKind } from '../utils/acl.js';
import { timestamptzIn } from '../utils/adt/datetime.js';
import { PgError } from '../utils/errors.js';
import type { UtilityContext } from './context.js';

/** OIDs below this belong to the system (PostgreSQL's FirstNormalObjectId). */
const FIRST_NORMAL_OBJECT_ID = 16384;
const PG_DATABASE_OWNER_ID = 6171;

export interface RoleRef {
  oid: number;
  name: string;
}

const denied = (message: string): PgError => new PgError('42501', message);
const noSuchRole = (name: string): PgError => new PgError('42704', `role "${name}" does not exist`);

function roleTuple(ctx: UtilityContext, match: (rec: Record<string, unknown>) => boolean) {
  return ctx.store.find(RelOid.pg_authid, ctx.snapshot, match);
}

function roleByName(ctx: UtilityContext, name: string): CatalogTuple | undefined {
  return roleTuple(ctx, (r) => r.rolname === name);
}

function roleByOid(ctx: UtilityContext, oid: number): CatalogTuple | undefined {
  return roleTuple(ctx, (r) => r.oid === oid);
}

/** The pg_authid row a RoleSpec names: a role name, CURRENT_USER/CURRENT_ROLE or SESSION_USER. */
export function roleSpecTuple(ctx: UtilityContext, spec: RoleSpec | undefined): CatalogTuple {
  switch (spec?.roletype) {
    case 'ROLESPEC_CURRENT_USER':
    case 'ROLESPEC_CURRENT_ROLE':
    case undefined: {
      const t = roleByOid(ctx, ctx.userOid);
      if (!t) throw new PgError('42704', 'current user does not exist');
      return t;
    }
    case 'ROLESPEC_SESSION_USER': {
      const t = roleByOid(ctx, ctx.sessionUserOid);
      if (!t) throw new PgError('42704', 'session user does not exist');
      return t;
    }
    case 'ROLESPEC_PUBLIC':
      throw noSuchRole('public');
    default: {
      const name = spec?.rolename ?? '';
      const t = roleByName(ctx, name);
      if (!t) throw noSuchRole(name);
      return t;
    }
  }
}

/** The role a RoleSpec names, as an OID and name. */
export function resolveRoleSpec(ctx: UtilityContext, spec: RoleSpec | undefined): RoleRef {
  const t = roleSpecTuple(ctx, spec);
  return { oid: t.rec.oid as number, name: t.rec.rolname as string };
}

/** Superusers and roles with CREATEROLE may create, alter and drop other roles. */
function hasCreateRole(ctx: UtilityContext): boolean {
  if (ctx.superuser) return true;
  return roleByOid(ctx, ctx.userOid)?.rec.rolcreaterole === true;
}

function isReservedName(name: string): boolean {
  return name.startsWith('pg_');
}

function reservedName(name: string, detail: string): PgError {
  return new PgError('42939', `role name "${name}" is reserved`, { detail });
}

/**
 * Runs `fn` with a snapshot that sees this transaction's catalog changes so far (PostgreSQL's
 * CommandCounterIncrement between the steps of one command).
 */
async function afterChanges<R>(
  ctx: UtilityContext,
  fn: (c: UtilityContext) => Promise<R> | R,
): Promise<R> {
  ctx.txn.commandCounterIncrement();
  const snapshot = ctx.txn.statementSnapshot();
  try {
    return await fn({ ...ctx, snapshot });
  } finally {
    snapshot.release();
  }
}

/* Options ------------------------------------------------------------------------------------- */

interface RoleOptions {
  superuser?: boolean;
  createdb?: boolean;
  createrole?: boolean;
  inherit?: boolean;
  canlogin?: boolean;
  replication?: boolean;
  bypassrls?: boolean;
  connlimit?: number;
  /** null: PASSWORD NULL. */
  password?: string | null;
  validUntil?: string;
  addroleto?: RoleSpec[];
  rolemembers?: RoleSpec[];
  adminmembers?: RoleSpec[];
  sysid?: boolean;
}

const booleanOptions: Record<string, keyof RoleOptions> = {
  superuser: 'superuser',
  createdb: 'createdb',
  createrole: 'createrole',
  inherit: 'inherit',
  canlogin: 'canlogin',
  isreplication: 'replication',
  bypassrls: 'bypassrls',
};

function roleList(arg: Node | undefined): RoleSpec[] {
  if (!arg || !('List' in arg)) return [];
  return (arg.List.items ?? []).flatMap((n) => ('RoleSpec' in n ? [n.RoleSpec] : []));
}

function parseRoleOptions(options: Node[] | undefined): RoleOptions {
  const out: RoleOptions = {};
  const seen = new Set<string>();
  for (const node of options ?? []) {
    if (!('DefElem' in node)) continue;
    const d: DefElem = node.DefElem;
    const name = d.defname ?? '';
    if (seen.has(name))
      throw new PgError('42601', 'conflicting or redundant options').at(d.location ?? -1);
    seen.add(name);
    const arg = d.arg;
    const bool = booleanOptions[name];
    if (bool) {
      (out as Record<string, unknown>)[bool] =
        arg && 'Boolean' in arg ? !!arg.Boolean.boolval : true;
      continue;
    }
    switch (name) {
      case 'connectionlimit':
        out.connlimit = arg && 'Integer' in arg ? (arg.Integer.ival ?? 0) : 0;
        break;
      case 'password':
        out.password = arg && 'String' in arg ? (arg.String.sval ?? '') : null;
        break;
      case 'validUntil':
        out.validUntil = arg && 'String' in arg ? (arg.String.sval ?? '') : '';
        break;
      case 'addroleto':
      case 'rolemembers':
      case 'adminmembers':
        out[name] = roleList(arg);
        break;
      case 'sysid':
        out.sysid = true;
        break;
      default:
        throw new PgError('42601', `option "${name}" not recognized`).at(d.location ?? -1);
    }
  }
  if (out.connlimit !== undefined && out.connlimit < -1)
    throw new PgError('22023', `invalid connection limit: ${out.connlimit}`);
  return out;
}

/** What pg_authid.rolpassword stores for a given PASSWORD: a verifier, never the password. */
function storedPassword(ctx: UtilityContext, role: string, password: string | null): string | null {
  if (password === null) return null;
  if (password === '') {
    ctx.notice('empty string is not a valid password, clearing password', '00000');
    return null;
  }
  // Already a verifier (pg_dump output, or a client that hashed it): stored as given.
  if (verifierKind(password) !== 'plain') return password;
  return ctx.settings.getString('password_encryption') === 'md5'
    ? md5Verifier(password, role)
    : scramVerifier(password);
}

function validUntilValue(ctx: UtilityContext, text: string): bigint {
  return timestamptzIn(text, ctx.settings.getString('TimeZone'));
}

/* CREATE ROLE ------------------------------------------------------------------------------- */

export async function createRole(ctx: UtilityContext, stmt: CreateRoleStmt): Promise<void> {
  const name = stmt.role ?? '';
  const o = parseRoleOptions(stmt.options);
  if (o.superuser && !ctx.superuser) throw denied('must be superuser to create superusers');
  if (o.replication && !ctx.superuser)
    throw denied('must be superuser to create replication users');
  if (o.bypassrls && !ctx.superuser) throw denied('must be superuser to create bypassrls users');
  if (!hasCreateRole(ctx)) throw denied('permission denied to create role');
  if (isReservedName(name))
    throw reservedName(name, 'Role names starting with "pg_" are reserved.');
  if (roleByName(ctx, name)) throw new PgError('42710', `role "${name}" already exists`);
  if (o.sysid) ctx.notice('SYSID can no longer be specified', '00000');
  const oid = ctx.store.allocateOid();
  ctx.store.insert(ctx.txn, RelOid.pg_authid, {
    oid,
    rolname: name,
    rolsuper: o.superuser ?? false,
    rolinherit: o.inherit ?? true,
    rolcreaterole: o.createrole ?? false,
    rolcreatedb: o.createdb ?? false,
    rolcanlogin: o.canlogin ?? stmt.stmt_type === 'ROLESTMT_USER',
    rolreplication: o.replication ?? false,
    rolbypassrls: o.bypassrls ?? false,
    rolconnlimit: o.connlimit ?? -1,
    rolpassword: o.password === undefined ? null : storedPassword(ctx, name, o.password),
    rolvaliduntil: o.validUntil === undefined ? null : validUntilValue(ctx, o.validUntil),
  });
  const created = { oid, name };
  for (const spec of o.addroleto ?? [])
    await afterChanges(ctx, (c) => addRoleMembers(c, roleSpecTuple(c, spec), [created], false));
  for (const [specs, admin] of [
    [o.rolemembers, false],
    [o.adminmembers, true],
  ] as const) {
    if (!specs?.length) continue;
    await afterChanges(ctx, (c) =>
      addRoleMembers(
        c,
        roleByOid(c, oid)!,
        specs.map((sp) => resolveRoleSpec(c, sp)),
        admin,
      ),
    );
  }
}

/* ALTER ROLE -------------------------------------------------------------------------------- */

export async function alterRole(ctx: UtilityContext, stmt: AlterRoleStmt): Promise<void> {
  const o = parseRoleOptions(stmt.options);
  const t = roleSpecTuple(ctx, stmt.role);
  const name = t.rec.rolname as string;
  if (isReservedName(name)) throw reservedName(name, 'Cannot alter reserved roles.');
  const oid = t.rec.oid as number;
  if (t.rec.rolsuper === true || o.superuser !== undefined) {
    if (!ctx.superuser)
      throw denied('must be superuser to alter superuser roles or change superuser attribute');
  } else if (t.rec.rolreplication === true || o.replication !== undefined) {
    if (!ctx.superuser)
      throw denied('must be superuser to alter replication roles or change replication attribute');
  } else if (o.bypassrls !== undefined) {
    if (!ctx.superuser) throw denied('must be superuser to change bypassrls attribute');
  } else if (!hasCreateRole(ctx)) {
    // Without CREATEROLE a role may only change its own password.
    const onlyOwnPassword =
      o.inherit === undefined &&
      o.createrole === undefined &&
      o.createdb === undefined &&
      o.canlogin === undefined &&
      o.rolemembers === undefined &&
      o.validUntil === undefined &&
      o.connlimit === undefined &&
      (o.password === undefined || oid === ctx.userOid);
    if (!onlyOwnPassword) throw denied('permission denied');
  }
  const changes: Record<string, unknown> = {};
  if (o.superuser !== undefined) changes.rolsuper = o.superuser;
  if (o.inherit !== undefined) changes.rolinherit = o.inherit;
  if (o.createrole !== undefined) changes.rolcreaterole = o.createrole;
  if (o.createdb !== undefined) changes.rolcreatedb = o.createdb;
  if (o.canlogin !== undefined) changes.rolcanlogin = o.canlogin;
  if (o.replication !== undefined) changes.rolreplication = o.replication;
  if (o.bypassrls !== undefined) changes.rolbypassrls = o.bypassrls;
  if (o.connlimit !== undefined) changes.rolconnlimit = o.connlimit;
  if (o.password !== undefined) changes.rolpassword = storedPassword(ctx, name, o.password);
  if (o.validUntil !== undefined) changes.rolvaliduntil = validUntilValue(ctx, o.validUntil);
  if (Object.keys(changes).length > 0)
    await ctx.store.update(ctx.txn, ctx.snapshot, RelOid.pg_authid, t, changes);
  const specs = o.rolemembers;
  if (!specs?.length) return;
  await afterChanges(ctx, async (c) => {
    const members = specs.map((sp) => resolveRoleSpec(c, sp));
    const role = roleByOid(c, oid)!;
    // ALTER GROUP … ADD USER (action 1) or DROP USER (action -1).
    if (stmt.action === -1) await removeRoleMembers(c, role, members, false);
    else await addRoleMembers(c, role, members, false);
  });
}

/* ALTER ROLE … RENAME TO -------------------------------------------------------------------- */

export async function renameRole(ctx: UtilityContext, from: string, to: string): Promise<void> {
  const t = roleByName(ctx, from);
  if (!t) throw noSuchRole(from);
  const oid = t.rec.oid as number;
  if (oid === ctx.sessionUserOid) throw new PgError('0A000', 'session user cannot be renamed');
  if (oid === ctx.userOid) throw new PgError('0A000', 'current user cannot be renamed');
  if (isReservedName(from)) throw reservedName(from, 'Cannot rename reserved roles.');
  if (roleByName(ctx, to)) throw new PgError('42710', `role "${to}" already exists`);
  if (isReservedName(to)) throw reservedName(to, 'Role names starting with "pg_" are reserved.');
  if (t.rec.rolsuper === true) {
    if (!ctx.superuser) throw denied('must be superuser to rename superusers');
  } else if (!hasCreateRole(ctx)) throw denied('permission denied to rename role');
  const changes: Record<string, unknown> = { rolname: to };
  // An MD5 verifier hashes the role name in, so it cannot survive the rename.
  const password = t.rec.rolpassword as string | null;
  if (password !== null && verifierKind(password) === 'md5') {
    changes.rolpassword = null;
    ctx.notice('MD5 password cleared because of role rename', '00000');
  }
  await ctx.store.update(ctx.txn, ctx.snapshot, RelOid.pg_authid, t, changes);
  await renameInAcls(ctx, from, to);
}

/* DROP ROLE --------------------------------------------------------------------------------- */

const relkindNoun: Record<string, string> = {
  r: 'table',
  v: 'view',
  S: 'sequence',
  m: 'materialized view',
  p: 'table',
  f: 'foreign table',
};

/** A relation's name as object descriptions show it: qualified unless its schema is searched. */
function relationName(ctx: UtilityContext, rec: Record<string, unknown>): string {
  const ns = ctx.store.find(RelOid.pg_namespace, ctx.snapshot, (r) => r.oid === rec.relnamespace);
  const schema = ns?.rec.nspname as string | undefined;
  const name = rec.relname as string;
  return schema === undefined || ctx.env.searchPath.includes(schema) ? name : `${schema}.${name}`;
}

function mentions(acl: unknown, role: string): boolean {
  if (!Array.isArray(acl)) return false;
  return acl.some((text) => {
    const item = parseAclItem(String(text));
    return item.grantee === role || item.grantor === role;
  });
}

/**
 * What depends on the role here and cluster-wide, as DROP ROLE's DETAIL lists it (ordered by
 * OID): objects it owns and objects whose ACL grants it privileges.
 */
function dependentObjects(ctx: UtilityContext, role: number, roleName: string): string[] {
  const found: Array<{ oid: number; text: string }> = [];
  const add = (oid: unknown, text: string): void => {
    found.push({ oid: oid as number, text });
  };
  for (const { rec } of ctx.store.scan(RelOid.pg_database, ctx.snapshot)) {
    const name = rec.datname as string;
    if (rec.datdba === role) add(rec.oid, `owner of database ${name}`);
    else if (mentions(rec.datacl, roleName)) add(rec.oid, `privileges for database ${name}`);
  }
  for (const { rec } of ctx.store.scan(RelOid.pg_namespace, ctx.snapshot)) {
    const name = rec.nspname as string;
    if (rec.nspowner === role) add(rec.oid, `owner of schema ${name}`);
    else if (mentions(rec.nspacl, roleName)) add(rec.oid, `privileges for schema ${name}`);
  }
  for (const { rec } of ctx.store.scan(RelOid.pg_class, ctx.snapshot)) {
    const noun = relkindNoun[rec.relkind as string];
    if (!noun) continue;
    if (rec.relowner === role) add(rec.oid, `owner of ${noun} ${relationName(ctx, rec)}`);
    else if (mentions(rec.relacl, roleName))
      add(rec.oid, `privileges for ${noun} ${relationName(ctx, rec)}`);
  }
  for (const { rec } of ctx.store.scan(RelOid.pg_attribute, ctx.snapshot, (r) =>
    mentions(r.attacl, roleName),
  )) {
    const rel = ctx.store.find(RelOid.pg_class, ctx.snapshot, (r) => r.oid === rec.attrelid);
    if (!rel) continue;
    const noun = relkindNoun[rel.rec.relkind as string] ?? 'relation';
    // Listed after the relation itself, in column order.
    found.push({
      oid: (rec.attrelid as number) + (rec.attnum as number) / 100_000,
      text: `privileges for column ${rec.attname as string} of ${noun} ${relationName(ctx, rel.rec)}`,
    });
  }
  return found.sort((a, b) => a.oid - b.oid).map((f) => f.text);
}

/** ALTER ROLE … RENAME: the ACLs here that name the role follow the new name. */
async function renameInAcls(ctx: UtilityContext, from: string, to: string): Promise<void> {
  const catalogs: Array<[number, string, (rec: Record<string, unknown>) => AclObjectKind]> = [
    [RelOid.pg_database, 'datacl', () => 'database'],
    [RelOid.pg_namespace, 'nspacl', () => 'schema'],
    [RelOid.pg_class, 'relacl', (rec) => (rec.relkind === 'S' ? 'sequence' : 'table')],
    [RelOid.pg_attribute, 'attacl', () => 'table'],
  ];
  for (const [catalog, column, kindOf] of catalogs) {
    for (const t of [...ctx.store.scan(catalog, ctx.snapshot, (r) => mentions(r[column], from))])
      await ctx.store.update(ctx.txn, ctx.snapshot, catalog, t, {
        [column]: aclRenameRole(t.rec[column] as string[], kindOf(t.rec), from, to),
      });
  }
}

export async function dropRoles(ctx: UtilityContext, stmt: DropRoleStmt): Promise<void> {
  if (!hasCreateRole(ctx)) throw denied('permission denied to drop role');
  for (const node of stmt.roles ?? []) {
    if (!('RoleSpec' in node)) continue;
    const spec = node.RoleSpec;
    if (spec.roletype !== 'ROLESPEC_CSTRING') {
      // DROP ROLE CURRENT_USER and friends: the role is necessarily in use.
      throw new PgError('0A000', 'cannot use special role specifier in DROP ROLE');
    }
    await afterChanges(ctx, (c) => dropRole(c, spec.rolename ?? '', stmt.missing_ok === true));
  }
}

async function dropRole(ctx: UtilityContext, name: string, missingOk: boolean): Promise<void> {
  const t = roleByName(ctx, name);
  if (!t) {
    if (!missingOk) throw noSuchRole(name);
    ctx.notice(`role "${name}" does not exist, skipping`, '00000');
    return;
  }
  const oid = t.rec.oid as number;
  if (oid === ctx.userOid) throw new PgError('55006', 'current user cannot be dropped');
  if (oid === ctx.sessionUserOid) throw new PgError('55006', 'session user cannot be dropped');
  if (oid < FIRST_NORMAL_OBJECT_ID)
    throw new PgError(
      '2BP01',
      `cannot drop role ${name} because it is required by the database system`,
    );
  if (t.rec.rolsuper === true && !ctx.superuser)
    throw denied('must be superuser to drop superusers');
  const owned = dependentObjects(ctx, oid, name);
  if (owned.length > 0)
    throw new PgError(
      '2BP01',
      `role "${name}" cannot be dropped because some objects depend on it`,
      { detail: owned.join('\n') },
    );
  await ctx.store.deleteWhere(ctx.txn, ctx.snapshot, RelOid.pg_authid, (r) => r.oid === oid);
  await ctx.store.deleteWhere(
    ctx.txn,
    ctx.snapshot,
    RelOid.pg_auth_members,
    (r) => r.roleid === oid || r.member === oid,
  );
  await ctx.store.deleteWhere(
    ctx.txn,
    ctx.snapshot,
    RelOid.pg_db_role_setting,
    (r) => r.setrole === oid,
  );
}

/* GRANT / REVOKE role ----------------------------------------------------------------------- */

/** Whether `member`, or a role it belongs to, holds ADMIN OPTION on `role`. */
function isAdminOf(ctx: UtilityContext, member: number, role: number): boolean {
  if (member === role) return false;
  const all = memberships(ctx.store, ctx.snapshot);
  const mine = rolesOf(all, member);
  return all.some((m) => m.roleid === role && m.admin && mine.has(m.member));
}

/** PostgreSQL's checks before anyone changes the members of `role`. */
function checkMembershipChange(ctx: UtilityContext, role: CatalogTuple): void {
  const oid = role.rec.oid as number;
  if (role.rec.rolsuper === true) {
    if (!ctx.superuser) throw denied('must be superuser to alter superusers');
  } else if (!hasCreateRole(ctx) && !isAdminOf(ctx, ctx.userOid, oid)) {
    throw denied(`must have admin option on role "${role.rec.rolname as string}"`);
  }
  if (oid === PG_DATABASE_OWNER_ID)
    throw new PgError('0LP01', `role "${role.rec.rolname as string}" cannot have explicit members`);
}

async function addRoleMembers(
  ctx: UtilityContext,
  role: CatalogTuple,
  members: RoleRef[],
  admin: boolean,
): Promise<void> {
  checkMembershipChange(ctx, role);
  for (const m of members) await afterChanges(ctx, (c) => addRoleMember(c, role, m, admin));
}

async function addRoleMember(
  ctx: UtilityContext,
  role: CatalogTuple,
  m: RoleRef,
  admin: boolean,
): Promise<void> {
  const roleOid = role.rec.oid as number;
  const roleName = role.rec.rolname as string;
  if (m.oid === PG_DATABASE_OWNER_ID)
    throw new PgError('0LP01', `role "${m.name}" cannot be a member of any role`);
  // A grant that would make a role a member of itself, directly or in a loop.
  if (rolesOf(memberships(ctx.store, ctx.snapshot), roleOid).has(m.oid))
    throw new PgError('0LP01', `role "${roleName}" is a member of role "${m.name}"`);
  const existing = ctx.store.find(
    RelOid.pg_auth_members,
    ctx.snapshot,
    (r) => r.roleid === roleOid && r.member === m.oid,
  );
  if (existing) {
    if (!admin || existing.rec.admin_option === true) {
      ctx.notice(`role "${m.name}" is already a member of role "${roleName}"`, '00000');
      return;
    }
    await ctx.store.update(ctx.txn, ctx.snapshot, RelOid.pg_auth_members, existing, {
      admin_option: true,
      grantor: ctx.userOid,
    });
  } else {
    ctx.store.insert(ctx.txn, RelOid.pg_auth_members, {
      roleid: roleOid,
      member: m.oid,
      grantor: ctx.userOid,
      admin_option: admin,
    });
  }
}

async function removeRoleMembers(
  ctx: UtilityContext,
  role: CatalogTuple,
  members: RoleRef[],
  adminOnly: boolean,
): Promise<void> {
  checkMembershipChange(ctx, role);
  const roleOid = role.rec.oid as number;
  for (const m of members) {
    const existing = ctx.store.find(
      RelOid.pg_auth_members,
      ctx.snapshot,
      (r) => r.roleid === roleOid && r.member === m.oid,
    );
    if (!existing) {
      ctx.warn(`role "${m.name}" is not a member of role "${role.rec.rolname as string}"`, '01000');
      continue;
    }
    if (adminOnly)
      await ctx.store.update(ctx.txn, ctx.snapshot, RelOid.pg_auth_members, existing, {
        admin_option: false,
      });
    else
      await ctx.store.deleteWhere(
        ctx.txn,
        ctx.snapshot,
        RelOid.pg_auth_members,
        (r) => r.roleid === roleOid && r.member === m.oid,
      );
  }
}

export async function grantRoles(ctx: UtilityContext, stmt: GrantRoleStmt): Promise<void> {
  if (stmt.grantor) {
    const grantor = resolveRoleSpec(ctx, stmt.grantor);
    if (grantor.oid !== ctx.userOid && !ctx.superuser)
      throw denied('must be superuser to set grantor');
  }
  // WITH ADMIN OPTION on GRANT; ADMIN OPTION FOR on REVOKE (only the option is revoked).
  const adminOption = (stmt.opt ?? []).some(
    (n) =>
      'DefElem' in n &&
      n.DefElem.defname === 'admin' &&
      (stmt.is_grant === true
        ? !(n.DefElem.arg && 'Boolean' in n.DefElem.arg && !n.DefElem.arg.Boolean.boolval)
        : true),
  );
  const grantees = (stmt.grantee_roles ?? []).flatMap((n) =>
    'RoleSpec' in n ? [resolveRoleSpec(ctx, n.RoleSpec)] : [],
  );
  for (const node of stmt.granted_roles ?? []) {
    if (!('AccessPriv' in node)) continue;
    if ((node.AccessPriv.cols ?? []).length > 0)
      throw new PgError('0LP01', 'column names cannot be included in GRANT/REVOKE ROLE');
    const name = node.AccessPriv.priv_name ?? '';
    await afterChanges(ctx, async (c) => {
      const role = roleByName(c, name);
      if (!role) throw noSuchRole(name);
      if (stmt.is_grant) await addRoleMembers(c, role, grantees, adminOption);
      else await removeRoleMembers(c, role, grantees, adminOption);
    });
  }
}
