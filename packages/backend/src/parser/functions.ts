/**
 * Built-in functions and aggregates (a subset of pg_proc) and their resolution by name and
 * argument types (PostgreSQL's func_select_candidate for the cases that arise with built-ins):
 * exact matches first, then candidates reachable by implicit casts, preferring the fewest casts.
 */
import { nowMicros } from '../utils/clock.js';
import { randomUUID, createHash } from 'node:crypto';
import { PgError } from '../utils/errors.js';
import {
  T,
  arrayElementType,
  findTypeByOid,
  flattenArray,
  formatType,
  formatTypeWithTypmod,
  typeByOid,
  type Value,
} from '../utils/adt/types.js';
import * as numeric from '../utils/adt/numeric.js';
import { checkInt, checkInt8 } from '../utils/adt/int.js';
import { SERVER_VERSION } from '../utils/guc-tables.js';
import { findCast, isNumericType, rint } from './coerce.js';
import type { CatalogAccess, EvalContext } from './primnodes.js';
import { timestampToDate } from '../utils/adt/datetime.js';
import { datetimeFunctions } from './datetime-functions.js';
import { setReturningFunctions } from './set-returning-functions.js';
import { stringFunctions } from './string-functions.js';
import { mathFunctions } from './math-functions.js';
import { arrayManipulationFunctions } from './array-functions.js';
import { jsonAggregates, jsonFunctions } from './json-functions.js';
import { regressionAggregates, statisticsAggregates } from './statistics-aggregates.js';
import { orderedSetNames } from './ordered-set-aggregates.js';
import {
  intervalAdd,
  intervalDivide,
  intervalParts,
  intervalValue,
  type Interval,
} from '../utils/adt/interval.js';
import { interrupts, checkForInterrupts } from '../utils/interrupts.js';

export interface BuiltinFunction {
  name: string;
  args: number[];
  /** Extra arguments of this type are accepted (VARIADIC "any" when T.unknown). */
  variadic?: number;
  result: number;
  impl: (args: Value[], ctx: EvalContext) => Value;
  strict?: boolean;
  volatile?: boolean;
  /** Set-returning functions: the rows (one value each); `impl` is not called then. */
  srf?: (args: Value[], ctx: EvalContext) => Iterable<Value>;
  /** Polymorphic result type from the argument types (0 = the call does not match). */
  resultFrom?: (argTypes: number[]) => number;
  /**
   * anyarray / anyelement parameters (by position): they resolve to one array type and its
   * element type, and arguments are coerced to them (so array_append(int[], 'x') reads 'x' as an
   * integer, as PostgreSQL does).
   */
  polymorphic?: Array<'array' | 'element' | undefined>;
  /** A set-returning function's column name in FROM (its OUT parameter), if not its own name. */
  columnName?: string;
  /** A function returning rows of several columns (OUT parameters): `srf` yields Value[] rows. */
  outColumns?: Array<{ name: string; type: number }>;
}

export interface AggregateImpl {
  init(): unknown;
  step(state: unknown, args: Value[]): unknown;
  final(state: unknown): Value;
}
export interface BuiltinAggregate {
  name: string;
  /** Empty = count(*). */
  args: number[];
  result: number;
  /** A polymorphic aggregate's result type for its argument types (0 = not applicable). */
  resultFrom?: (argTypes: number[]) => number;
  /** Rows whose arguments are null are skipped (true for all but count(*)). */
  strict: boolean;
  /** A fresh state machine; `argTypes` are the call's (coerced) argument types. */
  make(argTypes?: number[]): AggregateImpl;
}

/** The result type of an aggregate called with these (coerced) argument types. */
export function aggregateResultType(agg: BuiltinAggregate, argTypes: number[]): number {
  return agg.resultFrom ? agg.resultFrom(argTypes) : agg.result;
}

const NUM = [T.int2, T.int4, T.int8, T.numeric, T.float4, T.float8];

/** Characters (code points), as PostgreSQL counts them. */
const chars = (s: string): string[] => [...s];

function fnSleep(args: Value[]): Value {
  const secs = args[0] as number;
  // Returns a promise: the executor awaits top-level promises, so the event loop keeps running
  // (and a cancel request can interrupt the sleep).
  return new Promise<null>((resolve, reject) => {
    const end = Date.now() + Math.max(0, secs * 1000);
    const tick = (): void => {
      try {
        checkForInterrupts();
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      const left = end - Date.now();
      if (left <= 0) resolve(null);
      else setTimeout(tick, Math.min(left, 50));
    };
    tick();
  }) as unknown as Value;
}
void interrupts;

function roundNumber(x: number): number {
  return rint(x);
}

const fns: BuiltinFunction[] = [
  {
    name: 'version',
    args: [],
    result: T.text,
    impl: () =>
      `PostgreSQL ${SERVER_VERSION} on x86_64-pc-linux-gnu, compiled by TypeScript, 64-bit`,
  },
  { name: 'current_database', args: [], result: T.name, impl: (_a, c) => c.session.database },
  {
    name: 'current_schema',
    args: [],
    result: T.name,
    strict: false,
    impl: (_a, c) => searchPathSchemas(c, false)[0] ?? null,
  },
  {
    name: 'current_schemas',
    args: [T.bool],
    result: typeByOid(T.name).arrayOid,
    impl: (a, c) => searchPathSchemas(c, a[0] === true),
  },
  { name: 'current_user', args: [], result: T.name, impl: (_a, c) => c.session.user },
  { name: 'session_user', args: [], result: T.name, impl: (_a, c) => c.session.sessionUser },
  { name: 'pg_backend_pid', args: [], result: T.int4, impl: (_a, c) => c.session.processId },
  { name: 'pg_sleep', args: [T.float8], result: T.void, impl: fnSleep, volatile: true },
  {
    name: 'now',
    args: [],
    result: T.timestamptz,
    impl: (_a, c) => c.session.transactionTimestamp(),
    volatile: true,
  },
  {
    name: 'transaction_timestamp',
    args: [],
    result: T.timestamptz,
    impl: (_a, c) => c.session.transactionTimestamp(),
    volatile: true,
  },
  {
    name: 'statement_timestamp',
    args: [],
    result: T.timestamptz,
    impl: (_a, c) => c.session.statementTimestamp(),
    volatile: true,
  },
  {
    name: 'clock_timestamp',
    args: [],
    result: T.timestamptz,
    volatile: true,
    impl: () => nowMicros(),
  },
  {
    name: 'current_setting',
    args: [T.text],
    result: T.text,
    impl: (a, c) => c.session.setting(a[0] as string),
    volatile: true,
  },
  {
    // reloptions-style "name=value" items as rows.
    name: 'pg_options_to_table',
    args: [T.textArray],
    result: T.unknown,
    impl: () => null,
    outColumns: [
      { name: 'option_name', type: T.text },
      { name: 'option_value', type: T.text },
    ],
    srf: (a) =>
      ((a[0] as readonly Value[]) ?? []).map((item) => {
        const text = String(item);
        const eq = text.indexOf('=');
        return eq < 0 ? [text, null] : [text.slice(0, eq), text.slice(eq + 1)];
      }),
  },
  {
    name: 'pg_show_all_settings',
    args: [],
    result: T.unknown,
    impl: () => null,
    outColumns: [
      ...['name', 'setting', 'unit', 'category', 'short_desc', 'extra_desc', 'context']
        .concat(['vartype', 'source', 'min_val', 'max_val'])
        .map((name) => ({ name, type: T.text })),
      { name: 'enumvals', type: T.textArray },
      ...['boot_val', 'reset_val', 'sourcefile'].map((name) => ({ name, type: T.text })),
      { name: 'sourceline', type: T.int4 },
      { name: 'pending_restart', type: T.bool },
    ],
    srf: (_a, c) =>
      (c.session.settingsRows?.() ?? []).map((r) =>
        r.map((v, i) => (i === 11 && typeof v === 'string' ? v.slice(1, -1).split(',') : v)),
      ),
    volatile: true,
  },
  {
    name: 'set_config',
    args: [T.text, T.text, T.bool],
    result: T.text,
    strict: false,
    impl: (a, c) => {
      if (a[0] === null) throw new PgError('22004', 'SET requires parameter name');
      if (!c.session.setConfig) throw new PgError('0A000', 'set_config is not available here');
      return c.session.setConfig(a[0] as string, (a[1] as string | null) ?? '', a[2] === true);
    },
    volatile: true,
  },
  { name: 'gen_random_uuid', args: [], result: T.uuid, impl: () => randomUUID(), volatile: true },
  { name: 'random', args: [], result: T.float8, impl: () => Math.random(), volatile: true },
  {
    name: 'nextval',
    args: [T.regclass],
    result: T.int8,
    impl: (a, c) => c.session.nextval(a[0] as string | number),
    volatile: true,
  },
  {
    name: 'currval',
    args: [T.regclass],
    result: T.int8,
    impl: (a, c) => c.session.currval(a[0] as string | number),
    volatile: true,
  },
  {
    name: 'setval',
    args: [T.regclass, T.int8],
    result: T.int8,
    impl: (a, c) => c.session.setval(a[0] as string | number, a[1] as bigint, true),
    volatile: true,
  },
  {
    name: 'nextval',
    args: [T.text],
    result: T.int8,
    impl: (a, c) => c.session.nextval(a[0] as string | number),
    volatile: true,
  },
  {
    name: 'currval',
    args: [T.text],
    result: T.int8,
    impl: (a, c) => c.session.currval(a[0] as string | number),
    volatile: true,
  },
  {
    name: 'setval',
    args: [T.text, T.int8],
    result: T.int8,
    impl: (a, c) => c.session.setval(a[0] as string | number, a[1] as bigint, true),
    volatile: true,
  },
  {
    name: 'setval',
    args: [T.text, T.int8, T.bool],
    result: T.int8,
    impl: (a, c) => c.session.setval(a[0] as string | number, a[1] as bigint, a[2] as boolean),
    volatile: true,
  },
  { name: 'length', args: [T.text], result: T.int4, impl: (a) => chars(a[0] as string).length },
  {
    name: 'length',
    args: [T.bpchar],
    result: T.int4,
    impl: (a) => chars((a[0] as string).replace(/ +$/, '')).length,
  },
  { name: 'length', args: [T.bytea], result: T.int4, impl: (a) => (a[0] as Uint8Array).byteLength },
  {
    name: 'char_length',
    args: [T.text],
    result: T.int4,
    impl: (a) => chars(a[0] as string).length,
  },
  {
    name: 'character_length',
    args: [T.text],
    result: T.int4,
    impl: (a) => chars(a[0] as string).length,
  },
  {
    name: 'octet_length',
    args: [T.text],
    result: T.int4,
    impl: (a) => Buffer.byteLength(a[0] as string),
  },
  {
    name: 'octet_length',
    args: [T.bytea],
    result: T.int4,
    impl: (a) => (a[0] as Uint8Array).byteLength,
  },
  {
    name: 'lower',
    args: [T.text],
    result: T.text,
    impl: (a) => (a[0] as string).replace(/[A-Z]+/g, (s) => s.toLowerCase()),
  },
  {
    name: 'upper',
    args: [T.text],
    result: T.text,
    impl: (a) => (a[0] as string).replace(/[a-z]+/g, (s) => s.toUpperCase()),
  },
  {
    name: 'substr',
    args: [T.text, T.int4],
    result: T.text,
    impl: (a) =>
      chars(a[0] as string)
        .slice(Math.max(0, (a[1] as number) - 1))
        .join(''),
  },
  {
    name: 'substr',
    args: [T.text, T.int4, T.int4],
    result: T.text,
    impl: (a) => substring(a[0] as string, a[1] as number, a[2] as number),
  },
  {
    name: 'substring',
    args: [T.text, T.int4],
    result: T.text,
    impl: (a) =>
      chars(a[0] as string)
        .slice(Math.max(0, (a[1] as number) - 1))
        .join(''),
  },
  {
    name: 'substring',
    args: [T.text, T.int4, T.int4],
    result: T.text,
    impl: (a) => substring(a[0] as string, a[1] as number, a[2] as number),
  },
  {
    name: 'strpos',
    args: [T.text, T.text],
    result: T.int4,
    impl: (a) => {
      const i = (a[0] as string).indexOf(a[1] as string);
      return i < 0 ? 0 : chars((a[0] as string).slice(0, i)).length + 1;
    },
  },
  {
    name: 'position',
    args: [T.text, T.text],
    result: T.int4,
    impl: (a) => {
      // position(sub IN str) is parsed as position(str, sub).
      const i = (a[0] as string).indexOf(a[1] as string);
      return i < 0 ? 0 : chars((a[0] as string).slice(0, i)).length + 1;
    },
  },
  {
    name: 'replace',
    args: [T.text, T.text, T.text],
    result: T.text,
    impl: (a) =>
      a[1] === '' ? (a[0] as string) : (a[0] as string).split(a[1] as string).join(a[2] as string),
  },
  {
    name: 'btrim',
    args: [T.text],
    result: T.text,
    impl: (a) => (a[0] as string).replace(/^ +| +$/g, ''),
  },
  {
    name: 'btrim',
    args: [T.text, T.text],
    result: T.text,
    impl: (a) => trimChars(a[0] as string, a[1] as string, true, true),
  },
  {
    name: 'ltrim',
    args: [T.text],
    result: T.text,
    impl: (a) => (a[0] as string).replace(/^ +/, ''),
  },
  {
    name: 'ltrim',
    args: [T.text, T.text],
    result: T.text,
    impl: (a) => trimChars(a[0] as string, a[1] as string, true, false),
  },
  {
    name: 'rtrim',
    args: [T.text],
    result: T.text,
    impl: (a) => (a[0] as string).replace(/ +$/, ''),
  },
  {
    name: 'rtrim',
    args: [T.text, T.text],
    result: T.text,
    impl: (a) => trimChars(a[0] as string, a[1] as string, false, true),
  },
  {
    name: 'left',
    args: [T.text, T.int4],
    result: T.text,
    impl: (a) => {
      const c = chars(a[0] as string);
      const n = a[1] as number;
      return c.slice(0, n < 0 ? Math.max(0, c.length + n) : n).join('');
    },
  },
  {
    name: 'right',
    args: [T.text, T.int4],
    result: T.text,
    impl: (a) => {
      const c = chars(a[0] as string);
      const n = a[1] as number;
      return c.slice(n < 0 ? Math.min(c.length, -n) : Math.max(0, c.length - n)).join('');
    },
  },
  {
    name: 'repeat',
    args: [T.text, T.int4],
    result: T.text,
    impl: (a) => (a[0] as string).repeat(Math.max(0, a[1] as number)),
  },
  {
    name: 'reverse',
    args: [T.text],
    result: T.text,
    impl: (a) =>
      chars(a[0] as string)
        .reverse()
        .join(''),
  },
  {
    name: 'md5',
    args: [T.text],
    result: T.text,
    impl: (a) =>
      createHash('md5')
        .update(a[0] as string, 'utf8')
        .digest('hex'),
  },
  {
    name: 'lpad',
    args: [T.text, T.int4],
    result: T.text,
    impl: (a) => pad(a[0] as string, a[1] as number, ' ', true),
  },
  {
    name: 'lpad',
    args: [T.text, T.int4, T.text],
    result: T.text,
    impl: (a) => pad(a[0] as string, a[1] as number, a[2] as string, true),
  },
  {
    name: 'rpad',
    args: [T.text, T.int4],
    result: T.text,
    impl: (a) => pad(a[0] as string, a[1] as number, ' ', false),
  },
  {
    name: 'rpad',
    args: [T.text, T.int4, T.text],
    result: T.text,
    impl: (a) => pad(a[0] as string, a[1] as number, a[2] as string, false),
  },
  {
    name: 'split_part',
    args: [T.text, T.text, T.int4],
    result: T.text,
    impl: (a) => {
      const n = a[2] as number;
      if (n === 0) throw new PgError('22023', 'field position must not be zero');
      const parts = a[1] === '' ? [a[0] as string] : (a[0] as string).split(a[1] as string);
      return (n > 0 ? parts[n - 1] : parts[parts.length + n]) ?? '';
    },
  },
  {
    name: 'concat',
    args: [],
    variadic: T.unknown,
    result: T.text,
    strict: false,
    impl: (a, c) =>
      a.map((v, i) => (v === null ? '' : outputAny(v, concatTypes(c, i), c))).join(''),
  },
  {
    name: 'abs',
    args: [T.int2],
    result: T.int2,
    impl: (a) => checkInt(Math.abs(a[0] as number), 'int2'),
  },
  {
    name: 'abs',
    args: [T.int4],
    result: T.int4,
    impl: (a) => checkInt(Math.abs(a[0] as number), 'int4'),
  },
  {
    name: 'abs',
    args: [T.int8],
    result: T.int8,
    impl: (a) => checkInt8((a[0] as bigint) < 0n ? -(a[0] as bigint) : (a[0] as bigint)),
  },
  { name: 'abs', args: [T.numeric], result: T.numeric, impl: (a) => numeric.abs(a[0] as string) },
  { name: 'abs', args: [T.float8], result: T.float8, impl: (a) => Math.abs(a[0] as number) },
  {
    name: 'round',
    args: [T.numeric],
    result: T.numeric,
    impl: (a) => numeric.round(a[0] as string, 0),
  },
  {
    name: 'round',
    args: [T.numeric, T.int4],
    result: T.numeric,
    impl: (a) => numeric.round(a[0] as string, a[1] as number),
  },
  { name: 'round', args: [T.float8], result: T.float8, impl: (a) => roundNumber(a[0] as number) },
  { name: 'ceil', args: [T.float8], result: T.float8, impl: (a) => Math.ceil(a[0] as number) },
  { name: 'floor', args: [T.float8], result: T.float8, impl: (a) => Math.floor(a[0] as number) },
  { name: 'trunc', args: [T.float8], result: T.float8, impl: (a) => Math.trunc(a[0] as number) },
  {
    name: 'sqrt',
    args: [T.float8],
    result: T.float8,
    impl: (a) => {
      if ((a[0] as number) < 0)
        throw new PgError('2201F', 'cannot take square root of a negative number');
      return Math.sqrt(a[0] as number);
    },
  },
  {
    name: 'power',
    args: [T.float8, T.float8],
    result: T.float8,
    impl: (a) => Math.pow(a[0] as number, a[1] as number),
  },
  {
    name: 'mod',
    args: [T.int4, T.int4],
    result: T.int4,
    impl: (a) => {
      if (a[1] === 0) throw new PgError('22012', 'division by zero');
      return (a[0] as number) % (a[1] as number) || 0;
    },
  },
  {
    name: 'mod',
    args: [T.int8, T.int8],
    result: T.int8,
    impl: (a) => {
      if (a[1] === 0n) throw new PgError('22012', 'division by zero');
      return (a[0] as bigint) % (a[1] as bigint);
    },
  },
  {
    name: 'mod',
    args: [T.numeric, T.numeric],
    result: T.numeric,
    impl: (a) => numeric.mod(a[0] as string, a[1] as string),
  },
  {
    name: 'date',
    args: [T.timestamp],
    result: T.date,
    impl: (a) => timestampToDate(a[0] as bigint),
  },
  {
    name: 'pg_typeof',
    args: [T.unknown],
    result: T.text,
    strict: false,
    impl: (_a, c) => formatType(concatTypes(c, 0), -1),
  },
  ...catalogFunctions(),
  ...datetimeFunctions(),
  ...setReturningFunctions(),
  ...stringFunctions(),
  ...mathFunctions(),
  ...arrayManipulationFunctions(),
  ...jsonFunctions(),
  ...arrayFunctions(),
  {
    name: 'format_type',
    args: [T.oid, T.int4],
    result: T.text,
    strict: false,
    impl: (a) =>
      a[0] === null
        ? null
        : a[1] === null
          ? formatType(a[0] as number, -1)
          : formatTypeWithTypmod(a[0] as number, a[1] as number),
  },
];

/**
 * The schemas of search_path that exist (with "$user" as the session user), as current_schemas
 * reports them; `implicit` adds pg_catalog in front when the path does not name it.
 */
function searchPathSchemas(ctx: EvalContext, implicit: boolean): string[] {
  const names = ctx.session
    .setting('search_path')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) =>
      p === '"$user"' || p === '$user' ? ctx.session.user : p.replace(/^"(.*)"$/, '$1'),
    );
  const exists = (n: string): boolean => {
    const catalog = ctx.session.catalog;
    if (!catalog) return n === 'public' || n === 'pg_catalog';
    try {
      return catalog.names.oid('namespace', JSON.stringify(n)) !== 0;
    } catch {
      return false;
    }
  };
  const out = names.filter(exists);
  if (implicit && !out.includes('pg_catalog')) out.unshift('pg_catalog');
  return out;
}

function catalogOf(ctx: EvalContext): CatalogAccess {
  const c = ctx.session.catalog;
  if (!c) throw new PgError('XX000', 'catalog access is not available here');
  return c;
}

/** Database encodings by number (pg_wchar.h's order). */
const encodingNames = [
  'SQL_ASCII',
  'EUC_JP',
  'EUC_CN',
  'EUC_KR',
  'EUC_TW',
  'EUC_JIS_2004',
  'UTF8',
  'MULE_INTERNAL',
  'LATIN1',
  'LATIN2',
  'LATIN3',
  'LATIN4',
  'LATIN5',
  'LATIN6',
  'LATIN7',
  'LATIN8',
  'LATIN9',
  'LATIN10',
  'WIN1256',
  'WIN1258',
  'WIN866',
  'WIN874',
  'KOI8R',
  'WIN1251',
  'WIN1252',
  'ISO_8859_5',
  'ISO_8859_6',
  'ISO_8859_7',
  'ISO_8859_8',
  'WIN1250',
  'WIN1253',
  'WIN1254',
  'WIN1255',
  'WIN1257',
  'KOI8U',
  'SJIS',
  'BIG5',
  'GBK',
  'UHC',
  'GB18030',
  'JOHAB',
  'SHIFT_JIS_2004',
];

/** pg_class's OID (obj_description's classoid for relations) and other catalogs by name. */
const catalogOidsByName: Record<string, number> = {
  pg_class: 1259,
  pg_namespace: 2615,
  pg_type: 1247,
  pg_proc: 1255,
  pg_database: 1262,
  pg_authid: 1260,
  pg_constraint: 2606,
};

/** An object's privileges when its ACL is NULL (PostgreSQL's acldefault), by object kind. */
const defaultPrivileges: Record<string, { owner: string; public?: string }> = {
  r: { owner: 'arwdDxt' },
  s: { owner: 'rwU' },
  n: { owner: 'UC' },
  f: { owner: 'X', public: 'X' },
  l: { owner: 'U', public: 'U' },
  T: { owner: 'U', public: 'U' },
  d: { owner: 'CTc', public: 'Tc' },
  c: { owner: '' },
  L: { owner: 'rw' },
  t: { owner: 'C' },
  F: { owner: 'U' },
  S: { owner: 'U' },
  p: { owner: 'sA' },
};

function catalogFunctions(): BuiltinFunction[] {
  return [
    {
      name: 'acldefault',
      args: [T.char, T.oid],
      result: T.aclitemArray,
      impl: (a, c) => {
        const kind = defaultPrivileges[a[0] as string];
        if (!kind)
          throw new PgError('XX000', `unrecognized object type abbreviation: ${String(a[0])}`);
        const oid = a[1] as number;
        const raw = catalogOf(c).roleName(oid) ?? String(oid);
        const owner = /^[a-z_][a-z0-9_$]*$/.test(raw) ? raw : `"${raw.replaceAll('"', '""')}"`;
        const items: string[] = [];
        if (kind.public) items.push(`=${kind.public}/${owner}`);
        if (kind.owner) items.push(`${owner}=${kind.owner}/${owner}`);
        return items;
      },
    },
    {
      name: 'pg_get_userbyid',
      args: [T.oid],
      result: T.name,
      impl: (a, c) => {
        const oid = a[0] as number;
        return catalogOf(c).roleName(oid) ?? `unknown (OID=${oid})`;
      },
    },
    {
      name: 'has_table_privilege',
      args: [T.text, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege('table', undefined, a[0] as string | number, a[1] as string),
    },
    {
      name: 'has_table_privilege',
      args: [T.name, T.text, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege(
          'table',
          a[0] as string | number,
          a[1] as string | number,
          a[2] as string,
        ),
    },
    {
      name: 'has_table_privilege',
      args: [T.oid, T.text, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege(
          'table',
          a[0] as string | number,
          a[1] as string | number,
          a[2] as string,
        ),
    },
    {
      name: 'has_table_privilege',
      args: [T.oid, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege('table', undefined, a[0] as string | number, a[1] as string),
    },
    {
      name: 'has_table_privilege',
      args: [T.name, T.oid, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege(
          'table',
          a[0] as string | number,
          a[1] as string | number,
          a[2] as string,
        ),
    },
    {
      name: 'has_table_privilege',
      args: [T.oid, T.oid, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege(
          'table',
          a[0] as string | number,
          a[1] as string | number,
          a[2] as string,
        ),
    },
    {
      name: 'has_sequence_privilege',
      args: [T.text, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege('sequence', undefined, a[0] as string | number, a[1] as string),
    },
    {
      name: 'has_sequence_privilege',
      args: [T.name, T.text, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege(
          'sequence',
          a[0] as string | number,
          a[1] as string | number,
          a[2] as string,
        ),
    },
    {
      name: 'has_sequence_privilege',
      args: [T.oid, T.text, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege(
          'sequence',
          a[0] as string | number,
          a[1] as string | number,
          a[2] as string,
        ),
    },
    {
      name: 'has_sequence_privilege',
      args: [T.oid, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege('sequence', undefined, a[0] as string | number, a[1] as string),
    },
    {
      name: 'has_sequence_privilege',
      args: [T.name, T.oid, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege(
          'sequence',
          a[0] as string | number,
          a[1] as string | number,
          a[2] as string,
        ),
    },
    {
      name: 'has_sequence_privilege',
      args: [T.oid, T.oid, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege(
          'sequence',
          a[0] as string | number,
          a[1] as string | number,
          a[2] as string,
        ),
    },
    {
      name: 'has_schema_privilege',
      args: [T.text, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege('schema', undefined, a[0] as string | number, a[1] as string),
    },
    {
      name: 'has_schema_privilege',
      args: [T.name, T.text, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege(
          'schema',
          a[0] as string | number,
          a[1] as string | number,
          a[2] as string,
        ),
    },
    {
      name: 'has_schema_privilege',
      args: [T.oid, T.text, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege(
          'schema',
          a[0] as string | number,
          a[1] as string | number,
          a[2] as string,
        ),
    },
    {
      name: 'has_schema_privilege',
      args: [T.oid, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege('schema', undefined, a[0] as string | number, a[1] as string),
    },
    {
      name: 'has_schema_privilege',
      args: [T.name, T.oid, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege(
          'schema',
          a[0] as string | number,
          a[1] as string | number,
          a[2] as string,
        ),
    },
    {
      name: 'has_schema_privilege',
      args: [T.oid, T.oid, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege(
          'schema',
          a[0] as string | number,
          a[1] as string | number,
          a[2] as string,
        ),
    },
    {
      name: 'has_database_privilege',
      args: [T.text, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege('database', undefined, a[0] as string | number, a[1] as string),
    },
    {
      name: 'has_database_privilege',
      args: [T.name, T.text, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege(
          'database',
          a[0] as string | number,
          a[1] as string | number,
          a[2] as string,
        ),
    },
    {
      name: 'has_database_privilege',
      args: [T.oid, T.text, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege(
          'database',
          a[0] as string | number,
          a[1] as string | number,
          a[2] as string,
        ),
    },
    {
      name: 'has_database_privilege',
      args: [T.oid, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege('database', undefined, a[0] as string | number, a[1] as string),
    },
    {
      name: 'has_database_privilege',
      args: [T.name, T.oid, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege(
          'database',
          a[0] as string | number,
          a[1] as string | number,
          a[2] as string,
        ),
    },
    {
      name: 'has_database_privilege',
      args: [T.oid, T.oid, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasPrivilege(
          'database',
          a[0] as string | number,
          a[1] as string | number,
          a[2] as string,
        ),
    },
    {
      name: 'pg_has_role',
      args: [T.name, T.text],
      result: T.bool,
      impl: (a, c) => catalogOf(c).hasRole(undefined, a[0] as string | number, a[1] as string),
    },
    {
      name: 'pg_has_role',
      args: [T.name, T.name, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasRole(a[0] as string | number, a[1] as string | number, a[2] as string),
    },
    {
      name: 'pg_has_role',
      args: [T.oid, T.name, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasRole(a[0] as string | number, a[1] as string | number, a[2] as string),
    },
    {
      name: 'pg_has_role',
      args: [T.oid, T.text],
      result: T.bool,
      impl: (a, c) => catalogOf(c).hasRole(undefined, a[0] as string | number, a[1] as string),
    },
    {
      name: 'pg_has_role',
      args: [T.name, T.oid, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasRole(a[0] as string | number, a[1] as string | number, a[2] as string),
    },
    {
      name: 'pg_has_role',
      args: [T.oid, T.oid, T.text],
      result: T.bool,
      impl: (a, c) =>
        catalogOf(c).hasRole(a[0] as string | number, a[1] as string | number, a[2] as string),
    },
    {
      name: 'pg_table_is_visible',
      args: [T.oid],
      result: T.bool,
      impl: (a, c) => catalogOf(c).relationVisible(a[0] as number),
    },
    {
      name: 'pg_type_is_visible',
      args: [T.oid],
      result: T.bool,
      impl: (a, c) => catalogOf(c).typeVisible(a[0] as number),
    },
    {
      name: 'pg_encoding_to_char',
      args: [T.int4],
      result: T.name,
      impl: (a) => encodingNames[a[0] as number] ?? '',
    },
    {
      name: 'pg_char_to_encoding',
      args: [T.name],
      result: T.int4,
      impl: (a) => {
        const want = (a[0] as string).toUpperCase().replace(/[-_]/g, '');
        return encodingNames.findIndex((n) => n.replace(/_/g, '') === want);
      },
    },
    {
      name: 'pg_get_expr',
      args: [T.pg_node_tree, T.oid],
      result: T.text,
      impl: (a, c) => catalogOf(c).expressionDef(a[0] as string, a[1] as number, false),
    },
    {
      name: 'pg_get_expr',
      args: [T.pg_node_tree, T.oid, T.bool],
      result: T.text,
      impl: (a, c) => catalogOf(c).expressionDef(a[0] as string, a[1] as number, a[2] === true),
    },
    ...(
      [
        ['pg_relation_size', 'main'],
        ['pg_table_size', 'table'],
        ['pg_indexes_size', 'indexes'],
        ['pg_total_relation_size', 'total'],
      ] as const
    ).map(([name, part]) => ({
      name,
      args: [T.regclass],
      result: T.int8,
      impl: (a: Value[], c: EvalContext): Value => {
        const size = catalogOf(c).relationSize(a[0] as number, part);
        return size === null ? null : BigInt(size);
      },
    })),
    {
      name: 'pg_size_pretty',
      args: [T.int8],
      result: T.text,
      impl: (a) => sizePretty(a[0] as bigint),
    },
    {
      name: 'pg_size_pretty',
      args: [T.numeric],
      result: T.text,
      impl: (a) => sizePretty(BigInt(numeric.round(a[0] as string, 0))),
    },
    {
      name: 'pg_get_serial_sequence',
      args: [T.text, T.text],
      result: T.text,
      impl: (a, c) => catalogOf(c).serialSequence(a[0] as string, a[1] as string),
    },
    {
      name: 'pg_get_indexdef',
      args: [T.oid],
      result: T.text,
      impl: (a, c) => catalogOf(c).indexDef(a[0] as number, 0),
    },
    {
      name: 'pg_get_indexdef',
      args: [T.oid, T.int4, T.bool],
      result: T.text,
      impl: (a, c) => catalogOf(c).indexDef(a[0] as number, a[1] as number),
    },
    {
      name: 'pg_get_viewdef',
      args: [T.oid],
      result: T.text,
      impl: (a, c) => catalogOf(c).viewDef(a[0] as number),
    },
    {
      name: 'pg_get_viewdef',
      args: [T.oid, T.bool],
      result: T.text,
      impl: (a, c) => catalogOf(c).viewDef(a[0] as number),
    },
    {
      name: 'pg_get_constraintdef',
      args: [T.oid],
      result: T.text,
      impl: (a, c) => catalogOf(c).constraintDef(a[0] as number, false),
    },
    {
      name: 'pg_get_constraintdef',
      args: [T.oid, T.bool],
      result: T.text,
      impl: (a, c) => catalogOf(c).constraintDef(a[0] as number, a[1] as boolean),
    },
    // There are no user triggers: pg_trigger is empty, so nothing has a definition.
    { name: 'pg_get_triggerdef', args: [T.oid], result: T.text, impl: () => null },
    { name: 'pg_get_triggerdef', args: [T.oid, T.bool], result: T.text, impl: () => null },
    {
      name: 'obj_description',
      args: [T.oid, T.name],
      result: T.text,
      impl: (a, c) => {
        const classoid = catalogOidsByName[a[1] as string];
        return classoid === undefined
          ? null
          : catalogOf(c).description(a[0] as number, classoid, 0);
      },
    },
    {
      name: 'obj_description',
      args: [T.oid],
      result: T.text,
      impl: (a, c) => catalogOf(c).description(a[0] as number, 1259, 0),
    },
    {
      name: 'col_description',
      args: [T.oid, T.int4],
      result: T.text,
      impl: (a, c) => catalogOf(c).description(a[0] as number, 1259, a[1] as number),
    },
    {
      name: 'shobj_description',
      args: [T.oid, T.name],
      result: T.text,
      impl: (a, c) => {
        const classoid = catalogOidsByName[a[1] as string];
        return classoid === undefined
          ? null
          : catalogOf(c).description(a[0] as number, classoid, 0);
      },
    },
    {
      // Publications do not exist yet, so only the relation-kind rule applies: user tables are.
      name: 'pg_relation_is_publishable',
      args: [T.regclass],
      result: T.bool,
      impl: (a) => (a[0] as number) >= 16384,
    },
    {
      // Extended statistics objects cannot be created yet; no OID names one.
      name: 'pg_get_statisticsobjdef_columns',
      args: [T.oid],
      result: T.text,
      impl: () => null,
    },
    {
      name: 'pg_get_function_result',
      args: [T.oid],
      result: T.text,
      impl: (a, c) => catalogOf(c).functionResult(a[0] as number),
    },
    {
      name: 'pg_get_function_arguments',
      args: [T.oid],
      result: T.text,
      impl: (a, c) => catalogOf(c).functionArguments(a[0] as number),
    },
    {
      name: 'pg_get_function_identity_arguments',
      args: [T.oid],
      result: T.text,
      impl: (a, c) => catalogOf(c).functionArguments(a[0] as number),
    },
    {
      name: 'pg_function_is_visible',
      args: [T.oid],
      result: T.bool,
      impl: (a, c) => catalogOf(c).functionVisible(a[0] as number),
    },
    {
      name: 'pg_is_in_recovery',
      args: [],
      result: T.bool,
      impl: () => false,
    },
  ];
}

/** Dimension `dim` (1-based) of a nested JS array value: its length, or undefined. */
function arrayDimLength(v: readonly Value[], dim: number): number | undefined {
  let cur: Value = v;
  for (let d = 1; d < dim; d++) {
    if (!Array.isArray(cur) || cur.length === 0) return undefined;
    cur = (cur as readonly Value[])[0] ?? null;
  }
  if (!Array.isArray(cur) || cur.length === 0) return undefined;
  return cur.length;
}

function arrayToString(a: Value[], ctx: EvalContext): Value {
  const [arr, sep, nullText] = a;
  if (arr === null || arr === undefined || sep === null || sep === undefined) return null;
  const elemType = arrayElementType(concatTypes(ctx, 0));
  const out = elemType === 0 ? undefined : typeByOid(elemType);
  const parts: string[] = [];
  for (const x of flattenArray(arr as readonly Value[])) {
    if (x === null) {
      if (nullText !== undefined && nullText !== null) parts.push(nullText as string);
      continue;
    }
    parts.push(out ? out.output(x, ctx.session.format) : String(x));
  }
  return parts.join(sep as string);
}

function requireArray(ctx: EvalContext, name: string, types: string): void {
  const t = concatTypes(ctx, 0);
  if (arrayElementType(t) === 0 && t !== T.unknown) {
    throw new PgError('42883', `function ${name}(${formatType(t, -1)}${types}) does not exist`);
  }
}

function arrayFunctions(): BuiltinFunction[] {
  return [
    {
      name: 'array_to_string',
      args: [T.unknown, T.text],
      result: T.text,
      strict: false,
      impl: (a, c) => {
        requireArray(c, 'array_to_string', ', text');
        return arrayToString(a, c);
      },
    },
    {
      name: 'array_to_string',
      args: [T.unknown, T.text, T.text],
      result: T.text,
      strict: false,
      impl: (a, c) => {
        requireArray(c, 'array_to_string', ', text, text');
        return arrayToString(a, c);
      },
    },
    {
      name: 'array_upper',
      args: [T.unknown, T.int4],
      result: T.int4,
      strict: false,
      impl: (a, c) => {
        requireArray(c, 'array_upper', ', integer');
        if (a[0] === null || a[1] === null) return null;
        return arrayDimLength(a[0] as readonly Value[], a[1] as number) ?? null;
      },
    },
    {
      name: 'array_lower',
      args: [T.unknown, T.int4],
      result: T.int4,
      strict: false,
      impl: (a, c) => {
        requireArray(c, 'array_lower', ', integer');
        if (a[0] === null || a[1] === null) return null;
        return arrayDimLength(a[0] as readonly Value[], a[1] as number) === undefined ? null : 1;
      },
    },
    {
      name: 'array_length',
      args: [T.unknown, T.int4],
      result: T.int4,
      strict: false,
      impl: (a, c) => {
        requireArray(c, 'array_length', ', integer');
        if (a[0] === null || a[1] === null) return null;
        return arrayDimLength(a[0] as readonly Value[], a[1] as number) ?? null;
      },
    },
    {
      name: 'cardinality',
      args: [T.unknown],
      result: T.int4,
      strict: false,
      impl: (a, c) => {
        requireArray(c, 'cardinality', '');
        if (a[0] === null) return null;
        return flattenArray(a[0] as readonly Value[]).length;
      },
    },
  ];
}

/** Argument types of the function call being evaluated (for "any" arguments); set by the analyzer. */
function concatTypes(ctx: EvalContext, i: number): number {
  const types = (ctx as EvalContext & { argTypes?: number[] }).argTypes;
  return types?.[i] ?? T.text;
}

function outputAny(v: Value, type: number, ctx: EvalContext): string {
  return typeByOid(type).output(v, ctx.session.format);
}

function substring(s: string, start: number, count: number): string {
  if (count < 0) throw new PgError('22011', 'negative substring length not allowed');
  const c = chars(s);
  const from = start - 1;
  const to = from + count;
  return c.slice(Math.max(0, from), Math.max(0, to)).join('');
}

function trimChars(s: string, set: string, left: boolean, right: boolean): string {
  const cs = new Set(chars(set));
  const c = chars(s);
  let i = 0;
  let j = c.length;
  if (left) while (i < j && cs.has(c[i]!)) i++;
  if (right) while (j > i && cs.has(c[j - 1]!)) j--;
  return c.slice(i, j).join('');
}

function pad(s: string, len: number, fill: string, left: boolean): string {
  const c = chars(s);
  if (len <= c.length) return c.slice(0, Math.max(0, len)).join('');
  const f = chars(fill);
  if (f.length === 0) return s;
  const need = len - c.length;
  const padding: string[] = [];
  for (let i = 0; i < need; i++) padding.push(f[i % f.length]!);
  return left ? padding.join('') + s : s + padding.join('');
}

const byName = new Map<string, BuiltinFunction[]>();
for (const f of fns) {
  const list = byName.get(f.name) ?? [];
  list.push(f);
  byName.set(f.name, list);
}

export function functionExists(name: string): boolean {
  return byName.has(name) || aggregates.has(name);
}

/** Picks the built-in `name` for the argument types, or undefined. */
export function resolveFunction(name: string, argTypes: number[]): BuiltinFunction | undefined {
  const list = byName.get(name);
  if (!list) return undefined;
  let best: BuiltinFunction | undefined;
  let bestScore = -1;
  for (const f of list) {
    if (f.variadic !== undefined) {
      if (argTypes.length >= f.args.length) return f;
      continue;
    }
    if (f.args.length !== argTypes.length) continue;
    let score = 0;
    let ok = true;
    for (let i = 0; i < argTypes.length; i++) {
      const have = argTypes[i]!;
      const want = f.args[i]!;
      if (want === T.unknown || have === want) score += 2;
      // An untyped literal prefers a text parameter, as PostgreSQL prefers the string category
      // (regclass ties with it: nextval('s') reads a relation name).
      else if (have === T.unknown) score += want === T.text || want === T.regclass ? 1.5 : 1;
      // Among implicit casts PostgreSQL prefers its category's preferred type (float8 for numbers).
      else if (findCast(have, want, 'implicit')) score += want === T.float8 ? 0.1 : 0;
      else {
        ok = false;
        break;
      }
    }
    if (ok && score > bestScore) {
      best = f;
      bestScore = score;
    }
  }
  return best;
}

/* Aggregates ------------------------------------------------------------------------------------ */

function sumAgg(type: number): BuiltinAggregate['make'] {
  if (type === T.int2 || type === T.int4) {
    return () => ({
      init: () => null,
      step: (s, a) =>
        s === null ? BigInt(a[0] as number) : (s as bigint) + BigInt(a[0] as number),
      final: (s) => (s === null ? null : (s as bigint)),
    });
  }
  if (type === T.int8) {
    return () => ({
      init: () => null,
      step: (s, a) => (s === null ? a[0] : (s as bigint) + (a[0] as bigint)),
      final: (s) => (s === null ? null : (s as bigint).toString()),
    });
  }
  if (type === T.numeric) {
    return () => ({
      init: () => null,
      step: (s, a) => (s === null ? a[0] : numeric.add(s as string, a[0] as string)),
      final: (s) => s as Value,
    });
  }
  return () => ({
    init: () => null,
    step: (s, a) => (s === null ? a[0] : (s as number) + (a[0] as number)),
    final: (s) =>
      s === null ? null : type === T.float4 ? Math.fround(s as number) : (s as number),
  });
}

function avgAgg(type: number): BuiltinAggregate['make'] {
  if (type === T.float4 || type === T.float8) {
    return () => ({
      init: () => ({ n: 0, sum: 0 }),
      step: (s, a) => {
        const st = s as { n: number; sum: number };
        st.n++;
        st.sum += a[0] as number;
        return st;
      },
      final: (s) => {
        const st = s as { n: number; sum: number };
        return st.n === 0 ? null : st.sum / st.n;
      },
    });
  }
  return () => ({
    init: () => ({ n: 0, sum: '0' }),
    step: (s, a) => {
      const st = s as { n: number; sum: string };
      st.n++;
      const v = a[0]!;
      st.sum = numeric.add(
        st.sum,
        typeof v === 'string' ? v : numeric.fromInteger(v as number | bigint),
      );
      return st;
    },
    final: (s) => {
      const st = s as { n: number; sum: string };
      return st.n === 0 ? null : numeric.div(st.sum, String(st.n));
    },
  });
}

function minMaxAgg(type: number, max: boolean): BuiltinAggregate['make'] {
  const cmp = typeByOid(type).compare;
  return () => ({
    init: () => null,
    step: (s, a) => {
      const v = a[0]!;
      if (s === null) return v;
      const c = cmp(v, s as Value);
      return (max ? c > 0 : c < 0) ? v : s;
    },
    final: (s) => s as Value,
  });
}

/** sum(interval) and avg(interval): field-wise sums, the average divided as interval / float8. */
function intervalAgg(average: boolean): BuiltinAggregate['make'] {
  return () => ({
    init: () => ({ sum: { months: 0, days: 0, usec: 0n }, n: 0 }),
    step: (s, a) => {
      const st = s as { sum: Interval; n: number };
      return { sum: intervalAdd(st.sum, intervalParts(a[0] as Uint8Array)), n: st.n + 1 };
    },
    final: (s) => {
      const st = s as { sum: Interval; n: number };
      if (st.n === 0) return null;
      return intervalValue(average ? intervalDivide(st.sum, st.n) : st.sum);
    },
  });
}

const aggregates = new Map<string, BuiltinAggregate[]>();
function addAgg(a: BuiltinAggregate): void {
  const list = aggregates.get(a.name) ?? [];
  list.push(a);
  aggregates.set(a.name, list);
}
addAgg({
  name: 'count',
  args: [],
  result: T.int8,
  strict: false,
  make: () => ({ init: () => 0n, step: (s) => (s as bigint) + 1n, final: (s) => s as bigint }),
});
addAgg({
  name: 'count',
  args: [T.unknown],
  result: T.int8,
  strict: true,
  make: () => ({ init: () => 0n, step: (s) => (s as bigint) + 1n, final: (s) => s as bigint }),
});
const sumResult: Record<number, number> = {
  [T.int2]: T.int8,
  [T.int4]: T.int8,
  [T.int8]: T.numeric,
  [T.numeric]: T.numeric,
  [T.float4]: T.float4,
  [T.float8]: T.float8,
};
for (const t of NUM) {
  addAgg({ name: 'sum', args: [t], result: sumResult[t]!, strict: true, make: sumAgg(t) });
  addAgg({
    name: 'avg',
    args: [t],
    result: t === T.float4 || t === T.float8 ? T.float8 : T.numeric,
    strict: true,
    make: avgAgg(t),
  });
}
for (const t of [
  ...NUM,
  T.text,
  T.bpchar,
  T.varchar,
  T.date,
  T.timestamp,
  T.timestamptz,
  T.time,
  T.interval,
  T.bool,
  T.oid,
  T.uuid,
]) {
  if (t === T.bool || t === T.uuid) continue;
  addAgg({
    name: 'max',
    args: [t],
    result: t === T.varchar ? T.text : t,
    strict: true,
    make: minMaxAgg(t, true),
  });
  addAgg({
    name: 'min',
    args: [t],
    result: t === T.varchar ? T.text : t,
    strict: true,
    make: minMaxAgg(t, false),
  });
}
// bit_and / bit_or over the integer types: NULLs skipped, NULL when no row.
for (const t of [T.int2, T.int4, T.int8]) {
  for (const name of ['bit_and', 'bit_or'] as const) {
    addAgg({
      name,
      args: [t],
      result: t,
      strict: true,
      make: () => ({
        init: () => null,
        step: (s, a) => {
          if (s === null) return a[0];
          if (t === T.int8)
            return name === 'bit_and'
              ? (s as bigint) & (a[0] as bigint)
              : (s as bigint) | (a[0] as bigint);
          return name === 'bit_and'
            ? (s as number) & (a[0] as number)
            : (s as number) | (a[0] as number);
        },
        final: (s) => s as Value,
      }),
    });
  }
}
addAgg({
  name: 'bool_and',
  args: [T.bool],
  result: T.bool,
  strict: true,
  make: () => ({
    init: () => null,
    step: (s, a) => (s === null ? a[0] : (s as boolean) && a[0]),
    final: (s) => s as Value,
  }),
});
addAgg({
  name: 'bool_or',
  args: [T.bool],
  result: T.bool,
  strict: true,
  make: () => ({
    init: () => null,
    step: (s, a) => (s === null ? a[0] : s || a[0]),
    final: (s) => s as Value,
  }),
});
addAgg({
  name: 'every',
  args: [T.bool],
  result: T.bool,
  strict: true,
  make: () => ({
    init: () => null,
    step: (s, a) => (s === null ? a[0] : (s as boolean) && a[0]),
    final: (s) => s as Value,
  }),
});
addAgg({
  name: 'string_agg',
  args: [T.text, T.text],
  result: T.text,
  strict: true,
  make: () => ({
    init: () => null,
    step: (s, a) => (s === null ? a[0] : (s as string) + (a[1] as string) + (a[0] as string)),
    final: (s) => s as Value,
  }),
});

addAgg({
  name: 'array_agg',
  args: [T.unknown],
  result: T.unknown,
  // array_agg(anynonarray) → anyarray: the element type's array type.
  resultFrom: ([t]) => {
    const info = t === undefined ? undefined : findTypeByOid(t);
    return info && info.arrayOid !== 0 && arrayElementType(t!) === 0 ? info.arrayOid : 0;
  },
  strict: false,
  make: () => ({
    init: () => [] as Value[],
    step: (s, a) => {
      (s as Value[]).push(a[0] ?? null);
      return s;
    },
    final: (s) => ((s as Value[]).length === 0 ? null : [...(s as Value[])]),
  }),
});

/** The dimensions of a (nested) array value: lengths from the outermost in. */
function arrayShape(v: readonly Value[]): number[] {
  const dims: number[] = [];
  let level: Value = v;
  while (Array.isArray(level)) {
    dims.push(level.length);
    level = (level as Value[])[0] ?? null;
  }
  return dims;
}

addAgg({
  name: 'array_agg',
  args: [T.unknown],
  result: T.unknown,
  // array_agg(anyarray) → anyarray one dimension up: the inputs must all have the same shape.
  resultFrom: ([t]) => (t !== undefined && arrayElementType(t) !== 0 ? t : 0),
  strict: false,
  make: () => ({
    init: () => ({ items: [] as Value[], shape: '' }),
    step: (s, a) => {
      const st = s as { items: Value[]; shape: string };
      const v = a[0] ?? null;
      if (v === null) throw new PgError('22004', 'cannot accumulate null arrays');
      const items = v as readonly Value[];
      if (items.length === 0) throw new PgError('2202E', 'cannot accumulate empty arrays');
      const shape = arrayShape(items).join('x');
      if (st.items.length > 0 && shape !== st.shape)
        throw new PgError('2202E', 'cannot accumulate arrays of different dimensionality');
      st.shape = shape;
      st.items.push(v);
      return st;
    },
    final: (s) => {
      const st = s as { items: Value[] };
      return st.items.length === 0 ? null : [...st.items];
    },
  }),
});

for (const a of [...jsonAggregates(), ...statisticsAggregates(), ...regressionAggregates()])
  addAgg(a);

export function isAggregate(name: string): boolean {
  return aggregates.has(name) || orderedSetNames.has(name);
}

/** Picks the aggregate `name` for the argument types (count(*) has none). */
/**
 * How a set-returning function runs: a strict one (the default) returns no rows when an argument
 * is NULL, as PostgreSQL's executor arranges (unnest(NULL) is empty).
 */
export function srfRunner(
  fn: BuiltinFunction,
): (args: Value[], ctx: EvalContext) => Iterable<Value> {
  const srf = fn.srf!;
  if (fn.strict === false) return srf;
  return (args, ctx) => (args.some((v) => v === null) ? [] : srf(args, ctx));
}

export function resolveAggregate(
  name: string,
  argTypes: number[],
  star: boolean,
): BuiltinAggregate | undefined {
  const list = aggregates.get(name);
  if (!list) return undefined;
  if (star) return list.find((a) => a.args.length === 0);
  let fallback: BuiltinAggregate | undefined;
  for (const a of list) {
    if (a.args.length !== argTypes.length || a.args.length === 0) continue;
    if (a.resultFrom && a.resultFrom(argTypes.map((t) => (t === T.unknown ? T.text : t))) === 0)
      continue;
    let exact = true;
    let ok = true;
    for (let i = 0; i < argTypes.length; i++) {
      const have = argTypes[i]!;
      const want = a.args[i]!;
      if (want === T.unknown || have === want) continue;
      exact = false;
      if (have === T.unknown || findCast(have, want, 'implicit')) continue;
      ok = false;
    }
    if (ok && exact) return a;
    if (ok && !fallback) {
      // Prefer the numeric promotion target closest to the input (sum(int2) → sum(int4) …).
      fallback = a;
    }
  }
  if (fallback && argTypes[0] !== undefined && isNumericType(argTypes[0])) {
    const candidates = list.filter(
      (a) =>
        a.args.length === 1 &&
        isNumericType(a.args[0]!) &&
        findCast(argTypes[0]!, a.args[0]!, 'implicit'),
    );
    if (candidates.length > 0) return candidates[0];
  }
  if (fallback && argTypes[0] === T.unknown)
    return list.find((a) => a.args[0] === T.text) ?? fallback;
  return fallback;
}

addAgg({
  name: 'sum',
  args: [T.interval],
  result: T.interval,
  strict: true,
  make: intervalAgg(false),
});
addAgg({
  name: 'avg',
  args: [T.interval],
  result: T.interval,
  strict: true,
  make: intervalAgg(true),
});

/**
 * pg_size_pretty: bytes below 10 kB, then the largest of kB, MB, GB, TB, PB that keeps the number
 * below 20,480, rounded half away from zero (PostgreSQL's algorithm, in exact integers).
 */
export function sizePretty(bytes: bigint): string {
  const units: Array<{ name: string; limit: bigint; round: boolean; bits: number }> = [
    { name: 'bytes', limit: 10n * 1024n, round: false, bits: 0 },
    { name: 'kB', limit: 20n * 1024n - 1n, round: true, bits: 10 },
    { name: 'MB', limit: 20n * 1024n - 1n, round: true, bits: 20 },
    { name: 'GB', limit: 20n * 1024n - 1n, round: true, bits: 30 },
    { name: 'TB', limit: 20n * 1024n - 1n, round: true, bits: 40 },
    { name: 'PB', limit: 20n * 1024n - 1n, round: true, bits: 50 },
  ];
  let size = bytes;
  const abs = (v: bigint): bigint => (v < 0n ? -v : v);
  for (let i = 0; i < units.length; i++) {
    const unit = units[i]!;
    const next = units[i + 1];
    if (!next || abs(size) < unit.limit) {
      if (unit.round) size = (size + (size < 0n ? -1n : 1n)) / 2n;
      return `${size} ${unit.name}`;
    }
    // Keep one extra bit (half units) for the rounding at the unit finally used.
    const bits = next.bits - unit.bits - (next.round ? 1 : 0) + (unit.round ? 1 : 0);
    size /= 1n << BigInt(bits);
  }
  return `${size} bytes`;
}
