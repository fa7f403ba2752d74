// tusk-psql's start-up (psql's startup.c): options, variables and \pset defaults, connecting,
// ~/.psqlrc, then -c/-f actions in order (optionally in one transaction), or piped stdin, or the
// interactive loop; returns psql's exit status (0 ok, 1 failure, 2 bad connection, 3 script
// stopped by ON_ERROR_STOP).
import { SLASH_HELP } from './slash-help.js';
import { decodeBytes } from '../conn/text-bytes.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCommandLine, CommandLineError } from './command-line.js';
import type { CommandLine } from './command-line.js';
import { PsqlState } from './state.js';
import { installSpecialVariables } from './special-variables.js';
import { usage, PROGRAM, TUSK_VERSION } from './help.js';
import { doPset } from './pset.js';
import { ConnectError } from '../conn/session.js';
import { openSessionFor, syncConnectionVariables } from './connect.js';
import {
  mainLoop,
  EXIT_BADCONN,
  EXIT_FAILURE,
  EXIT_SUCCESS,
  EXIT_USER,
  variableLookup,
} from './main-loop.js';
import { TextLineSource } from './line-source.js';
import { sendQuery } from './exec-query.js';
import { runMetaCommand } from './meta-commands.js';
import { SlashCommandScanner } from '../lexer/slash-scanner.js';
import { initialScannerState } from '../lexer/sql-scanner.js';
import { ConditionalStack } from './conditional.js';
import { openOutput, stdoutTarget, writeStderr } from './output.js';
import { readPassword } from './password.js';
import { runInteractive } from '../interactive/repl.js';
import { listDatabases } from '../describe/list-databases.js';

function startupError(message: string): void {
  writeStderr(`${PROGRAM}: error: ${message}\n`);
}

async function runSlashCommand(state: PsqlState, text: string): Promise<boolean> {
  // -c "\cmd args": one meta-command, its arguments running to the end of the string.
  const at = text.indexOf('\\');
  const { name, end } = SlashCommandScanner.commandName(text, at);
  const args = new SlashCommandScanner(text, end, variableLookup(state));
  const ctx = {
    source: new TextLineSource('', null, null),
    buf: { text: '' },
    previous: '',
    scan: initialScannerState(),
    cond: new ConditionalStack(),
  };
  const status = await runMetaCommand(state, name, args, ctx);
  if (status === 'send')
    return sendQuery(state, ctx.buf.text, { readCopyLine: () => Promise.resolve(null) });
  return status !== 'error';
}

function stdinCopyReader(): () => Promise<string | null> {
  let lines: string[] | null = null;
  return () => {
    if (lines === null) {
      const text = decodeBytes(fs.readFileSync(0));
      lines = text.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
    }
    return Promise.resolve(lines.shift() ?? null);
  };
}

async function runActions(state: PsqlState, cl: CommandLine): Promise<number> {
  let result = EXIT_SUCCESS;
  if (cl.singleTransaction) {
    const r = await state.session?.query('BEGIN');
    if (r?.error) return EXIT_FAILURE;
  }
  const readCopyLine = stdinCopyReader();
  for (const action of cl.actions) {
    if (action.kind === 'command') {
      const text = action.text;
      if (state.echo === 'all') stdoutTarget.write(text + '\n');
      if (/^\s*\\/.test(text)) {
        result = (await runSlashCommand(state, text)) ? EXIT_SUCCESS : EXIT_FAILURE;
      } else {
        result = (await sendQuery(state, text, { readCopyLine })) ? EXIT_SUCCESS : EXIT_FAILURE;
      }
    } else {
      result = await processFile(state, action.path);
    }
    if (result !== EXIT_SUCCESS && state.onErrorStop) break;
  }
  if (cl.singleTransaction && state.session?.isAlive()) {
    const ok = result === EXIT_SUCCESS || !state.onErrorStop;
    const r = await state.session?.query(ok ? 'COMMIT' : 'ROLLBACK');
    if (r?.error) {
      state.info(r.error.severity + ':  ' + r.error.message + '\n');
      result = EXIT_FAILURE;
    }
  }
  return result;
}

async function processFile(state: PsqlState, file: string): Promise<number> {
  let text: string;
  try {
    text = decodeBytes(fs.readFileSync(file === '-' ? 0 : file));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    startupError(`${file}: ${err.code === 'ENOENT' ? 'No such file or directory' : err.message}`);
    return EXIT_FAILURE;
  }
  return mainLoop(
    state,
    new TextLineSource(text, file === '-' ? '<stdin>' : file, file === '-' ? null : file),
  );
}

export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let cl: CommandLine;
  try {
    cl = parseCommandLine(argv, PROGRAM);
  } catch (e) {
    if (e instanceof CommandLineError) {
      writeStderr(
        `${e.message}\n${PROGRAM}: hint: Try "${PROGRAM} --help" for more information.\n`,
      );
      return EXIT_FAILURE;
    }
    throw e;
  }
  if (cl.help !== null) {
    stdoutTarget.write(cl.help === 'commands' ? SLASH_HELP : usage(env));
    return EXIT_SUCCESS;
  }
  if (cl.version) {
    stdoutTarget.write(`${PROGRAM} (Tusk) ${TUSK_VERSION}\n`);
    return EXIT_SUCCESS;
  }
  const state = new PsqlState();
  installSpecialVariables(state, {
    full: `${PROGRAM} (Tusk) ${TUSK_VERSION}, compatible with psql 15`,
    name: TUSK_VERSION,
    num: '150000',
  });
  state.notty = !(process.stdin.isTTY && process.stdout.isTTY);
  if (cl.echoAll) state.vars.set('ECHO', 'all');
  else if (cl.echoErrors) state.vars.set('ECHO', 'errors');
  else if (cl.echoQueries) state.vars.set('ECHO', 'queries');
  if (cl.echoHidden) state.vars.set('ECHO_HIDDEN', 'on');
  if (cl.quiet) state.vars.set('QUIET', 'on');
  if (cl.singleStep) state.vars.set('SINGLESTEP', 'on');
  if (cl.singleLine) state.vars.set('SINGLELINE', 'on');
  for (const [name, value] of cl.variables) {
    const err = state.vars.set(name, value);
    if (err !== null) {
      startupError(err);
      return EXIT_FAILURE;
    }
  }
  for (const [name, value] of cl.psets) {
    const r = doPset(state.popt, name, value);
    if (!r.ok) {
      startupError(r.message);
      return EXIT_FAILURE;
    }
  }
  if (process.stdout.isTTY)
    state.popt.terminalColumns = Number(env.COLUMNS) || process.stdout.columns || 0;
  if (!state.quiet)
    for (const extra of cl.extra)
      writeStderr(`${PROGRAM}: warning: extra command-line argument "${extra}" ignored\n`);

  const request = {
    host: cl.host,
    port: cl.port,
    user: cl.user,
    dbname: cl.list && cl.dbname === undefined ? 'postgres' : cl.dbname,
  };
  const interactiveInput = cl.actions.length === 0 && process.stdin.isTTY === true;
  const promptUser = request.user ?? env.PGUSER ?? os.userInfo().username;
  let password: string | undefined;
  if (cl.passwordPrompt === 'force')
    password = await readPassword(`Password for user ${promptUser}: `);
  try {
    state.session = await openSessionFor(request, password, env);
  } catch (e) {
    if (
      e instanceof ConnectError &&
      e.needsPassword &&
      cl.passwordPrompt !== 'never' &&
      process.stdin.isTTY
    ) {
      password = await readPassword(`Password for user ${promptUser}: `);
      try {
        state.session = await openSessionFor(request, password, env);
      } catch (e2) {
        startupError(e2 instanceof Error ? e2.message : String(e2));
        return EXIT_BADCONN;
      }
    } else {
      startupError(e instanceof Error ? e.message : String(e));
      return EXIT_BADCONN;
    }
  }
  syncConnectionVariables(state);
  try {
    if (cl.output !== undefined) {
      try {
        state.queryOut = openOutput(cl.output);
        state.queryOutSpec = cl.output;
      } catch (e) {
        startupError((e as Error).message);
        return EXIT_FAILURE;
      }
    }
    if (cl.list) {
      const ok = await listDatabases(state, null, false);
      return ok ? EXIT_SUCCESS : EXIT_FAILURE;
    }
    if (!cl.noPsqlrc) {
      const rc = env.PSQLRC ?? path.join(os.homedir(), '.psqlrc');
      if (fs.existsSync(rc)) await processFile(state, rc);
    }
    if (cl.actions.length > 0) return await runActions(state, cl);
    if (interactiveInput) {
      state.interactive = true;
      return await runInteractive(state);
    }
    const text = decodeBytes(fs.readFileSync(0));
    const rc = await mainLoop(state, new TextLineSource(text, null, null));
    return rc === EXIT_USER ? EXIT_USER : state.session?.isAlive() === false ? EXIT_BADCONN : rc;
  } finally {
    if (state.queryOutSpec !== null) await state.queryOut.close();
    await state.session?.close();
  }
}
