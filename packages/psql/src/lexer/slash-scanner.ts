// psql's lexer for backslash meta-commands (its psqlscanslash): reads the command name, then its
// arguments one at a time in the mode each command asks for — plain tokens with '...' quoting and
// escapes, "..." kept or case-folded as SQL identifiers, `shell` substitution, :var interpolation,
// a |pipe or the whole rest of the line — and stops at the next backslash or a \\ separator.
import { execSync } from 'node:child_process';
import type { VariableLookup } from './sql-scanner.js';
import { substituteVariable } from './sql-scanner.js';

export type ArgMode = 'normal' | 'sqlid' | 'filepipe';

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v';
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', b: '\b', r: '\r', f: '\f' };

/** Decodes the inside of a '...' argument: '' and backslash escapes (octal, \xHH). */
function unescapeQuoted(line: string, start: number): { text: string; end: number } | null {
  let out = '';
  let i = start;
  while (i < line.length) {
    const ch = line.charAt(i);
    if (ch === "'") {
      if (line.charAt(i + 1) === "'") {
        out += "'";
        i += 2;
        continue;
      }
      return { text: out, end: i + 1 };
    }
    if (ch === '\\' && i + 1 < line.length) {
      const c = line.charAt(i + 1);
      const esc = ESCAPES[c];
      if (esc !== undefined) {
        out += esc;
        i += 2;
      } else if (/[0-7]/.test(c)) {
        const m = /^[0-7]{1,3}/.exec(line.slice(i + 1))?.[0] ?? '0';
        out += String.fromCharCode(parseInt(m, 8));
        i += 1 + m.length;
      } else if (c === 'x' && /[0-9A-Fa-f]/.test(line.charAt(i + 2))) {
        const m = /^[0-9A-Fa-f]{1,2}/.exec(line.slice(i + 2))?.[0] ?? '0';
        out += String.fromCharCode(parseInt(m, 16));
        i += 2 + m.length;
      } else {
        out += c;
        i += 2;
      }
      continue;
    }
    out += ch;
    i++;
  }
  return null;
}

export class SlashCommandScanner {
  /** Problems found while reading (e.g. an unterminated quoted string). */
  readonly errors: string[] = [];

  constructor(
    private readonly line: string,
    /** Index just after the command name. */
    public pos: number,
    private readonly vars: VariableLookup | null,
  ) {}

  /** Reads the command name that starts at the backslash at `at`. */
  static commandName(line: string, at: number): { name: string; end: number } {
    let i = at + 1;
    // "\\" alone is the separator; any other command name runs to whitespace or a backslash.
    while (i < line.length && !isSpace(line.charAt(i)) && line.charAt(i) !== '\\') i++;
    return { name: line.slice(at + 1, i), end: i };
  }

  private skipSpace(): void {
    while (this.pos < this.line.length && isSpace(this.line.charAt(this.pos))) this.pos++;
  }

  /** True when nothing but whitespace remains before the next command or the line's end. */
  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.line.length || this.line.charAt(this.pos) === '\\';
  }

  /** Reads one argument, or null when there are no more. */
  next(mode: ArgMode = 'normal'): string | null {
    if (this.atEnd()) return null;
    const line = this.line;
    if (mode === 'filepipe' && line.charAt(this.pos) === '|') {
      const rest = line.slice(this.pos).replace(/[\s]+$/, '');
      this.pos = line.length;
      return rest;
    }
    let out = '';
    let inDquote = false;
    while (this.pos < line.length) {
      const ch = line.charAt(this.pos);
      if (inDquote) {
        if (ch === '"') {
          if (line.charAt(this.pos + 1) === '"' && mode === 'sqlid') {
            out += '"';
            this.pos += 2;
            continue;
          }
          inDquote = false;
          if (mode !== 'sqlid') out += '"';
          this.pos++;
          continue;
        }
        out += ch;
        this.pos++;
        continue;
      }
      if (isSpace(ch) || ch === '\\') break;
      if (ch === "'") {
        const q = unescapeQuoted(line, this.pos + 1);
        if (q === null) {
          this.errors.push('unterminated quoted string');
          out += line.slice(this.pos + 1);
          this.pos = line.length;
          break;
        }
        out += q.text;
        this.pos = q.end;
        continue;
      }
      if (ch === '"') {
        inDquote = true;
        if (mode !== 'sqlid') out += '"';
        this.pos++;
        continue;
      }
      if (ch === '`') {
        const end = line.indexOf('`', this.pos + 1);
        if (end < 0) {
          this.errors.push('unterminated quoted string');
          this.pos = line.length;
          break;
        }
        out += runBacktick(line.slice(this.pos + 1, end), this.errors);
        this.pos = end + 1;
        continue;
      }
      if (ch === ':' && this.vars !== null) {
        const sub = substituteVariable(line, this.pos, this.vars);
        if (sub !== null) {
          out += sub.text;
          this.pos = sub.end;
          continue;
        }
      }
      out += mode === 'sqlid' ? ch.toLowerCase() : ch;
      this.pos++;
    }
    if (inDquote) this.errors.push('unterminated quoted string');
    return out;
  }

  /** The rest of the line up to the end (for \!, \copy and friends), variables substituted. */
  wholeLine(): string {
    const rest = this.line.slice(this.pos);
    this.pos = this.line.length;
    return rest.replace(/^\s+/, '').replace(/\s+$/, '');
  }

  /** Consumes trailing whitespace and an optional \\ separator; returns where SQL resumes. */
  finish(): number {
    this.skipSpace();
    if (this.line.startsWith('\\\\', this.pos)) this.pos += 2;
    return this.pos;
  }
}

function runBacktick(command: string, errors: string[]): string {
  try {
    const out = execSync(command, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      shell: '/bin/sh',
    });
    return out.endsWith('\n') ? out.slice(0, -1) : out;
  } catch (e) {
    const status = (e as { status?: number }).status;
    errors.push(
      `\`${command}\`: ${status === undefined ? 'could not execute' : 'exit status ' + status}`,
    );
    const out = (e as { stdout?: string }).stdout ?? '';
    return out.endsWith('\n') ? out.slice(0, -1) : out;
  }
}
