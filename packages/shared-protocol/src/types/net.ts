/**
 * inet and cidr: the JS value is PostgreSQL's canonical text ('10.1.2.3/24', 'fe80::1/64',
 * '::ffff:1.2.3.4'). IPv6 is written as PostgreSQL (BIND's inet_ntop) does: lowercase, the
 * longest run of two or more zero groups as '::', an embedded IPv4 tail for mapped/compatible
 * addresses. inet omits a full-length prefix, cidr always shows it and rejects host bits.
 * Binary: family (2 = IPv4, 3 = IPv6), prefix bits, is-cidr flag, address length, address bytes.
 */
import type { TypeCodec } from './codec.js';
import { TypeInputError, badBinary, invalidSyntax } from './errors.js';
import { Oid } from './oids.js';

interface NetValue {
  v6: boolean;
  bits: number;
  bytes: Uint8Array;
}

function parseV4(text: string, allowShort: boolean): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length > 4 || (!allowShort && parts.length !== 4)) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    out[i] = Number(p);
  }
  return out;
}

function parseV6(text: string): Uint8Array | undefined {
  let s = text;
  // An IPv4 tail (::ffff:1.2.3.4) becomes its two hex groups.
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const v4 = parseV4(s.slice(lastColon + 1), true);
    if (!v4) return undefined;
    s =
      s.slice(0, lastColon + 1) +
      (((v4[0]! << 8) | v4[1]!).toString(16) + ':' + ((v4[2]! << 8) | v4[3]!).toString(16));
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = toGroups(halves[0]!);
  const right = halves.length === 2 ? toGroups(halves[1]!) : [];
  if (!left || !right) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - left.length - right.length;
    if (missing < 1) return undefined;
    groups = [...left, ...new Array<number>(missing).fill(0), ...right];
  } else groups = left;
  if (groups.length !== 8) return undefined;
  const out = new Uint8Array(16);
  groups.forEach((g, k) => {
    out[k * 2] = g >> 8;
    out[k * 2 + 1] = g & 0xff;
  });
  return out;
}

function hostBitsSet(bytes: Uint8Array, bits: number): boolean {
  for (let i = 0; i < bytes.length * 8; i++) {
    if (i >= bits && (bytes[i >> 3]! & (0x80 >> (i & 7))) !== 0) return true;
  }
  return false;
}

function parseNet(text: string, cidr: boolean): NetValue {
  const typeName = cidr ? 'cidr' : 'inet';
  // No whitespace allowed around the address (PostgreSQL rejects it).
  const t = text;
  const slash = t.indexOf('/');
  const addr = slash < 0 ? t : t.slice(0, slash);
  const v6 = addr.includes(':');
  const bytes = v6 ? parseV6(addr) : parseV4(addr, cidr && slash >= 0);
  if (!bytes) throw invalidSyntax(typeName, text);
  const max = v6 ? 128 : 32;
  let bits = max;
  if (slash >= 0) {
    const b = t.slice(slash + 1);
    if (!/^\d{1,3}$/.test(b) || Number(b) > max) throw invalidSyntax(typeName, text);
    bits = Number(b);
  }
  if (cidr && hostBitsSet(bytes, bits)) {
    throw new TypeInputError(
      '22P02',
      `invalid cidr value: "${text}"`,
      'Value has bits set to right of mask.',
    );
  }
  return { v6, bits, bytes };
}

function formatV6(b: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((b[i * 2]! << 8) | b[i * 2 + 1]!);
  // Longest run of zero words (first one on ties), if at least two long.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestStart = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestStart >= 0 && i >= bestStart && i < bestStart + bestLen) {
      if (i === bestStart) out += ':';
      continue;
    }
    if (i > 0) out += ':';
    // IPv4-compatible (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d) tails.
    if (
      i === 6 &&
      bestStart === 0 &&
      (bestLen === 6 || (bestLen === 7 && words[7] !== 1) || (bestLen === 5 && words[5] === 0xffff))
    ) {
      out += `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
      break;
    }
    out += words[i]!.toString(16);
  }
  if (bestStart >= 0 && bestStart + bestLen === 8) out += ':';
  return out;
}

function formatNet(v: NetValue, cidr: boolean): string {
  const addr = v.v6 ? formatV6(v.bytes) : Array.from(v.bytes).join('.');
  const max = v.v6 ? 128 : 32;
  return cidr || v.bits !== max ? `${addr}/${v.bits}` : addr;
}

function makeNetCodec(cidr: boolean): TypeCodec<string> {
  return {
    oid: cidr ? Oid.cidr : Oid.inet,
    name: cidr ? 'cidr' : 'inet',
    arrayOid: cidr ? Oid._cidr : Oid._inet,
    fromText: (text) => formatNet(parseNet(text, cidr), cidr),
    toText: (v) => formatNet(parseNet(v, cidr), cidr),
    fromBinary(bytes) {
      if (bytes.length < 4) throw badBinary('insufficient data left in message');
      const family = bytes[0];
      const bits = bytes[1]!;
      const nb = bytes[3]!;
      const v6 = family === 3;
      if ((family !== 2 && family !== 3) || nb !== (v6 ? 16 : 4) || bytes.length !== 4 + nb) {
        throw badBinary(`invalid address family in external "${cidr ? 'cidr' : 'inet'}" value`);
      }
      if (bits > (v6 ? 128 : 32))
        throw badBinary(`invalid bits in external "${cidr ? 'cidr' : 'inet'}" value`);
      return formatNet({ v6, bits, bytes: bytes.slice(4) }, cidr);
    },
    toBinary(v) {
      const n = parseNet(v, cidr);
      const out = new Uint8Array(4 + n.bytes.length);
      out[0] = n.v6 ? 3 : 2;
      out[1] = n.bits;
      out[2] = cidr ? 1 : 0;
      out[3] = n.bytes.length;
      out.set(n.bytes, 4);
      return out;
    },
  };
}

export const inetCodec = makeNetCodec(false);
export const cidrCodec = makeNetCodec(true);
