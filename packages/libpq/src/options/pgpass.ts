/**
 * The password file (~/.pgpass or $PGPASSFILE): lines of hostname:port:database:username:password,
 * '*' matching anything, backslash escaping ':' and '\'. As libpq, a file readable by group or
 * others is ignored with a warning, and a Unix-socket connection to the default socket directory
 * (or with no host at all) matches the host name "localhost".
 */
import { readFileSync, statSync } from 'node:fs';

export interface PgpassQuery {
  host: string;
  port: string;
  dbname: string;
  user: string;
}

/** Does one (escaped) field of a line match `value`? Returns the index after the field, or -1. */
function matchField(line: string, start: number, value: string): number {
  if (line[start] === '*' && line[start + 1] === ':') return start + 2;
  let i = start;
  let j = 0;
  while (i < line.length && line[i] !== ':') {
    if (line[i] === '\\' && i + 1 < line.length) i++;
    if (j >= value.length || line[i] !== value[j]) return -1;
    i++;
    j++;
  }
  return line[i] === ':' && j === value.length ? i + 1 : -1;
}

function unescapePassword(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) i++;
    out += s[i];
  }
  return out;
}

/** Finds the password for a connection in the password file text. */
export function lookupPgpass(text: string, q: PgpassQuery): string | undefined {
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line === '' || line.startsWith('#')) continue;
    let at = matchField(line, 0, q.host);
    if (at < 0) continue;
    at = matchField(line, at, q.port);
    if (at < 0) continue;
    at = matchField(line, at, q.dbname);
    if (at < 0) continue;
    at = matchField(line, at, q.user);
    if (at < 0) continue;
    return unescapePassword(line.slice(at));
  }
  return undefined;
}

/**
 * Reads the password for `q` from `file`, or undefined. `defaultSocketDir` is the socket directory
 * that counts as "localhost".
 */
export function passwordFromFile(
  file: string,
  q: PgpassQuery,
  defaultSocketDir: string,
  warn: (message: string) => void,
): string | undefined {
  if (q.dbname === '' || q.user === '') return undefined;
  let host = q.host;
  if (host === '' || (host.startsWith('/') && host === defaultSocketDir)) host = 'localhost';
  const port = q.port === '' ? '5432' : q.port;
  let st;
  try {
    st = statSync(file);
  } catch {
    return undefined;
  }
  if (!st.isFile()) {
    warn(`WARNING: password file "${file}" is not a plain file`);
    return undefined;
  }
  if ((st.mode & 0o077) !== 0) {
    warn(
      `WARNING: password file "${file}" has group or world access; permissions should be u=rw (0600) or less`,
    );
    return undefined;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return lookupPgpass(text, { ...q, host, port });
}
