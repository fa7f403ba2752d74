/**
 * getTypeCodec(oid): the value codec of every built-in type this package implements, and of the
 * array type of each.
 */
import type { TypeCodec } from './codec.js';
import { makeArrayCodec } from './array.js';
import { boolCodec } from './bool.js';
import { byteaCodec } from './bytea.js';
import { float4Codec, float8Codec } from './float.js';
import {
  int2Codec,
  int4Codec,
  int8Codec,
  makeUint32Codec,
  oidCodec,
  xid8Codec,
} from './integers.js';
import { jsonbCodec } from './jsonb.js';
import {
  bitCodec,
  int2vectorCodec,
  macaddr8Codec,
  macaddrCodec,
  moneyCodec,
  oidvectorCodec,
  pgLsnCodec,
  pointCodec,
  tidCodec,
  varbitCodec,
  voidCodec,
} from './misc.js';
import { numericCodec } from './numeric.js';
import { Oid, getTypeInfo } from './oids.js';
import {
  bpcharCodec,
  charCodec,
  cstringCodec,
  jsonCodec,
  nameCodec,
  refcursorCodec,
  textCodec,
  unknownCodec,
  varcharCodec,
  xmlCodec,
} from './strings.js';
import { uuidCodec } from './uuid.js';
import { cidrCodec, inetCodec } from './net.js';
import { makeRangeCodec } from './range.js';
import { compareNumeric } from './numeric.js';
import { TypeInputError } from './errors.js';
import { makeRecordCodec } from './record.js';
import { dateCodec } from './datetime/date.js';
import { intervalCodec } from './datetime/interval.js';
import { timeCodec, timetzCodec } from './datetime/time.js';
import { timestampCodec, timestamptzCodec } from './datetime/timestamp.js';

/** Unsigned 32-bit ids whose codecs read and write the number (reg* names need the catalogs). */
const UINT32_TYPES: [number, string, number, string][] = [
  [Oid.xid, 'xid', Oid._xid, 'xid'],
  [Oid.cid, 'cid', Oid._cid, 'cid'],
  [Oid.regproc, 'regproc', Oid._regproc, 'regproc'],
  [Oid.regprocedure, 'regprocedure', Oid._regprocedure, 'regprocedure'],
  [Oid.regoper, 'regoper', Oid._regoper, 'regoper'],
  [Oid.regoperator, 'regoperator', Oid._regoperator, 'regoperator'],
  [Oid.regclass, 'regclass', Oid._regclass, 'regclass'],
  [Oid.regtype, 'regtype', Oid._regtype, 'regtype'],
  [Oid.regconfig, 'regconfig', Oid._regconfig, 'regconfig'],
  [Oid.regdictionary, 'regdictionary', Oid._regdictionary, 'regdictionary'],
  [Oid.regnamespace, 'regnamespace', Oid._regnamespace, 'regnamespace'],
  [Oid.regrole, 'regrole', Oid._regrole, 'regrole'],
  [Oid.regcollation, 'regcollation', Oid._regcollation, 'regcollation'],
];

const BASE_CODECS: TypeCodec<never>[] = [
  boolCodec,
  byteaCodec,
  charCodec,
  nameCodec,
  int8Codec,
  int2Codec,
  int2vectorCodec,
  int4Codec,
  textCodec,
  oidCodec,
  tidCodec,
  oidvectorCodec,
  jsonCodec,
  xmlCodec,
  pointCodec,
  float4Codec,
  float8Codec,
  unknownCodec,
  moneyCodec,
  macaddrCodec,
  macaddr8Codec,
  bpcharCodec,
  varcharCodec,
  dateCodec,
  timeCodec,
  timestampCodec,
  timestamptzCodec,
  intervalCodec,
  timetzCodec,
  bitCodec,
  varbitCodec,
  numericCodec,
  refcursorCodec,
  cstringCodec,
  uuidCodec,
  inetCodec,
  cidrCodec,
  pgLsnCodec,
  jsonbCodec,
  xid8Codec,
  voidCodec,
  ...UINT32_TYPES.map(([oid, name, arrayOid, typeName]) =>
    makeUint32Codec(oid, name, arrayOid, typeName),
  ),
] as TypeCodec<never>[];

/** Element types whose JS value is itself a JS array (so arrays of them never nest). */
const ARRAY_VALUED = new Set<number>([Oid.int2vector, Oid.oidvector]);

function build(): Map<number, TypeCodec> {
  const codecs = new Map<number, TypeCodec>();
  for (const codec of BASE_CODECS) {
    codecs.set(codec.oid, codec);
    if (codec.arrayOid !== 0) {
      const info = getTypeInfo(codec.oid);
      codecs.set(
        codec.arrayOid,
        makeArrayCodec(codec, '_' + codec.name, info?.delim ?? ',', ARRAY_VALUED.has(codec.oid)),
      );
    }
  }
  return codecs;
}

/** The built-in range types: element codec, order, and the successor for discrete ones. */
function rangeCodecs(): TypeCodec[] {
  const cmp = <T extends number | bigint>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);
  const intNext = (v: number): number => {
    if (v === 2147483647) throw new TypeInputError('22003', 'integer out of range');
    return v + 1;
  };
  const bigNext = (v: bigint): bigint => {
    if (v === 9223372036854775807n) throw new TypeInputError('22003', 'bigint out of range');
    return v + 1n;
  };
  return [
    makeRangeCodec(Oid.int4range, 'int4range', Oid._int4range, {
      codec: int4Codec,
      compare: cmp,
      next: intNext,
    }),
    makeRangeCodec(Oid.int8range, 'int8range', Oid._int8range, {
      codec: int8Codec,
      compare: cmp,
      next: bigNext,
    }),
    makeRangeCodec(Oid.numrange, 'numrange', Oid._numrange, {
      codec: numericCodec,
      compare: compareNumeric,
    }),
    makeRangeCodec(Oid.tsrange, 'tsrange', Oid._tsrange, { codec: timestampCodec, compare: cmp }),
    makeRangeCodec(Oid.tstzrange, 'tstzrange', Oid._tstzrange, {
      codec: timestamptzCodec,
      compare: cmp,
    }),
    makeRangeCodec(Oid.daterange, 'daterange', Oid._daterange, {
      codec: dateCodec,
      compare: cmp,
      next: (d: number) => d + 1,
    }),
  ] as TypeCodec[];
}

const CODECS = build();
for (const range of rangeCodecs()) {
  CODECS.set(range.oid, range);
  CODECS.set(range.arrayOid, makeArrayCodec(range, '_' + range.name));
}
{
  // record decodes its fields through the registry itself.
  const record = makeRecordCodec((oid) => CODECS.get(oid));
  CODECS.set(record.oid, record);
  CODECS.set(record.arrayOid, makeArrayCodec(record, '_record'));
}

/** The codec of a built-in type or array type, or undefined when this package has none for it. */
export function getTypeCodec(oid: number): TypeCodec | undefined {
  return CODECS.get(oid);
}

/** OIDs of every type getTypeCodec knows. */
export function supportedTypeOids(): number[] {
  return [...CODECS.keys()];
}
