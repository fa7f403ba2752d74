/**
 * ALTER ROLE … [IN DATABASE …] SET / RESET and ALTER DATABASE … SET / RESET: per-role and
 * per-database defaults kept in the shared catalog pg_db_role_setting as "name=value" texts, and
 * applied when a session starts (PostgreSQL's process_settings).
 */
import type { AlterDatabaseSetStmt, AlterRoleSetStmt, VariableSetStmt } from 'libpg-query';
import type { Cluster } from '../access/api.js';
import { isOwner } from '../catalog/aclchk.js';
import { RelOid } from '../catalog/oids.js';
import { withSnapshot } from '../catalog/roles.js';
import { catalogByOid, catalogRecord } from '../catalog/definitions.js';
import { PgError } from '../utils/errors.js';
import { SessionSettings } from '../utils/guc.js';
import { currentUser, type UtilityContext } from './context.js';
import { roleSpecTuple } from './user.js';
import { setValueText } from './variable.js';

const denied = (message: string): PgError => new PgError('42501', message);

/** Rewrites one pg_db_role_setting row by the SET / RESET statement. */
async function changeSetting(
  ctx: UtilityContext,
  database: number,
  role: number,
  set: VariableSetStmt,
): Promise<void> {
  const existing = ctx.store.find(
    RelOid.pg_db_role_setting,
    ctx.snapshot,
    (r) => r.setdatabase === database && r.setrole === role,
  );
  let config = [...((existing?.rec.setconfig as string[] | null) ?? [])];
  const kind = set.kind;
  if (kind === 'VAR_RESET_ALL') config = [];
  else {
    // Validates the name and value as SET would, then keeps PostgreSQL's canonical name.
    const probe = new SessionSettings();
    const given = set.name ?? '';
    const name = given.includes('.') ? given.toLowerCase() : probe.canonicalName(given);
    config = config.filter((c) => c.slice(0, c.indexOf('=')).toLowerCase() !== name.toLowerCase());
    if (kind === 'VAR_SET_VALUE' || kind === 'VAR_SET_CURRENT') {
      const value = kind === 'VAR_SET_CURRENT' ? ctx.settings.show(name) : setValueText(set);
      probe.set(name, value, { givenName: given, superuser: ctx.superuser });
      config.push(`${name}=${value}`);
    }
  }
  ctx.catalogChanged();
  if (existing && config.length === 0)
    await ctx.store.deleteWhere(
      ctx.txn,
      ctx.snapshot,
      RelOid.pg_db_role_setting,
      (r) => r.setdatabase === database && r.setrole === role,
    );
  else if (existing)
    await ctx.store.update(ctx.txn, ctx.snapshot, RelOid.pg_db_role_setting, existing, {
      setconfig: config,
    });
  else if (config.length > 0)
    ctx.store.insert(ctx.txn, RelOid.pg_db_role_setting, {
      setdatabase: database,
      setrole: role,
      setconfig: config,
    });
}

function databaseOid(ctx: UtilityContext, name: string): { oid: number; owner: number } {
  const t = ctx.store.find(RelOid.pg_database, ctx.snapshot, (r) => r.datname === name);
  if (!t) throw new PgError('3D000', `database "${name}" does not exist`);
  return { oid: t.rec.oid as number, owner: t.rec.datdba as number };
}

export async function alterRoleSet(ctx: UtilityContext, stmt: AlterRoleSetStmt): Promise<void> {
  let role = 0;
  if (stmt.role === undefined) {
    if (!ctx.superuser) throw denied('must be superuser to alter settings globally');
  } else {
    const t = roleSpecTuple(ctx, stmt.role);
    role = t.rec.oid as number;
    if (t.rec.rolsuper === true) {
      if (!ctx.superuser) throw denied('must be superuser to alter superusers');
    } else if (role !== ctx.userOid) {
      const me = ctx.store.find(RelOid.pg_authid, ctx.snapshot, (r) => r.oid === ctx.userOid);
      if (!ctx.superuser && me?.rec.rolcreaterole !== true) throw denied('permission denied');
    }
  }
  const database = stmt.database === undefined ? 0 : databaseOid(ctx, stmt.database).oid;
  await changeSetting(ctx, database, role, stmt.setstmt!);
}

export async function alterDatabaseSet(
  ctx: UtilityContext,
  stmt: AlterDatabaseSetStmt,
): Promise<void> {
  const name = stmt.dbname ?? '';
  const db = databaseOid(ctx, name);
  if (!isOwner(ctx.store, ctx.snapshot, currentUser(ctx), db.owner))
    throw denied(`must be owner of database ${name}`);
  await changeSetting(ctx, db.oid, 0, stmt.setstmt!);
}

/**
 * The settings a new session of `role` in `database` starts with, least specific first (all
 * roles and databases, the database, the role, the role in the database), so later ones win.
 */
export function startupSettings(
  cluster: Cluster,
  database: number,
  role: number,
): Array<[string, string]> {
  const def = catalogByOid.get(RelOid.pg_db_role_setting)!;
  const rows = withSnapshot(cluster, (s) =>
    [...cluster.shared.heap(def.oid, def.name).scan(s)].map((t) => catalogRecord(def, t.row)),
  );
  const out: Array<[string, string]> = [];
  for (const [db, r] of [
    [0, 0],
    [database, 0],
    [0, role],
    [database, role],
  ] as const) {
    const row = rows.find((x) => x.setdatabase === db && x.setrole === r);
    for (const entry of (row?.setconfig as string[] | null) ?? []) {
      const eq = entry.indexOf('=');
      if (eq > 0) out.push([entry.slice(0, eq), entry.slice(eq + 1)]);
    }
  }
  return out;
}
