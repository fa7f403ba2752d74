/**
 * The `options` startup parameter (PGOPTIONS): command-line switches for the session, split on
 * blanks with backslash escapes as PostgreSQL's pg_split_opts does. `-c name=value` and
 * `--name=value` set configuration parameters; anything else is refused with PostgreSQL's error.
 */
import { SQLSTATE, StartupError } from './startup-errors.js';

/** Splits on unescaped blanks; a backslash makes the next character literal. */
export function splitOptionWords(options: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < options.length) {
    while (i < options.length && /\s/.test(options[i]!)) i++;
    if (i >= options.length) break;
    let word = '';
    while (i < options.length && !/\s/.test(options[i]!)) {
      if (options[i] === '\\' && i + 1 < options.length) i++;
      word += options[i];
      i++;
    }
    words.push(word);
  }
  return words;
}

function invalidArgument(word: string): StartupError {
  return new StartupError(
    SQLSTATE.syntaxError,
    `invalid command-line argument for server process: ${word}`,
    { hint: 'Try "postgres --help" for more information.' },
  );
}

function setting(text: string, word: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) {
    throw new StartupError(
      SQLSTATE.syntaxError,
      eq < 0
        ? `-c ${text} requires a value`
        : `invalid command-line argument for server process: ${word}`,
    );
  }
  // As PostgreSQL, dashes in the name given on the command line mean underscores.
  return [text.slice(0, eq).replace(/-/g, '_'), text.slice(eq + 1)];
}

/** Name/value pairs set by the options string, in order. */
export function splitStartupOptions(options: string): Array<[string, string]> {
  const words = splitOptionWords(options);
  const out: Array<[string, string]> = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '-c') {
      const next = words[++i];
      if (next === undefined) throw invalidArgument(word);
      out.push(setting(next, word));
    } else if (word.startsWith('-c') && word.length > 2) {
      out.push(setting(word.slice(2), word));
    } else if (word.startsWith('--') && word.length > 2) {
      out.push(setting(word.slice(2), word));
    } else {
      throw invalidArgument(word);
    }
  }
  return out;
}
