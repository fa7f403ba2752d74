// Splits a psql script into top-level units (SQL statements ending at `;`, or backslash meta-command
// lines) well enough to put a marker before each: quotes, dollar quotes, comments and parentheses
// are respected, so a `;` inside them does not end a statement.
export interface ScriptUnit {
  /** The unit's text, as in the script (without the separating newline). */
  text: string;
  /** 1-based line where it starts. */
  line: number;
}

export function splitScript(script: string): ScriptUnit[] {
  const units: ScriptUnit[] = [];
  let start = 0;
  let line = 1;
  let startLine = 1;
  let i = 0;
  let depth = 0;
  const n = script.length;
  const flush = (end: number): void => {
    const text = script.slice(start, end);
    if (text.trim() !== '') {
      const leading = /^\s*\n/.exec(text)?.[0] ?? '';
      const skippedLines = leading.split('\n').length - 1;
      units.push({ text: text.slice(leading.length), line: startLine + skippedLines });
    }
    start = end;
    startLine = line;
  };
  const atLineStart = (pos: number): boolean =>
    script.slice(script.lastIndexOf('\n', pos - 1) + 1, pos).trim() === '';
  while (i < n) {
    const c = script[i]!;
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (c === '-' && script[i + 1] === '-') {
      while (i < n && script[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && script[i + 1] === '*') {
      let nest = 1;
      i += 2;
      while (i < n && nest > 0) {
        if (script[i] === '\n') line++;
        if (script[i] === '/' && script[i + 1] === '*') {
          nest++;
          i += 2;
        } else if (script[i] === '*' && script[i + 1] === '/') {
          nest--;
          i += 2;
        } else i++;
      }
      continue;
    }
    if (c === "'" || c === '"') {
      i++;
      while (i < n) {
        if (script[i] === '\n') line++;
        if (script[i] === c) {
          if (script[i + 1] === c) {
            i += 2;
            continue;
          }
          break;
        }
        i++;
      }
      i++;
      continue;
    }
    if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z_0-9]*)?\$/.exec(script.slice(i));
      if (tag) {
        const close = script.indexOf(tag[0], i + tag[0].length);
        const end = close < 0 ? n : close + tag[0].length;
        for (let k = i; k < end; k++) if (script[k] === '\n') line++;
        i = end;
        continue;
      }
    }
    if (c === '(') depth++;
    if (c === ')') depth = Math.max(0, depth - 1);
    if (c === '\\' && atLineStart(i)) {
      // A meta-command line ends the unit (it may execute the SQL buffered before it, like \g).
      while (i < n && script[i] !== '\n') i++;
      flush(i);
      continue;
    }
    if (c === ';' && depth === 0) {
      i++;
      flush(i);
      continue;
    }
    i++;
  }
  flush(n);
  return units;
}
