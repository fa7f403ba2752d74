/**
 * The built-in scalar types the engine knows: PostgreSQL's OIDs, names, sizes and categories, and
 * for each one its text input/output, binary send/receive and sort comparison. Everything that needs
 * to know "what is this type" (analyzer, executor, catalog bootstrap, protocol) asks here.
 */
import { PgError } from '../errors.js';
import { floatIn, floatOut } from './float.js';
import { intIn } from './int.js';
import * as numeric from './numeric.js';
import { timeIn, timeOut } from './time.js';
import {
  sharedCodecCall,
  compareIntervals,
  intervalIn,
  intervalOut,
  intervalParts,
  intervalValue,
} from './interval.js';
import {
  dateIn,
  dateOut,
  timestampIn,
  timestampOut,
  timestamptzIn,
  timestamptzOut,
} from './datetime.js';
import { boolIn, byteaIn, byteaOut, jsonbIn, jsonIn, uuidIn } from './misc.js';
import type { KeyColumnType } from '../../access/api.js';
import { PgArray, parseArray, type IntervalStyle, type TypeCodec } from '@tuskdb/shared-protocol';

/** A SQL value inside the engine. */
export type Value = null | boolean | number | bigint | string | Uint8Array | readonly Value[];

/** Session settings that change how values are read and written. */
export interface FormatContext {
  extraFloatDigits: number;
  timeZone: string;
  byteaOutput: string;
  /** IntervalStyle (default postgres). */
  intervalStyle?: IntervalStyle;
  /** Catalog lookups for the reg* types' input and output (absent: they read and print OIDs). */
  names?: CatalogNames;
}

/** The object kinds the reg* types name. */
export type RegKind = 'relation' | 'type' | 'namespace' | 'role' | 'proc';

/**
 * Name ↔ OID lookups against the session's catalogs, as regclassin/regclassout and friends do:
 * `name` returns the (qualified when not visible) name or undefined for an unknown OID; `oid`
 * parses a possibly qualified name and throws PostgreSQL's error when nothing matches.
 */
export interface CatalogNames {
  name(kind: RegKind, oid: number): string | undefined;
  oid(kind: RegKind, text: string): number;
}

export const T = {
  bool: 16,
  bytea: 17,
  char: 18,
  name: 19,
  int8: 20,
  int2: 21,
  int4: 23,
  regproc: 24,
  text: 25,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  unknown: 705,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  time: 1083,
  interval: 1186,
  numeric: 1700,
  regclass: 2205,
  regtype: 2206,
  regnamespace: 4089,
  regrole: 4096,
  aclitem: 1033,
  record: 2249,
  void: 2278,
  uuid: 2950,
  jsonb: 3802,
  int2vector: 22,
  xid: 28,
  oidvector: 30,
  pg_node_tree: 194,
  int2Array: 1005,
  int4Array: 1007,
  textArray: 1009,
  oidArray: 1028,
  aclitemArray: 1034,
  int8Array: 1016,
} as const;

export interface TypeInfo {
  oid: number;
  /** pg_type.typname */
  name: string;
  /** format_type() spelling without typmod (e.g. "integer", "character varying"). */
  sqlName: string;
  /** pg_type.typlen */
  len: number;
  /** pg_type.typcategory */
  category: string;
  /** pg_type.typispreferred */
  preferred: boolean;
  /** Array type's OID (0 = none). */
  arrayOid: number;
  /** pg_type.typbyval / typalign / typstorage for the catalog. */
  byval: boolean;
  align: string;
  storage: string;
  input: (text: string, typmod: number, ctx: FormatContext) => Value;
  output: (value: Value, ctx: FormatContext) => string;
  send: (value: Value, ctx: FormatContext) => Uint8Array;
  receive: (data: Uint8Array, typmod: number, ctx: FormatContext) => Value;
  compare: (a: Value, b: Value) => number;
  /** How btree keys of this type are encoded by storage (undefined = not indexable). */
  keyType: KeyColumnType | undefined;
}

const cmpPrimitive = (a: Value, b: Value): number => (a! < b! ? -1 : a! > b! ? 1 : 0);
const cmpFloat = (a: Value, b: Value): number => {
  const x = a as number;
  const y = b as number;
  // NaN sorts above everything and equals itself, as in PostgreSQL.
  if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
  if (Number.isNaN(y)) return -1;
  return x < y ? -1 : x > y ? 1 : 0;
};
const cmpBytes = (a: Value, b: Value): number => Buffer.compare(a as Uint8Array, b as Uint8Array);
const cmpText = (a: Value, b: Value): number => {
  // C collation = UTF-8 byte order, which equals code point order (not UTF-16 order).
  const x = a as string;
  const y = b as string;
  if (x === y) return 0;
  return Buffer.compare(Buffer.from(x, 'utf8'), Buffer.from(y, 'utf8'));
};
const cmpBpchar = (a: Value, b: Value): number =>
  cmpText((a as string).replace(/ +$/, ''), (b as string).replace(/ +$/, ''));

function fixed(n: number, write: (b: Buffer) => void): Uint8Array {
  const b = Buffer.alloc(n);
  write(b);
  return b;
}
const view = (d: Uint8Array): Buffer => Buffer.from(d.buffer, d.byteOffset, d.byteLength);
function badBinary(): PgError {
  return new PgError('22P03', 'incorrect binary data format in bind parameter');
}
function expectLen(d: Uint8Array, n: number): Buffer {
  if (d.byteLength !== n) throw badBinary();
  return view(d);
}

const textSend = (v: Value): Uint8Array => Buffer.from(v as string, 'utf8');
const textReceive = (d: Uint8Array): Value => view(d).toString('utf8');

/** PostgreSQL's bpchar/varchar length rules for char(n) / varchar(n) (typmod = n + 4). */
function applyCharTypmod(v: string, typmod: number, padded: boolean, explicit: boolean): string {
  if (typmod < 4) return v;
  const n = typmod - 4;
  const chars = [...v];
  if (chars.length > n) {
    // Extra trailing spaces are silently truncated; anything else is an error unless explicit cast.
    if (!explicit && chars.slice(n).some((c) => c !== ' ')) {
      throw new PgError(
        '22001',
        `value too long for type ${padded ? 'character' : 'character varying'}(${n})`,
      );
    }
    return chars.slice(0, n).join('');
  }
  return padded ? v + ' '.repeat(n - chars.length) : v;
}

export function coerceCharLength(
  v: string,
  typeOid: number,
  typmod: number,
  explicit: boolean,
): string {
  if (typeOid === T.bpchar) return applyCharTypmod(v, typmod, true, explicit);
  if (typeOid === T.varchar) return applyCharTypmod(v, typmod, false, explicit);
  return v;
}

const PG_EPOCH_MS = 946_684_800_000;
void PG_EPOCH_MS;

interface Def {
  oid: number;
  name: string;
  sqlName: string;
  len: number;
  category: string;
  preferred?: boolean;
  arrayOid: number;
  byval?: boolean;
  align?: string;
  storage?: string;
  input: TypeInfo['input'];
  output: TypeInfo['output'];
  send: TypeInfo['send'];
  receive: TypeInfo['receive'];
  compare: TypeInfo['compare'];
  keyType?: KeyColumnType;
}

/** An OID alias type (regclass, regtype …): shown as a name, read from a name or a number. */
function regDef(oid: number, name: string, arrayOid: number, kind: RegKind): Def {
  return {
    oid,
    name,
    sqlName: name,
    len: 4,
    category: 'N',
    arrayOid,
    byval: true,
    align: 'i',
    storage: 'p',
    input: (t, _m, c) => {
      const s = t.trim();
      if (/^\d+$/.test(s)) return Number(s);
      if (s === '-' && kind === 'proc') return 0;
      if (!c.names) throw new PgError('22P02', `invalid input syntax for type ${name}: "${t}"`);
      return c.names.oid(kind, s);
    },
    output: (v, c) => {
      const n = v as number;
      if (n === 0) return '-';
      return c.names?.name(kind, n) ?? String(n);
    },
    send: (v) => fixed(4, (b) => b.writeUInt32BE(v as number)),
    receive: (d) => expectLen(d, 4).readUInt32BE(0),
    compare: cmpPrimitive,
    keyType: 'integer',
  };
}

const defs: Def[] = [
  {
    oid: T.bool,
    name: 'bool',
    sqlName: 'boolean',
    len: 1,
    category: 'B',
    preferred: true,
    arrayOid: 1000,
    byval: true,
    align: 'c',
    input: (t) => boolIn(t),
    output: (v) => (v ? 't' : 'f'),
    send: (v) => Uint8Array.of(v ? 1 : 0),
    receive: (d) => expectLen(d, 1)[0] !== 0,
    compare: (a, b) => Number(a) - Number(b),
    keyType: 'bool',
  },
  {
    oid: T.bytea,
    name: 'bytea',
    sqlName: 'bytea',
    len: -1,
    category: 'U',
    arrayOid: 1001,
    input: (t) => byteaIn(t),
    output: (v, c) => byteaOut(v as Uint8Array, c.byteaOutput),
    send: (v) => v as Uint8Array,
    receive: (d) => Uint8Array.from(d),
    compare: cmpBytes,
    keyType: 'bytea',
  },
  {
    oid: T.char,
    name: 'char',
    sqlName: '"char"',
    len: 1,
    category: 'Z',
    arrayOid: 1002,
    byval: true,
    align: 'c',
    storage: 'p',
    input: (t) => Buffer.from(t, 'utf8').subarray(0, 1).toString('latin1'),
    output: (v) => v as string,
    send: (v) => Buffer.from(v as string, 'latin1'),
    receive: (d) => view(d).toString('latin1'),
    compare: cmpText,
    keyType: 'text',
  },
  {
    oid: T.name,
    name: 'name',
    sqlName: 'name',
    len: 64,
    category: 'S',
    arrayOid: 1003,
    align: 'c',
    storage: 'p',
    input: (t) => truncateIdentifier(t),
    output: (v) => v as string,
    send: textSend,
    receive: textReceive,
    compare: cmpText,
    keyType: 'text',
  },
  {
    oid: T.int8,
    name: 'int8',
    sqlName: 'bigint',
    len: 8,
    category: 'N',
    arrayOid: 1016,
    byval: true,
    align: 'd',
    input: (t) => intIn(t, 'int8'),
    output: (v) => String(v),
    send: (v) => fixed(8, (b) => b.writeBigInt64BE(BigInt(v as bigint))),
    receive: (d) => expectLen(d, 8).readBigInt64BE(0),
    compare: cmpPrimitive,
    keyType: 'integer',
  },
  {
    oid: T.int2,
    name: 'int2',
    sqlName: 'smallint',
    len: 2,
    category: 'N',
    arrayOid: 1005,
    byval: true,
    align: 's',
    input: (t) => intIn(t, 'int2'),
    output: (v) => String(v),
    send: (v) => fixed(2, (b) => b.writeInt16BE(v as number)),
    receive: (d) => expectLen(d, 2).readInt16BE(0),
    compare: cmpPrimitive,
    keyType: 'integer',
  },
  {
    oid: T.int4,
    name: 'int4',
    sqlName: 'integer',
    len: 4,
    category: 'N',
    arrayOid: 1007,
    byval: true,
    align: 'i',
    input: (t) => intIn(t, 'int4'),
    output: (v) => String(v),
    send: (v) => fixed(4, (b) => b.writeInt32BE(v as number)),
    receive: (d) => expectLen(d, 4).readInt32BE(0),
    compare: cmpPrimitive,
    keyType: 'integer',
  },
  {
    oid: T.text,
    name: 'text',
    sqlName: 'text',
    len: -1,
    category: 'S',
    preferred: true,
    arrayOid: 1009,
    input: (t) => t,
    output: (v) => v as string,
    send: textSend,
    receive: textReceive,
    compare: cmpText,
    keyType: 'text',
  },
  {
    oid: T.oid,
    name: 'oid',
    sqlName: 'oid',
    len: 4,
    category: 'N',
    arrayOid: 1028,
    byval: true,
    align: 'i',
    storage: 'p',
    input: (t) => {
      const v = intIn(t, 'int8') as bigint;
      if (v < -2147483648n || v > 4294967295n)
        throw new PgError('22003', `value "${t}" is out of range for type oid`);
      return Number(v < 0n ? v + 4294967296n : v);
    },
    output: (v) => String(v),
    send: (v) => fixed(4, (b) => b.writeUInt32BE(v as number)),
    receive: (d) => expectLen(d, 4).readUInt32BE(0),
    compare: cmpPrimitive,
    keyType: 'integer',
  },
  {
    oid: T.json,
    name: 'json',
    sqlName: 'json',
    len: -1,
    category: 'U',
    arrayOid: 199,
    input: (t) => jsonIn(t),
    output: (v) => v as string,
    send: textSend,
    receive: (d) => jsonIn(view(d).toString('utf8')),
    compare: cmpText,
  },
  {
    oid: T.float4,
    name: 'float4',
    sqlName: 'real',
    len: 4,
    category: 'N',
    arrayOid: 1021,
    byval: true,
    align: 'i',
    storage: 'p',
    input: (t) => floatIn(t, true),
    output: (v, c) => floatOut(v as number, c.extraFloatDigits, true),
    send: (v) => fixed(4, (b) => b.writeFloatBE(v as number)),
    receive: (d) => expectLen(d, 4).readFloatBE(0),
    compare: cmpFloat,
    keyType: 'float',
  },
  {
    oid: T.float8,
    name: 'float8',
    sqlName: 'double precision',
    len: 8,
    category: 'N',
    preferred: true,
    arrayOid: 1022,
    byval: true,
    align: 'd',
    storage: 'p',
    input: (t) => floatIn(t, false),
    output: (v, c) => floatOut(v as number, c.extraFloatDigits, false),
    send: (v) => fixed(8, (b) => b.writeDoubleBE(v as number)),
    receive: (d) => expectLen(d, 8).readDoubleBE(0),
    compare: cmpFloat,
    keyType: 'float',
  },
  {
    oid: T.unknown,
    name: 'unknown',
    sqlName: 'unknown',
    len: -2,
    category: 'X',
    arrayOid: 0,
    align: 'c',
    storage: 'p',
    input: (t) => t,
    output: (v) => v as string,
    send: textSend,
    receive: textReceive,
    compare: cmpText,
  },
  {
    oid: T.bpchar,
    name: 'bpchar',
    sqlName: 'character',
    len: -1,
    category: 'S',
    arrayOid: 1014,
    input: (t, m) => applyCharTypmod(t, m, true, false),
    output: (v) => v as string,
    send: textSend,
    receive: (d, m) => applyCharTypmod(view(d).toString('utf8'), m, true, false),
    compare: cmpBpchar,
    keyType: 'text',
  },
  {
    oid: T.varchar,
    name: 'varchar',
    sqlName: 'character varying',
    len: -1,
    category: 'S',
    arrayOid: 1015,
    input: (t, m) => applyCharTypmod(t, m, false, false),
    output: (v) => v as string,
    send: textSend,
    receive: (d, m) => applyCharTypmod(view(d).toString('utf8'), m, false, false),
    compare: cmpText,
    keyType: 'text',
  },
  {
    oid: T.date,
    name: 'date',
    sqlName: 'date',
    len: 4,
    category: 'D',
    arrayOid: 1182,
    byval: true,
    align: 'i',
    storage: 'p',
    input: (t, _m, c) => dateIn(t, c.timeZone),
    output: (v) => dateOut(v as number),
    send: (v) => fixed(4, (b) => b.writeInt32BE(v as number)),
    receive: (d) => expectLen(d, 4).readInt32BE(0),
    compare: cmpPrimitive,
    keyType: 'integer',
  },
  {
    oid: T.timestamp,
    name: 'timestamp',
    sqlName: 'timestamp without time zone',
    len: 8,
    category: 'D',
    arrayOid: 1115,
    byval: true,
    align: 'd',
    storage: 'p',
    input: (t, _m, c) => timestampIn(t, c.timeZone),
    output: (v) => timestampOut(v as bigint),
    send: (v) => fixed(8, (b) => b.writeBigInt64BE(v as bigint)),
    receive: (d) => expectLen(d, 8).readBigInt64BE(0),
    compare: cmpPrimitive,
    keyType: 'integer',
  },
  {
    oid: T.timestamptz,
    name: 'timestamptz',
    sqlName: 'timestamp with time zone',
    len: 8,
    category: 'D',
    preferred: true,
    arrayOid: 1185,
    byval: true,
    align: 'd',
    storage: 'p',
    input: (t, _m, c) => timestamptzIn(t, c.timeZone),
    output: (v, c) => timestamptzOut(v as bigint, c.timeZone),
    send: (v) => fixed(8, (b) => b.writeBigInt64BE(v as bigint)),
    receive: (d) => expectLen(d, 8).readBigInt64BE(0),
    compare: cmpPrimitive,
    keyType: 'integer',
  },
  {
    oid: T.time,
    name: 'time',
    sqlName: 'time without time zone',
    len: 8,
    category: 'D',
    arrayOid: 1183,
    byval: true,
    align: 'd',
    storage: 'p',
    input: (t, _m, c) => timeIn(t, c.timeZone),
    output: (v) => timeOut(v as bigint),
    send: (v) => fixed(8, (b) => b.writeBigInt64BE(v as bigint)),
    receive: (d) => expectLen(d, 8).readBigInt64BE(0),
    compare: cmpPrimitive,
    keyType: 'integer',
  },
  {
    oid: T.interval,
    name: 'interval',
    sqlName: 'interval',
    len: 16,
    category: 'T',
    preferred: true,
    arrayOid: 1187,
    byval: false,
    align: 'd',
    storage: 'p',
    input: (t, _m, c) => intervalValue(intervalIn(t, c.intervalStyle)),
    output: (v, c) => intervalOut(intervalParts(v as Uint8Array), c.intervalStyle),
    send: (v) => Uint8Array.from(v as Uint8Array),
    receive: (d) => Uint8Array.from(expectLen(d, 16)),
    compare: (a, b) => compareIntervals(a as Uint8Array, b as Uint8Array),
  },
  {
    oid: T.numeric,
    name: 'numeric',
    sqlName: 'numeric',
    len: -1,
    category: 'N',
    arrayOid: 1231,
    storage: 'm',
    input: (t, m) => numeric.applyTypmod(numeric.numericIn(t), m),
    output: (v) => v as string,
    send: (v) => numericSend(v as string),
    receive: (d, m) => numeric.applyTypmod(numericReceive(view(d)), m),
    compare: (a, b) => numeric.compare(a as string, b as string),
    keyType: 'numeric',
  },
  {
    oid: T.uuid,
    name: 'uuid',
    sqlName: 'uuid',
    len: 16,
    category: 'U',
    arrayOid: 2951,
    align: 'c',
    storage: 'p',
    input: (t) => uuidIn(t),
    output: (v) => v as string,
    send: (v) => Buffer.from((v as string).replace(/-/g, ''), 'hex'),
    receive: (d) => uuidIn(expectLen(d, 16).toString('hex')),
    compare: cmpText,
    keyType: 'text',
  },
  {
    oid: T.jsonb,
    name: 'jsonb',
    sqlName: 'jsonb',
    len: -1,
    category: 'U',
    arrayOid: 3807,
    input: (t) => jsonbIn(t),
    output: (v) => v as string,
    send: (v) => Buffer.concat([Uint8Array.of(1), Buffer.from(v as string, 'utf8')]),
    receive: (d) => {
      if (d[0] !== 1) throw new PgError('22P03', `unsupported jsonb version number ${d[0]}`);
      return jsonbIn(view(d).subarray(1).toString('utf8'));
    },
    compare: cmpText,
  },
  {
    oid: T.void,
    name: 'void',
    sqlName: 'void',
    len: 4,
    category: 'P',
    arrayOid: 0,
    byval: true,
    align: 'i',
    storage: 'p',
    input: () => null,
    output: () => '',
    send: () => new Uint8Array(0),
    receive: () => null,
    compare: () => 0,
  },
  regDef(T.regclass, 'regclass', 2210, 'relation'),
  regDef(T.regproc, 'regproc', 1008, 'proc'),
  regDef(T.regtype, 'regtype', 2211, 'type'),
  regDef(T.regnamespace, 'regnamespace', 4090, 'namespace'),
  regDef(T.regrole, 'regrole', 4097, 'role'),
  {
    // aclitem ("grantee=privs/grantor"): kept as its text form.
    oid: T.aclitem,
    name: 'aclitem',
    sqlName: 'aclitem',
    len: 16,
    category: 'U',
    arrayOid: 1034,
    align: 'd',
    storage: 'p',
    input: (t) => t,
    output: (v) => v as string,
    send: () => {
      throw new PgError('0A000', 'binary output of type aclitem is not supported');
    },
    receive: () => {
      throw new PgError('0A000', 'binary input of type aclitem is not supported');
    },
    compare: cmpText,
  },
  {
    oid: T.xid,
    name: 'xid',
    sqlName: 'xid',
    len: 4,
    category: 'U',
    arrayOid: 1011,
    byval: true,
    align: 'i',
    storage: 'p',
    input: (t) => Number(t),
    output: (v) => String(v),
    send: (v) => fixed(4, (b) => b.writeUInt32BE(v as number)),
    receive: (d) => expectLen(d, 4).readUInt32BE(0),
    compare: cmpPrimitive,
  },
  {
    oid: T.pg_node_tree,
    name: 'pg_node_tree',
    sqlName: 'pg_node_tree',
    len: -1,
    category: 'Z',
    arrayOid: 0,
    input: (t) => t,
    output: (v) => v as string,
    send: textSend,
    receive: textReceive,
    compare: cmpText,
  },
];

/** numeric binary format: ndigits, weight, sign, dscale, base-10000 digits. */
function numericSend(v: string): Uint8Array {
  if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') {
    const sign = v === 'NaN' ? 0xc000 : v === 'Infinity' ? 0xd000 : 0xf000;
    return fixed(8, (b) => {
      b.writeUInt16BE(0, 0);
      b.writeInt16BE(0, 2);
      b.writeUInt16BE(sign, 4);
      b.writeUInt16BE(0, 6);
    });
  }
  const d = numeric.parse(v);
  const neg = d.m < 0n;
  const digits = (neg ? -d.m : d.m).toString();
  const intPart = digits.length > d.s ? digits.slice(0, digits.length - d.s) : '0';
  const fracPart =
    digits.length > d.s ? digits.slice(digits.length - d.s) : digits.padStart(d.s, '0');
  const intPadded = intPart.padStart(Math.ceil(intPart.length / 4) * 4, '0');
  const fracPadded = fracPart.padEnd(Math.ceil(fracPart.length / 4) * 4, '0');
  let groups: number[] = [];
  for (let i = 0; i < intPadded.length; i += 4) groups.push(Number(intPadded.slice(i, i + 4)));
  let weight = groups.length - 1;
  for (let i = 0; i < fracPadded.length; i += 4) groups.push(Number(fracPadded.slice(i, i + 4)));
  while (groups.length > 0 && groups[0] === 0) {
    groups.shift();
    weight--;
  }
  while (groups.length > 0 && groups[groups.length - 1] === 0) groups.pop();
  if (groups.length === 0) weight = 0;
  groups = groups.slice();
  return fixed(8 + groups.length * 2, (b) => {
    b.writeUInt16BE(groups.length, 0);
    b.writeInt16BE(weight, 2);
    b.writeUInt16BE(neg ? 0x4000 : 0, 4);
    b.writeUInt16BE(d.s, 6);
    groups.forEach((g, i) => b.writeUInt16BE(g, 8 + i * 2));
  });
}

function numericReceive(b: Buffer): string {
  if (b.length < 8) throw badBinary();
  const n = b.readUInt16BE(0);
  const weight = b.readInt16BE(2);
  const sign = b.readUInt16BE(4);
  const dscale = b.readUInt16BE(6);
  if (sign === 0xc000) return 'NaN';
  if (sign === 0xd000) return 'Infinity';
  if (sign === 0xf000) return '-Infinity';
  if (b.length !== 8 + n * 2) throw badBinary();
  let m = 0n;
  for (let i = 0; i < n; i++) m = m * 10000n + BigInt(b.readUInt16BE(8 + i * 2));
  // m is scaled by 10000^(n-1-weight).
  const exp10 = (n - 1 - weight) * 4;
  let d: numeric.Decimal = exp10 >= 0 ? { m, s: exp10 } : { m: m * 10n ** BigInt(-exp10), s: 0 };
  d = numeric.roundTo(d, dscale);
  if (sign === 0x4000) d.m = -d.m;
  return numeric.toText(d);
}

/** PostgreSQL truncates identifiers to NAMEDATALEN-1 = 63 bytes (on a character boundary). */
export function truncateIdentifier(s: string): string {
  if (Buffer.byteLength(s) <= 63) return s;
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > 63) break;
    out += ch;
    bytes += n;
  }
  return out;
}

const byOid = new Map<number, TypeInfo>();
const byName = new Map<string, TypeInfo>();
for (const d of defs) {
  const info: TypeInfo = {
    oid: d.oid,
    name: d.name,
    sqlName: d.sqlName,
    len: d.len,
    category: d.category,
    preferred: d.preferred ?? false,
    arrayOid: d.arrayOid,
    byval: d.byval ?? false,
    align: d.align ?? 'i',
    // Fixed-length types are stored plain, as PostgreSQL's are; the rest may be toasted.
    storage: d.storage ?? (d.len > 0 ? 'p' : 'x'),
    input: d.input,
    output: d.output,
    send: d.send,
    receive: d.receive,
    compare: d.compare,
    keyType: d.keyType,
  };
  byOid.set(d.oid, info);
  byName.set(d.name, info);
}

export function builtinTypes(): readonly TypeInfo[] {
  return [...byOid.values()];
}

export function typeByOid(oid: number): TypeInfo {
  const t = byOid.get(oid);
  if (!t) throw new PgError('XX000', `cache lookup failed for type ${oid}`);
  return t;
}

export function findTypeByOid(oid: number): TypeInfo | undefined {
  return byOid.get(oid);
}

/** SQL spellings (after the grammar's mapping, e.g. "pg_catalog.int4") → type OID. */
const aliases: Record<string, string> = {
  int: 'int4',
  integer: 'int4',
  smallint: 'int2',
  bigint: 'int8',
  real: 'float4',
  float: 'float8',
  'double precision': 'float8',
  decimal: 'numeric',
  boolean: 'bool',
  character: 'bpchar',
  char: 'bpchar',
  'character varying': 'varchar',
  timestamptz: 'timestamptz',
  serial: 'int4',
};

/**
 * format_type(oid, typmod) with a typmod given (a column's, a cast's): a char of no length (only
 * bpchar written as such has none) is spelt "bpchar" there, as PostgreSQL does.
 */
export function formatTypeWithTypmod(oid: number, typmod: number): string {
  return oid === T.bpchar && typmod < 0 ? 'bpchar' : formatType(oid, typmod);
}

export function findTypeByName(name: string): TypeInfo | undefined {
  return byName.get(name) ?? byName.get(aliases[name] ?? '');
}

/** format_type(oid, NULL) and error messages: the type's SQL spelling, with its typmod if >= 0. */
export function formatType(oid: number, typmod: number): string {
  const t = byOid.get(oid);
  if (!t) return '???';
  if (typmod >= 0) {
    if (oid === T.varchar || oid === T.bpchar) return `${t.sqlName}(${typmod - 4})`;
    if (oid === T.numeric && typmod >= 4) {
      const p = ((typmod - 4) >> 16) & 0xffff;
      const s = (((typmod - 4) & 0x7ff) ^ 1024) - 1024;
      return `numeric(${p},${s})`;
    }
  }
  return t.sqlName;
}

/* Arrays ---------------------------------------------------------------------------------------- */

function quoteArrayElement(s: string): string {
  if (s === '' || /[{}",\\\s]/.test(s) || s.toUpperCase() === 'NULL') {
    return '"' + s.replace(/[\\"]/g, (c) => '\\' + c) + '"';
  }
  return s;
}

function arrayOut(v: Value, elem: TypeInfo, ctx: FormatContext): string {
  const items = v as readonly Value[];
  return (
    '{' +
    items
      .map((x) =>
        x === null
          ? 'NULL'
          : Array.isArray(x)
            ? arrayOut(x, elem, ctx)
            : quoteArrayElement(elem.output(x, ctx)),
      )
      .join(',') +
    '}'
  );
}

/**
 * Parses an array literal of any dimension ('{1,2}', '{{a,b},{c,d}}', '[0:1]={x,y}') with the
 * shared codec's parser, each element read by the element type's input function.
 */
function arrayIn(text: string, elem: TypeInfo, ctx: FormatContext): Value {
  const codec: TypeCodec<Value> = {
    oid: elem.oid,
    name: elem.name,
    arrayOid: elem.arrayOid,
    fromText: (t) => elem.input(t, -1, ctx),
    toText: (v) => elem.output(v, ctx),
    fromBinary: (b) => elem.receive(b, -1, ctx),
    toBinary: (v) => elem.send(v, ctx),
  };
  const parsed = sharedCodecCall(() => parseArray(text, codec, ','));
  // Arrays here always start at subscript 1: explicit lower bounds are dropped.
  return parsed instanceof PgArray ? nestElements(parsed) : parsed;
}

function nestElements(arr: PgArray<Value>): Value {
  let pos = 0;
  const build = (depth: number): Value[] => {
    const n = arr.dims[depth]!;
    const out: Value[] = [];
    for (let i = 0; i < n; i++) {
      out.push(depth === arr.dims.length - 1 ? (arr.elements[pos++] ?? null) : build(depth + 1));
    }
    return out;
  };
  return arr.dims.length === 0 ? [] : build(0);
}

function registerArray(oid: number, name: string, elemOid: number, vector: boolean): void {
  const elem = byOid.get(elemOid);
  if (!elem) return;
  const info: TypeInfo = {
    oid,
    name,
    sqlName: vector ? name : `${elem.sqlName}[]`,
    len: -1,
    category: 'A',
    preferred: false,
    arrayOid: 0,
    byval: false,
    align: elem.align === 'd' ? 'd' : 'i',
    storage: 'x',
    input: (t, _m, c) =>
      vector
        ? t.trim() === ''
          ? []
          : t
              .trim()
              .split(/\s+/)
              .map((x) => elem.input(x, -1, c))
        : arrayIn(t, elem, c),
    output: (v, c) =>
      vector
        ? (v as readonly Value[]).map((x) => elem.output(x, c)).join(' ')
        : arrayOut(v, elem, c),
    send: () => {
      throw new PgError('0A000', `binary output of type ${name} is not supported`);
    },
    receive: () => {
      throw new PgError('0A000', `binary input of type ${name} is not supported`);
    },
    compare: (a, b) => {
      const x = a as readonly Value[];
      const y = b as readonly Value[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const xi = x[i] ?? null;
        const yi = y[i] ?? null;
        if (xi === null || yi === null) {
          if (xi !== yi) return xi === null ? 1 : -1;
          continue;
        }
        const c = elem.compare(xi, yi);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    },
    keyType: undefined,
  };
  byOid.set(oid, info);
  byName.set(name, info);
}

registerArray(T.int2vector, 'int2vector', T.int2, true);
registerArray(T.oidvector, 'oidvector', T.oid, true);
registerArray(1000, '_bool', T.bool, false);
registerArray(T.int2Array, '_int2', T.int2, false);
registerArray(T.int4Array, '_int4', T.int4, false);
registerArray(T.int8Array, '_int8', T.int8, false);
registerArray(T.textArray, '_text', T.text, false);
registerArray(T.oidArray, '_oid', T.oid, false);
registerArray(1015, '_varchar', T.varchar, false);
registerArray(1021, '_float4', T.float4, false);
registerArray(1022, '_float8', T.float8, false);
registerArray(1231, '_numeric', T.numeric, false);
// Every other base type with an array type gets one too (_name, _char, _regclass …).
for (const d of defs) {
  if (d.arrayOid !== 0 && !byOid.has(d.arrayOid))
    registerArray(d.arrayOid, `_${d.name}`, d.oid, false);
}

/** Element type of an array type (0 if not an array). */
export function arrayElementType(oid: number): number {
  if (oid === T.int2vector) return T.int2;
  if (oid === T.oidvector) return T.oid;
  // Operator and function resolution ask this for every operand: keep a reverse index,
  // rebuilt if types were registered since.
  if (!elementByArray || elementIndexSize !== byOid.size) {
    elementByArray = new Map();
    for (const t of byOid.values())
      if (t.arrayOid && !elementByArray.has(t.arrayOid)) elementByArray.set(t.arrayOid, t.oid);
    elementIndexSize = byOid.size;
  }
  return elementByArray.get(oid) ?? 0;
}
let elementByArray: Map<number, number> | undefined;
let elementIndexSize = 0;

/** The elements of a (possibly multi-dimensional) array value, in storage order. */
export function flattenArray(v: readonly Value[]): Value[] {
  const out: Value[] = [];
  const walk = (items: readonly Value[]): void => {
    for (const x of items) {
      if (Array.isArray(x)) walk(x as readonly Value[]);
      else out.push(x);
    }
  };
  walk(v);
  return out;
}
