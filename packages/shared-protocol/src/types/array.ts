/**
 * Arrays of any element codec: array_out / array_in text ('{1,2,NULL}', '{"a b","c\"d"}',
 * '{{1,2},{3,4}}', '[0:1]={1,2}') and array_send / array_recv binary (ndim, has-null flag,
 * element OID, per-dimension length and lower bound, then length-prefixed elements).
 * In JS an array with all lower bounds 1 is a (nested) JS array with null for NULL; any other
 * shape is a PgArray carrying its dimensions and lower bounds explicitly.
 */
import type { TypeCodec } from './codec.js';
import type { TypeSettings } from './settings.js';
import { TypeInputError, badBinary } from './errors.js';
import { isPgSpace, readInt32, writeInt32 } from './binary.js';

/** An array with explicit dimensions and lower bounds; `elements` in row-major order. */
export class PgArray<T> {
  constructor(
    readonly elements: (T | null)[],
    readonly dims: number[],
    readonly lowerBounds: number[],
  ) {
    if (dims.length !== lowerBounds.length)
      throw new RangeError('dims and lowerBounds differ in length');
    const n = dims.reduce((a, b) => a * b, dims.length === 0 ? 0 : 1);
    if (n !== elements.length) throw new RangeError('element count does not match dimensions');
  }
}

/** A JS (nested) array of elements, or a PgArray for non-default lower bounds. */
export type NestedArray<T> = (T | null | NestedArray<T>)[];
export type ArrayValue<T> = NestedArray<T> | PgArray<T>;

/** MAXDIM */
const MAX_DIMS = 6;

function malformed(text: string, detail: string): TypeInputError {
  return new TypeInputError('22P02', `malformed array literal: "${text}"`, detail);
}

/**
 * Flattens a value to PgArray form. `elementIsArray` says the element values are themselves JS
 * arrays (int2vector, oidvector), so JS arrays cannot mean nesting.
 */
export function toPgArray<T>(value: ArrayValue<T>, elementIsArray = false): PgArray<T> {
  if (value instanceof PgArray) return value;
  if (elementIsArray)
    return new PgArray(
      value as (T | null)[],
      value.length === 0 ? [] : [value.length],
      value.length === 0 ? [] : [1],
    );
  const dims: number[] = [];
  let level: unknown = value;
  while (Array.isArray(level)) {
    dims.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  if (dims.includes(0)) return new PgArray<T>([], [], []);
  if (dims.length > MAX_DIMS)
    throw new RangeError(
      `number of array dimensions (${dims.length}) exceeds the maximum allowed (${MAX_DIMS})`,
    );
  const elements: (T | null)[] = [];
  const walk = (node: unknown, depth: number): void => {
    if (depth === dims.length) {
      if (Array.isArray(node))
        throw new RangeError(
          'multidimensional arrays must have sub-arrays with matching dimensions',
        );
      elements.push(node as T | null);
      return;
    }
    if (!Array.isArray(node) || node.length !== dims[depth]) {
      throw new RangeError('multidimensional arrays must have sub-arrays with matching dimensions');
    }
    for (const child of node) walk(child, depth + 1);
  };
  walk(value, 0);
  return new PgArray(
    elements,
    dims,
    dims.map(() => 1),
  );
}

/** Back to the JS-friendly form: nested arrays when every lower bound is 1. */
export function fromPgArray<T>(arr: PgArray<T>, elementIsArray = false): ArrayValue<T> {
  if (arr.dims.length === 0) return [];
  if (arr.lowerBounds.some((lb) => lb !== 1) || (elementIsArray && arr.dims.length > 1)) return arr;
  if (elementIsArray) return arr.elements;
  let pos = 0;
  const build = (depth: number): NestedArray<T> => {
    const n = arr.dims[depth]!;
    const out: NestedArray<T> = new Array<T | null | NestedArray<T>>(n);
    if (depth === arr.dims.length - 1) {
      for (let i = 0; i < n; i++) out[i] = arr.elements[pos++] ?? null;
    } else {
      for (let i = 0; i < n; i++) out[i] = build(depth + 1);
    }
    return out;
  };
  return build(0);
}

/** Does array_out have to quote this element text? */
function needsQuotes(s: string, delim: number): boolean {
  if (s.length === 0) return true;
  if (s.length === 4 && s.toLowerCase() === 'null') return true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 92 || c === 123 || c === 125 || c === delim || isPgSpace(c)) return true;
  }
  return false;
}

function quote(s: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 92) {
      out += s.slice(from, i) + '\\';
      from = i;
    }
  }
  return out + s.slice(from) + '"';
}

export function formatArray<T>(
  value: ArrayValue<T>,
  elem: TypeCodec<T>,
  delimiter: string,
  settings?: TypeSettings,
  elementIsArray = false,
): string {
  const arr = toPgArray(value, elementIsArray);
  const ndim = arr.dims.length;
  if (ndim === 0) return '{}';
  const delim = delimiter.charCodeAt(0);
  let out = '';
  if (arr.lowerBounds.some((lb) => lb !== 1)) {
    for (let d = 0; d < ndim; d++)
      out += '[' + arr.lowerBounds[d] + ':' + (arr.lowerBounds[d]! + arr.dims[d]! - 1) + ']';
    out += '=';
  }
  let pos = 0;
  const write = (depth: number): void => {
    out += '{';
    const n = arr.dims[depth]!;
    for (let i = 0; i < n; i++) {
      if (i > 0) out += delimiter;
      if (depth < ndim - 1) write(depth + 1);
      else {
        const v = arr.elements[pos++];
        if (v === null || v === undefined) out += 'NULL';
        else {
          const s = elem.toText(v, settings);
          out += needsQuotes(s, delim) ? quote(s) : s;
        }
      }
    }
    out += '}';
  };
  write(0);
  return out;
}

export function parseArray<T>(
  text: string,
  elem: TypeCodec<T>,
  delimiter: string,
  settings?: TypeSettings,
  elementIsArray = false,
): ArrayValue<T> {
  const delim = delimiter.charCodeAt(0);
  let i = 0;
  const len = text.length;
  const skip = (): void => {
    while (i < len && isPgSpace(text.charCodeAt(i))) i++;
  };
  skip();
  // Optional explicit dimensions: [lb:ub][lb:ub]=
  let explicitDims: number[] | undefined;
  let explicitLbs: number[] | undefined;
  if (text.charCodeAt(i) === 91) {
    explicitDims = [];
    explicitLbs = [];
    while (text.charCodeAt(i) === 91) {
      const m = /^\[\s*([+-]?\d+)\s*(?::\s*([+-]?\d+)\s*)?\]/.exec(text.slice(i));
      if (!m) throw malformed(text, 'Missing array dimension value.');
      const lb = m[2] === undefined ? 1 : Number(m[1]);
      const ub = Number(m[2] ?? m[1]);
      if (ub < lb - 1)
        throw new TypeInputError('2202E', 'upper bound cannot be less than lower bound');
      explicitLbs.push(lb);
      explicitDims.push(ub - lb + 1);
      i += m[0].length;
      skip();
    }
    if (text.charCodeAt(i) !== 61) throw malformed(text, 'Missing "=" after array dimensions.');
    i++;
    skip();
  }
  if (text.charCodeAt(i) !== 123) {
    throw malformed(text, 'Array value must start with "{" or dimension information.');
  }
  const elements: (T | null)[] = [];
  const dims: number[] = [];
  let ndim = -1; // fixed by the first element's depth

  const parseLevel = (depth: number): void => {
    // text[i] is '{'
    i++;
    if (depth >= MAX_DIMS)
      throw new TypeInputError(
        '54000',
        `number of array dimensions (${depth + 1}) exceeds the maximum allowed (${MAX_DIMS})`,
      );
    let count = 0;
    skip();
    if (text.charCodeAt(i) === 125) {
      i++;
      if (ndim === -1 && depth === 0) {
        ndim = 0;
        return;
      }
      throw malformed(
        text,
        'Multidimensional arrays must have sub-arrays with matching dimensions.',
      );
    }
    for (;;) {
      skip();
      if (text.charCodeAt(i) === 123) {
        if (ndim !== -1 && depth + 1 >= ndim) throw malformed(text, 'Unexpected "{" character.');
        parseLevel(depth + 1);
      } else {
        if (ndim === -1) ndim = depth + 1;
        else if (ndim !== depth + 1) throw malformed(text, 'Unexpected array element.');
        elements.push(readElement());
      }
      count++;
      skip();
      const c = text.charCodeAt(i);
      if (c === delim) {
        i++;
        continue;
      }
      if (c === 125) {
        i++;
        break;
      }
      if (i >= len) throw malformed(text, 'Unexpected end of input.');
      throw malformed(text, `Unexpected "${text[i]}" character.`);
    }
    if (dims[depth] === undefined) dims[depth] = count;
    else if (dims[depth] !== count) {
      throw malformed(
        text,
        'Multidimensional arrays must have sub-arrays with matching dimensions.',
      );
    }
  };

  const readElement = (): T | null => {
    let s = '';
    if (text.charCodeAt(i) === 34) {
      // A quoted element is the whole element: only whitespace may follow it.
      i++;
      for (;;) {
        if (i >= len) throw malformed(text, 'Unexpected end of input.');
        const c = text.charCodeAt(i);
        if (c === 92) {
          if (i + 1 >= len) throw malformed(text, 'Unexpected end of input.');
          s += text[i + 1];
          i += 2;
        } else if (c === 34) {
          i++;
          break;
        } else {
          s += text[i];
          i++;
        }
      }
      skip();
      const c = text.charCodeAt(i);
      if (c !== delim && c !== 125) {
        if (i >= len) throw malformed(text, 'Unexpected end of input.');
        throw malformed(text, 'Unexpected array element.');
      }
      return elem.fromText(s, settings);
    }
    let escaped = false;
    let trailingSpace = 0; // unescaped whitespace at the end, trimmed
    for (;;) {
      if (i >= len) throw malformed(text, 'Unexpected end of input.');
      const c = text.charCodeAt(i);
      if (c === 92) {
        if (i + 1 >= len) throw malformed(text, 'Unexpected end of input.');
        s += text[i + 1];
        i += 2;
        escaped = true;
        trailingSpace = 0;
        continue;
      }
      if (c === delim || c === 125) break;
      if (c === 34) throw malformed(text, 'Unexpected array element.');
      if (c === 123) throw malformed(text, 'Unexpected "{" character.');
      s += text[i];
      trailingSpace = isPgSpace(c) ? trailingSpace + 1 : 0;
      i++;
    }
    if (trailingSpace > 0) s = s.slice(0, s.length - trailingSpace);
    if (!escaped && s.length === 4 && s.toLowerCase() === 'null') return null;
    if (!escaped && s.length === 0) throw malformed(text, `Unexpected "${text[i]}" character.`);
    return elem.fromText(s, settings);
  };

  parseLevel(0);
  skip();
  if (i !== len) throw malformed(text, 'Junk after closing right brace.');
  if (ndim <= 0) {
    if (explicitDims && explicitDims.some((d) => d !== 0)) {
      throw malformed(text, 'Specified array dimensions do not match array contents.');
    }
    return [];
  }
  dims.length = ndim;
  let lowerBounds = dims.map(() => 1);
  if (explicitDims && explicitLbs) {
    if (explicitDims.length !== ndim || explicitDims.some((d, k) => d !== dims[k])) {
      throw malformed(text, 'Specified array dimensions do not match array contents.');
    }
    lowerBounds = explicitLbs;
  }
  return fromPgArray(new PgArray(elements, dims, lowerBounds), elementIsArray);
}

export function arrayToBinary<T>(
  value: ArrayValue<T>,
  elem: TypeCodec<T>,
  elementIsArray = false,
): Uint8Array {
  const arr = toPgArray(value, elementIsArray);
  const ndim = arr.dims.length;
  const parts: (Uint8Array | null)[] = [];
  let total = 12 + ndim * 8;
  let hasNull = false;
  for (const v of arr.elements) {
    if (v === null || v === undefined) {
      parts.push(null);
      hasNull = true;
      total += 4;
    } else {
      const b = elem.toBinary(v);
      parts.push(b);
      total += 4 + b.length;
    }
  }
  const out = new Uint8Array(total);
  writeInt32(out, 0, ndim);
  writeInt32(out, 4, hasNull ? 1 : 0);
  writeInt32(out, 8, elem.oid);
  let at = 12;
  for (let d = 0; d < ndim; d++) {
    writeInt32(out, at, arr.dims[d]!);
    writeInt32(out, at + 4, arr.lowerBounds[d]!);
    at += 8;
  }
  for (const p of parts) {
    if (p === null) {
      writeInt32(out, at, -1);
      at += 4;
    } else {
      writeInt32(out, at, p.length);
      out.set(p, at + 4);
      at += 4 + p.length;
    }
  }
  return out;
}

export function arrayFromBinary<T>(
  bytes: Uint8Array,
  elem: TypeCodec<T>,
  elementIsArray = false,
): ArrayValue<T> {
  if (bytes.length < 12) throw badBinary('insufficient data left in message');
  const ndim = readInt32(bytes, 0);
  const flags = readInt32(bytes, 4);
  if (ndim < 0) throw badBinary(`invalid number of dimensions: ${ndim}`);
  if (ndim > MAX_DIMS)
    throw badBinary(
      `number of array dimensions (${ndim}) exceeds the maximum allowed (${MAX_DIMS})`,
    );
  if (flags !== 0 && flags !== 1) throw badBinary('invalid array flags');
  const elemOid = readInt32(bytes, 8) >>> 0;
  if (elemOid !== elem.oid) {
    throw new TypeInputError(
      '42804',
      `binary data has array element type ${elemOid} instead of expected ${elem.oid}`,
    );
  }
  if (bytes.length < 12 + ndim * 8) throw badBinary('insufficient data left in message');
  const dims: number[] = [];
  const lbs: number[] = [];
  let count = ndim === 0 ? 0 : 1;
  for (let d = 0; d < ndim; d++) {
    const n = readInt32(bytes, 12 + d * 8);
    dims.push(n);
    lbs.push(readInt32(bytes, 16 + d * 8));
    count *= n;
  }
  if (count === 0) return [];
  let at = 12 + ndim * 8;
  const elements = new Array<T | null>(count);
  for (let k = 0; k < count; k++) {
    if (at + 4 > bytes.length) throw badBinary('insufficient data left in message');
    const n = readInt32(bytes, at);
    at += 4;
    if (n === -1) {
      elements[k] = null;
      continue;
    }
    if (n < 0 || at + n > bytes.length) throw badBinary('insufficient data left in message');
    elements[k] = elem.fromBinary(bytes.subarray(at, at + n));
    at += n;
  }
  if (at !== bytes.length) throw badBinary('incorrect binary data format in array element');
  return fromPgArray(new PgArray(elements, dims, lbs), elementIsArray);
}

/** The codec of `elem`'s array type. */
export function makeArrayCodec<T>(
  elem: TypeCodec<T>,
  name: string,
  delimiter = ',',
  elementIsArray = false,
): TypeCodec<ArrayValue<T>> {
  return {
    oid: elem.arrayOid,
    name,
    arrayOid: 0,
    fromText: (text, settings) => parseArray(text, elem, delimiter, settings, elementIsArray),
    toText: (value, settings) => formatArray(value, elem, delimiter, settings, elementIsArray),
    fromBinary: (bytes) => arrayFromBinary(bytes, elem, elementIsArray),
    toBinary: (value) => arrayToBinary(value, elem, elementIsArray),
  };
}
