/**
 * The position logic of an SQL cursor (FETCH / MOVE in every direction), over a lazily produced
 * row stream. PostgreSQL's cursor position is 0 before the first row, k on row k, and count+1
 * after the last.
 *
 * Moving backwards needs the rows already read. A SCROLL cursor keeps all of them; a NO SCROLL
 * cursor keeps none and refuses to go back; a cursor declared with neither (which PostgreSQL lets
 * scroll when its plan can) keeps a window of the most recent rows, so that streaming a huge result
 * through it — what psycopg's named cursors do — stays in bounded memory.
 */
import type { FetchStmt } from 'libpg-query';
import { PgError } from '../utils/errors.js';
import type { Row } from '../executor/compile-expr.js';

/** The FETCH ALL count the parser produces. */
const FETCH_ALL = 2147483647;
/** Rows a cursor declared without SCROLL / NO SCROLL keeps for moving backwards. */
const DEFAULT_WINDOW = 10_000;

export type FetchDirection = NonNullable<FetchStmt['direction']>;
export type ScrollOption = 'scroll' | 'no scroll' | 'default';

export interface FetchResult {
  rows: Row[];
  count: number;
}

export class CursorScan {
  /** 0 = before the first row; n = on row n; total+1 = after the last. */
  private pos = 0;
  /** The kept rows: kept[i] is row base+i+1. */
  private kept: Row[] = [];
  private base = 0;
  /** Number of rows in the result, once the source is exhausted. */
  private total: number | undefined;
  private readonly window: number;

  constructor(
    private source: Iterator<Row>,
    private readonly scroll: ScrollOption,
    defaultWindow = DEFAULT_WINDOW,
  ) {
    this.window = scroll === 'scroll' ? Infinity : scroll === 'default' ? defaultWindow : 1;
  }

  /** Rows read from the source so far. */
  private get read(): number {
    return this.base + this.kept.length;
  }

  /** Reads the source up to row `n` (1-based); false when the result has fewer rows. */
  private reach(n: number): boolean {
    while (this.read < n) {
      if (this.total !== undefined) return false;
      const next = this.source.next();
      if (next.done) {
        this.total = this.read;
        return false;
      }
      this.kept.push(next.value);
      if (this.kept.length > this.window) {
        // Drop the older half at once, so trimming costs O(1) per row.
        const drop = Math.max(1, Math.floor(this.kept.length / 2));
        this.kept = this.kept.slice(drop);
        this.base += drop;
      }
    }
    return true;
  }

  private rowAt(n: number): Row {
    return this.kept[n - 1 - this.base]!;
  }

  /** Moving back (or re-reading the current row) to row `target`. */
  private checkBackward(target: number): void {
    if (this.scroll === 'no scroll' || (this.base > 0 && target <= this.base)) {
      throw new PgError('55000', 'cursor can only scan forward', {
        hint: 'Declare it with SCROLL option to enable backward scan.',
      });
    }
  }

  /** Reads everything that is left (WITH HOLD, at commit), so the source can be let go. */
  materialize(): void {
    if (this.total !== undefined) return;
    const rest: Row[] = [];
    for (let r = this.source.next(); !r.done; r = this.source.next()) rest.push(r.value);
    this.source = rest[Symbol.iterator]();
  }

  /**
   * Runs one FETCH (returning the rows) or MOVE (the same, rows unused). `count` follows the
   * grammar: FETCH_ALL means "all", negative counts reverse the direction.
   */
  fetch(direction: FetchDirection, count: number): FetchResult {
    const n = count >= FETCH_ALL ? Infinity : count;
    switch (direction) {
      case 'FETCH_FORWARD':
        if (n < 0) return this.backward(-n);
        return n === 0 ? this.relative(0) : this.forward(n);
      case 'FETCH_BACKWARD':
        if (n < 0) return this.forward(-n);
        return n === 0 ? this.relative(0) : this.backward(n);
      case 'FETCH_ABSOLUTE':
        return this.absolute(count);
      case 'FETCH_RELATIVE':
        return this.relative(count);
      default:
        throw new PgError('XX000', `unrecognized fetch direction ${String(direction)}`);
    }
  }

  private forward(n: number): FetchResult {
    const rows: Row[] = [];
    while (rows.length < n) {
      const target = this.pos + 1;
      if (!this.reach(target)) {
        this.pos = this.read + 1;
        break;
      }
      this.pos = target;
      rows.push(this.rowAt(target));
    }
    return { rows, count: rows.length };
  }

  private backward(n: number): FetchResult {
    const rows: Row[] = [];
    if (this.pos > this.read) this.pos = this.read + 1;
    while (rows.length < n) {
      const target = this.pos - 1;
      if (target < 1) {
        if (this.pos > 0) this.checkBackward(0);
        this.pos = 0;
        break;
      }
      this.checkBackward(target);
      this.pos = target;
      rows.push(this.rowAt(target));
    }
    return { rows, count: rows.length };
  }

  /** Positions on row `k` (negative: counted from the end) and returns it if it exists. */
  private absolute(k: number): FetchResult {
    if (k < 0) {
      this.reach(Infinity);
      const target = this.total! + 1 + k;
      // Reaching the end and stepping back from it is a backward move.
      if (this.scroll === 'no scroll') this.checkBackward(target);
      if (target < 1) {
        this.checkBackward(0);
        this.pos = 0;
        return { rows: [], count: 0 };
      }
      return this.moveTo(target);
    }
    if (k === 0) {
      if (this.pos > 0) this.checkBackward(0);
      this.pos = 0;
      return { rows: [], count: 0 };
    }
    return this.moveTo(k);
  }

  private relative(k: number): FetchResult {
    if (k === 0) {
      if (this.pos < 1 || this.pos > this.read) return { rows: [], count: 0 };
      this.checkBackward(this.pos);
      return { rows: [this.rowAt(this.pos)], count: 1 };
    }
    const target = this.pos + k;
    if (target < 1) {
      this.checkBackward(0);
      this.pos = 0;
      return { rows: [], count: 0 };
    }
    return this.moveTo(target);
  }

  /** Goes to row `target` (≥ 1) and returns it, or lands after the end. */
  private moveTo(target: number): FetchResult {
    if (target <= this.pos || target <= this.base) this.checkBackward(target);
    if (!this.reach(target)) {
      this.pos = this.read + 1;
      return { rows: [], count: 0 };
    }
    this.pos = target;
    return { rows: [this.rowAt(target)], count: 1 };
  }
}
