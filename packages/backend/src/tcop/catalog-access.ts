/**
 * The catalog lookups SQL functions and the reg* types need at run time (PostgreSQL's syscache
 * users in ruleutils, regproc.c, namespace.c): OID ↔ name for relations, types, schemas and
 * roles, search-path visibility, and the definitions pg_get_expr / pg_get_indexdef /
 * pg_get_constraintdef print. Catalog scans are memoised per snapshot, so a listing query that
 * calls pg_table_is_visible on every pg_class row reads pg_class once.
 */
import { computedCatalogOids } from '../catalog/system-views.js';
import type { Node } from 'libpg-query';
import type { Snapshot } from '../access/api.js';
import type { CatalogStore } from '../catalog/catalog.js';
import { RelOid } from '../catalog/oids.js';
import type { IndexInfo, RelationCache, RelationInfo } from '../catalog/relcache.js';
import { columnDefault, relationChecks, relationScope } from '../parser/analyze.js';
import { transformExpr } from '../parser/analyze-expr.js';
import { deparseExpr, quoteIdent } from '../parser/deparse.js';
import type { AnalyzeEnv } from '../parser/parse-state.js';
import { ParseState } from '../parser/parse-state.js';
import type { CatalogAccess } from '../parser/primnodes.js';
import { parseQualifiedName } from '../parser/qualified-name.js';
import {
  T,
  findTypeByName,
  findTypeByOid,
  formatType,
  typeByOid,
  type CatalogNames,
  type FormatContext,
  type RegKind,
} from '../utils/adt/types.js';
import { PgError } from '../utils/errors.js';
import { columnSequence } from '../catalog/column-sequence.js';
import { effectiveRoles, holds } from '../catalog/aclchk.js';
import { memberships, rolesOf } from '../catalog/role-membership.js';
import { allPrivileges, privilegeLetters, type AclObjectKind } from '../utils/acl.js';

/** PostgreSQL's block size: relation sizes are reported in whole pages of it. */
const PAGE_SIZE = 8192;

/** Tuples longer than this are toasted (TOAST_TUPLE_THRESHOLD for 8 kB pages). */
const TOAST_THRESHOLD = 2032;

/**
 * PostgreSQL's needs_toast_table: whether a row of the table could be longer than the TOAST
 * threshold (a variable-length column without a length limit always could).
 */
function needsToastTable(rel: RelationInfo): boolean {
  let longest = 24; // the tuple header
  for (const c of rel.columns) {
    const t = typeByOid(c.type);
    if (t.len > 0) longest += t.len;
    else if ((c.type === T.varchar || c.type === T.bpchar) && c.typmod >= 4)
      longest += (c.typmod - 4) * 4 + 4; // UTF-8: up to 4 bytes a character
    else if (c.type === T.numeric && c.typmod >= 4)
      longest += 8 + 2 * Math.ceil(((c.typmod - 4) >> 16) / 4 + 1);
    else return true;
  }
  return longest > TOAST_THRESHOLD;
}

export interface CatalogAccessDeps {
  /** Getters: the session creates these after its field initialisers run. */
  store: () => CatalogStore;
  relcache: () => RelationCache;
  /** The running statement's snapshot (undefined between statements). */
  snapshot: () => Snapshot | undefined;
  searchPath: () => string[];
  format: () => FormatContext;
  /** The current user (privilege functions default to it). */
  currentUser: () => { oid: number; superuser: boolean };
}

interface ClassRow {
  oid: number;
  name: string;
  namespace: number;
  kind: string;
}

interface Memo {
  snapshot: Snapshot;
  version: bigint;
  classes?: Map<number, ClassRow>;
  classByName?: Map<string, ClassRow>;
  namespaces?: Map<number, string>;
  roles?: Map<number, string>;
}

/** The letters of a has_*_privilege privilege list ("SELECT, UPDATE WITH GRANT OPTION"). */
function privilegeList(kind: AclObjectKind, text: string): Array<[string, boolean]> {
  const out: Array<[string, boolean]> = [];
  for (const part of text.split(',')) {
    const lower = part.trim().toLowerCase();
    const word = lower.replace(/\s+with\s+grant\s+option$/, '');
    const letter = privilegeLetters[word];
    if (
      letter === undefined ||
      !allPrivileges[kind === 'sequence' ? 'sequence' : kind].includes(letter)
    )
      throw new PgError('22023', `unrecognized privilege type: "${part.trim()}"`);
    out.push([letter, word !== lower]);
  }
  return out;
}

/** PostgreSQL's names for the OIDs of the catalogs computed as views here (regclass output). */
const computedCatalogNames = new Map(
  Object.entries(computedCatalogOids).map(([name, oid]) => [oid, name]),
);

export function catalogAccess(deps: CatalogAccessDeps): CatalogAccess {
  let memo: Memo | undefined;
  const current = (): Memo | undefined => {
    const snapshot = deps.snapshot();
    if (!snapshot) return undefined;
    const version = deps.store().catalogVersion();
    if (!memo || memo.snapshot !== snapshot || memo.version !== version)
      memo = { snapshot, version };
    return memo;
  };
  const mustSnapshot = (): Snapshot => {
    const s = deps.snapshot();
    if (!s) throw new PgError('XX000', 'catalog lookup outside a statement');
    return s;
  };

  const classes = (m: Memo): Map<number, ClassRow> => {
    if (!m.classes) {
      m.classes = new Map();
      m.classByName = new Map();
      for (const { rec } of deps.store().scan(RelOid.pg_class, m.snapshot)) {
        const row: ClassRow = {
          oid: rec.oid as number,
          name: rec.relname as string,
          namespace: rec.relnamespace as number,
          kind: rec.relkind as string,
        };
        m.classes.set(row.oid, row);
        m.classByName.set(`${row.namespace}.${row.name}`, row);
      }
    }
    return m.classes;
  };
  const namespaces = (m: Memo): Map<number, string> => {
    if (!m.namespaces) {
      m.namespaces = new Map();
      for (const { rec } of deps.store().scan(RelOid.pg_namespace, m.snapshot))
        m.namespaces.set(rec.oid as number, rec.nspname as string);
    }
    return m.namespaces;
  };
  const roles = (m: Memo): Map<number, string> => {
    if (!m.roles) {
      m.roles = new Map();
      for (const { rec } of deps.store().scan(RelOid.pg_authid, m.snapshot))
        m.roles.set(rec.oid as number, rec.rolname as string);
    }
    return m.roles;
  };
  /** Namespace OIDs of the effective search path (pg_catalog first unless placed explicitly). */
  const pathOids = (m: Memo): number[] => {
    const path = deps.searchPath();
    const full = path.includes('pg_catalog') ? path : ['pg_catalog', ...path];
    const byName = new Map([...namespaces(m)].map(([oid, name]) => [name, oid]));
    return full.flatMap((n) => {
      const oid = byName.get(n);
      return oid === undefined ? [] : [oid];
    });
  };
  const relationVisible = (m: Memo, row: ClassRow): boolean => {
    classes(m);
    for (const ns of pathOids(m)) {
      if (m.classByName!.has(`${ns}.${row.name}`)) return ns === row.namespace;
    }
    return false;
  };

  /** A role given by name or OID (or the current user) as the privilege functions take it. */
  const userArg = (user: string | number | undefined): { oid: number; superuser: boolean } => {
    if (user === undefined) return deps.currentUser();
    const oid = roleArg(user);
    if (oid === undefined)
      throw new PgError('42704', `role with OID ${String(user)} does not exist`);
    const t = deps.store().find(RelOid.pg_authid, mustSnapshot(), (r) => r.oid === oid);
    return { oid, superuser: t?.rec.rolsuper === true };
  };
  const roleArg = (role: string | number): number | undefined => {
    if (typeof role === 'number') {
      const m = current();
      return m && roles(m).has(role) ? role : undefined;
    }
    if (role === 'public') return 0;
    const t = deps.store().find(RelOid.pg_authid, mustSnapshot(), (r) => r.rolname === role);
    if (!t) throw new PgError('42704', `role "${role}" does not exist`);
    return t.rec.oid as number;
  };

  const names: CatalogNames = {
    name(kind: RegKind, oid: number): string | undefined {
      if (kind === 'type') {
        const t = findTypeByOid(oid);
        return t ? formatType(oid, -1) : undefined;
      }
      const m = current();
      if (!m) return undefined;
      if (kind === 'relation') {
        const row = classes(m).get(oid);
        if (!row) return computedCatalogNames.get(oid);
        if (relationVisible(m, row)) return quoteIdent(row.name);
        const ns = namespaces(m).get(row.namespace) ?? String(row.namespace);
        return `${quoteIdent(ns)}.${quoteIdent(row.name)}`;
      }
      if (kind === 'namespace') {
        const n = namespaces(m).get(oid);
        return n === undefined ? undefined : quoteIdent(n);
      }
      if (kind === 'role') {
        const n = roles(m).get(oid);
        return n === undefined ? undefined : quoteIdent(n);
      }
      return undefined;
    },
    oid(kind: RegKind, text: string): number {
      const m = current();
      const parts = parseQualifiedName(text);
      const last = parts[parts.length - 1] ?? '';
      if (kind === 'type') {
        const bare = parts.length === 2 && parts[0] === 'pg_catalog' ? last : text;
        const t = findTypeByName(bare.trim());
        if (!t) throw new PgError('42704', `type "${text}" does not exist`);
        return t.oid;
      }
      if (!m) throw new PgError('XX000', 'catalog lookup outside a statement');
      if (kind === 'relation') {
        const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
        const rel = deps.relcache().resolve(schema, last, deps.searchPath(), m.snapshot);
        const computed =
          schema === undefined || schema === 'pg_catalog' ? computedCatalogOids[last] : undefined;
        if (!rel && computed !== undefined) return computed;
        if (!rel) throw new PgError('42P01', `relation "${text}" does not exist`);
        return rel.oid;
      }
      if (kind === 'namespace') {
        for (const [oid, n] of namespaces(m)) if (n === last) return oid;
        throw new PgError('3F000', `schema "${text}" does not exist`);
      }
      if (kind === 'role') {
        for (const [oid, n] of roles(m)) if (n === last) return oid;
        throw new PgError('42704', `role "${text}" does not exist`);
      }
      throw new PgError('42883', `function "${text}" does not exist`);
    },
  };

  const env = (snapshot: Snapshot): AnalyzeEnv => ({
    relcache: deps.relcache(),
    snapshot,
    searchPath: deps.searchPath(),
    format: { ...deps.format(), names },
    paramTypes: [],
  });
  const deparseOver = (rel: RelationInfo | undefined, pretty: boolean) => ({
    format: { ...deps.format(), names },
    pretty,
    columnName: (i: number) => rel?.columns[i]?.name ?? `?column${i}?`,
  });
  const relation = (oid: number): RelationInfo | undefined =>
    deps.relcache().byRelOid(oid, mustSnapshot());
  const qualifiedName = (rel: RelationInfo): string =>
    `${quoteIdent(rel.namespaceName)}.${quoteIdent(rel.name)}`;

  const procRow = (oid: number): Record<string, unknown> | undefined =>
    deps.store().find(RelOid.pg_proc, mustSnapshot(), (r) => r.oid === oid)?.rec;

  return {
    names,
    roleName(oid) {
      const m = current();
      return m ? roles(m).get(oid) : undefined;
    },
    hasPrivilege(kind, user, object, privileges) {
      const snapshot = mustSnapshot();
      const store = deps.store();
      const who = userArg(user);
      const letters = privilegeList(kind, privileges);
      let found: { acl: string[] | null; owner: number; aclKind: AclObjectKind } | undefined;
      if (kind === 'table' || kind === 'sequence') {
        const oid = typeof object === 'number' ? object : names.oid('relation', object);
        const t = store.find(RelOid.pg_class, snapshot, (r) => r.oid === oid);
        if (!t) {
          if (computedCatalogNames.has(oid)) return letters.some(([l]) => l === 'r');
          return null;
        }
        const relkind = t.rec.relkind as string;
        if (kind === 'sequence' && relkind !== 'S')
          throw new PgError('42809', `"${t.rec.relname as string}" is not a sequence`);
        found = {
          acl: (t.rec.relacl as string[] | null) ?? null,
          owner: t.rec.relowner as number,
          aclKind: relkind === 'S' ? 'sequence' : 'table',
        };
        // The system catalogs are readable by everyone, except pg_authid.
        if (
          t.rec.relnamespace === 11 &&
          found.acl === null &&
          t.rec.relname !== 'pg_authid' &&
          letters.some(([l, g]) => l === 'r' && !g)
        )
          return true;
      } else {
        const catalog = kind === 'schema' ? RelOid.pg_namespace : RelOid.pg_database;
        const nameCol = kind === 'schema' ? 'nspname' : 'datname';
        const t = store.find(catalog, snapshot, (r) =>
          typeof object === 'number' ? r.oid === object : r[nameCol] === object,
        );
        if (!t) {
          if (typeof object === 'number') return null;
          throw kind === 'schema'
            ? new PgError('3F000', `schema "${object}" does not exist`)
            : new PgError('3D000', `database "${object}" does not exist`);
        }
        found = {
          acl: (t.rec[kind === 'schema' ? 'nspacl' : 'datacl'] as string[] | null) ?? null,
          owner: t.rec[kind === 'schema' ? 'nspowner' : 'datdba'] as number,
          aclKind: kind,
        };
      }
      if (who.superuser) return true;
      const roles = effectiveRoles(store, snapshot, who.oid);
      return letters.some(([l, g]) => holds(roles, found.acl, found.aclKind, found.owner, l, g));
    },
    hasRole(user, role, mode) {
      const snapshot = mustSnapshot();
      const store = deps.store();
      const who = userArg(user);
      const target = roleArg(role);
      if (target === undefined) return null;
      const m = mode
        .trim()
        .toLowerCase()
        .replace(/\s+with\s+(admin|grant)\s+option$/, '');
      if (!['member', 'usage', 'set'].includes(m))
        throw new PgError('22023', `unrecognized privilege type: "${mode}"`);
      if (who.superuser) return true;
      const all = memberships(store, snapshot);
      if (m === 'usage') return effectiveRoles(store, snapshot, who.oid).oids.has(target);
      return rolesOf(all, who.oid).has(target);
    },
    relationVisible(oid) {
      const m = current();
      const row = m ? classes(m).get(oid) : undefined;
      return row ? relationVisible(m!, row) : null;
    },
    typeVisible(oid) {
      // Built-in types all live in pg_catalog, which is always searched.
      return findTypeByOid(oid) ? true : null;
    },
    namespaceName(oid) {
      const m = current();
      return m ? namespaces(m).get(oid) : undefined;
    },
    expressionDef(nodeText, relid, pretty) {
      const snapshot = mustSnapshot();
      const rel = relid === 0 ? undefined : relation(relid);
      if (rel) {
        // A default (a generation expression reads the row: it is analysed over the table below).
        const i = rel.columns.findIndex((c) => c.defaultSql === nodeText && !c.generated);
        if (i >= 0) {
          const e = columnDefault(env(snapshot), rel, i);
          return deparseExpr(e, deparseOver(rel, pretty));
        }
      }
      const ps = new ParseState(env(snapshot));
      if (rel) relationScope(ps, rel, rel.name);
      const e = transformExpr(ps, JSON.parse(nodeText) as Node);
      return deparseExpr(e, deparseOver(rel, pretty));
    },
    indexDef(oid, column) {
      const snapshot = mustSnapshot();
      const ix = deps.store().find(RelOid.pg_index, snapshot, (r) => r.indexrelid === oid);
      if (!ix) return null;
      const table = relation(ix.rec.indrelid as number);
      const index = table?.indexes.find((i) => i.oid === oid);
      if (!table || !index) return null;
      const colName = (attnum: number): string =>
        quoteIdent(table.columns.find((c) => c.attnum === attnum)?.name ?? String(attnum));
      if (column > 0) {
        const attnum = index.columns[column - 1];
        return attnum === undefined ? null : colName(attnum);
      }
      const cols = index.columns.map(colName).join(', ');
      const unique = index.unique ? 'UNIQUE ' : '';
      return `CREATE ${unique}INDEX ${quoteIdent(index.name)} ON ${qualifiedName(table)} USING btree (${cols})`;
    },
    constraintDef(oid, pretty) {
      const snapshot = mustSnapshot();
      const con = deps.store().find(RelOid.pg_constraint, snapshot, (r) => r.oid === oid);
      if (!con) return null;
      const rec = con.rec;
      const table = relation(rec.conrelid as number);
      const keys = ((rec.conkey as number[] | null) ?? [])
        .map((n) => quoteIdent(table?.columns.find((c) => c.attnum === n)?.name ?? String(n)))
        .join(', ');
      const deferrable =
        (rec.condeferrable ? ' DEFERRABLE' : '') + (rec.condeferred ? ' INITIALLY DEFERRED' : '');
      switch (rec.contype) {
        case 'p':
          return `PRIMARY KEY (${keys})${deferrable}`;
        case 'u':
          return `UNIQUE (${keys})${deferrable}`;
        case 'c': {
          if (!table) return null;
          const check = relationChecks(env(snapshot), table).find((c) => c.name === rec.conname);
          if (!check) return null;
          const text = deparseExpr(check.expr, deparseOver(table, pretty));
          return `CHECK (${text})${rec.connoinherit ? ' NO INHERIT' : ''}${rec.convalidated === false ? ' NOT VALID' : ''}`;
        }
        case 'f': {
          const target = relation(rec.confrelid as number);
          const refKeys = ((rec.confkey as number[] | null) ?? [])
            .map((n) => quoteIdent(target?.columns.find((c) => c.attnum === n)?.name ?? String(n)))
            .join(', ');
          const action = (code: unknown): string =>
            ({ r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' })[code as string] ??
            '';
          const onUpdate = action(rec.confupdtype);
          const setCols = ((rec.confdelsetcols as number[] | null) ?? [])
            .map((n) => quoteIdent(table?.columns.find((c) => c.attnum === n)?.name ?? String(n)))
            .join(', ');
          const onDelete = action(rec.confdeltype) + (setCols ? ` (${setCols})` : '');
          const targetName =
            names.name('relation', rec.confrelid as number) ?? String(rec.confrelid);
          return (
            `FOREIGN KEY (${keys}) REFERENCES ${targetName}(${refKeys})` +
            (rec.confmatchtype === 'f' ? ' MATCH FULL' : '') +
            (onUpdate ? ` ON UPDATE ${onUpdate}` : '') +
            (onDelete ? ` ON DELETE ${onDelete}` : '') +
            deferrable +
            (rec.convalidated === false ? ' NOT VALID' : '')
          );
        }
        default:
          return null;
      }
    },
    functionResult(oid) {
      const p = procRow(oid);
      if (!p) return null;
      const result = formatType(p.prorettype as number, -1);
      return p.proretset === true ? `SETOF ${result}` : result;
    },
    functionArguments(oid) {
      const p = procRow(oid);
      if (!p) return null;
      const types = (p.proargtypes as number[] | null) ?? [];
      const names = (p.proargnames as string[] | null) ?? [];
      return types
        .map((t, i) => (names[i] ? `${quoteIdent(names[i])} ` : '') + formatType(t, -1))
        .join(', ');
    },
    functionVisible(oid) {
      const p = procRow(oid);
      const m = current();
      if (!p || !m) return null;
      return pathOids(m).includes(p.pronamespace as number);
    },
    viewDef(oid) {
      const sql = relation(oid)?.viewSql;
      // PostgreSQL prints its own reformatting of the query; Tusk keeps the text as written.
      return sql === undefined ? null : ` ${sql};`;
    },
    relationSize(oid, part) {
      const snapshot = mustSnapshot();
      const rel = relation(oid);
      if (!rel) return null;
      const pages = (bytes: number): number => Math.ceil(bytes / PAGE_SIZE) * PAGE_SIZE;
      // A btree index has a metapage before its first entry page.
      const index = (ix: IndexInfo): number => PAGE_SIZE + pages(ix.btree.storedBytes(snapshot));
      if (rel.kind === 'S') return part === 'indexes' ? 0 : PAGE_SIZE;
      if (rel.kind === 'i') {
        const owner = [
          ...deps.store().scan(RelOid.pg_index, snapshot, (r) => r.indexrelid === oid),
        ][0];
        const table = owner ? relation(owner.rec.indrelid as number) : undefined;
        const ix = table?.indexes.find((i) => i.oid === oid);
        return part === 'indexes' || !ix ? 0 : index(ix);
      }
      if (rel.kind !== 'r') return 0;
      // A table whose rows could outgrow a page has a TOAST table, whose index has a metapage.
      const toast = needsToastTable(rel) ? PAGE_SIZE : 0;
      const heap = pages(rel.heap.storedBytes(snapshot)) + (part === 'main' ? 0 : toast);
      const indexes = rel.indexes.reduce((sum, ix) => sum + index(ix), 0);
      return part === 'indexes' ? indexes : part === 'total' ? heap + indexes : heap;
    },
    serialSequence(table, column) {
      const snapshot = mustSnapshot();
      const relOid = names.oid('relation', table);
      const rel = relation(relOid);
      const col = rel?.columns.find((c) => c.name === column);
      if (!rel || !col)
        throw new PgError('42703', `column "${column}" of relation "${table}" does not exist`);
      const seq = columnSequence(deps.store(), snapshot, relOid, col.attnum, ['a', 'i']);
      return seq ? `${quoteIdent(seq.schema)}.${quoteIdent(seq.name)}` : null;
    },
    description(objoid, classoid, objsubid) {
      const snapshot = mustSnapshot();
      const d = deps
        .store()
        .find(
          RelOid.pg_description,
          snapshot,
          (r) => r.objoid === objoid && r.classoid === classoid && r.objsubid === objsubid,
        );
      return d ? (d.rec.description as string) : null;
    },
  };
}
