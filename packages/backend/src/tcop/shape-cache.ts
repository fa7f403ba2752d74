/**
 * A session's statements by literal shape (see parser/literal-shape.ts): each shape seen in a
 * simple query keeps one analysed statement, whose plan then serves every statement of that shape
 * (PreparedStatement.plan, invalidated as any kept plan is). A shape that cannot be shared, or
 * failed to analyse twice, is remembered as such so it costs no further attempts.
 */
import { T } from '../utils/adt/types.js';
import { LruMap } from '../utils/lru-map.js';
import type { LiteralKind } from '../parser/literal-shape.js';
import type { RelationInfo } from '../catalog/relcache.js';
import type { PreparedStatement } from './portal.js';
import type { Planned } from './statement.js';

const SHAPES_KEPT = 256;
const ATTEMPTS = 2;

/** The parameter type a literal of this kind gets, as PostgreSQL types the literal itself. */
export function literalParamType(kind: LiteralKind): number {
  return kind === 'int4' ? T.int4 : kind === 'numeric' ? T.numeric : T.unknown;
}

export class ShapeCache {
  /** A statement, 'unshareable', or the number of failed attempts so far. */
  private readonly shapes = new LruMap<string, PreparedStatement | 'unshareable' | number>(
    SHAPES_KEPT,
  );

  /** The shape's statement; 'unshareable'; or undefined if it is still to be analysed. */
  get(key: string): PreparedStatement | 'unshareable' | undefined {
    const entry = this.shapes.get(key);
    return typeof entry === 'number' ? undefined : entry;
  }

  keep(key: string, stmt: PreparedStatement): void {
    this.shapes.set(key, stmt);
  }

  unshareable(key: string): void {
    this.shapes.set(key, 'unshareable');
  }

  /** An attempt failed (the statement's error may be passing, such as a table not there yet). */
  failed(key: string): void {
    const entry = this.shapes.get(key);
    const attempts = (typeof entry === 'number' ? entry : 0) + 1;
    this.shapes.set(key, attempts >= ATTEMPTS ? 'unshareable' : attempts);
  }
}

type Tree = { [key: string]: unknown };

const isParam = (n: unknown): boolean => n !== null && typeof n === 'object' && 'ParamRef' in n;

/**
 * Whether an INSERT … VALUES or UPDATE … SET gives a parameter straight to a column with a type
 * modifier (varchar(n), numeric(p,s)…). PostgreSQL coerces such a literal while analysing, so a
 * value that does not fit fails before anything runs (before a DEFAULT nextval() is spent); a
 * parameter is coerced while the row is built. Such statements keep the ordinary path.
 */
export function assignsToModifiedColumn(stmt: unknown, planned: Planned): boolean {
  if (planned.kind !== 'query') return false;
  const q = planned.query;
  if (q.kind !== 'insert' && q.kind !== 'update') return false;
  const rel: RelationInfo = q.rel;
  const typmodOf = (name: string): number => rel.columns.find((c) => c.name === name)?.typmod ?? -1;
  const tree = stmt as Tree;
  const name = (t: unknown): string => ((t as Tree).ResTarget as Tree | undefined)?.name as string;
  if (q.kind === 'insert') {
    const ins = tree.InsertStmt as Tree;
    const cols = ((ins.cols as unknown[] | undefined) ?? []).map(name);
    const targets = cols.length > 0 ? cols : rel.columns.map((c) => c.name);
    const select = (ins.selectStmt as Tree | undefined)?.SelectStmt as Tree | undefined;
    const lists = (select?.valuesLists as Tree[] | undefined) ?? [];
    return lists.some((l) =>
      ((l.List as Tree).items as unknown[]).some(
        (item, i) => isParam(item) && typmodOf(targets[i] ?? '') >= 0,
      ),
    );
  }
  const upd = tree.UpdateStmt as Tree;
  return ((upd.targetList as unknown[] | undefined) ?? []).some((t) => {
    const target = (t as Tree).ResTarget as Tree;
    return isParam(target.val) && typmodOf(target.name as string) >= 0;
  });
}
