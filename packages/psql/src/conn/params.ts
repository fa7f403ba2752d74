// Resolves where to connect, as libpq does for psql: explicit options, then a conninfo string or
// postgresql:// URI given as the database name, then PG* environment variables, then defaults;
// the password may come from PGPASSWORD or ~/.pgpass.
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import type { ConnectParams } from './session.js';

export const DEFAULT_SOCKET_DIR = '/var/run/postgresql';

export interface ConnectRequest {
  host?: string | undefined;
  port?: string | undefined;
  user?: string | undefined;
  dbname?: string | undefined;
}

function parseConninfo(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s.charAt(i))) i++;
    const eq = s.indexOf('=', i);
    if (eq < 0) break;
    const key = s.slice(i, eq).trim();
    i = eq + 1;
    while (i < s.length && /\s/.test(s.charAt(i))) i++;
    let value = '';
    if (s.charAt(i) === "'") {
      i++;
      while (i < s.length && s.charAt(i) !== "'") {
        if (s.charAt(i) === '\\') i++;
        value += s.charAt(i);
        i++;
      }
      i++;
    } else {
      while (i < s.length && !/\s/.test(s.charAt(i))) {
        if (s.charAt(i) === '\\') i++;
        value += s.charAt(i);
        i++;
      }
    }
    out[key] = value;
  }
  return out;
}

function parseUri(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  const rest = s.replace(/^postgres(ql)?:\/\//, '');
  const [main = '', query = ''] = rest.split('?', 2);
  const slash = main.indexOf('/');
  const authority = slash < 0 ? main : main.slice(0, slash);
  const db = slash < 0 ? '' : main.slice(slash + 1);
  const at = authority.lastIndexOf('@');
  const userinfo = at < 0 ? '' : authority.slice(0, at);
  const hostport = at < 0 ? authority : authority.slice(at + 1);
  if (userinfo) {
    const colon = userinfo.indexOf(':');
    out.user = decodeURIComponent(colon < 0 ? userinfo : userinfo.slice(0, colon));
    if (colon >= 0) out.password = decodeURIComponent(userinfo.slice(colon + 1));
  }
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostport);
  if (m?.[1]) out.host = decodeURIComponent(m[1].replace(/^\[|\]$/g, ''));
  if (m?.[2]) out.port = m[2];
  if (db) out.dbname = decodeURIComponent(db);
  for (const kv of query.split('&')) {
    if (!kv) continue;
    const e = kv.indexOf('=');
    out[decodeURIComponent(kv.slice(0, e))] = decodeURIComponent(kv.slice(e + 1));
  }
  return out;
}

export function isConnString(s: string): boolean {
  return /^postgres(ql)?:\/\//.test(s) || s.includes('=');
}

/** Looks up ~/.pgpass (or PGPASSFILE) for a password. */
export function passwordFromPgpass(p: ConnectParams, env: NodeJS.ProcessEnv): string | undefined {
  const file = env.PGPASSFILE ?? path.join(os.homedir(), '.pgpass');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const host = p.host.startsWith('/') ? 'localhost' : p.host;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const fields: string[] = [];
    let cur = '';
    for (let i = 0; i < line.length; i++) {
      const ch = line.charAt(i);
      if (ch === '\\' && i + 1 < line.length) cur += line.charAt(++i);
      else if (ch === ':' && fields.length < 4) {
        fields.push(cur);
        cur = '';
      } else cur += ch;
    }
    fields.push(cur);
    const [h, port, db, user, pw] = fields;
    const match = (pattern: string | undefined, v: string): boolean =>
      pattern === '*' || pattern === v;
    if (
      match(h, host) &&
      match(port, String(p.port)) &&
      match(db, p.database) &&
      match(user, p.user) &&
      pw !== undefined
    )
      return pw;
  }
  return undefined;
}

/** Combines options, a conninfo/URI dbname, the environment and defaults. */
export function resolveConnectParams(req: ConnectRequest, env: NodeJS.ProcessEnv): ConnectParams {
  let info: Record<string, string> = {};
  let dbname = req.dbname;
  if (dbname !== undefined && isConnString(dbname)) {
    info = /^postgres(ql)?:\/\//.test(dbname) ? parseUri(dbname) : parseConninfo(dbname);
    dbname = undefined;
  }
  const user = req.user ?? info.user ?? env.PGUSER ?? os.userInfo().username;
  const hostList = req.host ?? info.host ?? env.PGHOST ?? DEFAULT_SOCKET_DIR;
  const host = hostList.split(',')[0] || DEFAULT_SOCKET_DIR;
  const portText = req.port ?? info.port ?? env.PGPORT ?? '5432';
  const params: ConnectParams = {
    host,
    port: Number((portText.split(',')[0] ?? '5432') || '5432'),
    user,
    database: dbname ?? info.dbname ?? env.PGDATABASE ?? user,
    applicationName: info.application_name ?? env.PGAPPNAME ?? 'psql',
    clientEncoding: info.client_encoding ?? env.PGCLIENTENCODING ?? 'UTF8',
  };
  const options = info.options ?? env.PGOPTIONS;
  if (options !== undefined) params.options = options;
  const password = info.password ?? env.PGPASSWORD;
  if (password !== undefined) params.password = password;
  return params;
}
