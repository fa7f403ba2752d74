/**
 * From what the user wrote to what a connection attempt needs, in libpq's order:
 *   1. parse the connection string (URI or key=value) or take the options object;
 *   2. fill unset options from the service file (service / PGSERVICE);
 *   3. then from PG* environment variables, then from compiled-in defaults (user = OS user);
 *   4. derive the host list (host / hostaddr / port, comma separated), dbname = user, passwords
 *      from the password file, and validate enumerated options with libpq's error texts.
 */
import path from 'node:path';
import { optionsError } from '../errors.js';
import { processEnvironment, type OptionEnvironment } from './environment.js';
import { OPTION_SPECS, optionSpec, type OptionValues } from './keywords.js';
import { parseKeyValueString } from './keyvalue.js';
import { passwordFromFile } from './pgpass.js';
import { applyService } from './service-file.js';
import { parseUri, uriPrefixLength } from './uri.js';

/** Option values as an object: keyword → value (numbers and booleans are stringified). */
export type ConnectionOptionsObject = { [keyword: string]: string | number | boolean | undefined };

/** What `connect()` and friends accept: a URI, a key=value string, or an options object. */
export type ConnectionOptionsInput = string | ConnectionOptionsObject;

/** Parses a connection string: a postgresql:// URI or a key=value string. */
export function parseConnectionString(s: string): OptionValues {
  return uriPrefixLength(s) > 0 ? parseUri(s) : parseKeyValueString(s);
}

/** Does a dbname value look like a connection string that should be expanded? */
function isConnectionString(s: string): boolean {
  return uriPrefixLength(s) > 0 || s.includes('=');
}

/** Step 1: explicit option values only (no service, environment or defaults). */
export function parseOptions(input: ConnectionOptionsInput): OptionValues {
  if (typeof input === 'string') return parseConnectionString(input);
  const out: OptionValues = new Map();
  for (const [key, raw] of Object.entries(input)) {
    if (raw === undefined) continue;
    if (!optionSpec(key)) throw optionsError(`invalid connection option "${key}"`);
    const value = typeof raw === 'boolean' ? (raw ? '1' : '0') : String(raw);
    if (key === 'dbname' && isConnectionString(value)) {
      // As PQconnectdbParams with expand_dbname: the embedded string's options apply.
      for (const [k, v] of parseConnectionString(value)) out.set(k, v);
      continue;
    }
    out.set(key, value);
  }
  return out;
}

/** Steps 2–3: every option with its effective value (unset ones absent), like PQconninfoParse + defaults. */
export function withDefaults(values: OptionValues, envi: OptionEnvironment): OptionValues {
  const out: OptionValues = new Map(values);
  const service = out.get('service') ?? envi.env['PGSERVICE'];
  if (service !== undefined && service !== '') applyService(service, out, envi);
  for (const spec of OPTION_SPECS) {
    if (out.has(spec.keyword)) continue;
    const fromEnv = spec.envvar !== null ? envi.env[spec.envvar] : undefined;
    if (fromEnv !== undefined) out.set(spec.keyword, fromEnv);
    else if (spec.compiled !== null) out.set(spec.keyword, spec.compiled);
    else if (spec.keyword === 'user' && envi.osUser !== '') out.set('user', envi.osUser);
  }
  return out;
}

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
export type ChannelBinding = 'disable' | 'prefer' | 'require';
export type TargetSessionAttrs =
  'any' | 'read-write' | 'read-only' | 'primary' | 'standby' | 'prefer-standby';
export type AuthMethodName = 'password' | 'md5' | 'gss' | 'sspi' | 'scram-sha-256' | 'none';

/** One place to try: a Unix socket directory or a TCP host (name and/or address) and port. */
export interface HostTarget {
  type: 'unix' | 'tcp';
  /** As written in `host` (socket directory or name); '' when only hostaddr was given. */
  host: string;
  /** Numeric address to connect to instead of resolving `host`; '' if none. */
  hostaddr: string;
  port: number;
  /** The password for this host: the `password` option, else the password file's. */
  password: string | undefined;
  /** Set when the password came from the password file (libpq mentions it on failure). */
  passwordFile?: string;
}

/** require_auth, parsed: the allowed methods (a negated list is turned into its complement). */
export interface RequireAuth {
  allowed: ReadonlySet<AuthMethodName>;
  /** The option's text, for error messages. */
  text: string;
}

/** Everything a connection attempt needs, validated. */
export interface ResolvedOptions {
  /** All effective option values by keyword (unset ones absent). */
  values: OptionValues;
  hosts: HostTarget[];
  user: string;
  dbname: string;
  sslmode: SslMode;
  channelBinding: ChannelBinding;
  targetSessionAttrs: TargetSessionAttrs;
  loadBalanceHosts: boolean;
  requireAuth: RequireAuth | null;
  /** Seconds, 0 = wait forever (libpq raises 1 to 2). */
  connectTimeout: number;
}

const SSL_MODES: readonly SslMode[] = [
  'disable',
  'allow',
  'prefer',
  'require',
  'verify-ca',
  'verify-full',
];
const CHANNEL_BINDINGS: readonly ChannelBinding[] = ['disable', 'prefer', 'require'];
const TARGET_ATTRS: readonly TargetSessionAttrs[] = [
  'any',
  'read-write',
  'read-only',
  'primary',
  'standby',
  'prefer-standby',
];
const AUTH_METHODS: readonly AuthMethodName[] = [
  'password',
  'md5',
  'gss',
  'sspi',
  'scram-sha-256',
  'none',
];

function oneOf<T extends string>(keyword: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw optionsError(`invalid ${keyword} value: "${value}"`);
}

/** libpq's parse_int_param: optional whitespace, an optional sign, digits, optional whitespace. */
export function parseIntOption(value: string, keyword: string): number {
  const m = /^\s*([+-]?\d+)\s*$/.exec(value);
  const n = m ? Number(m[1]) : NaN;
  if (!m || !Number.isSafeInteger(n) || n > 2147483647 || n < -2147483648) {
    throw optionsError(`invalid integer value "${value}" for connection option "${keyword}"`);
  }
  return n;
}

function parsePort(value: string): number {
  const m = /^\s*(\d+)\s*$/.exec(value);
  const n = m ? Number(m[1]) : NaN;
  if (!m || n < 1 || n > 65535) throw optionsError(`invalid port number: "${value}"`);
  return n;
}

function parseRequireAuth(text: string): RequireAuth {
  const items = text.split(',');
  const negated = items[0]!.startsWith('!');
  const seen = new Set<AuthMethodName>();
  for (const item of items) {
    const neg = item.startsWith('!');
    const name = neg ? item.slice(1) : item;
    if (neg !== negated) {
      throw optionsError(
        neg
          ? `negative require_auth method "${name}" cannot be mixed with non-negative methods`
          : `require_auth method "${name}" cannot be mixed with negative methods`,
      );
    }
    if (!(AUTH_METHODS as readonly string[]).includes(name)) {
      throw optionsError(`invalid require_auth value: "${name}"`);
    }
    const method = name as AuthMethodName;
    if (seen.has(method)) {
      throw optionsError(`require_auth method "${name}" is specified more than once`);
    }
    seen.add(method);
  }
  const allowed = negated ? new Set(AUTH_METHODS.filter((m) => !seen.has(m))) : seen;
  return { allowed, text };
}

function splitList(value: string | undefined): string[] {
  return value === undefined || value === '' ? [] : value.split(',');
}

/** Step 4: hosts, defaults that depend on other options, passwords, validation. */
export function resolveOptions(
  input: ConnectionOptionsInput,
  envi: OptionEnvironment = processEnvironment(),
): ResolvedOptions {
  const values = withDefaults(parseOptions(input), envi);
  const hostList = splitList(values.get('host'));
  const addrList = splitList(values.get('hostaddr'));
  let count: number;
  if (addrList.length > 0) {
    if (hostList.length > 0 && hostList.length !== addrList.length) {
      throw optionsError(
        `could not match ${hostList.length} host names to ${addrList.length} hostaddr values`,
      );
    }
    count = addrList.length;
  } else {
    count = Math.max(1, hostList.length);
  }
  const portList = splitList(values.get('port'));
  if (portList.length > 1 && portList.length !== count) {
    throw optionsError(`could not match ${portList.length} port numbers to ${count} hosts`);
  }
  const user = values.get('user') ?? '';
  let dbname = values.get('dbname') ?? '';
  if (dbname === '') dbname = user;
  values.set('dbname', dbname);

  const channelBinding = oneOf(
    'channel_binding',
    values.get('channel_binding') ?? 'prefer',
    CHANNEL_BINDINGS,
  );
  const sslmode = oneOf('sslmode', values.get('sslmode') ?? 'prefer', SSL_MODES);
  const gssencmode = values.get('gssencmode') ?? 'prefer';
  oneOf('gssencmode', gssencmode, ['disable', 'prefer', 'require']);
  if (gssencmode === 'require') {
    throw optionsError('gssencmode value "require" invalid when GSSAPI support is not compiled in');
  }
  for (const k of ['ssl_min_protocol_version', 'ssl_max_protocol_version']) {
    const v = values.get(k);
    if (v !== undefined && v !== '' && !['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'].includes(v)) {
      throw optionsError(`invalid ${k} value: "${v}"`);
    }
  }
  const targetSessionAttrs = oneOf(
    'target_session_attrs',
    values.get('target_session_attrs') ?? 'any',
    TARGET_ATTRS,
  );
  const loadBalance = oneOf('load_balance_hosts', values.get('load_balance_hosts') ?? 'disable', [
    'disable',
    'random',
  ]);
  const requireAuthText = values.get('require_auth');
  const requireAuth =
    requireAuthText === undefined || requireAuthText === ''
      ? null
      : parseRequireAuth(requireAuthText);
  const timeoutText = values.get('connect_timeout');
  let connectTimeout = 0;
  if (timeoutText !== undefined && timeoutText !== '') {
    connectTimeout = parseIntOption(timeoutText, 'connect_timeout');
    if (connectTimeout <= 0) connectTimeout = 0;
    else if (connectTimeout === 1) connectTimeout = 2;
  }

  const password = values.get('password');
  const passfile =
    values.get('passfile') ||
    (envi.homedir !== null ? path.join(envi.homedir, '.pgpass') : undefined);
  // As libpq, the effective password file is reported by PQconninfo even when unused.
  if (passfile !== undefined) values.set('passfile', passfile);
  const hosts: HostTarget[] = [];
  for (let i = 0; i < count; i++) {
    const host = hostList[i] ?? '';
    const hostaddr = addrList[i] ?? '';
    const portText =
      portList.length === 0 ? '5432' : portList.length === 1 ? portList[0]! : portList[i]!;
    const port = portText === '' ? 5432 : parsePort(portText);
    let type: 'unix' | 'tcp';
    let name = host;
    if (hostaddr !== '') type = 'tcp';
    else if (host === '') {
      type = 'unix';
      name = envi.defaultSocketDir;
    } else type = host.startsWith('/') ? 'unix' : 'tcp';
    const target: HostTarget = { type, host: name, hostaddr, port, password };
    if ((password === undefined || password === '') && passfile !== undefined) {
      const pw = passwordFromFile(
        passfile,
        { host: name || hostaddr, port: String(port), dbname, user },
        envi.defaultSocketDir,
        envi.warn,
      );
      if (pw !== undefined) {
        target.password = pw;
        target.passwordFile = passfile;
      }
    }
    hosts.push(target);
  }
  return {
    values,
    hosts,
    user,
    dbname,
    sslmode,
    channelBinding,
    targetSessionAttrs,
    loadBalanceHosts: loadBalance === 'random',
    requireAuth,
    connectTimeout,
  };
}
