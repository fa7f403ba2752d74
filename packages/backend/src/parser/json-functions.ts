/**
 * json and jsonb operators and functions: `->`, `->>`, `#>`, `#>>`, jsonb's `@>`, `<@`, `?`, `?|`,
 * `?&`, `||`, `-`, `#-`; to_json(b), json(b)_build_object/array, json(b)_typeof,
 * json(b)_array_length, jsonb_set, jsonb_insert, jsonb_pretty, jsonb_strip_nulls, the
 * json(b)_array_elements(_text) and json(b)_object_keys set-returning functions, and the
 * json(b)_agg / json(b)_object_agg aggregates — printing as PostgreSQL 15 prints.
 */
import { PgError } from '../utils/errors.js';
import {
  T,
  arrayElementType,
  typeByOid,
  type FormatContext,
  type Value,
} from '../utils/adt/types.js';
import {
  compactText,
  contains,
  jsonbText,
  normalize,
  parseJson,
  pretty,
  quoteJsonString,
  scalarText,
  step,
  type JsonNode,
} from '../utils/adt/json.js';
import type { BuiltinAggregate, BuiltinFunction } from './functions.js';
import type { ResolvedOperator } from './operators.js';
import type { EvalContext } from './primnodes.js';

const isJson = (t: number): boolean => t === T.json || t === T.jsonb;
const textArray = (): number => typeByOid(T.text).arrayOid;

const defaultFormat: FormatContext = { extraFloatDigits: 1, timeZone: 'UTC', byteaOutput: 'hex' };

/** A node back to text in its type's form: jsonb canonical, json as written. */
const nodeText = (v: JsonNode, jsonb: boolean): string => (jsonb ? jsonbText(normalize(v)) : v.raw);

/** to_json / to_jsonb of an SQL value of type `type`. */
export function sqlToJson(v: Value, type: number, format: FormatContext, jsonb: boolean): string {
  if (v === null) return 'null';
  if (type === T.json) return jsonb ? jsonbText(normalize(parseJson(v as string))) : (v as string);
  if (type === T.jsonb) return v as string;
  const elem = arrayElementType(type);
  if (elem !== 0 && Array.isArray(v))
    return (
      '[' +
      (v as Value[]).map((x) => sqlToJson(x, elem, format, jsonb)).join(jsonb ? ', ' : ',') +
      ']'
    );
  const info = typeByOid(type);
  if (type === T.bool) return v ? 'true' : 'false';
  if (info.category === 'N') {
    const text = info.output(v, format);
    return /^-?\d/.test(text) ? text : quoteJsonString(text);
  }
  if (type === T.timestamp || type === T.timestamptz || type === T.date) {
    const text = info.output(v, { ...format, timeZone: format.timeZone });
    // ISO 8601, as PostgreSQL's JSON conversion writes datetimes.
    let iso = text.replace(' ', 'T');
    if (type === T.timestamptz) iso = iso.replace(/([+-]\d\d)$/, '$1:00');
    return quoteJsonString(iso);
  }
  return quoteJsonString(info.output(v, format));
}

function argType(ctx: EvalContext, i: number): number {
  return (ctx as EvalContext & { argTypes?: number[] }).argTypes?.[i] ?? T.text;
}

function pathOf(path: Value): Array<string | null> {
  return (path as Value[]).map((p) => (p === null ? null : String(p)));
}

/** Follows a text[] path; array steps must be integers. */
function walk(v: JsonNode, path: Array<string | null>): JsonNode | undefined {
  let cur: JsonNode | undefined = v;
  for (const p of path) {
    if (cur === undefined || p === null) return undefined;
    if (cur.kind === 'array') {
      if (!/^-?\d+$/.test(p)) return undefined;
      cur = step(cur, Number(p));
    } else cur = step(cur, p);
  }
  return cur;
}

function arrowOperator(kind: '->' | '->>' | '#>' | '#>>', l: number): ResolvedOperator[] {
  const jsonb = l === T.jsonb;
  const asText = kind === '->>' || kind === '#>>';
  const result = asText ? T.text : l;
  const finish = (hit: JsonNode | undefined): Value =>
    hit === undefined ? null : asText ? scalarText(hit, jsonb) : nodeText(hit, jsonb);
  if (kind === '#>' || kind === '#>>')
    return [
      {
        left: l,
        right: textArray(),
        result,
        strict: true,
        impl: (a) => finish(walk(parseJson(a[0] as string), pathOf(a[1]!))),
      },
    ];
  return [
    {
      left: l,
      right: T.text,
      result,
      strict: true,
      impl: (a) => finish(step(parseJson(a[0] as string), a[1] as string)),
    },
    {
      left: l,
      right: T.int4,
      result,
      strict: true,
      impl: (a) => finish(step(parseJson(a[0] as string), a[1] as number)),
    },
  ];
}

function jsonbConcat(a: JsonNode, b: JsonNode): JsonNode {
  if (a.kind === 'object' && b.kind === 'object')
    return normalize({ kind: 'object', entries: [...a.entries, ...b.entries], raw: '' });
  const items = (x: JsonNode): JsonNode[] => (x.kind === 'array' ? x.items : [x]);
  return { kind: 'array', items: [...items(a), ...items(b)], raw: '' };
}

function jsonbDelete(v: JsonNode, key: string | number): JsonNode {
  if (typeof key === 'string') {
    if (v.kind === 'object') return { ...v, entries: v.entries.filter(([k]) => k !== key) };
    if (v.kind === 'array')
      return {
        ...v,
        items: v.items.filter((x) => !(x.kind === 'string' && x.value === key)),
      };
    throw new PgError('22023', 'cannot delete from scalar');
  }
  if (v.kind !== 'array') {
    if (v.kind === 'object')
      throw new PgError('22023', 'cannot delete from object using integer index');
    throw new PgError('22023', 'cannot delete from scalar');
  }
  const i = key < 0 ? v.items.length + key : key;
  return { ...v, items: v.items.filter((_x, j) => j !== i) };
}

function hasKey(v: JsonNode, key: string): boolean {
  if (v.kind === 'object') return v.entries.some(([k]) => k === key);
  if (v.kind === 'array') return v.items.some((x) => x.kind === 'string' && x.value === key);
  return v.kind === 'string' && v.value === key;
}

/** The json/jsonb operators for these operand types (unknown operands already resolved). */
export function jsonOperator(
  name: string,
  left: number,
  right: number,
): ResolvedOperator | undefined {
  const l = left === T.unknown && isJson(right) ? right : left;
  if (!isJson(l)) return undefined;
  const r = right;
  if (name === '->' || name === '->>') {
    const options = arrowOperator(name, l);
    return (
      options.find((o) => o.right === r) ??
      (r === T.unknown
        ? options[0]
        : options.find((o) => o.right === T.int4 && (r === T.int2 || r === T.int8)))
    );
  }
  if (name === '#>' || name === '#>>') return arrowOperator(name, l)[0];
  if (l !== T.jsonb) return undefined;
  const jb = (a: Value): JsonNode => parseJson(a as string);
  const out = (v: JsonNode): string => jsonbText(normalize(v));
  const jsonbOp = (
    right: number,
    result: number,
    impl: ResolvedOperator['impl'],
  ): ResolvedOperator => ({ left: l, right, result, strict: true, impl });
  switch (name) {
    case '@>':
    case '<@':
      if (r !== T.jsonb && r !== T.unknown) return undefined;
      return jsonbOp(T.jsonb, T.bool, (a) =>
        name === '@>' ? contains(jb(a[0]!), jb(a[1]!)) : contains(jb(a[1]!), jb(a[0]!)),
      );
    case '?':
      return jsonbOp(T.text, T.bool, (a) => hasKey(jb(a[0]!), a[1] as string));
    case '?|':
    case '?&':
      return jsonbOp(textArray(), T.bool, (a) => {
        const v = jb(a[0]!);
        const keys = (a[1] as Value[]).filter((k) => k !== null) as string[];
        return name === '?|' ? keys.some((k) => hasKey(v, k)) : keys.every((k) => hasKey(v, k));
      });
    case '||':
      if (r !== T.jsonb && r !== T.unknown) return undefined;
      return jsonbOp(T.jsonb, T.jsonb, (a) => out(jsonbConcat(jb(a[0]!), jb(a[1]!))));
    case '-':
      if (r === T.int4 || r === T.int2)
        return jsonbOp(T.int4, T.jsonb, (a) => out(jsonbDelete(jb(a[0]!), a[1] as number)));
      if (r === textArray())
        return jsonbOp(r, T.jsonb, (a) => {
          let v = jb(a[0]!);
          for (const k of a[1] as Value[]) if (k !== null) v = jsonbDelete(v, k as string);
          return out(v);
        });
      return jsonbOp(T.text, T.jsonb, (a) => out(jsonbDelete(jb(a[0]!), a[1] as string)));
    case '#-':
      return jsonbOp(textArray(), T.jsonb, (a) =>
        out(setPath(jb(a[0]!), pathOf(a[1]!), undefined, false)),
      );
    default:
      return undefined;
  }
}

/**
 * jsonb_set / jsonb_insert / #-: the value with `path` replaced by `value` (deleted when
 * undefined). A missing last step is created when `create` is set.
 */
function setPath(
  v: JsonNode,
  path: Array<string | null>,
  value: JsonNode | undefined,
  create: boolean,
  insertAfter?: boolean,
): JsonNode {
  if (path.length === 0) return value ?? v;
  const head = path[0] ?? null;
  const rest = path.slice(1);
  if (head === null) throw new PgError('22004', `path element at position 1 is null`);
  if (v.kind === 'object') {
    const idx = v.entries.findIndex(([k]) => k === head);
    if (idx < 0) {
      if (rest.length === 0 && create && value !== undefined)
        return normalize({ ...v, entries: [...v.entries, [head, value]] });
      return v;
    }
    const entries = [...v.entries];
    if (rest.length === 0 && value === undefined) entries.splice(idx, 1);
    else if (rest.length === 0 && insertAfter !== undefined)
      throw new PgError('22023', 'cannot replace existing key', {
        hint: 'Try using the function jsonb_set to replace key value.',
      });
    else entries[idx] = [head, setPath(entries[idx]![1], rest, value, create, insertAfter)];
    return { ...v, entries };
  }
  if (v.kind === 'array') {
    if (!/^-?\d+$/.test(head))
      throw new PgError('22P02', `path element at position 1 is not an integer: "${head}"`);
    let i = Number(head);
    if (i < 0) i += v.items.length;
    const items = [...v.items];
    if (rest.length === 0) {
      if (value === undefined) {
        if (i >= 0 && i < items.length) items.splice(i, 1);
        return { ...v, items };
      }
      if (insertAfter !== undefined) {
        const at = Math.min(Math.max(i + (insertAfter ? 1 : 0), 0), items.length);
        items.splice(at, 0, value);
        return { ...v, items };
      }
      if (i >= 0 && i < items.length) items[i] = value;
      else if (create) {
        if (i < 0) items.unshift(value);
        else items.push(value);
      }
      return { ...v, items };
    }
    if (i < 0 || i >= items.length) return v;
    items[i] = setPath(items[i]!, rest, value, create, insertAfter);
    return { ...v, items };
  }
  return v;
}

function stripNulls(v: JsonNode): JsonNode {
  if (v.kind === 'object')
    return {
      ...v,
      entries: v.entries.filter(([, x]) => x.kind !== 'null').map(([k, x]) => [k, stripNulls(x)]),
    };
  if (v.kind === 'array') return { ...v, items: v.items.map(stripNulls) };
  return v;
}

function typeofNode(v: JsonNode): string {
  return v.kind === 'bool' ? 'boolean' : v.kind;
}

function buildObject(a: Value[], ctx: EvalContext, jsonb: boolean, fn: string): string {
  if (a.length % 2 !== 0)
    throw new PgError('22023', 'argument list must have even number of elements', {
      hint: `The arguments of ${fn}() must consist of alternating keys and values.`,
    });
  const format = ctx.session.format;
  const parts: Array<[string, string]> = [];
  for (let i = 0; i < a.length; i += 2) {
    if (a[i] === null)
      throw new PgError('22004', `argument ${i + 1} cannot be null`, {
        hint: 'Object keys should be text.',
      });
    parts.push([
      keyText(a[i]!, argType(ctx, i), format),
      sqlToJson(a[i + 1] ?? null, argType(ctx, i + 1), format, jsonb),
    ]);
  }
  return objectText(parts, jsonb, false);
}

/** An object key from an SQL value: text as it is, anything else through its output function. */
function keyText(v: Value, type: number, format: FormatContext): string {
  return typeof v === 'string' ? v : typeByOid(type).output(v, format);
}

/**
 * An object from keys and JSON texts: jsonb's canonical form, or json's `"k" : v` layout
 * (json_object_agg also pads the braces with spaces, as PostgreSQL prints it).
 */
function objectText(parts: Array<[string, string]>, jsonb: boolean, padBraces: boolean): string {
  if (jsonb)
    return jsonbText(
      normalize(
        parseJson('{' + parts.map(([k, v]) => quoteJsonString(k) + ':' + v).join(',') + '}'),
      ),
    );
  const body = parts.map(([k, v]) => `${quoteJsonString(k)} : ${v}`).join(', ');
  return padBraces ? `{ ${body} }` : `{${body}}`;
}

/** An array from JSON texts: jsonb's canonical form, or json's `[a, b]`. */
function arrayText(items: string[], jsonb: boolean): string {
  return jsonb
    ? jsonbText(normalize(parseJson('[' + items.join(',') + ']')))
    : '[' + items.join(', ') + ']';
}

export function jsonFunctions(): BuiltinFunction[] {
  const fns: BuiltinFunction[] = [];
  for (const jsonb of [false, true]) {
    const p = jsonb ? 'jsonb' : 'json';
    const type = jsonb ? T.jsonb : T.json;
    fns.push(
      {
        name: `to_${p}`,
        args: [T.unknown],
        result: type,
        impl: (a, c) => sqlToJson(a[0]!, argType(c, 0), c.session.format, jsonb),
      },
      {
        name: `${p}_build_object`,
        args: [],
        variadic: T.unknown,
        result: type,
        strict: false,
        impl: (a, c) => buildObject(a, c, jsonb, `${p}_build_object`),
      },
      {
        name: `${p}_build_array`,
        args: [],
        variadic: T.unknown,
        result: type,
        strict: false,
        impl: (a, c) => {
          const items = a.map((v, i) => sqlToJson(v, argType(c, i), c.session.format, jsonb));
          return arrayText(items, jsonb);
        },
      },
      {
        name: `${p}_typeof`,
        args: [type],
        result: T.text,
        impl: (a) => typeofNode(parseJson(a[0] as string)),
      },
      {
        name: `${p}_array_length`,
        args: [type],
        result: T.int4,
        impl: (a) => {
          const v = parseJson(a[0] as string);
          if (v.kind !== 'array')
            throw new PgError(
              '22023',
              `cannot get array length of ${v.kind === 'object' ? 'a non-array' : 'a scalar'}`,
            );
          return v.items.length;
        },
      },
      ...[false, true].map((asText): BuiltinFunction => ({
        name: `${p}_array_elements${asText ? '_text' : ''}`,
        args: [type],
        result: asText ? T.text : type,
        columnName: 'value',
        impl: () => null,
        srf: (a) => {
          const v = parseJson(a[0] as string);
          if (v.kind !== 'array')
            throw new PgError(
              '22023',
              `cannot extract elements from ${v.kind === 'object' ? 'an object' : 'a scalar'}`,
            );
          return v.items.map((x) => (asText ? scalarText(x, jsonb) : nodeText(x, jsonb)));
        },
      })),
      {
        name: `${p}_object_keys`,
        args: [type],
        result: T.text,
        impl: () => null,
        srf: (a) => {
          const v = parseJson(a[0] as string);
          if (v.kind !== 'object')
            throw new PgError(
              '22023',
              `cannot call ${p}_object_keys on ${v.kind === 'array' ? 'an array' : 'a scalar'}`,
            );
          // json keeps its keys as written (duplicates too); jsonb lists its canonical keys.
          const keys = (jsonb ? normalize(v) : v) as Extract<JsonNode, { kind: 'object' }>;
          return keys.entries.map(([k]) => k);
        },
      },
      ...[false, true].map((asText): BuiltinFunction => ({
        name: `${p}_each${asText ? '_text' : ''}`,
        args: [type],
        result: T.unknown,
        outColumns: [
          { name: 'key', type: T.text },
          { name: 'value', type: asText ? T.text : type },
        ],
        impl: () => null,
        srf: (a) => {
          const v = parseJson(a[0] as string);
          if (v.kind !== 'object')
            throw new PgError(
              '22023',
              `cannot call ${p}_each${asText ? '_text' : ''} on a non-object`,
            );
          const entries = (jsonb ? normalize(v) : v) as Extract<JsonNode, { kind: 'object' }>;
          return entries.entries.map(([k, x]) => [
            k,
            asText ? scalarText(x, jsonb) : nodeText(x, jsonb),
          ]);
        },
      })),
      {
        name: `${p}_strip_nulls`,
        args: [type],
        result: type,
        impl: (a) => {
          const v = stripNulls(parseJson(a[0] as string));
          return jsonb ? jsonbText(normalize(v)) : compactText(v);
        },
      },
    );
  }
  const jb = (v: Value): JsonNode => parseJson(v as string);
  fns.push(
    {
      name: 'jsonb_set',
      args: [T.jsonb, textArray(), T.jsonb],
      result: T.jsonb,
      impl: (a) => jsonbText(normalize(setPath(jb(a[0]!), pathOf(a[1]!), jb(a[2]!), true))),
    },
    {
      name: 'jsonb_set',
      args: [T.jsonb, textArray(), T.jsonb, T.bool],
      result: T.jsonb,
      impl: (a) =>
        jsonbText(normalize(setPath(jb(a[0]!), pathOf(a[1]!), jb(a[2]!), a[3] === true))),
    },
    {
      name: 'jsonb_insert',
      args: [T.jsonb, textArray(), T.jsonb],
      result: T.jsonb,
      impl: (a) => jsonbText(normalize(setPath(jb(a[0]!), pathOf(a[1]!), jb(a[2]!), true, false))),
    },
    {
      name: 'jsonb_insert',
      args: [T.jsonb, textArray(), T.jsonb, T.bool],
      result: T.jsonb,
      impl: (a) =>
        jsonbText(normalize(setPath(jb(a[0]!), pathOf(a[1]!), jb(a[2]!), true, a[3] === true))),
    },
    {
      name: 'jsonb_pretty',
      args: [T.jsonb],
      result: T.text,
      impl: (a) => pretty(normalize(jb(a[0]!))),
    },
    {
      name: 'json_extract_path',
      args: [T.json],
      variadic: T.text,
      result: T.json,
      impl: (a) => {
        const hit = walk(parseJson(a[0] as string), a.slice(1) as string[]);
        return hit === undefined ? null : hit.raw;
      },
    },
    {
      name: 'jsonb_extract_path',
      args: [T.jsonb],
      variadic: T.text,
      result: T.jsonb,
      impl: (a) => {
        const hit = walk(jb(a[0]!), a.slice(1) as string[]);
        return hit === undefined ? null : jsonbText(normalize(hit));
      },
    },
  );
  return fns;
}

/** json_agg / jsonb_agg / json_object_agg / jsonb_object_agg. */
export function jsonAggregates(): BuiltinAggregate[] {
  const out: BuiltinAggregate[] = [];
  for (const jsonb of [false, true]) {
    const p = jsonb ? 'jsonb' : 'json';
    const type = jsonb ? T.jsonb : T.json;
    out.push(
      {
        name: `${p}_agg`,
        args: [T.unknown],
        result: type,
        strict: false,
        make: (types) => ({
          init: () => [] as string[],
          step: (s, a) => {
            (s as string[]).push(
              sqlToJson(a[0] ?? null, types?.[0] ?? T.text, defaultFormat, jsonb),
            );
            return s;
          },
          final: (s) => {
            const items = s as string[];
            if (items.length === 0) return null;
            return arrayText(items, jsonb);
          },
        }),
      },
      {
        name: `${p}_object_agg`,
        args: [T.unknown, T.unknown],
        result: type,
        strict: false,
        make: (types) => ({
          init: () => [] as Array<[string, string]>,
          step: (s, a) => {
            if (a[0] === null || a[0] === undefined)
              throw new PgError('22023', 'field name must not be null');
            (s as Array<[string, string]>).push([
              keyText(a[0], types?.[0] ?? T.text, defaultFormat),
              sqlToJson(a[1] ?? null, types?.[1] ?? T.text, defaultFormat, jsonb),
            ]);
            return s;
          },
          final: (s) => {
            const parts = s as Array<[string, string]>;
            return parts.length === 0 ? null : objectText(parts, jsonb, true);
          },
        }),
      },
    );
  }
  return out;
}
