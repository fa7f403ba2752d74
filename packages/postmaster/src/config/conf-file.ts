/**
 * postgresql.conf syntax (PostgreSQL's guc-file.l): one `name = value` per line (the `=` is
 * optional), `#` comments, values unquoted (identifiers, numbers with units) or single-quoted with
 * '' and backslash escapes, and the directives include / include_if_exists / include_dir, whose
 * relative paths are taken from the including file's directory. Later settings win.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export interface ConfEntry {
  name: string;
  value: string;
  file: string;
  line: number;
}

export class ConfFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfFileError';
  }
}

const MAX_DEPTH = 10;

function unescapeQuoted(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === "'" && body[i + 1] === "'") {
      out += "'";
      i++;
    } else if (c === '\\' && i + 1 < body.length) {
      const n = body[++i]!;
      const simple: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (simple[n] !== undefined) out += simple[n];
      else if (/[0-7]/.test(n)) {
        let oct = n;
        while (oct.length < 3 && /[0-7]/.test(body[i + 1] ?? '')) oct += body[++i];
        out += String.fromCharCode(parseInt(oct, 8));
      } else out += n;
    } else out += c;
  }
  return out;
}

/** Parses one file's text into entries, following include directives. */
export function parseConf(content: string, file: string, depth = 0): ConfEntry[] {
  if (depth > MAX_DEPTH) {
    throw new ConfFileError(
      `could not open configuration file "${file}": maximum nesting depth exceeded`,
    );
  }
  const entries: ConfEntry[] = [];
  const lines = content.split('\n');
  const lineRe =
    /^\s*([A-Za-z_][A-Za-z0-9_$.-]*)\s*(=\s*|\s+)?('(?:[^'\\]|''|\\.)*'|[^\s#']+)?\s*(#.*)?$/s;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.replace(/\r$/, '');
    if (/^\s*(#.*)?$/.test(text)) continue;
    const m = lineRe.exec(text);
    const lineNo = i + 1;
    if (!m) {
      const near = /^\s*([^\s=]+)\s*=?\s*(\S+)?/.exec(text);
      const token = near?.[2] ?? near?.[1];
      throw new ConfFileError(
        token !== undefined
          ? `syntax error in file "${file}" line ${lineNo}, near token "${token}"`
          : `syntax error in file "${file}" line ${lineNo}, near end of line`,
      );
    }
    const name = m[1]!;
    const rawValue = m[3];
    if (rawValue === undefined) {
      throw new ConfFileError(`syntax error in file "${file}" line ${lineNo}, near end of line`);
    }
    const value = rawValue.startsWith("'") ? unescapeQuoted(rawValue.slice(1, -1)) : rawValue;
    const lower = name.toLowerCase();
    if (lower === 'include' || lower === 'include_if_exists' || lower === 'include_dir') {
      const target = path.resolve(path.dirname(file), value);
      if (lower === 'include_dir') {
        if (!existsSync(target) || !statSync(target).isDirectory()) {
          throw new ConfFileError(
            `could not open configuration directory "${target}": No such file or directory`,
          );
        }
        const names = readdirSync(target)
          .filter((f) => f.endsWith('.conf') && !f.startsWith('.'))
          .sort();
        for (const f of names) entries.push(...loadConfFile(path.join(target, f), depth + 1));
      } else if (existsSync(target)) {
        entries.push(...loadConfFile(target, depth + 1));
      } else if (lower === 'include') {
        throw new ConfFileError(
          `could not open configuration file "${target}": No such file or directory`,
        );
      }
      continue;
    }
    entries.push({ name, value, file, line: lineNo });
  }
  return entries;
}

export function loadConfFile(file: string, depth = 0): ConfEntry[] {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'No such file or directory'
        : (err as Error).message;
    throw new ConfFileError(`could not open configuration file "${file}": ${reason}`);
  }
  return parseConf(content, file, depth);
}
