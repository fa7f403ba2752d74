// psql's backslash commands (other than the \d family, in describe/): each reads its arguments
// from the slash scanner and reports ok / error / send (the query buffer) / terminate.
import { decodeBytes } from '../conn/text-bytes.js';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { SlashCommandScanner } from '../lexer/slash-scanner.js';
import type { PsqlState } from './state.js';
import type { LoopContext, MetaStatus } from './main-loop.js';
import { mainLoop, EXIT_SUCCESS } from './main-loop.js';
import { doPset, psetInfo, psetListing } from './pset.js';
import { openOutput, stdoutTarget, writeStderr, describeErrno } from './output.js';
import { TextLineSource } from './line-source.js';
import { parseBool, validVariableName } from './variables.js';
import { formatServerMessage } from './error-format.js';
import { copyCommand } from './copy.js';
import { SLASH_HELP } from './slash-help.js';
import { connectCommand } from './connect.js';
import { describeCommand, isDescribeCommand } from '../describe/index.js';

type Handler = (
  state: PsqlState,
  args: SlashCommandScanner,
  ctx: LoopContext,
  name: string,
) => Promise<MetaStatus> | MetaStatus;

function ignoreExtra(state: PsqlState, name: string, args: SlashCommandScanner): void {
  for (let a = args.next(); a !== null; a = args.next()) {
    state.warning(`\\${name}: extra argument "${a}" ignored`);
  }
}

function togglePset(state: PsqlState, param: string, value: string | undefined): MetaStatus {
  const r = doPset(state.popt, param, value);
  if (!r.ok) {
    state.error(r.message);
    return 'error';
  }
  if (!state.quiet && r.silent !== true) stdoutTarget.write(psetInfo(state.popt, param) + '\n');
  return 'ok';
}

async function includeFile(
  state: PsqlState,
  file: string,
  relative: boolean,
  ctx: LoopContext,
): Promise<MetaStatus> {
  let full = file;
  if (relative && !path.isAbsolute(file) && ctx.source.path !== null)
    full = path.join(path.dirname(ctx.source.path), file);
  let text: string;
  try {
    text = decodeBytes(fs.readFileSync(full === '-' ? 0 : full));
  } catch (e) {
    state.error(`${full}: ${describeErrno(e as NodeJS.ErrnoException)}`);
    return 'error';
  }
  const rc = await mainLoop(state, new TextLineSource(text, full === '-' ? '<stdin>' : full, full));
  return rc === EXIT_SUCCESS ? 'ok' : 'error';
}

/** Reads \g's optional "(opt=val ...)" list and target; sets the one-shot options. */
function gOptions(state: PsqlState, args: SlashCommandScanner, name: string): boolean {
  let first = args.next('filepipe');
  if (first !== null && first.startsWith('(')) {
    const popt = { ...(state.gPopt ?? state.popt) };
    let token: string | null = first.slice(1);
    while (token !== null) {
      const closing = token.endsWith(')');
      const item = closing ? token.slice(0, -1) : token;
      if (item !== '') {
        const eq = item.indexOf('=');
        const r = doPset(
          popt,
          eq < 0 ? item : item.slice(0, eq),
          eq < 0 ? undefined : item.slice(eq + 1),
        );
        if (!r.ok) {
          state.error(r.message);
          return false;
        }
      }
      if (closing) break;
      token = args.next();
      if (token === null) {
        state.error(`\\${name}: missing right parenthesis`);
        return false;
      }
    }
    state.gPopt = popt;
    first = args.next('filepipe');
  }
  const target = first;
  if (name === 'gx') state.gPopt = { ...(state.gPopt ?? state.popt), expanded: 'on' };
  if (target !== null) {
    try {
      state.gOut = openOutput(target);
    } catch (e) {
      state.error((e as Error).message);
      return false;
    }
  }
  return true;
}

const HANDLERS: Record<string, Handler> = {
  q: (state, args) => {
    ignoreExtra(state, 'q', args);
    return 'terminate';
  },
  echo: (state, args, _ctx, name) => {
    const parts: string[] = [];
    let newline = true;
    let first = true;
    for (let a = args.next(); a !== null; a = args.next()) {
      if (first && a === '-n') newline = false;
      else parts.push(a);
      first = false;
    }
    const text = parts.join(' ') + (newline ? '\n' : '');
    if (name === 'qecho') state.queryOut.write(text);
    else if (name === 'warn') writeStderr(text);
    else stdoutTarget.write(text);
    return 'ok';
  },
  set: (state, args) => {
    const varName = args.next();
    if (varName === null) {
      for (const [k, v] of state.vars.entries()) stdoutTarget.write(`${k} = '${v}'\n`);
      return 'ok';
    }
    let value = '';
    for (let a = args.next(); a !== null; a = args.next()) value += a;
    if (!validVariableName(varName)) {
      state.error(`invalid variable name: "${varName}"`);
      return 'error';
    }
    const err = state.vars.set(varName, value);
    if (err !== null) {
      state.error(err);
      return 'error';
    }
    return 'ok';
  },
  unset: (state, args) => {
    const varName = args.next();
    if (varName === null) {
      state.error('\\unset: missing required argument');
      return 'error';
    }
    ignoreExtra(state, 'unset', args);
    const err = state.vars.set(varName, undefined);
    if (err !== null) {
      state.error(err);
      return 'error';
    }
    return 'ok';
  },
  pset: (state, args) => {
    const param = args.next();
    if (param === null) {
      stdoutTarget.write(psetListing(state.popt));
      return 'ok';
    }
    const value = args.next();
    ignoreExtra(state, 'pset', args);
    const r = doPset(state.popt, param, value ?? undefined);
    if (!r.ok) {
      state.error(r.message);
      return 'error';
    }
    if (!state.quiet && r.silent !== true) stdoutTarget.write(psetInfo(state.popt, param) + '\n');
    return 'ok';
  },
  a: (state, args) => {
    ignoreExtra(state, 'a', args);
    return togglePset(state, 'format', state.popt.format !== 'unaligned' ? 'unaligned' : 'aligned');
  },
  H: (state, args) => {
    ignoreExtra(state, 'H', args);
    return togglePset(state, 'format', state.popt.format !== 'html' ? 'html' : 'aligned');
  },
  t: (state, args) => {
    const v = args.next();
    ignoreExtra(state, 't', args);
    return togglePset(state, 'tuples_only', v ?? undefined);
  },
  x: (state, args) => {
    const v = args.next();
    ignoreExtra(state, 'x', args);
    return togglePset(state, 'expanded', v ?? undefined);
  },
  f: (state, args) => {
    const v = args.next();
    ignoreExtra(state, 'f', args);
    return togglePset(state, 'fieldsep', v ?? undefined);
  },
  T: (state, args) => {
    const v = args.next();
    ignoreExtra(state, 'T', args);
    return togglePset(state, 'tableattr', v ?? undefined);
  },
  C: (state, args) => {
    const v = args.next();
    ignoreExtra(state, 'C', args);
    return togglePset(state, 'title', v ?? undefined);
  },
  g: (state, args, _ctx, name) => {
    if (!gOptions(state, args, name)) return 'error';
    return 'send';
  },
  gset: (state, args) => {
    state.gsetPrefix = args.next() ?? '';
    ignoreExtra(state, 'gset', args);
    return 'send';
  },
  watch: (state, args, ctx) => {
    const v = args.next();
    while (args.next() !== null);
    const seconds = v === null ? 2 : Number(v);
    if (!Number.isFinite(seconds) || seconds < 0) {
      state.error(`\\watch: incorrect interval value "${v ?? ''}"`);
      return 'error';
    }
    if (ctx.buf.text.trim() === '' && ctx.previous.trim() === '') {
      state.error('\\watch cannot be used with an empty query');
      return 'error';
    }
    state.watchInterval = seconds;
    return 'send';
  },
  gexec: (state, args) => {
    ignoreExtra(state, 'gexec', args);
    state.gexec = true;
    return 'send';
  },
  gdesc: (state, args) => {
    ignoreExtra(state, 'gdesc', args);
    state.gdesc = true;
    return 'send';
  },
  i: (state, args, ctx, name) => {
    const file = args.next();
    ignoreExtra(state, name, args);
    if (file === null) {
      state.error(`\\${name}: missing required argument`);
      return 'error';
    }
    return includeFile(state, file, name === 'ir' || name === 'include_relative', ctx);
  },
  o: async (state, args) => {
    const target = args.next('filepipe');
    ignoreExtra(state, 'o', args);
    if (state.queryOutSpec !== null) await state.queryOut.close();
    state.queryOut = stdoutTarget;
    state.queryOutSpec = null;
    if (target !== null) {
      try {
        state.queryOut = openOutput(target);
        state.queryOutSpec = target;
      } catch (e) {
        state.error((e as Error).message);
        return 'error';
      }
    }
    return 'ok';
  },
  w: async (state, args, ctx) => {
    const target = args.next('filepipe');
    if (target === null) {
      state.error('\\w: missing required argument');
      return 'error';
    }
    const text = ctx.buf.text.length > 0 ? ctx.buf.text : ctx.previous;
    try {
      const out = openOutput(target);
      out.write(text + '\n');
      await out.close();
    } catch (e) {
      state.error((e as Error).message);
      return 'error';
    }
    return 'ok';
  },
  r: (state, args, ctx) => {
    ignoreExtra(state, 'r', args);
    ctx.buf.text = '';
    ctx.scan.parenDepth = 0;
    if (!state.quiet) stdoutTarget.write('Query buffer reset (cleared).\n');
    return 'ok';
  },
  p: (state, args, ctx) => {
    ignoreExtra(state, 'p', args);
    const text = ctx.buf.text.length > 0 ? ctx.buf.text : ctx.previous;
    stdoutTarget.write(text.length > 0 ? text + '\n' : 'Query buffer is empty.\n');
    return 'ok';
  },
  timing: (state, args) => {
    const v = args.next();
    ignoreExtra(state, 'timing', args);
    if (v === null) state.timing = !state.timing;
    else {
      const b = parseBool(v);
      if (b === null) {
        state.error(`unrecognized value "${v}" for "\\timing": Boolean expected`);
        return 'error';
      }
      state.timing = b;
    }
    if (!state.quiet) stdoutTarget.write(state.timing ? 'Timing is on.\n' : 'Timing is off.\n');
    return 'ok';
  },
  conninfo: (state, args) => {
    ignoreExtra(state, 'conninfo', args);
    const s = state.session;
    if (s === null) {
      stdoutTarget.write('You are currently not connected to a database.\n');
      return 'ok';
    }
    const p = s.params;
    stdoutTarget.write(
      p.host.startsWith('/')
        ? `You are connected to database "${p.database}" as user "${p.user}" via socket in "${p.host}" at port "${p.port}".\n`
        : `You are connected to database "${p.database}" as user "${p.user}" on host "${p.host}" at port "${p.port}".\n`,
    );
    return 'ok';
  },
  encoding: (state, args) => {
    const enc = args.next();
    if (enc === null) {
      stdoutTarget.write((state.session?.parameterStatus('client_encoding') ?? 'UTF8') + '\n');
      return 'ok';
    }
    if (enc.toUpperCase().replace(/[-_]/g, '') !== 'UTF8') {
      state.error(`${enc}: invalid encoding name or conversion procedure not found`);
      return 'error';
    }
    return 'ok';
  },
  errverbose: (state, args) => {
    ignoreExtra(state, 'errverbose', args);
    if (state.lastError === null) {
      stdoutTarget.write('There is no previous error.\n');
      return 'ok';
    }
    state.error(
      formatServerMessage(state.lastError.notice, {
        verbosity: 'verbose',
        showContext: 'always',
        query: state.lastError.query,
        isError: true,
      }).replace(/\n$/, ''),
    );
    return 'ok';
  },
  '!': (state, args) => {
    const command = args.wholeLine();
    const r = spawnSync(
      '/bin/sh',
      ['-c', command === '' ? (process.env.SHELL ?? '/bin/sh') : command],
      {
        stdio: 'inherit',
      },
    );
    if (r.status !== 0 && r.status !== null) {
      state.error(`\\!: failed`);
      return 'error';
    }
    return 'ok';
  },
  cd: (state, args) => {
    const dir = args.next() ?? process.env.HOME ?? '/';
    ignoreExtra(state, 'cd', args);
    try {
      process.chdir(dir);
    } catch (e) {
      state.error(
        `\\cd: could not change directory to "${dir}": ${describeErrno(e as NodeJS.ErrnoException)}`,
      );
      return 'error';
    }
    return 'ok';
  },
  setenv: (state, args) => {
    const name = args.next();
    const value = args.next();
    ignoreExtra(state, 'setenv', args);
    if (name === null) {
      state.error('\\setenv: missing required argument');
      return 'error';
    }
    if (name.includes('=')) {
      state.error('\\setenv: environment variable name must not contain "="');
      return 'error';
    }
    if (value === null) delete process.env[name];
    else process.env[name] = value;
    return 'ok';
  },
  getenv: (state, args) => {
    const varName = args.next();
    const envName = args.next();
    ignoreExtra(state, 'getenv', args);
    if (varName === null || envName === null) {
      state.error('\\getenv: missing required argument');
      return 'error';
    }
    const v = process.env[envName];
    if (v !== undefined) state.vars.set(varName, v);
    return 'ok';
  },
  copy: (state, args) => copyCommand(state, args.wholeLine()),
  c: (state, args) => connectCommand(state, args),
  '?': (_state, args) => {
    while (args.next() !== null);
    stdoutTarget.write(SLASH_HELP);
    return 'ok';
  },
};

const ALIASES: Record<string, string> = {
  quit: 'q',
  qecho: 'echo',
  warn: 'echo',
  gx: 'g',
  include: 'i',
  ir: 'i',
  include_relative: 'i',
  out: 'o',
  write: 'w',
  reset: 'r',
  print: 'p',
  connect: 'c',
};

/** The \if family works even inside inactive branches. */
function conditional(
  state: PsqlState,
  name: string,
  args: SlashCommandScanner,
  ctx: LoopContext,
): MetaStatus | null {
  const readExpr = (): boolean | null => {
    const parts: string[] = [];
    for (let a = args.next(); a !== null; a = args.next()) parts.push(a);
    const expr = parts.join(' ');
    const b = parseBool(expr);
    if (b === null) {
      state.error(`unrecognized value "${expr}" for "\\${name} expression": Boolean expected`);
    }
    return b;
  };
  const skipArgs = (): void => {
    while (args.next() !== null);
  };
  switch (name) {
    case 'if': {
      if (ctx.cond.active()) {
        const b = readExpr();
        ctx.cond.push(b === true ? 'true' : 'false');
      } else {
        skipArgs();
        ctx.cond.push('ignored');
      }
      ctx.buf.text = '';
      return 'ok';
    }
    case 'elif': {
      const top = ctx.cond.peek();
      if (top === undefined) {
        state.error('\\elif: no matching \\if');
        skipArgs();
        return 'error';
      }
      if (top === 'else-true' || top === 'else-false') {
        state.error('\\elif: cannot occur after \\else');
        skipArgs();
        return 'error';
      }
      if (top === 'true') {
        skipArgs();
        ctx.cond.replaceTop('ignored');
      } else if (top === 'false') {
        const b = readExpr();
        ctx.cond.replaceTop(b === true ? 'true' : 'false');
      } else skipArgs();
      ctx.buf.text = '';
      return 'ok';
    }
    case 'else': {
      const top = ctx.cond.peek();
      ignoreExtra(state, 'else', args);
      if (top === undefined) {
        state.error('\\else: no matching \\if');
        return 'error';
      }
      if (top === 'else-true' || top === 'else-false') {
        state.error('\\else: cannot occur after \\else');
        return 'error';
      }
      ctx.cond.replaceTop(top === 'false' ? 'else-true' : 'else-false');
      ctx.buf.text = '';
      return 'ok';
    }
    case 'endif': {
      ignoreExtra(state, 'endif', args);
      if (ctx.cond.pop() === undefined) {
        state.error('\\endif: no matching \\if');
        return 'error';
      }
      ctx.buf.text = '';
      return 'ok';
    }
    default:
      return null;
  }
}

export async function runMetaCommand(
  state: PsqlState,
  name: string,
  args: SlashCommandScanner,
  ctx: LoopContext,
): Promise<MetaStatus> {
  const cond = conditional(state, name, args, ctx);
  if (cond !== null) return cond;
  const key = ALIASES[name] ?? name;
  const handler = HANDLERS[key];
  const describe = handler === undefined && isDescribeCommand(name);
  if (handler === undefined && !describe) {
    state.error(`invalid command \\${name}`);
    while (args.next() !== null);
    return 'error';
  }
  if (!ctx.cond.active()) {
    // Inactive branch: consume the arguments without acting.
    if (key === '!' || key === 'copy') args.wholeLine();
    else while (args.next() !== null);
    return 'ok';
  }
  if (handler === undefined) return describeCommand(state, name, args);
  return handler(state, args, ctx, name);
}
