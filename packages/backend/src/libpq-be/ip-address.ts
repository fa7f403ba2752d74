/**
 * IP addresses as byte arrays, for pg_hba.conf's address matching: parse IPv4/IPv6 text (including
 * IPv4-mapped IPv6 as Node reports it for dual-stack sockets), CIDR prefixes and dotted netmasks.
 * Kept as plain number arrays so parsed rules can cross the postmaster → backend IPC channel as JSON.
 */
import net from 'node:net';

export interface IpAddress {
  family: 4 | 6;
  bytes: number[];
}

function parseIPv4(text: string): number[] | undefined {
  if (!net.isIPv4(text)) return undefined;
  return text.split('.').map(Number);
}

function parseIPv6(text: string): number[] | undefined {
  let s = text.replace(/%.*$/, '');
  if (!net.isIPv6(s)) return undefined;
  // A trailing dotted quad (::ffff:1.2.3.4) becomes two hex groups.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    s = s.slice(0, quad.index) + ((a << 8) | b).toString(16) + ':' + ((c << 8) | d).toString(16);
  }
  const halves = s.split('::');
  const left = halves[0] ? halves[0].split(':') : [];
  const right = halves.length > 1 && halves[1] ? halves[1].split(':') : [];
  const fill = halves.length > 1 ? 8 - left.length - right.length : 0;
  const groups = [...left, ...Array<string>(Math.max(fill, 0)).fill('0'), ...right];
  if (groups.length !== 8) return undefined;
  const bytes: number[] = [];
  for (const g of groups) {
    const v = parseInt(g, 16);
    bytes.push(v >> 8, v & 0xff);
  }
  return bytes;
}

export function parseIpAddress(text: string): IpAddress | undefined {
  const v4 = parseIPv4(text);
  if (v4) return { family: 4, bytes: v4 };
  const v6 = parseIPv6(text);
  if (v6) return { family: 6, bytes: v6 };
  return undefined;
}

/** A client address as Node reports it: "::ffff:1.2.3.4" becomes the IPv4 address it carries. */
export function clientIpAddress(text: string): IpAddress | undefined {
  const parsed = parseIpAddress(text);
  if (parsed?.family === 6 && parsed.bytes.slice(0, 10).every((b) => b === 0)) {
    if (parsed.bytes[10] === 0xff && parsed.bytes[11] === 0xff) {
      return { family: 4, bytes: parsed.bytes.slice(12) };
    }
  }
  return parsed;
}

/** A mask with `bits` leading ones, or undefined if bits is out of range for the family. */
export function prefixMask(family: 4 | 6, bits: number): number[] | undefined {
  const len = family === 4 ? 4 : 16;
  if (!Number.isInteger(bits) || bits < 0 || bits > len * 8) return undefined;
  const mask: number[] = [];
  for (let i = 0; i < len; i++) {
    const take = Math.max(0, Math.min(8, bits - i * 8));
    mask.push(take === 0 ? 0 : (0xff << (8 - take)) & 0xff);
  }
  return mask;
}

/** Whether a mask is contiguous leading ones (a netmask PostgreSQL accepts). */
export function isContiguousMask(mask: number[]): boolean {
  let seenZero = false;
  for (const byte of mask) {
    for (let bit = 7; bit >= 0; bit--) {
      const one = (byte >> bit) & 1;
      if (one && seenZero) return false;
      if (!one) seenZero = true;
    }
  }
  return true;
}

/** Whether `addr` lies in the network `net`/`mask` (same family only, as PostgreSQL does). */
export function addressInNetwork(addr: IpAddress, network: IpAddress, mask: number[]): boolean {
  if (addr.family !== network.family || mask.length !== addr.bytes.length) return false;
  for (let i = 0; i < mask.length; i++) {
    if (((addr.bytes[i]! ^ network.bytes[i]!) & mask[i]!) !== 0) return false;
  }
  return true;
}
