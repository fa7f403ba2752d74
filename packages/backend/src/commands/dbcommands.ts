/**
 * CREATE DATABASE and DROP DATABASE: a pg_database row in the shared catalog plus the database's
 * storage, created as a copy of its template (PostgreSQL's file-copy strategy) and removed after
 * the dropping transaction commits. Neither may run inside a transaction block.
 */
import type { CreatedbStmt, DropdbStmt, Node } from 'libpg-query';
import { PgError } from '../utils/errors.js';
import { RelOid, TEMPLATE1_OID } from '../catalog/oids.js';
import type { UtilityContext } from './context.js';

function optionValue(options: Node[] | undefined, name: string): string | undefined {
  for (const o of options ?? []) {
    if (!('DefElem' in o) || o.DefElem.defname !== name) continue;
    const arg = o.DefElem.arg;
    if (arg && 'String' in arg) return arg.String.sval;
    if (arg && 'Integer' in arg) return String(arg.Integer.ival ?? 0);
    if (arg && 'TypeName' in arg)
      return (arg.TypeName.names ?? []).map((n) => ('String' in n ? n.String.sval : '')).join('.');
  }
  return undefined;
}

export function createDatabase(ctx: UtilityContext, stmt: CreatedbStmt, inBlock: boolean): void {
  if (inBlock) throw new PgError('25001', 'CREATE DATABASE cannot run inside a transaction block');
  const name = stmt.dbname ?? '';
  const find = (n: string): Record<string, unknown> | undefined =>
    ctx.store.find(RelOid.pg_database, ctx.snapshot, (r) => r.datname === n)?.rec;
  if (find(name)) throw new PgError('42P04', `database "${name}" already exists`);
  const templateName = optionValue(stmt.options, 'template');
  const template = templateName === undefined ? find('template1') : find(templateName);
  if (!template) throw new PgError('3D000', `template database "${templateName}" does not exist`);
  for (const o of stmt.options ?? []) {
    const opt = 'DefElem' in o ? (o.DefElem.defname ?? '') : '';
    if (
      ![
        'template',
        'owner',
        'encoding',
        'connection_limit',
        'is_template',
        'allow_connections',
        'strategy',
        'locale',
        'lc_collate',
        'lc_ctype',
      ].includes(opt)
    ) {
      throw new PgError('42601', `option "${opt}" not recognized`);
    }
  }
  const encoding = optionValue(stmt.options, 'encoding');
  if (encoding !== undefined && !/^utf-?8$/i.test(encoding) && encoding !== '6') {
    throw new PgError('0A000', `encoding "${encoding}" is not supported (only UTF8)`);
  }
  const oid = ctx.store.allocateOid();
  ctx.store.cluster.createDatabaseStorage(
    oid,
    (template.oid as number | undefined) ?? TEMPLATE1_OID,
  );
  const limit = optionValue(stmt.options, 'connection_limit');
  ctx.store.insert(ctx.txn, RelOid.pg_database, {
    ...template,
    oid,
    datname: name,
    datdba: ctx.userOid,
    datistemplate: optionValue(stmt.options, 'is_template') === 'true',
    datallowconn: optionValue(stmt.options, 'allow_connections') !== 'false',
    datconnlimit: limit === undefined ? -1 : Number(limit),
  });
}

export async function dropDatabase(
  ctx: UtilityContext,
  stmt: DropdbStmt,
  inBlock: boolean,
  currentDatabase: string,
): Promise<void> {
  if (inBlock) throw new PgError('25001', 'DROP DATABASE cannot run inside a transaction block');
  const name = stmt.dbname ?? '';
  const t = ctx.store.find(RelOid.pg_database, ctx.snapshot, (r) => r.datname === name);
  if (!t) {
    if (stmt.missing_ok) {
      ctx.notice(`database "${name}" does not exist, skipping`, '00000');
      return;
    }
    throw new PgError('3D000', `database "${name}" does not exist`);
  }
  if (name === currentDatabase)
    throw new PgError('55006', 'cannot drop the currently open database');
  if (t.rec.datistemplate === true) throw new PgError('55006', 'cannot drop a template database');
  await ctx.store.deleteWhere(
    ctx.txn,
    ctx.snapshot,
    RelOid.pg_database,
    (r) => r.oid === t.rec.oid,
  );
  const oid = t.rec.oid as number;
  await ctx.store.deleteWhere(
    ctx.txn,
    ctx.snapshot,
    RelOid.pg_db_role_setting,
    (r) => r.setdatabase === oid,
  );
  ctx.onCommit(() => {
    ctx.store.cluster.dropDatabaseStorage(oid).catch((err: unknown) => {
      console.error(`could not remove the storage of database ${oid}:`, err);
    });
  });
}
