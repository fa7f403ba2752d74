// psql's MainLoop: reads lines from a source, splits them into SQL statements and meta-commands,
// sends statements, runs meta-commands, honours \if branches, ON_ERROR_STOP, ECHO=all and
// SINGLELINE, and at end of input sends what is left in the buffer (non-interactively).
import { initialScannerState, promptStatusChar, scanSql } from '../lexer/sql-scanner.js';
import type { ScannerState, VariableLookup } from '../lexer/sql-scanner.js';
import { SlashCommandScanner } from '../lexer/slash-scanner.js';
import { ConditionalStack } from './conditional.js';
import type { LineSource } from './line-source.js';
import { expandPrompt } from './prompt.js';
import { sendQuery } from './exec-query.js';
import type { PsqlState } from './state.js';
import { runMetaCommand } from './meta-commands.js';
import { stdoutTarget } from './output.js';

export const EXIT_SUCCESS = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BADCONN = 2;
export const EXIT_USER = 3;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** strftime("%c") in the C locale, as \watch's title shows it. */
export function cTimeString(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getDay()] ?? ''} ${MONTHS[d.getMonth()] ?? ''} ${String(d.getDate()).padStart(2, ' ')} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${d.getFullYear()}`;
}

export function quoteLiteral(value: string): string {
  // psql uses E'' when the value contains backslashes (PQescapeLiteral).
  const body = value.replace(/'/g, "''");
  return value.includes('\\') ? " E'" + body.replace(/\\/g, '\\\\') + "'" : "'" + body + "'";
}

export function quoteIdent(value: string): string {
  return '"' + value.replace(/"/g, '""') + '"';
}

export function variableLookup(state: PsqlState): VariableLookup {
  return {
    get: (name) => state.vars.get(name),
    quoteLiteral,
    quoteIdent,
  };
}

export interface LoopContext {
  source: LineSource;
  buf: { text: string };
  previous: string;
  scan: ScannerState;
  cond: ConditionalStack;
}

export type MetaStatus = 'ok' | 'error' | 'send' | 'terminate';

export async function mainLoop(state: PsqlState, source: LineSource): Promise<number> {
  const saved = state.location;
  state.location = { name: source.name, line: 0 };
  const ctx: LoopContext = {
    source,
    buf: { text: '' },
    previous: '',
    scan: initialScannerState(),
    cond: new ConditionalStack(),
  };
  let result = EXIT_SUCCESS;
  const io = {
    readCopyLine: async (): Promise<string | null> => {
      const l = await source.readLine('>> ');
      if (l !== null) state.location.line++;
      return l;
    },
  };
  const vars = variableLookup(state);

  const send = async (): Promise<boolean> => {
    if (state.watchInterval !== null) return watch();
    const ok = await sendQuery(state, ctx.buf.text, io);
    ctx.previous = ctx.buf.text;
    ctx.buf.text = '';
    ctx.scan = initialScannerState();
    return ok;
  };

  /** \watch: rerun the buffer every N seconds with a time-stamped title, until Ctrl-C or error. */
  const watch = async (): Promise<boolean> => {
    const seconds = state.watchInterval ?? 2;
    state.watchInterval = null;
    const sql = ctx.buf.text;
    let stop = false;
    const onInt = (): void => {
      stop = true;
    };
    process.on('SIGINT', onInt);
    let ok = true;
    try {
      while (!stop) {
        const stamp = cTimeString(new Date());
        const userTitle = state.popt.title;
        state.gPopt = {
          ...state.popt,
          title:
            userTitle !== null
              ? `${userTitle}\t${stamp} (every ${seconds}s)\n`
              : `${stamp} (every ${seconds}s)\n`,
        };
        ok = await sendQuery(state, sql, io);
        if (!ok) {
          // psql ends a failed \watch with an empty line and forgets the query.
          stdoutTarget.write('\n');
          break;
        }
        await new Promise((r) => setTimeout(r, seconds * 1000));
      }
    } finally {
      process.off('SIGINT', onInt);
    }
    if (ok) ctx.previous = sql;
    ctx.buf.text = '';
    ctx.scan = initialScannerState();
    return ok;
  };

  try {
    outer: for (;;) {
      const promptName =
        ctx.buf.text.length === 0 && ctx.scan.state === 'base' && ctx.scan.parenDepth === 0
          ? 'PROMPT1'
          : 'PROMPT2';
      const prompt = source.interactive
        ? expandPrompt(
            state.vars.get(promptName) ?? '',
            state,
            promptStatusChar(ctx.scan, ctx.buf.text.length === 0),
            state.location.line + 1,
          )
        : '';
      const line = await source.readLine(prompt);
      if (source.takeInterrupt?.() === true) {
        // Ctrl-C at the prompt abandons the statement being typed.
        ctx.buf.text = '';
        ctx.scan = initialScannerState();
        if (line === '') continue;
      }
      if (line === null) {
        if (source.interactive && !state.quiet) stdoutTarget.write('\\q\n');
        break;
      }
      state.location.line++;
      if (state.echo === 'all' && !source.interactive) stdoutTarget.write(line + '\n');
      // A newline separates source lines in the buffer; it is taken back if the line turns out to
      // start with a meta-command (so "\g" alone on a line does not change the query).
      let addedNewline = -1;
      if (ctx.buf.text.length > 0) {
        ctx.buf.text += '\n';
        addedNewline = ctx.buf.text.length;
      }
      let pos = 0;
      for (;;) {
        const stop = scanSql(line, pos, ctx.scan, ctx.buf, ctx.cond.active() ? vars : null);
        if (
          stop.kind === 'semicolon' ||
          (stop.kind === 'eol' &&
            state.singleLine &&
            ctx.buf.text.trim() !== '' &&
            ctx.scan.state === 'base')
        ) {
          if (ctx.cond.active()) {
            const ok = await send();
            if (!ok && state.onErrorStop) {
              result = EXIT_USER;
              break outer;
            }
            if (state.session === null || !state.session.isAlive()) {
              if (!ok) result = EXIT_BADCONN;
            }
          } else {
            ctx.buf.text = '';
            ctx.scan = initialScannerState();
          }
          if (stop.kind === 'eol') break;
          pos = stop.pos;
          continue;
        }
        if (stop.kind === 'backslash') {
          if (ctx.buf.text.length === addedNewline) ctx.buf.text = ctx.buf.text.slice(0, -1);
          addedNewline = -1;
          const { name, end } = SlashCommandScanner.commandName(line, stop.pos);
          const args = new SlashCommandScanner(line, end, ctx.cond.active() ? vars : null);
          const status = await runMetaCommand(state, name, args, ctx);
          pos = args.finish();
          if (status === 'terminate') break outer;
          if (state.session === null && !source.interactive) {
            // A failed \connect leaves no connection: a script cannot go on.
            result = EXIT_BADCONN;
            break outer;
          }
          if (status === 'send' && ctx.cond.active()) {
            if (ctx.buf.text.length === 0) ctx.buf.text = ctx.previous;
            const ok = await send();
            if (!ok && state.onErrorStop) {
              result = EXIT_USER;
              break outer;
            }
          } else if (status === 'error' && state.onErrorStop) {
            result = EXIT_USER;
            break outer;
          }
          continue;
        }
        break;
      }
    }
    if (result === EXIT_SUCCESS) {
      if (!ctx.cond.empty()) {
        state.error('reached EOF without finding closing \\endif(s)');
        if (state.onErrorStop && !source.interactive) result = EXIT_USER;
      } else if (!source.interactive && ctx.buf.text.trim().length > 0) {
        const ok = await send();
        if (!ok && state.onErrorStop) result = EXIT_USER;
        else if (state.session === null) result = EXIT_BADCONN;
      }
    }
  } finally {
    state.location = saved;
  }
  return result;
}
