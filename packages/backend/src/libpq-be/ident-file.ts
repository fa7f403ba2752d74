/**
 * pg_ident.conf: user name maps (MAPNAME SYSTEM-USERNAME DATABASE-USERNAME) used by peer
 * authentication's `map=` option. A system name starting with `/` is a regular expression whose
 * first capture replaces `\1` in the database name, as in PostgreSQL.
 */
import { readFileSync } from 'node:fs';
import { AuthFileError, tokenizeAuthFile } from './auth-file-tokens.js';

export interface IdentEntry {
  map: string;
  /** Literal system user name, or a regex source when `regex` is true. */
  systemUser: string;
  regex: boolean;
  databaseUser: string;
  lineNumber: number;
}

export function parseIdent(
  content: string,
  file: string,
): { entries: IdentEntry[]; errors: AuthFileError[] } {
  const entries: IdentEntry[] = [];
  const errors: AuthFileError[] = [];
  let lines;
  try {
    lines = tokenizeAuthFile(content, file);
  } catch (err) {
    if (err instanceof AuthFileError) return { entries, errors: [err] };
    throw err;
  }
  for (const line of lines) {
    const [mapF, sysF, dbF] = line.fields;
    const fail = (m: string) => errors.push(new AuthFileError(m, line.file, line.lineNumber));
    if (!sysF || !dbF) {
      fail('missing entry at end of line');
      continue;
    }
    if (line.fields.length > 3 || mapF!.length > 1 || sysF.length > 1 || dbF.length > 1) {
      fail('multiple values in ident field');
      continue;
    }
    const sys = sysF[0]!;
    const regex = !sys.quoted && sys.text.startsWith('/');
    if (regex) {
      try {
        new RegExp(sys.text.slice(1));
      } catch (e) {
        fail(`invalid regular expression "${sys.text.slice(1)}": ${(e as Error).message}`);
        continue;
      }
    }
    entries.push({
      map: mapF![0]!.text,
      systemUser: regex ? sys.text.slice(1) : sys.text,
      regex,
      databaseUser: dbF[0]!.text,
      lineNumber: line.lineNumber,
    });
  }
  return { entries, errors };
}

export function loadIdentFile(file: string): { entries: IdentEntry[]; errors: AuthFileError[] } {
  let content = '';
  try {
    content = readFileSync(file, 'utf8');
  } catch {
    // PostgreSQL treats a missing pg_ident.conf as empty (with a log line).
  }
  return parseIdent(content, file);
}

/** Whether the map allows system user `systemUser` to connect as `databaseUser`. */
export function identMapAllows(
  entries: readonly IdentEntry[],
  map: string,
  systemUser: string,
  databaseUser: string,
): boolean {
  for (const e of entries) {
    if (e.map !== map) continue;
    if (e.regex) {
      const m = new RegExp(e.systemUser).exec(systemUser);
      if (!m) continue;
      const expected = e.databaseUser.includes('\\1')
        ? e.databaseUser.replace('\\1', m[1] ?? '')
        : e.databaseUser;
      if (expected === databaseUser) return true;
    } else if (e.systemUser === systemUser && e.databaseUser === databaseUser) {
      return true;
    }
  }
  return false;
}
