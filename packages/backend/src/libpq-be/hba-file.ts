/**
 * pg_hba.conf: parses records into rules (PostgreSQL's parse_hba_line), with PostgreSQL's error texts.
 * The postmaster parses the file at start and on SIGHUP (a file with errors keeps the old rules) and
 * hands the parsed rules to each backend with its connection, so a backend never re-reads the file.
 */
import { readFileSync } from 'node:fs';
import { AuthFileError, tokenizeAuthFile, type AuthToken } from './auth-file-tokens.js';
import { isContiguousMask, parseIpAddress, prefixMask, type IpAddress } from './ip-address.js';

export type HbaConnType =
  'local' | 'host' | 'hostssl' | 'hostnossl' | 'hostgssenc' | 'hostnogssenc';

export type HbaMethod = 'trust' | 'reject' | 'password' | 'md5' | 'scram-sha-256' | 'peer';

export type HbaAddress =
  | { kind: 'all' }
  | { kind: 'samehost' }
  | { kind: 'samenet' }
  | { kind: 'cidr'; network: IpAddress; mask: number[] }
  | { kind: 'hostname'; name: string };

export interface HbaRule {
  file: string;
  lineNumber: number;
  rawLine: string;
  connType: HbaConnType;
  databases: AuthToken[];
  users: AuthToken[];
  /** Absent for `local`. */
  address?: HbaAddress;
  method: HbaMethod;
  options: Record<string, string>;
}

const connTypes: readonly string[] = [
  'local',
  'host',
  'hostssl',
  'hostnossl',
  'hostgssenc',
  'hostnogssenc',
];
const supportedMethods: readonly string[] = [
  'trust',
  'reject',
  'password',
  'md5',
  'scram-sha-256',
  'peer',
];
/** Methods PostgreSQL knows that this build does not implement. */
const knownUnsupported: readonly string[] = [
  'gss',
  'sspi',
  'ident',
  'pam',
  'ldap',
  'radius',
  'cert',
  'bsd',
];

interface ParseResult {
  rules: HbaRule[];
  errors: AuthFileError[];
  /** Non-fatal remarks PostgreSQL logs (e.g. a hostssl line while ssl is off). */
  warnings: string[];
}

function single(field: AuthToken[] | undefined): AuthToken | undefined {
  return field?.[0];
}

/** Parses pg_hba.conf text. `sslEnabled` only affects a warning, as in PostgreSQL. */
export function parseHba(content: string, file: string, sslEnabled = true): ParseResult {
  const rules: HbaRule[] = [];
  const errors: AuthFileError[] = [];
  const warnings: string[] = [];
  let lines;
  try {
    lines = tokenizeAuthFile(content, file);
  } catch (err) {
    if (err instanceof AuthFileError) return { rules, errors: [err], warnings };
    throw err;
  }
  for (const line of lines) {
    const fail = (message: string) => new AuthFileError(message, line.file, line.lineNumber);
    try {
      const [typeField, dbField, userField, ...rest] = line.fields;
      const typeTok = single(typeField)!;
      if (typeField!.length > 1) throw fail('multiple values specified for connection type');
      if (!connTypes.includes(typeTok.text) || typeTok.quoted) {
        throw fail(`invalid connection type "${typeTok.text}"`);
      }
      const connType = typeTok.text as HbaConnType;
      if (connType === 'hostssl' && !sslEnabled) {
        warnings.push(
          `hostssl record cannot match because SSL is disabled (line ${line.lineNumber} of configuration file "${line.file}")`,
        );
      }
      if (!dbField) throw fail('end-of-line before database specification');
      if (!userField) throw fail('end-of-line before role specification');
      let fieldIndex = 0;
      let address: HbaAddress | undefined;
      if (connType !== 'local') {
        const addrField = rest[fieldIndex++];
        if (!addrField) throw fail('end-of-line before IP address specification');
        if (addrField.length > 1) throw fail('multiple values specified for host address');
        const tok = addrField[0]!;
        if (!tok.quoted && tok.text === 'all') address = { kind: 'all' };
        else if (!tok.quoted && tok.text === 'samehost') address = { kind: 'samehost' };
        else if (!tok.quoted && tok.text === 'samenet') address = { kind: 'samenet' };
        else {
          const slash = tok.text.indexOf('/');
          const hostPart = slash >= 0 ? tok.text.slice(0, slash) : tok.text;
          const ip = parseIpAddress(hostPart);
          if (!ip) {
            if (slash >= 0) {
              throw fail(`specifying both host name and CIDR mask is invalid: "${tok.text}"`);
            }
            if (!/^[A-Za-z0-9.-]+$/.test(hostPart)) {
              throw fail(`invalid IP address "${hostPart}": Name or service not known`);
            }
            address = { kind: 'hostname', name: hostPart };
          } else if (slash >= 0) {
            const bitsText = tok.text.slice(slash + 1);
            const mask = /^\d+$/.test(bitsText)
              ? prefixMask(ip.family, Number(bitsText))
              : undefined;
            if (!mask) throw fail(`invalid CIDR mask in address "${tok.text}"`);
            address = { kind: 'cidr', network: ip, mask };
          } else {
            const maskField = rest[fieldIndex++];
            if (!maskField) throw fail('end-of-line before netmask specification');
            if (maskField.length > 1) throw fail('multiple values specified for netmask');
            const maskTok = maskField[0]!;
            const maskIp = parseIpAddress(maskTok.text);
            if (!maskIp || !isContiguousMask(maskIp.bytes)) {
              throw fail(`invalid IP mask "${maskTok.text}": Name or service not known`);
            }
            if (maskIp.family !== ip.family) throw fail('IP address and mask do not match');
            address = { kind: 'cidr', network: ip, mask: maskIp.bytes };
          }
        }
      }
      const methodField = rest[fieldIndex++];
      if (!methodField) throw fail('end-of-line before authentication method');
      if (methodField.length > 1) throw fail('multiple values specified for authentication type');
      const methodText = methodField[0]!.text;
      if (knownUnsupported.includes(methodText)) {
        throw fail(`invalid authentication method "${methodText}": not supported by this build`);
      }
      if (!supportedMethods.includes(methodText)) {
        throw fail(`invalid authentication method "${methodText}"`);
      }
      const method = methodText as HbaMethod;
      if (method === 'peer' && connType !== 'local') {
        throw fail('peer authentication is only supported on local sockets');
      }
      const options: Record<string, string> = {};
      for (const optField of rest.slice(fieldIndex)) {
        for (const opt of optField) {
          const eq = opt.text.indexOf('=');
          if (eq < 0) throw fail(`authentication option not in name=value format: ${opt.text}`);
          const name = opt.text.slice(0, eq);
          const value = opt.text.slice(eq + 1);
          if (name === 'map') {
            if (method !== 'peer') {
              throw fail(
                `authentication option "map" is only valid for authentication methods gssapi, ident, peer, sspi, and cert`,
              );
            }
          } else if (name === 'clientcert') {
            if (connType !== 'hostssl') {
              throw fail('clientcert can only be configured for "hostssl" rows');
            }
            if (value !== 'verify-ca' && value !== 'verify-full') {
              throw fail(`invalid value for clientcert: "${value}"`);
            }
          } else {
            throw fail(`unrecognized authentication option name: "${name}"`);
          }
          options[name] = value;
        }
      }
      rules.push({
        file: line.file,
        lineNumber: line.lineNumber,
        rawLine: line.rawLine,
        connType,
        databases: dbField,
        users: userField,
        ...(address ? { address } : {}),
        method,
        options,
      });
    } catch (err) {
      if (err instanceof AuthFileError) errors.push(err);
      else throw err;
    }
  }
  return { rules, errors, warnings };
}

/** Reads and parses a pg_hba.conf file; throws when it cannot be read. */
export function loadHbaFile(file: string, sslEnabled = true): ParseResult {
  return parseHba(readFileSync(file, 'utf8'), file, sslEnabled);
}
