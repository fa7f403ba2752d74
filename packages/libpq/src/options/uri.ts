/**
 * Parser for libpq's connection URIs:
 *   postgresql://[user[:password]@][host][:port][,host[:port]…][/dbname][?key=value&…]
 *
 * Follows libpq's conninfo_uri_parse_options: credentials before '@', hosts separated by commas
 * ("[…]" for IPv6 literals), empty components left unset, percent-decoding of every component,
 * `ssl=true` meaning `sslmode=require`, and libpq's exact error texts.
 */
import { optionsError } from '../errors.js';
import { optionSpec, type OptionValues } from './keywords.js';

const PREFIXES = ['postgresql://', 'postgres://'];

/** Length of the URI scheme prefix, or 0 when `s` is not a URI. */
export function uriPrefixLength(s: string): number {
  for (const p of PREFIXES) if (s.startsWith(p)) return p.length;
  return 0;
}

function hexValue(c: string | undefined): number {
  if (c === undefined) return -1;
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** Decodes %XX escapes (bytes, then UTF-8); %00 and malformed escapes are errors. */
export function percentDecode(s: string): string {
  if (!s.includes('%')) return s;
  const bytes: number[] = [];
  const raw = Buffer.from(s, 'utf8');
  for (let i = 0; i < raw.length;) {
    const b = raw[i]!;
    if (b !== 0x25) {
      bytes.push(b);
      i++;
      continue;
    }
    const hi = hexValue(raw[i + 1] === undefined ? undefined : String.fromCharCode(raw[i + 1]!));
    const lo =
      hi < 0
        ? -1
        : hexValue(raw[i + 2] === undefined ? undefined : String.fromCharCode(raw[i + 2]!));
    if (hi < 0 || lo < 0) throw optionsError(`invalid percent-encoded token: "${s}"`);
    const c = (hi << 4) | lo;
    if (c === 0) throw optionsError(`forbidden value %00 in percent-encoded value: "${s}"`);
    bytes.push(c);
    i += 3;
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Characters a URI component may carry unencoded (RFC 3986 unreserved). */
export function percentEncode(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function parseQuery(params: string, out: OptionValues): void {
  let i = 0;
  while (i < params.length) {
    let keyEnd = -1;
    let j = i;
    for (;;) {
      const c = params[j];
      if (c === '=') {
        if (keyEnd >= 0) {
          throw optionsError(
            `extra key/value separator "=" in URI query parameter: "${params.slice(i, keyEnd)}"`,
          );
        }
        keyEnd = j;
        j++;
      } else if (c === '&' || c === undefined) {
        if (keyEnd < 0) {
          throw optionsError(
            `missing key/value separator "=" in URI query parameter: "${params.slice(i, j)}"`,
          );
        }
        break;
      } else {
        j++;
      }
    }
    let key = percentDecode(params.slice(i, keyEnd));
    let value = percentDecode(params.slice(keyEnd + 1, j));
    if (key === 'ssl' && value === 'true') {
      key = 'sslmode';
      value = 'require';
    }
    if (!optionSpec(key)) throw optionsError(`invalid URI query parameter: "${key}"`);
    out.set(key, value);
    i = j < params.length ? j + 1 : j;
  }
}

/** Parses a postgresql:// or postgres:// URI into option values. */
export function parseUri(uri: string): OptionValues {
  const out: OptionValues = new Map();
  const prefix = uriPrefixLength(uri);
  if (prefix === 0) {
    throw optionsError(`invalid URI propagated to internal parser routine: "${uri}"`);
  }
  let p = prefix;
  // Credentials: everything before an '@' that comes before the first '/'.
  let q = p;
  while (q < uri.length && uri[q] !== '@' && uri[q] !== '/') q++;
  if (uri[q] === '@') {
    let e = p;
    while (uri[e] !== ':' && uri[e] !== '@') e++;
    const user = uri.slice(p, e);
    if (user !== '') out.set('user', percentDecode(user));
    if (uri[e] === ':') {
      const pwStart = e + 1;
      e = pwStart;
      while (uri[e] !== '@') e++;
      const password = uri.slice(pwStart, e);
      if (password !== '') out.set('password', percentDecode(password));
    }
    p = e + 1;
  }
  let hosts = '';
  let ports = '';
  let terminator: string | undefined;
  for (;;) {
    let host: string;
    if (uri[p] === '[') {
      const start = ++p;
      while (p < uri.length && uri[p] !== ']') p++;
      if (p >= uri.length) {
        throw optionsError(
          `end of string reached when looking for matching "]" in IPv6 host address in URI: "${uri}"`,
        );
      }
      if (p === start) {
        throw optionsError(`IPv6 host address may not be empty in URI: "${uri}"`);
      }
      host = uri.slice(start, p);
      p++;
      const c = uri[p];
      if (c !== undefined && c !== ':' && c !== '/' && c !== '?' && c !== ',') {
        throw optionsError(
          `unexpected character "${c}" at position ${Buffer.byteLength(uri.slice(0, p)) + 1} in URI (expected ":" or "/"): "${uri}"`,
        );
      }
    } else {
      const start = p;
      while (p < uri.length && !':/?,'.includes(uri[p]!)) p++;
      host = uri.slice(start, p);
    }
    terminator = uri[p];
    hosts += host;
    if (terminator === ':') {
      const start = ++p;
      while (p < uri.length && !'/?,'.includes(uri[p]!)) p++;
      terminator = uri[p];
      ports += uri.slice(start, p);
    }
    if (terminator !== ',') break;
    p++;
    hosts += ',';
    ports += ',';
  }
  if (hosts !== '') out.set('host', percentDecode(hosts));
  if (ports !== '') out.set('port', percentDecode(ports));
  if (terminator !== undefined && terminator !== '?') {
    const start = ++p;
    while (p < uri.length && uri[p] !== '?') p++;
    terminator = uri[p];
    const dbname = uri.slice(start, p);
    if (dbname !== '') out.set('dbname', percentDecode(dbname));
  }
  if (terminator !== undefined) parseQuery(uri.slice(p + 1), out);
  return out;
}
