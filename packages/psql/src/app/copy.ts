// \copy: client-side COPY. The command is rewritten to COPY ... FROM STDIN / TO STDOUT and the
// data moves between the server and a local file, a program, or psql's own input/output.
import fs from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import type { PsqlState } from './state.js';
import type { MetaStatus } from './main-loop.js';
import { reportServerError } from './exec-query.js';
import { describeErrno, stdoutTarget } from './output.js';
import { htmlEscape } from '../print/html.js';

interface CopySpec {
  /** Everything before FROM/TO (table and columns, or a parenthesized query). */
  before: string;
  direction: 'from' | 'to';
  kind: 'file' | 'program' | 'stdin' | 'stdout' | 'pstdin' | 'pstdout';
  target: string;
  /** Options after the target, passed through. */
  after: string;
}

/** Splits the \copy arguments into tokens, keeping quoted strings and parentheses whole. */
function tokenize(text: string): { token: string; start: number; end: number }[] {
  const out: { token: string; start: number; end: number }[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text.charAt(i))) i++;
    if (i >= text.length) break;
    const start = i;
    let depth = 0;
    while (i < text.length) {
      const ch = text.charAt(i);
      if (ch === "'" || ch === '"') {
        const close = text.indexOf(ch, i + 1);
        i = close < 0 ? text.length : close + 1;
        continue;
      }
      if (ch === '(') depth++;
      else if (ch === ')') depth--;
      else if (depth === 0 && /\s/.test(ch)) break;
      i++;
    }
    out.push({ token: text.slice(start, i), start, end: i });
  }
  return out;
}

export function parseCopy(text: string): CopySpec | string {
  const tokens = tokenize(text);
  const dirIndex = tokens.findIndex((t, k) => k > 0 && /^(from|to)$/i.test(t.token));
  const dir = tokens[dirIndex];
  if (dirIndex < 0 || dir === undefined) return 'parse error at end of line';
  const k = dirIndex + 1;
  let kind: CopySpec['kind'] = 'file';
  let tok = tokens[k];
  if (tok === undefined) return 'parse error at end of line';
  if (/^program$/i.test(tok.token)) {
    kind = 'program';
    tok = tokens[k + 1];
    if (tok === undefined) return 'parse error at end of line';
  } else if (/^(stdin|stdout|pstdin|pstdout)$/i.test(tok.token)) {
    kind = tok.token.toLowerCase() as CopySpec['kind'];
  }
  let target = tok.token;
  if (target.startsWith("'")) target = target.slice(1, -1).replace(/''/g, "'");
  const direction = dir.token.toLowerCase() as 'from' | 'to';
  if ((kind === 'stdin' || kind === 'pstdin') && direction === 'to')
    return `parse error at "${tok.token}"`;
  if ((kind === 'stdout' || kind === 'pstdout') && direction === 'from')
    return `parse error at "${tok.token}"`;
  return {
    before: text.slice(0, dir.start).trim(),
    direction,
    kind,
    target,
    after: text.slice(tok.end).trim(),
  };
}

export async function copyCommand(state: PsqlState, text: string): Promise<MetaStatus> {
  if (text === '') {
    state.error('\\copy: arguments required');
    return 'error';
  }
  const spec = parseCopy(text);
  if (typeof spec === 'string') {
    state.error(`\\copy: ${spec}`);
    return 'error';
  }
  const session = state.session;
  if (session === null) {
    state.error('You are currently not connected to a database.');
    return 'error';
  }
  const sql =
    `COPY ${spec.before} ${spec.direction === 'from' ? 'FROM STDIN' : 'TO STDOUT'}` +
    (spec.after ? ' ' + spec.after : '');
  let sink: ((chunk: Buffer) => void) | null = null;
  let finish: () => Promise<void> = () => Promise.resolve();
  let source: Buffer | null = null;
  try {
    if (spec.direction === 'to') {
      if (spec.kind === 'file') {
        const fd = fs.openSync(spec.target, 'w');
        sink = (c) => fs.writeSync(fd, c);
        finish = () => Promise.resolve(fs.closeSync(fd));
      } else if (spec.kind === 'program') {
        const child = spawn('/bin/sh', ['-c', spec.target], {
          stdio: ['pipe', 'inherit', 'inherit'],
        });
        sink = (c) => child.stdin.write(c);
        finish = () =>
          new Promise((resolve) => {
            child.on('close', () => resolve());
            child.stdin.end();
          });
      } else if (spec.kind === 'pstdout') sink = (c) => stdoutTarget.write(c);
      else sink = (c) => state.queryOut.write(c);
    } else if (spec.kind === 'file') {
      source = fs.readFileSync(spec.target);
    } else if (spec.kind === 'program') {
      const r = spawnSync('/bin/sh', ['-c', spec.target], {
        stdio: ['inherit', 'pipe', 'inherit'],
      });
      source = r.stdout;
    } else {
      source = fs.readFileSync(0);
    }
  } catch (e) {
    state.error(`${spec.target}: ${describeErrno(e as NodeJS.ErrnoException)}`);
    return 'error';
  }
  const outcome = await session.query(sql, {
    onCopyData: (c) => sink?.(c),
    copyInSource: () => {
      const chunks = source !== null && source.length > 0 ? [source] : [];
      return (async function* () {
        for (const c of chunks) yield await Promise.resolve(c);
      })();
    },
  });
  if (outcome.error) {
    await finish();
    reportServerError(state, outcome.error, sql);
    return 'error';
  }
  const tag = outcome.results[outcome.results.length - 1]?.commandTag;
  const toOutput = spec.direction === 'to' && spec.kind === 'stdout';
  if (tag && !state.quiet && !toOutput) {
    stdoutTarget.write(state.popt.format === 'html' ? `<p>${htmlEscape(tag)}</p>\n` : tag + '\n');
  }
  // A program's output follows the status line: it ends when its input is closed here.
  await finish();
  return 'ok';
}
