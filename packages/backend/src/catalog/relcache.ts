/**
 * The per-backend relation cache (PostgreSQL's relcache + namespace search): relation descriptors
 * built from pg_class, pg_attribute, pg_attrdef, pg_index and pg_sequence, looked up by name along
 * the search path. The whole cache is dropped when the shared catalog version moves (another
 * backend committed DDL) or when this backend changes the catalogs itself.
 */
import type {
  BtreeIndex,
  BtreeIndexSpec,
  HeapRelation,
  SequenceParams,
  Snapshot,
} from '../access/api.js';
import { typeByOid, type Value } from '../utils/adt/types.js';
import { CatalogStore } from './catalog.js';
import { columnSequence } from './column-sequence.js';
import { PG_CATALOG_NAMESPACE, RelOid } from './oids.js';

export interface ColumnInfo {
  attnum: number;
  name: string;
  type: number;
  typmod: number;
  notNull: boolean;
  /** SQL text of the column default (stored in pg_attrdef.adbin), if any. */
  defaultSql: string | undefined;
  /** pg_attribute.attidentity: 'a' GENERATED ALWAYS, 'd' BY DEFAULT AS IDENTITY, '' none. */
  identity: '' | 'a' | 'd';
  /** GENERATED ALWAYS AS (…) STORED: `defaultSql` is then its generation expression. */
  generated: boolean;
  /** Column-level privileges (pg_attribute.attacl), null when none were granted. */
  acl: string[] | null;
}

export interface IndexInfo {
  oid: number;
  name: string;
  relfilenode: number;
  /** Attribute numbers of the key columns. */
  columns: number[];
  unique: boolean;
  primary: boolean;
  btree: BtreeIndex;
}

export interface RelationInfo {
  oid: number;
  name: string;
  namespace: number;
  namespaceName: string;
  /** pg_class.relkind: 'r' table, 'S' sequence, 'i' index, 'v' view. */
  kind: string;
  /** pg_class.relowner and relacl (null: the owner's default privileges). */
  owner: number;
  acl: string[] | null;
  /** A view's query (SQL text of its SELECT), from its pg_rewrite _RETURN rule. */
  viewSql?: string;
  relfilenode: number;
  shared: boolean;
  columns: ColumnInfo[];
  indexes: IndexInfo[];
  heap: HeapRelation;
  sequence: SequenceParams | undefined;
  /** CHECK constraints: name and raw expression tree (JSON, from pg_constraint.conbin). */
  checks: Array<{ name: string; exprJson: string }>;
  /** FOREIGN KEY constraints of this table (it is the referencing side), by name. */
  foreignKeys: ForeignKeyInfo[];
  /** FOREIGN KEY constraints of other tables (or this one) that reference this table. */
  referencedBy: ForeignKeyInfo[];
}

/** A referential action (pg_constraint.confupdtype/confdeltype). */
export type ReferentialAction = 'a' | 'r' | 'c' | 'n' | 'd';

/** One side of a foreign key: the table and its key columns, in constraint order. */
export interface ForeignKeySide {
  oid: number;
  name: string;
  namespaceName: string;
  /** Key columns in the order the constraint lists them. */
  columns: Array<{ attnum: number; name: string; type: number }>;
}

/** A FOREIGN KEY constraint, as both the referencing and the referenced table see it. */
export interface ForeignKeyInfo {
  oid: number;
  name: string;
  child: ForeignKeySide;
  parent: ForeignKeySide;
  onUpdate: ReferentialAction;
  onDelete: ReferentialAction;
  /** ON DELETE SET NULL / SET DEFAULT (columns): the referencing columns set (default: all). */
  deleteSetColumns: number[] | undefined;
  /** MATCH FULL (otherwise MATCH SIMPLE). */
  matchFull: boolean;
  deferrable: boolean;
  initiallyDeferred: boolean;
}

export class RelationCache {
  private byKey = new Map<string, RelationInfo | null>();
  private byOid = new Map<number, RelationInfo>();
  private namespaces = new Map<string, number | null>();
  private version: bigint;
  /** Bumped by every invalidate(): anything derived from the cached relations (plans) is stale. */
  generation = 0;

  constructor(readonly store: CatalogStore) {
    this.version = store.catalogVersion();
  }

  /** Drops everything if another backend committed DDL since we last looked. */
  checkVersion(snapshot?: Snapshot): void {
    const v = this.store.catalogVersion(snapshot);
    if (v !== this.version) {
      this.version = v;
      this.invalidate();
    }
  }

  invalidate(): void {
    this.generation++;
    this.byKey.clear();
    this.byOid.clear();
    this.namespaces.clear();
  }

  namespaceOid(name: string, snapshot: Snapshot): number | undefined {
    const hit = this.namespaces.get(name);
    if (hit !== undefined) return hit ?? undefined;
    const t = this.store.find(RelOid.pg_namespace, snapshot, (r) => r.nspname === name);
    const oid = t ? (t.rec.oid as number) : null;
    this.namespaces.set(name, oid);
    return oid ?? undefined;
  }

  namespaceName(oid: number, snapshot: Snapshot): string {
    const t = this.store.find(RelOid.pg_namespace, snapshot, (r) => r.oid === oid);
    return t ? (t.rec.nspname as string) : String(oid);
  }

  /** Looks a relation up in one namespace. */
  lookup(namespace: number, name: string, snapshot: Snapshot): RelationInfo | undefined {
    const key = `${namespace}.${name}`;
    const hit = this.byKey.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const t = this.store.find(
      RelOid.pg_class,
      snapshot,
      (r) => r.relname === name && r.relnamespace === namespace,
    );
    const info = t ? this.build(t.rec, snapshot) : null;
    this.byKey.set(key, info);
    if (info) this.byOid.set(info.oid, info);
    return info ?? undefined;
  }

  byRelOid(oid: number, snapshot: Snapshot): RelationInfo | undefined {
    const hit = this.byOid.get(oid);
    if (hit) return hit;
    const t = this.store.find(RelOid.pg_class, snapshot, (r) => r.oid === oid);
    if (!t) return undefined;
    const info = this.build(t.rec, snapshot);
    this.byOid.set(oid, info);
    return info;
  }

  /** Resolves an unqualified name along `searchPath` (pg_catalog first, as PostgreSQL does). */
  resolve(
    schema: string | undefined,
    name: string,
    searchPath: string[],
    snapshot: Snapshot,
  ): RelationInfo | undefined {
    if (schema !== undefined) {
      const ns = this.namespaceOid(schema, snapshot);
      return ns === undefined ? undefined : this.lookup(ns, name, snapshot);
    }
    const path = searchPath.includes('pg_catalog') ? searchPath : ['pg_catalog', ...searchPath];
    for (const nsName of path) {
      const ns = this.namespaceOid(nsName, snapshot);
      if (ns === undefined) continue;
      const rel = this.lookup(ns, name, snapshot);
      if (rel) return rel;
    }
    return undefined;
  }

  private build(rec: Record<string, unknown>, snapshot: Snapshot): RelationInfo {
    const oid = rec.oid as number;
    const store = this.store;
    const defaults = new Map<number, string>();
    for (const d of store.scan(RelOid.pg_attrdef, snapshot, (r) => r.adrelid === oid)) {
      defaults.set(d.rec.adnum as number, d.rec.adbin as string);
    }
    const columns: ColumnInfo[] = [];
    for (const a of store.scan(RelOid.pg_attribute, snapshot, (r) => r.attrelid === oid)) {
      const attnum = a.rec.attnum as number;
      if (attnum <= 0 || a.rec.attisdropped === true) continue;
      const identity =
        (a.rec.attidentity as string) === 'a' ? 'a' : a.rec.attidentity === 'd' ? 'd' : '';
      columns.push({
        attnum,
        name: a.rec.attname as string,
        type: a.rec.atttypid as number,
        typmod: a.rec.atttypmod as number,
        notNull: a.rec.attnotnull as boolean,
        defaultSql: identity ? identityDefault(store, oid, attnum, snapshot) : defaults.get(attnum),
        identity,
        generated: a.rec.attgenerated === 's',
        acl: (a.rec.attacl as string[] | null) ?? null,
      });
    }
    columns.sort((x, y) => x.attnum - y.attnum);
    const shared = rec.relisshared === true;
    const storage = shared ? store.cluster.shared : store.db;
    const heap = storage.heap(rec.relfilenode as number, rec.relname as string);
    const indexes: IndexInfo[] = [];
    for (const ix of store.scan(RelOid.pg_index, snapshot, (r) => r.indrelid === oid)) {
      const ixOid = ix.rec.indexrelid as number;
      const cls = store.find(RelOid.pg_class, snapshot, (r) => r.oid === ixOid);
      if (!cls) continue;
      const attnums = (ix.rec.indkey as number[]).map(Number);
      const spec: BtreeIndexSpec = {
        relFileId: cls.rec.relfilenode as number,
        name: cls.rec.relname as string,
        unique: ix.rec.indisunique as boolean,
        columns: attnums.map((n) => {
          const col = columns.find((c) => c.attnum === n);
          return { type: col ? (typeByOid(col.type).keyType ?? 'text') : 'text' };
        }),
        describeKey: (key) =>
          describeKey(
            attnums.map((n) => columns.find((c) => c.attnum === n)),
            key,
          ),
      };
      indexes.push({
        oid: ixOid,
        name: spec.name,
        relfilenode: spec.relFileId,
        columns: attnums,
        unique: spec.unique,
        primary: ix.rec.indisprimary as boolean,
        btree: storage.btree(spec, heap),
      });
    }
    indexes.sort((a, b) => a.oid - b.oid);
    let sequence: SequenceParams | undefined;
    if (rec.relkind === 'S') {
      const s = store.find(RelOid.pg_sequence, snapshot, (r) => r.seqrelid === oid);
      if (s) {
        sequence = {
          increment: s.rec.seqincrement as bigint,
          minValue: s.rec.seqmin as bigint,
          maxValue: s.rec.seqmax as bigint,
          start: s.rec.seqstart as bigint,
          cycle: s.rec.seqcycle as boolean,
        };
      }
    }
    const checks = [
      ...store.scan(RelOid.pg_constraint, snapshot, (r) => r.conrelid === oid && r.contype === 'c'),
    ]
      .map((c) => ({ name: c.rec.conname as string, exprJson: c.rec.conbin as string }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const namespace = rec.relnamespace as number;
    const foreignKeys = this.foreignKeys(snapshot, (r) => r.conrelid === oid);
    const referencedBy = this.foreignKeys(snapshot, (r) => r.confrelid === oid);
    const viewSql =
      rec.relkind === 'v'
        ? (store.find(RelOid.pg_rewrite, snapshot, (r) => r.ev_class === oid)?.rec.ev_action as
            string | undefined)
        : undefined;
    return {
      viewSql,
      checks,
      foreignKeys,
      referencedBy,
      oid,
      name: rec.relname as string,
      namespace,
      namespaceName:
        namespace === PG_CATALOG_NAMESPACE ? 'pg_catalog' : this.namespaceName(namespace, snapshot),
      kind: rec.relkind as string,
      owner: rec.relowner as number,
      acl: (rec.relacl as string[] | null) ?? null,
      relfilenode: rec.relfilenode as number,
      shared,
      columns,
      indexes,
      heap,
      sequence,
    };
  }

  /** FOREIGN KEY constraints whose pg_constraint row passes `filter`, ordered by name. */
  private foreignKeys(
    snapshot: Snapshot,
    filter: (r: Record<string, unknown>) => boolean,
  ): ForeignKeyInfo[] {
    const out: ForeignKeyInfo[] = [];
    for (const c of this.store.scan(
      RelOid.pg_constraint,
      snapshot,
      (r) => r.contype === 'f' && filter(r),
    )) {
      const child = this.keySide(c.rec.conrelid as number, c.rec.conkey as number[], snapshot);
      const parent = this.keySide(c.rec.confrelid as number, c.rec.confkey as number[], snapshot);
      if (!child || !parent) continue;
      out.push({
        oid: c.rec.oid as number,
        name: c.rec.conname as string,
        child,
        parent,
        onUpdate: c.rec.confupdtype as ReferentialAction,
        onDelete: c.rec.confdeltype as ReferentialAction,
        deleteSetColumns: (c.rec.confdelsetcols as number[] | null)?.map(Number) ?? undefined,
        matchFull: c.rec.confmatchtype === 'f',
        deferrable: c.rec.condeferrable === true,
        initiallyDeferred: c.rec.condeferred === true,
      });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.oid - b.oid));
  }

  private keySide(
    relOid: number,
    attnums: number[],
    snapshot: Snapshot,
  ): ForeignKeySide | undefined {
    const cls = this.store.find(RelOid.pg_class, snapshot, (r) => r.oid === relOid);
    if (!cls) return undefined;
    const columns = attnums.map(Number).map((attnum) => {
      const a = this.store.find(
        RelOid.pg_attribute,
        snapshot,
        (r) => r.attrelid === relOid && r.attnum === attnum,
      );
      return {
        attnum,
        name: (a?.rec.attname as string | undefined) ?? '?',
        type: (a?.rec.atttypid as number | undefined) ?? 0,
      };
    });
    const ns = cls.rec.relnamespace as number;
    return {
      oid: relOid,
      name: cls.rec.relname as string,
      namespaceName: ns === PG_CATALOG_NAMESPACE ? 'pg_catalog' : this.namespaceName(ns, snapshot),
      columns,
    };
  }
}

const defaultFormat = { extraFloatDigits: 1, timeZone: 'UTC', byteaOutput: 'hex' };

/** "Key (a, b)=(1, x)" body for unique-violation details. */
function describeKey(cols: Array<ColumnInfo | undefined>, key: readonly unknown[]): string {
  const names = cols.map((c) => c?.name ?? '?').join(', ');
  const values = key
    .map((v, i) => {
      const col = cols[i];
      if (v === null || v === undefined) return 'null';
      return col ? typeByOid(col.type).output(v as Value, defaultFormat) : JSON.stringify(v);
    })
    .join(', ');
  return `(${names})=(${values})`;
}

/**
 * An identity column's value source: nextval() of the sequence that is part of it, as the
 * raw-expression JSON column defaults are kept in.
 */
function identityDefault(
  store: CatalogStore,
  relOid: number,
  attnum: number,
  snapshot: Snapshot,
): string | undefined {
  const seq = columnSequence(store, snapshot, relOid, attnum, ['i']);
  if (!seq) return undefined;
  const quote = (n: string): string => `"${n.replaceAll('"', '""')}"`;
  const name = { A_Const: { sval: { sval: `${quote(seq.schema)}.${quote(seq.name)}` } } };
  const arg = { TypeCast: { arg: name, typeName: { names: [{ String: { sval: 'regclass' } }] } } };
  return JSON.stringify({ FuncCall: { funcname: [{ String: { sval: 'nextval' } }], args: [arg] } });
}
