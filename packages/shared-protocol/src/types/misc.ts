/**
 * Smaller built-in types: bit/varbit ('0101' strings), point ({x, y}), tid ({block, offset}),
 * money (bigint cents, C-locale '$1,234.56' text), pg_lsn (bigint), macaddr/macaddr8 (canonical
 * text), int2vector/oidvector (number[]), void, and the unsigned 32-bit ids (xid, cid, reg* types,
 * whose text form is numeric here: names need the catalogs).
 */
import type { TypeCodec } from './codec.js';
import { TypeInputError, badBinary, invalidSyntax, valueOutOfRange } from './errors.js';
import {
  expectLength,
  isPgSpace,
  readInt32,
  readInt64,
  readUint16,
  readUint32,
  writeInt32,
  writeInt64,
} from './binary.js';
import { Oid } from './oids.js';
import { formatFloat8, parseFloat8 } from './float.js';
import { parseInt2, parseOid, int2Codec, oidCodec } from './integers.js';
import { PgArray, arrayFromBinary, arrayToBinary } from './array.js';

/* bit, varbit ------------------------------------------------------------------------------------ */

function parseBits(text: string, typeName: string): string {
  // B'…' style input is handled by the SQL parser; here plain binary or x-prefixed hex.
  if (/^[01]*$/.test(text)) return text;
  if (/^[xX][0-9a-fA-F]*$/.test(text)) {
    let out = '';
    for (const h of text.slice(1)) out += parseInt(h, 16).toString(2).padStart(4, '0');
    return out;
  }
  const bad = /[^01]/.exec(text);
  throw new TypeInputError('22P02', `"${bad ? bad[0] : ''}" is not a valid binary digit`, typeName);
}

function bitsToBinary(bits: string): Uint8Array {
  const out = new Uint8Array(4 + Math.ceil(bits.length / 8));
  writeInt32(out, 0, bits.length);
  for (let i = 0; i < bits.length; i++)
    if (bits.charCodeAt(i) === 49) out[4 + (i >> 3)]! |= 0x80 >> (i & 7);
  return out;
}

function bitsFromBinary(bytes: Uint8Array): string {
  if (bytes.length < 4) throw badBinary('insufficient data left in message');
  const n = readInt32(bytes, 0);
  if (n < 0 || bytes.length !== 4 + Math.ceil(n / 8))
    throw badBinary('invalid length in external bit string');
  let out = '';
  for (let i = 0; i < n; i++) out += bytes[4 + (i >> 3)]! & (0x80 >> (i & 7)) ? '1' : '0';
  return out;
}

function makeBitCodec(oid: number, name: string, arrayOid: number): TypeCodec<string> {
  return {
    oid,
    name,
    arrayOid,
    fromText: (t) => parseBits(t, name),
    toText: (v) => v,
    fromBinary: bitsFromBinary,
    toBinary: bitsToBinary,
  };
}
export const bitCodec = makeBitCodec(Oid.bit, 'bit', Oid._bit);
export const varbitCodec = makeBitCodec(Oid.varbit, 'varbit', Oid._varbit);

/* point ------------------------------------------------------------------------------------------ */

export interface Point {
  x: number;
  y: number;
}

export const pointCodec: TypeCodec<Point> = {
  oid: Oid.point,
  name: 'point',
  arrayOid: Oid._point,
  fromText(text) {
    const m = /^\s*(\(?)\s*([^,()\s]+)\s*,\s*([^,()\s]+)\s*(\)?)\s*$/.exec(text);
    if (!m || (m[1] === '(') !== (m[4] === ')')) throw invalidSyntax('point', text);
    try {
      return { x: parseFloat8(m[2]!), y: parseFloat8(m[3]!) };
    } catch {
      throw invalidSyntax('point', text);
    }
  },
  toText: (v, settings) => {
    const efd = settings?.extraFloatDigits ?? 1;
    return '(' + formatFloat8(v.x, efd) + ',' + formatFloat8(v.y, efd) + ')';
  },
  fromBinary(bytes) {
    expectLength(bytes, 16);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, 16);
    return { x: dv.getFloat64(0), y: dv.getFloat64(8) };
  },
  toBinary(v) {
    const out = new Uint8Array(16);
    const dv = new DataView(out.buffer);
    dv.setFloat64(0, v.x);
    dv.setFloat64(8, v.y);
    return out;
  },
};

/* tid -------------------------------------------------------------------------------------------- */

export interface Tid {
  block: number;
  offset: number;
}

export const tidCodec: TypeCodec<Tid> = {
  oid: Oid.tid,
  name: 'tid',
  arrayOid: Oid._tid,
  fromText(text) {
    const m = /^\s*\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)\s*$/.exec(text);
    if (!m) throw invalidSyntax('tid', text);
    const block = Number(m[1]);
    const offset = Number(m[2]);
    if (block < 0 || block > 4294967295 || offset < 0 || offset > 65535)
      throw invalidSyntax('tid', text);
    return { block, offset };
  },
  toText: (v) => '(' + v.block + ',' + v.offset + ')',
  fromBinary(bytes) {
    expectLength(bytes, 6);
    return { block: readUint32(bytes, 0), offset: readUint16(bytes, 4) };
  },
  toBinary(v) {
    const out = new Uint8Array(6);
    writeInt32(out, 0, v.block);
    out[4] = (v.offset >> 8) & 0xff;
    out[5] = v.offset & 0xff;
    return out;
  },
};

/* money ------------------------------------------------------------------------------------------ */

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** cash_in in the C locale: '$', ',' separators, two decimals (a third rounds half up), '-' or (…) for negative. */
export function parseMoney(text: string): bigint {
  let s = text.trim();
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  if (s.startsWith('-')) {
    negative = !negative;
    s = s.slice(1).trim();
  } else if (s.startsWith('+')) s = s.slice(1).trim();
  if (s.startsWith('$')) s = s.slice(1).trim();
  if (s.startsWith('-')) {
    negative = !negative;
    s = s.slice(1).trim();
  }
  const m = /^(\d[\d,]*)?(?:\.(\d*))?$/.exec(s);
  if (!m || (m[1] === undefined && m[2] === undefined)) throw invalidSyntax('money', text);
  const whole = (m[1] ?? '0').replace(/,/g, '');
  const frac = m[2] ?? '';
  let cents = BigInt(whole) * 100n + BigInt((frac.slice(0, 2) || '0').padEnd(2, '0'));
  if (frac.length > 2 && frac.charCodeAt(2) >= 53) cents += 1n;
  if (negative) cents = -cents;
  if (cents < INT64_MIN || cents > INT64_MAX) throw valueOutOfRange('money', text);
  return cents;
}

export function formatMoney(cents: bigint): string {
  const negative = cents < 0n;
  const a = negative ? -cents : cents;
  const whole = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = (a % 100n).toString().padStart(2, '0');
  return (negative ? '-$' : '$') + whole + '.' + frac;
}

export const moneyCodec: TypeCodec<bigint> = {
  oid: Oid.money,
  name: 'money',
  arrayOid: Oid._money,
  fromText: parseMoney,
  toText: formatMoney,
  fromBinary(bytes) {
    expectLength(bytes, 8);
    return readInt64(bytes, 0);
  },
  toBinary(v) {
    const out = new Uint8Array(8);
    writeInt64(out, 0, v);
    return out;
  },
};

/* pg_lsn ----------------------------------------------------------------------------------------- */

export const pgLsnCodec: TypeCodec<bigint> = {
  oid: Oid.pg_lsn,
  name: 'pg_lsn',
  arrayOid: Oid._pg_lsn,
  fromText(text) {
    const m = /^([0-9a-fA-F]{1,8})\/([0-9a-fA-F]{1,8})$/.exec(text);
    if (!m) throw invalidSyntax('pg_lsn', text);
    return (BigInt('0x' + m[1]) << 32n) | BigInt('0x' + m[2]);
  },
  toText: (v) =>
    (v >> 32n).toString(16).toUpperCase() + '/' + (v & 0xffffffffn).toString(16).toUpperCase(),
  fromBinary(bytes) {
    expectLength(bytes, 8);
    return BigInt.asUintN(64, readInt64(bytes, 0));
  },
  toBinary(v) {
    const out = new Uint8Array(8);
    writeInt64(out, 0, v);
    return out;
  },
};

/* macaddr, macaddr8 ------------------------------------------------------------------------------ */

function makeMacCodec(oid: number, name: string, arrayOid: number, size: 6 | 8): TypeCodec<string> {
  const toBytes = (text: string): Uint8Array => {
    const hex = text.trim().replace(/[-:.]/g, '');
    if (!new RegExp(`^[0-9a-fA-F]{${size * 2}}$`).test(hex)) throw invalidSyntax(name, text);
    const out = new Uint8Array(size);
    for (let i = 0; i < size; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    return out;
  };
  const fromBytes = (bytes: Uint8Array): string =>
    Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':');
  return {
    oid,
    name,
    arrayOid,
    fromText: (text) => fromBytes(toBytes(text)),
    toText: (v) => fromBytes(toBytes(v)),
    fromBinary(bytes) {
      expectLength(bytes, size);
      return fromBytes(bytes);
    },
    toBinary: toBytes,
  };
}
export const macaddrCodec = makeMacCodec(Oid.macaddr, 'macaddr', Oid._macaddr, 6);
export const macaddr8Codec = makeMacCodec(Oid.macaddr8, 'macaddr8', Oid._macaddr8, 8);

/* int2vector, oidvector -------------------------------------------------------------------------- */

/** Space-separated in text; on the wire a one-dimensional array with lower bound 0. */
function makeVectorCodec(
  oid: number,
  name: string,
  arrayOid: number,
  elem: TypeCodec<number>,
  parse: (s: string) => number,
): TypeCodec<number[]> {
  return {
    oid,
    name,
    arrayOid,
    fromText(text) {
      const out: number[] = [];
      let i = 0;
      while (i < text.length) {
        while (i < text.length && isPgSpace(text.charCodeAt(i))) i++;
        const start = i;
        while (i < text.length && !isPgSpace(text.charCodeAt(i))) i++;
        if (i > start) out.push(parse(text.slice(start, i)));
      }
      return out;
    },
    toText: (v) => v.join(' '),
    fromBinary(bytes) {
      const arr = arrayFromBinary(bytes, elem);
      if (arr instanceof PgArray) return arr.elements.map((e) => e ?? 0);
      return (arr as (number | null)[]).map((e) => e ?? 0);
    },
    // Even an empty vector is sent as one dimension of length 0, lower bound 0.
    toBinary: (v) =>
      v.length === 0
        ? Uint8Array.of(
            0,
            0,
            0,
            1,
            0,
            0,
            0,
            0,
            (elem.oid >>> 24) & 255,
            (elem.oid >>> 16) & 255,
            (elem.oid >>> 8) & 255,
            elem.oid & 255,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
          )
        : arrayToBinary(new PgArray(v, [v.length], [0]), elem),
  };
}
export const int2vectorCodec = makeVectorCodec(
  Oid.int2vector,
  'int2vector',
  Oid._int2vector,
  int2Codec,
  parseInt2,
);
export const oidvectorCodec = makeVectorCodec(
  Oid.oidvector,
  'oidvector',
  Oid._oidvector,
  oidCodec,
  (s) => parseOid(s),
);

/* void ------------------------------------------------------------------------------------------- */

export const voidCodec: TypeCodec<null> = {
  oid: Oid.void,
  name: 'void',
  arrayOid: 0,
  fromText: () => null,
  toText: () => '',
  fromBinary: () => null,
  toBinary: () => new Uint8Array(0),
};
