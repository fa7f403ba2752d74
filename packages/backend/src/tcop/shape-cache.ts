/**
 * A session's statements by literal shape (see parser/literal-shape.ts): each shape seen in a
 * simple query keeps one analysed statement, whose plan then serves every statement of that shape
 * (PreparedStatement.plan, invalidated as any kept plan is). A shape that cannot be shared, or
 * failed to analyse twice, is remembered as such so it costs no further attempts.
 */
import { T } from '../utils/adt/types.js';
import type { LiteralKind } from '../parser/literal-shape.js';
import type { PreparedStatement } from './portal.js';

const SHAPES_KEPT = 256;
const ATTEMPTS = 2;

/** The parameter type a literal of this kind gets, as PostgreSQL types the literal itself. */
export function literalParamType(kind: LiteralKind): number {
  return kind === 'int4' ? T.int4 : kind === 'numeric' ? T.numeric : T.unknown;
}

export class ShapeCache {
  private readonly shapes = new Map<string, PreparedStatement | 'unshareable' | number>();

  /** The shape's statement; 'unshareable'; or undefined if it is still to be analysed. */
  get(key: string): PreparedStatement | 'unshareable' | undefined {
    const entry = this.shapes.get(key);
    if (entry === undefined || typeof entry === 'number')
      return entry === undefined ? undefined : entry >= ATTEMPTS ? 'unshareable' : undefined;
    // Map iteration order is insertion order: re-inserting keeps the recently used last.
    this.shapes.delete(key);
    this.shapes.set(key, entry);
    return entry;
  }

  keep(key: string, stmt: PreparedStatement): void {
    this.put(key, stmt);
  }

  unshareable(key: string): void {
    this.put(key, 'unshareable');
  }

  /** An attempt failed (the statement's error may be passing, such as a table not there yet). */
  failed(key: string): void {
    const entry = this.shapes.get(key);
    if (entry !== undefined && typeof entry !== 'number') this.shapes.delete(key);
    this.put(key, (typeof entry === 'number' ? entry : 0) + 1);
  }

  private put(key: string, entry: PreparedStatement | 'unshareable' | number): void {
    this.shapes.delete(key);
    this.shapes.set(key, entry);
    if (this.shapes.size > SHAPES_KEPT) {
      const oldest = this.shapes.keys().next();
      if (!oldest.done) this.shapes.delete(oldest.value);
    }
  }
}
