/**
 * COMMENT ON: an object's description in pg_description (one row per object and column, replaced
 * by a new comment, removed by NULL or ''), for tables, views, indexes, sequences, their columns
 * and schemas — read back by obj_description() / col_description() and psql's \d+ family.
 */
import type { CommentStmt, Node } from 'libpg-query';
import { RelOid } from '../catalog/oids.js';
import { lookupRelation } from '../parser/analyze.js';
import { strVal } from '../parser/analyze-expr.js';
import { PgError } from '../utils/errors.js';
import type { UtilityContext } from './context.js';

/** What each relation kind is called in "… is not a …" errors, and the kind it must be. */
const relationKinds: Record<string, { kind: string; noun: string }> = {
  OBJECT_TABLE: { kind: 'r', noun: 'table' },
  OBJECT_VIEW: { kind: 'v', noun: 'view' },
  OBJECT_INDEX: { kind: 'i', noun: 'index' },
  OBJECT_SEQUENCE: { kind: 'S', noun: 'sequence' },
};

function nameList(object: Node | undefined): string[] {
  if (!object) return [];
  if ('List' in object) return (object.List.items ?? []).map(strVal);
  return [strVal(object)];
}

function rangeVar(names: string[]): { schemaname?: string; relname: string } {
  const relname = names[names.length - 1] ?? '';
  return names.length > 1 ? { schemaname: names[names.length - 2], relname } : { relname };
}

/** The commented object: its OID, catalog and sub-id (a column's attnum). */
function commentTarget(
  ctx: UtilityContext,
  stmt: CommentStmt,
): { objoid: number; classoid: number; objsubid: number } {
  const names = nameList(stmt.object);
  const objtype = stmt.objtype ?? '';
  const relKind = relationKinds[objtype];
  if (relKind) {
    const rel = lookupRelation(ctx.env, rangeVar(names));
    if (rel.kind !== relKind.kind) {
      const article = relKind.noun === 'index' ? 'an' : 'a';
      throw new PgError('42809', `"${rel.name}" is not ${article} ${relKind.noun}`);
    }
    return { objoid: rel.oid, classoid: RelOid.pg_class, objsubid: 0 };
  }
  if (objtype === 'OBJECT_COLUMN') {
    const column = names[names.length - 1] ?? '';
    const rel = lookupRelation(ctx.env, rangeVar(names.slice(0, -1)));
    const col = rel.columns.find((c) => c.name === column);
    if (!col)
      throw new PgError('42703', `column "${column}" of relation "${rel.name}" does not exist`);
    return { objoid: rel.oid, classoid: RelOid.pg_class, objsubid: col.attnum };
  }
  if (objtype === 'OBJECT_SCHEMA') {
    const name = names[0] ?? '';
    const ns = ctx.store.find(RelOid.pg_namespace, ctx.snapshot, (r) => r.nspname === name);
    if (!ns) throw new PgError('3F000', `schema "${name}" does not exist`);
    return { objoid: ns.rec.oid as number, classoid: RelOid.pg_namespace, objsubid: 0 };
  }
  const what = objtype.replace('OBJECT_', '').toLowerCase().replaceAll('_', ' ');
  throw new PgError('0A000', `COMMENT ON ${what.toUpperCase()} is not supported yet`);
}

export async function commentOn(ctx: UtilityContext, stmt: CommentStmt): Promise<void> {
  const { objoid, classoid, objsubid } = commentTarget(ctx, stmt);
  await ctx.store.deleteWhere(
    ctx.txn,
    ctx.snapshot,
    RelOid.pg_description,
    (r) => r.objoid === objoid && r.classoid === classoid && r.objsubid === objsubid,
  );
  const text = stmt.comment ?? '';
  if (text !== '') {
    ctx.store.insert(ctx.txn, RelOid.pg_description, {
      objoid,
      classoid,
      objsubid,
      description: text,
    });
  }
  ctx.catalogChanged();
}

/** DROP: the descriptions of a relation (and its columns) or schema go with it. */
export async function dropDescriptions(
  ctx: Pick<UtilityContext, 'store' | 'txn' | 'snapshot'>,
  objoid: number,
  classoid: number,
): Promise<void> {
  await ctx.store.deleteWhere(
    ctx.txn,
    ctx.snapshot,
    RelOid.pg_description,
    (r) => r.objoid === objoid && r.classoid === classoid,
  );
}
