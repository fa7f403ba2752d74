/**
 * PostgreSQL regular expressions (ARE syntax) on JavaScript's engine: the common ground is the
 * same, and the ARE-only pieces used in practice — POSIX bracket classes, \m \M \y word anchors —
 * are translated. Compiled patterns are cached; a bad pattern raises 2201B as PostgreSQL does.
 */
import { PgError } from '../errors.js';

const classes: Record<string, string> = {
  alpha: '\\p{L}',
  digit: '0-9',
  alnum: '\\p{L}0-9',
  upper: '\\p{Lu}',
  lower: '\\p{Ll}',
  space: '\\s',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  word: '\\w',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  print: '\\x20-\\x7e',
  graph: '\\x21-\\x7e',
};

function translate(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      const n = pattern[i + 1]!;
      i++;
      if (n === 'm') out += '\\b(?=\\w)';
      else if (n === 'M') out += '\\b(?<=\\w)';
      else if (n === 'y') out += '\\b';
      else if (n === 'Y') out += '\\B';
      else if (n === 'A') out += '^';
      else if (n === 'Z') out += '$';
      else out += '\\' + n;
      continue;
    }
    if (c === '[') {
      // A bracket expression: translate [:class:] inside it, keep the rest.
      let j = i + 1;
      let body = '';
      if (pattern[j] === '^') {
        body += '^';
        j++;
      }
      if (pattern[j] === ']') {
        body += '\\]';
        j++;
      }
      while (j < pattern.length && pattern[j] !== ']') {
        const m = /^\[:([a-z]+):\]/.exec(pattern.slice(j));
        if (m) {
          const cls = classes[m[1]!];
          if (cls === undefined)
            throw new PgError('2201B', 'invalid regular expression: invalid character class');
          body += cls;
          j += m[0].length;
          continue;
        }
        if (pattern[j] === '\\' && j + 1 < pattern.length) {
          body += pattern.slice(j, j + 2);
          j += 2;
          continue;
        }
        body += pattern[j] === '[' ? '\\[' : pattern[j];
        j++;
      }
      if (j >= pattern.length)
        throw new PgError('2201B', 'invalid regular expression: brackets [] not balanced');
      out += '[' + body + ']';
      i = j;
      continue;
    }
    out += c;
  }
  return out;
}

/** PostgreSQL's wording for what JavaScript found wrong with a pattern. */
function regexpProblem(err: unknown): string {
  const m = err instanceof Error ? err.message : '';
  if (/Unterminated group|Unmatched '\)'/.test(m)) return 'parentheses () not balanced';
  if (/Unterminated character class/.test(m)) return 'brackets [] not balanced';
  if (/Nothing to repeat/.test(m)) return 'quantifier operand invalid';
  if (/Incomplete quantifier|numbers out of order/.test(m)) return 'invalid repetition count(s)';
  if (/\\ at end of pattern/.test(m)) return 'invalid escape \\ sequence';
  return 'invalid regular expression syntax';
}

const cache = new Map<string, RegExp>();

/** The compiled pattern; `flags` are JavaScript flags ('g', 'i'); 'u' and 's'-less dot as in ARE. */
export function pgRegExp(pattern: string, flags = ''): RegExp {
  const key = flags + '\u0000' + pattern;
  let re = cache.get(key);
  if (re) {
    re.lastIndex = 0;
    return re;
  }
  try {
    re = new RegExp(translate(pattern), flags + 'u');
  } catch (err) {
    if (err instanceof PgError) throw err;
    throw new PgError('2201B', `invalid regular expression: ${regexpProblem(err)}`);
  }
  if (cache.size > 500) cache.clear();
  cache.set(key, re);
  return re;
}

/**
 * PostgreSQL's regexp flags ('g' global, 'i'/'c' case, 'n'/'p'/'w' newline handling, 'x' expanded,
 * 'q' literal, 's' …) → whether global, and the JavaScript flags.
 */
export function regexpFlags(
  flags: string,
  fn: string,
  allowGlobal = true,
): { global: boolean; js: string } {
  let global = false;
  let insensitive = false;
  let multiline = false;
  for (const f of flags) {
    if (f === 'g') {
      if (!allowGlobal)
        throw new PgError('22023', `${fn}() does not support the "global" option`, {
          hint: `Use the regexp_matches function instead.`,
        });
      global = true;
    } else if (f === 'i') insensitive = true;
    else if (f === 'c') insensitive = false;
    else if (f === 'n' || f === 'w') multiline = true;
    else if (f === 'p' || f === 's' || f === 't' || f === 'x' || f === 'e' || f === 'b') continue;
    else throw new PgError('22023', `invalid regular expression option: "${f}"`);
  }
  return { global, js: (insensitive ? 'i' : '') + (multiline ? 'm' : '') };
}

/** regexp_replace's replacement text: \1…\9 are groups, \& the whole match, \\ a backslash. */
export function expandReplacement(repl: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i]!;
    if (c === '\\' && i + 1 < repl.length) {
      const n = repl[i + 1]!;
      if (n >= '1' && n <= '9') {
        out += m[Number(n)] ?? '';
        i++;
        continue;
      }
      if (n === '&') {
        out += m[0];
        i++;
        continue;
      }
      if (n === '\\') {
        out += '\\';
        i++;
        continue;
      }
    }
    out += c;
  }
  return out;
}
