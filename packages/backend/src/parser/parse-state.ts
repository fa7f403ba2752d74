/**
 * ParseState: what the analyzer knows while it transforms one query level — the FROM items in
 * scope (and their slice of the flat row), the enclosing query levels, the parameter types being
 * inferred, and where aggregates are being collected.
 */
import type { PermissionRequest } from '../catalog/aclchk.js';
import type { Snapshot } from '../access/api.js';
import { PgError } from '../utils/errors.js';
import type { RelationCache } from '../catalog/relcache.js';
import type { FormatContext } from '../utils/adt/types.js';
import type { WindowDef } from 'libpg-query';
import type { AggCall, CommonTable, ProjectSetCall, WindowCall } from './query.js';
import type { Expr } from './primnodes.js';

export interface ScopeColumn {
  name: string;
  type: number;
  typmod: number;
  tableOid: number;
  attnum: number;
  /** Index in the flat row. */
  index: number;
  /** The FROM item's name (for messages such as "column t.a must appear in GROUP BY"). */
  relAlias: string;
  /**
   * A USING / NATURAL join column referenced without a table name, when it is not simply this
   * column: the right side's for a RIGHT JOIN, COALESCE(left, right) for a FULL JOIN.
   */
  merged?: Expr;
}

export interface ScopeEntry {
  /** The name the entry is referenced by (alias or table name). */
  alias: string;
  columns: ScopeColumn[];
  /** Columns hidden from `*` (the right side of USING joins keeps them referable by table). */
  hiddenFromStar?: Set<number>;
  /** A table (or catalog) entry: its OID, what the system column `tableoid` reads. */
  tableOid?: number;
}

/** Everything the analyzer needs from the session. */
export interface AnalyzeEnv {
  relcache: RelationCache;
  snapshot: Snapshot;
  searchPath: string[];
  format: FormatContext;
  /** Parameter types ($1 = index 0); 0 or 705 = not yet known. Grows as parameters are seen. */
  paramTypes: number[];
  /** The WITH queries of an INSERT/UPDATE/DELETE, visible to every part of the statement. */
  statementCtes?: Map<string, CteEntry>;
  /**
   * Collects the privileges the statement needs, checked before it runs. Absent inside a view's
   * query (its tables are accessed with the view owner's rights) and for internal queries.
   */
  permissions?: PermissionRequest[];
  /** Throws unless the user may look objects up in schema `nsOid` (USAGE); absent: no check. */
  checkSchemaUsage?: (nsOid: number) => void;
}

/** A WITH query in scope. */
export interface CteEntry {
  cte: CommonTable;
  /** The query level whose WITH defines it. */
  owner: ParseState | undefined;
  /** While its recursive term is analyzed, references are to the work table; counted. */
  inRecursiveTerm: boolean;
  recursiveRefs: number;
  /** Defined later in the same WITH (a forward reference gets a hint). */
  pending: boolean;
}

export type ExprKind =
  | 'select'
  | 'where'
  | 'join'
  | 'having'
  | 'group'
  | 'order'
  | 'limit'
  | 'values'
  | 'returning'
  | 'default'
  | 'update'
  | 'other';

/**
 * Where set-returning and window functions may not appear, by expression kind: the clause name
 * PostgreSQL's messages use ("… are not allowed in WHERE").
 */
export const restrictedClauseNames: Partial<Record<ExprKind, string>> = {
  where: 'WHERE',
  having: 'HAVING',
  group: 'GROUP BY',
  join: 'JOIN conditions',
  limit: 'LIMIT',
  values: 'VALUES',
  returning: 'RETURNING',
  default: 'DEFAULT expressions',
  update: 'UPDATE',
};

export class ParseState {
  entries: ScopeEntry[] = [];
  width = 0;
  /** Aggregates found at this level (only where they are allowed). */
  aggs: AggCall[] = [];
  exprKind: ExprKind = 'other';
  inAggregateArgs = false;
  /** Window functions found at this level, each read back through its result variable. */
  windows: Array<{ call: WindowCall; ref: Extract<Expr, { k: 'var' }> }> = [];
  /** WINDOW clause definitions by name. */
  windowDefs = new Map<string, WindowDef>();
  inWindowArgs = false;
  /** Set-returning functions in the select list, each read back through its value variable. */
  srfs: Array<{ call: ProjectSetCall; ref: Extract<Expr, { k: 'var' }> }> = [];

  /** WITH queries defined at this level. */
  ctes = new Map<string, CteEntry>();
  /** Where WITH names are looked up when not through `parent` (FROM subqueries, set-op arms). */
  cteParent: ParseState | undefined;
  /** This level is a subquery inside an expression (a recursive reference may not appear here). */
  inSublink = false;
  /** A set operation's arm: unknown-typed outputs wait for the operation's common type. */
  keepUnknownTargets = false;

  constructor(
    readonly env: AnalyzeEnv,
    readonly parent?: ParseState,
  ) {}

  /** The WITH query a bare table name refers to, searching outwards. */
  findCte(name: string): CteEntry | undefined {
    const hit = this.ctes.get(name);
    if (hit) return hit;
    const outer = this.cteParent ?? this.parent;
    return outer ? outer.findCte(name) : this.env.statementCtes?.get(name);
  }

  /** Reference names of this level's FROM items (an unaliased table's OID, else undefined). */
  private readonly refNames = new Map<string, number | undefined>();

  /**
   * PostgreSQL's "table name … specified more than once": two FROM items of one level may not
   * share a reference name, except two unaliased tables of one name from different schemas.
   */
  checkRefName(name: string, unaliasedRelOid?: number): void {
    if (this.refNames.has(name)) {
      const other = this.refNames.get(name);
      if (other === undefined || unaliasedRelOid === undefined || other === unaliasedRelOid)
        throw new PgError('42712', `table name "${name}" specified more than once`);
    }
    this.refNames.set(name, unaliasedRelOid);
  }

  addEntry(alias: string, columns: Array<Omit<ScopeColumn, 'index' | 'relAlias'>>): ScopeEntry {
    const entry: ScopeEntry = {
      alias,
      columns: columns.map((c, i) => ({ ...c, index: this.width + i, relAlias: alias })),
    };
    this.width += columns.length;
    this.entries.push(entry);
    return entry;
  }
}
