/**
 * Range types (int4range, int8range, numrange, tsrange, tstzrange, daterange): text '[1,5)',
 * '(,5]', 'empty', bounds quoted like record fields; binary: a flags byte, then the present
 * bounds length-prefixed. Discrete ranges are canonicalised to '[lower,upper)' on input, as
 * PostgreSQL's canonical functions do. The JS value is a PgRange; an unbounded side is null.
 */
import type { TypeCodec } from './codec.js';
import type { TypeSettings } from './settings.js';
import { TypeInputError, badBinary } from './errors.js';
import { isPgSpace, readInt32, writeInt32 } from './binary.js';

export interface PgRange<T> {
  empty: boolean;
  /** null: unbounded below. */
  lower: T | null;
  /** null: unbounded above. */
  upper: T | null;
  lowerInclusive: boolean;
  upperInclusive: boolean;
}

export const EMPTY_RANGE: PgRange<never> = Object.freeze({
  empty: true,
  lower: null,
  upper: null,
  lowerInclusive: false,
  upperInclusive: false,
});

const RANGE_EMPTY = 0x01;
const RANGE_LB_INC = 0x02;
const RANGE_UB_INC = 0x04;
const RANGE_LB_INF = 0x08;
const RANGE_UB_INF = 0x10;

export interface RangeElement<T> {
  codec: TypeCodec<T>;
  compare(a: T, b: T): number;
  /** For discrete types: the next value (canonical form is '[a,b)'); undefined for continuous ones. */
  next?: (v: T) => T;
}

function malformed(text: string, detail: string): TypeInputError {
  return new TypeInputError('22P02', `malformed range literal: "${text}"`, detail);
}

function needsQuotes(s: string): boolean {
  if (s.length === 0) return true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (
      c === 34 ||
      c === 92 ||
      c === 40 ||
      c === 41 ||
      c === 91 ||
      c === 93 ||
      c === 44 ||
      isPgSpace(c)
    )
      return true;
  }
  return false;
}

/** make_range: order check, emptiness, then the canonical form for discrete types. */
function makeRange<T>(el: RangeElement<T>, r: PgRange<T>): PgRange<T> {
  if (r.empty) return EMPTY_RANGE;
  let { lower, upper, lowerInclusive, upperInclusive } = r;
  if (lower === null) lowerInclusive = false;
  if (upper === null) upperInclusive = false;
  if (lower !== null && upper !== null) {
    const c = el.compare(lower, upper);
    if (c > 0)
      throw new TypeInputError(
        '22000',
        'range lower bound must be less than or equal to range upper bound',
      );
    if (c === 0 && !(lowerInclusive && upperInclusive)) return EMPTY_RANGE;
  }
  if (el.next) {
    if (lower !== null && !lowerInclusive && !isInfinite(el, lower)) {
      lower = el.next(lower);
      lowerInclusive = true;
    }
    if (upper !== null && upperInclusive && !isInfinite(el, upper)) {
      upper = el.next(upper);
      upperInclusive = false;
    }
    if (
      lower !== null &&
      upper !== null &&
      el.compare(lower, upper) >= 0 &&
      !(lowerInclusive && upperInclusive)
    ) {
      return EMPTY_RANGE;
    }
  }
  return { empty: false, lower, upper, lowerInclusive, upperInclusive };
}

/** daterange's canonical function leaves ±infinity alone. */
function isInfinite<T>(el: RangeElement<T>, v: T): boolean {
  return (
    typeof v === 'number' && (v === 2147483647 || v === -2147483648) && el.codec.name === 'date'
  );
}

export function parseRange<T>(
  text: string,
  el: RangeElement<T>,
  settings?: TypeSettings,
): PgRange<T> {
  let i = 0;
  const len = text.length;
  while (i < len && isPgSpace(text.charCodeAt(i))) i++;
  if (text.slice(i, i + 5).toLowerCase() === 'empty') {
    let j = i + 5;
    while (j < len && isPgSpace(text.charCodeAt(j))) j++;
    if (j !== len) throw malformed(text, 'Junk after "empty" key word.');
    return EMPTY_RANGE;
  }
  const open = text.charCodeAt(i);
  if (open !== 91 && open !== 40) throw malformed(text, 'Missing left parenthesis or bracket.');
  i++;
  const readBound = (): string | null => {
    let s = '';
    let present = false;
    let inQuotes = false;
    for (;;) {
      if (i >= len) throw malformed(text, 'Unexpected end of input.');
      const c = text.charCodeAt(i);
      if (inQuotes) {
        if (c === 34) {
          if (text.charCodeAt(i + 1) === 34) {
            s += '"';
            i += 2;
          } else {
            inQuotes = false;
            i++;
          }
        } else if (c === 92) {
          if (i + 1 >= len) throw malformed(text, 'Unexpected end of input.');
          s += text[i + 1];
          i += 2;
        } else {
          s += text[i];
          i++;
        }
        continue;
      }
      if (c === 44 || c === 41 || c === 93) break;
      present = true;
      if (c === 34) inQuotes = true;
      else if (c === 92) {
        if (i + 1 >= len) throw malformed(text, 'Unexpected end of input.');
        s += text[i + 1];
        i++;
      } else s += text[i];
      i++;
    }
    return present ? s : null;
  };
  const lowerText = readBound();
  if (text.charCodeAt(i) !== 44) throw malformed(text, 'Missing comma after lower bound.');
  i++;
  const upperText = readBound();
  const close = text.charCodeAt(i);
  if (close !== 93 && close !== 41) throw malformed(text, 'Too many commas.');
  i++;
  while (i < len && isPgSpace(text.charCodeAt(i))) i++;
  if (i !== len) throw malformed(text, 'Junk after right parenthesis or bracket.');
  return makeRange(el, {
    empty: false,
    lower: lowerText === null ? null : el.codec.fromText(lowerText, settings),
    upper: upperText === null ? null : el.codec.fromText(upperText, settings),
    lowerInclusive: open === 91,
    upperInclusive: close === 93,
  });
}

export function formatRange<T>(
  r: PgRange<T>,
  el: RangeElement<T>,
  settings?: TypeSettings,
): string {
  if (r.empty) return 'empty';
  const bound = (v: T | null): string => {
    if (v === null) return '';
    const s = el.codec.toText(v, settings);
    return needsQuotes(s) ? '"' + s.replace(/["\\]/g, (m) => m + m) + '"' : s;
  };
  return (
    (r.lowerInclusive && r.lower !== null ? '[' : '(') +
    bound(r.lower) +
    ',' +
    bound(r.upper) +
    (r.upperInclusive && r.upper !== null ? ']' : ')')
  );
}

export function rangeToBinary<T>(r: PgRange<T>, el: RangeElement<T>): Uint8Array {
  if (r.empty) return Uint8Array.of(RANGE_EMPTY);
  let flags = 0;
  if (r.lower === null) flags |= RANGE_LB_INF;
  else if (r.lowerInclusive) flags |= RANGE_LB_INC;
  if (r.upper === null) flags |= RANGE_UB_INF;
  else if (r.upperInclusive) flags |= RANGE_UB_INC;
  const lo = r.lower === null ? null : el.codec.toBinary(r.lower);
  const hi = r.upper === null ? null : el.codec.toBinary(r.upper);
  const out = new Uint8Array(1 + (lo ? 4 + lo.length : 0) + (hi ? 4 + hi.length : 0));
  out[0] = flags;
  let at = 1;
  for (const b of [lo, hi]) {
    if (!b) continue;
    writeInt32(out, at, b.length);
    out.set(b, at + 4);
    at += 4 + b.length;
  }
  return out;
}

export function rangeFromBinary<T>(bytes: Uint8Array, el: RangeElement<T>): PgRange<T> {
  if (bytes.length < 1) throw badBinary('insufficient data left in message');
  const flags = bytes[0]!;
  if (flags & RANGE_EMPTY) return EMPTY_RANGE;
  let at = 1;
  const read = (): T => {
    if (at + 4 > bytes.length) throw badBinary('insufficient data left in message');
    const n = readInt32(bytes, at);
    if (n < 0 || at + 4 + n > bytes.length) throw badBinary('insufficient data left in message');
    const v = el.codec.fromBinary(bytes.subarray(at + 4, at + 4 + n));
    at += 4 + n;
    return v;
  };
  const lower = flags & RANGE_LB_INF ? null : read();
  const upper = flags & RANGE_UB_INF ? null : read();
  if (at !== bytes.length) throw badBinary();
  return makeRange(el, {
    empty: false,
    lower,
    upper,
    lowerInclusive: (flags & RANGE_LB_INC) !== 0,
    upperInclusive: (flags & RANGE_UB_INC) !== 0,
  });
}

export function makeRangeCodec<T>(
  oid: number,
  name: string,
  arrayOid: number,
  el: RangeElement<T>,
): TypeCodec<PgRange<T>> {
  return {
    oid,
    name,
    arrayOid,
    fromText: (text, settings) => parseRange(text, el, settings),
    toText: (v, settings) => formatRange(v, el, settings),
    fromBinary: (bytes) => rangeFromBinary(bytes, el),
    toBinary: (v) => rangeToBinary(v, el),
  };
}
