/**
 * Chooses the pg_hba.conf rule for a connection (PostgreSQL's check_hba): the first rule whose
 * connection type, database, role and client address all match. No match means an implicit reject.
 */
import { lookup, reverse } from 'node:dns/promises';
import os from 'node:os';
import type { AuthToken } from './auth-file-tokens.js';
import type { HbaAddress, HbaRule } from './hba-file.js';
import { addressInNetwork, clientIpAddress, parseIpAddress, type IpAddress } from './ip-address.js';

export interface HbaConnection {
  /** Unix-domain socket ("local") or TCP ("host*"). */
  local: boolean;
  /** The client's IP address as Node reports it (TCP only). */
  remoteAddress?: string;
  ssl: boolean;
  database: string;
  user: string;
  replication: boolean;
}

/** Whether `role` is a member of `group` (directly or not); a role is a member of itself. */
export type MembershipCheck = (role: string, group: string) => boolean;

const selfMember: MembershipCheck = (role, group) => role === group;

function matchDatabase(
  tokens: AuthToken[],
  conn: HbaConnection,
  isMember: MembershipCheck,
): boolean {
  for (const tok of tokens) {
    if (conn.replication) {
      // A replication connection only matches the "replication" keyword.
      if (!tok.quoted && tok.text === 'replication') return true;
      continue;
    }
    if (!tok.quoted) {
      if (tok.text === 'all') return true;
      if (tok.text === 'sameuser') {
        if (conn.database === conn.user) return true;
        continue;
      }
      if (tok.text === 'samerole' || tok.text === 'samegroup') {
        if (isMember(conn.user, conn.database)) return true;
        continue;
      }
      if (tok.text === 'replication') continue;
    }
    if (tok.text === conn.database) return true;
  }
  return false;
}

function matchRole(tokens: AuthToken[], user: string, isMember: MembershipCheck): boolean {
  for (const tok of tokens) {
    if (!tok.quoted && tok.text.startsWith('+')) {
      if (isMember(user, tok.text.slice(1))) return true;
    } else if (!tok.quoted && tok.text === 'all') {
      return true;
    } else if (tok.text === user) {
      return true;
    }
  }
  return false;
}

/** Addresses and netmasks of this host's interfaces (for samehost / samenet). */
function ownInterfaces(): Array<{ address: IpAddress; mask: number[] }> {
  const out: Array<{ address: IpAddress; mask: number[] }> = [];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const info of list ?? []) {
      const address = parseIpAddress(info.address);
      const mask = parseIpAddress(info.netmask);
      if (address && mask && address.family === mask.family)
        out.push({ address, mask: mask.bytes });
    }
  }
  return out;
}

async function hostnameMatches(pattern: string, client: IpAddress, text: string): Promise<boolean> {
  let names: string[];
  try {
    names = await reverse(text);
  } catch {
    return false;
  }
  const wanted = pattern.toLowerCase();
  for (const name of names) {
    const lower = name.toLowerCase();
    const ok = wanted.startsWith('.') ? lower.endsWith(wanted) : lower === wanted;
    if (!ok) continue;
    // Forward-confirm the name, as PostgreSQL does, so a forged PTR record cannot match.
    try {
      const forward = await lookup(name, { all: true });
      if (forward.some((f) => clientIpAddress(f.address)?.bytes.join() === client.bytes.join())) {
        return true;
      }
    } catch {
      // no forward record: no match
    }
  }
  return false;
}

async function matchAddress(address: HbaAddress, remote: string): Promise<boolean> {
  const client = clientIpAddress(remote);
  if (!client) return false;
  const full = (n: number) => Array<number>(n).fill(0xff);
  switch (address.kind) {
    case 'all':
      return true;
    case 'cidr':
      return addressInNetwork(client, address.network, address.mask);
    case 'samehost':
      return ownInterfaces().some((i) =>
        addressInNetwork(client, i.address, full(i.address.bytes.length)),
      );
    case 'samenet':
      return ownInterfaces().some((i) => addressInNetwork(client, i.address, i.mask));
    case 'hostname':
      return hostnameMatches(address.name, client, remote);
  }
}

/** The first matching rule, or undefined (an implicit reject). */
export async function findHbaRule(
  rules: readonly HbaRule[],
  conn: HbaConnection,
  isMember: MembershipCheck = selfMember,
): Promise<HbaRule | undefined> {
  for (const rule of rules) {
    if (conn.local) {
      if (rule.connType !== 'local') continue;
    } else {
      if (rule.connType === 'local') continue;
      if (rule.connType === 'hostssl' && !conn.ssl) continue;
      if (rule.connType === 'hostnossl' && conn.ssl) continue;
      // No GSSAPI encryption in this build: hostgssenc never matches, hostnogssenc always does.
      if (rule.connType === 'hostgssenc') continue;
      if (!rule.address || conn.remoteAddress === undefined) continue;
      if (!(await matchAddress(rule.address, conn.remoteAddress))) continue;
    }
    if (!matchDatabase(rule.databases, conn, isMember)) continue;
    if (!matchRole(rule.users, conn.user, isMember)) continue;
    return rule;
  }
  return undefined;
}
