/**
 * CREATE [OR REPLACE] VIEW: the view is a pg_class entry (relkind 'v') with its columns in
 * pg_attribute, a composite row type, a `_RETURN` rule in pg_rewrite holding the query's SQL text,
 * and normal dependencies on every relation the query reads (so DROP TABLE refuses without CASCADE).
 * Queries that name the view analyze that text as a subquery.
 */
import type { Node, ViewStmt } from 'libpg-query';
import { scanSync } from 'libpg-query';
import { PgError } from '../utils/errors.js';
import { formatType, truncateIdentifier } from '../utils/adt/types.js';
import { RelOid } from '../catalog/oids.js';
import { transformSelect } from '../parser/analyze.js';
import { strVal } from '../parser/analyze-expr.js';
import type { UtilityContext } from './context.js';
import {
  creationNamespace,
  insertAttribute,
  insertDepend,
  insertRelation,
  insertRowType,
} from './tablecmds.js';

/** The text after the statement's first top-level AS: the view's query. */
export function viewQueryText(statement: string): string {
  const bytes = Buffer.from(statement, 'utf8');
  let depth = 0;
  for (const t of scanSync(statement).tokens) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && t.text.toLowerCase() === 'as') {
      return bytes.subarray(t.end).toString('utf8').trim().replace(/;\s*$/, '').trim();
    }
  }
  throw new PgError('42601', 'syntax error in CREATE VIEW');
}

/** Unqualified and qualified relation names a raw tree reads (for dependencies). */
function namedRelations(node: unknown, out: Array<{ schema?: string; name: string }>): void {
  if (Array.isArray(node)) {
    for (const n of node) namedRelations(n, out);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const rv = (node as { RangeVar?: { relname?: string; schemaname?: string } }).RangeVar;
  if (rv?.relname) out.push({ schema: rv.schemaname, name: rv.relname });
  for (const v of Object.values(node)) namedRelations(v, out);
}

export async function createView(
  ctx: UtilityContext,
  stmt: ViewStmt,
  statementText: string,
): Promise<void> {
  const rv = stmt.view!;
  if (rv.relpersistence === 't')
    throw new PgError('0A000', 'temporary views are not supported yet').at(rv.location ?? -1);
  if (stmt.withCheckOption && stmt.withCheckOption !== 'NO_CHECK_OPTION')
    throw new PgError('0A000', 'WITH CHECK OPTION is not supported yet');
  const name = truncateIdentifier(rv.relname ?? '');
  const ns = creationNamespace(ctx, rv);
  const query = stmt.query as Node;
  if (!('SelectStmt' in query)) throw new PgError('42601', 'a view must be defined by a SELECT');
  const analyzed = transformSelect({ ...ctx.env, paramTypes: [] }, query.SelectStmt);
  const aliases = (stmt.aliases ?? []).map(strVal);
  const visible = analyzed.targets.slice(0, analyzed.visible);
  if (aliases.length > visible.length)
    throw new PgError('42601', 'CREATE VIEW specifies more column names than columns');
  const columns = visible.map((t, i) => ({
    name: aliases[i] ?? t.name,
    type: t.expr.type,
    typmod: t.expr.typmod,
  }));
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) throw new PgError('42701', `column "${c.name}" specified more than once`);
    seen.add(c.name);
  }
  const sql = viewQueryText(statementText);

  const existing = ctx.store.find(
    RelOid.pg_class,
    ctx.snapshot,
    (r) => r.relname === name && r.relnamespace === ns.oid,
  );
  ctx.catalogChanged();
  let viewOid: number;
  let firstNew = 0;
  if (existing) {
    if (!stmt.replace || existing.rec.relkind !== 'v') {
      if (stmt.replace && existing.rec.relkind !== 'v')
        throw new PgError('42809', `"${name}" is not a view`);
      throw new PgError('42P07', `relation "${name}" already exists`);
    }
    viewOid = existing.rec.oid as number;
    firstNew = replaceColumns(ctx, viewOid, columns);
    await ctx.store.update(ctx.txn, ctx.snapshot, RelOid.pg_class, existing, {
      relnatts: columns.length,
    });
    await ctx.store.deleteWhere(
      ctx.txn,
      ctx.snapshot,
      RelOid.pg_rewrite,
      (r) => r.ev_class === viewOid,
    );
    await ctx.store.deleteWhere(
      ctx.txn,
      ctx.snapshot,
      RelOid.pg_depend,
      (r) => r.classid === RelOid.pg_class && r.objid === viewOid && r.deptype === 'n',
    );
  } else {
    viewOid = ctx.store.allocateOid();
    const typeOid = ctx.store.allocateOid();
    insertRowType(ctx, typeOid, name, ns.oid, viewOid);
    insertRelation(ctx, {
      oid: viewOid,
      name,
      namespace: ns.oid,
      kind: 'v',
      natts: columns.length,
      reltype: typeOid,
      am: 0,
    });
    insertDepend(ctx, RelOid.pg_type, typeOid, 0, RelOid.pg_class, viewOid, 0, 'i');
  }
  for (let i = firstNew; i < columns.length; i++) {
    const c = columns[i]!;
    insertAttribute(ctx, viewOid, i + 1, c.name, c.type, c.typmod, false, false);
  }
  ctx.store.insert(ctx.txn, RelOid.pg_rewrite, {
    oid: ctx.store.allocateOid(),
    rulename: '_RETURN',
    ev_class: viewOid,
    ev_type: '1',
    ev_enabled: 'O',
    is_instead: true,
    ev_qual: '<>',
    ev_action: sql,
  });
  const referenced = new Set<number>();
  const names: Array<{ schema?: string; name: string }> = [];
  namedRelations(query, names);
  for (const n of names) {
    const rel = ctx.relcache.resolve(n.schema, n.name, ctx.env.searchPath, ctx.snapshot);
    // Names that are WITH queries of the view resolve to nothing; catalogs cannot be dropped.
    if (!rel || rel.namespace === 11 || rel.oid === viewOid || referenced.has(rel.oid)) continue;
    referenced.add(rel.oid);
    insertDepend(ctx, RelOid.pg_class, viewOid, 0, RelOid.pg_class, rel.oid, 0, 'n');
  }
}

/**
 * CREATE OR REPLACE VIEW may only add columns at the end: the existing ones keep their names and
 * types. Returns how many columns already exist.
 */
function replaceColumns(
  ctx: UtilityContext,
  viewOid: number,
  columns: Array<{ name: string; type: number; typmod: number }>,
): number {
  const old = [...ctx.store.scan(RelOid.pg_attribute, ctx.snapshot, (r) => r.attrelid === viewOid)]
    .map((a) => a.rec)
    .filter((r) => (r.attnum as number) > 0)
    .sort((a, b) => (a.attnum as number) - (b.attnum as number));
  if (columns.length < old.length) throw new PgError('42P16', 'cannot drop columns from view');
  old.forEach((o, i) => {
    const c = columns[i]!;
    if (o.attname !== c.name)
      throw new PgError(
        '42P16',
        `cannot change name of view column "${o.attname as string}" to "${c.name}"`,
        { hint: 'Use ALTER VIEW ... RENAME COLUMN ... to change name of view column instead.' },
      );
    if (o.atttypid !== c.type)
      throw new PgError(
        '42P16',
        `cannot change data type of view column "${c.name}" from ${formatType(o.atttypid as number, o.atttypmod as number)} to ${formatType(c.type, c.typmod)}`,
      );
  });
  return old.length;
}
