// Sending SQL to the server the way psql's SendQuery does: echo, the implicit BEGIN of
// AUTOCOMMIT off, ON_ERROR_ROLLBACK savepoints, FETCH_COUNT cursors, printing each result
// (tables, command tags, COPY data) and error, the \gset/\gexec/\gdesc variants, \timing and
// the status variables (ERROR, SQLSTATE, ROW_COUNT, LAST_ERROR_*).
import { writeResult } from './pager.js';
import type { NoticeFields, QueryHandlers, StatementResult } from '../conn/session.js';
import { printQuery } from '../print/print-table.js';
import { htmlEscape } from '../print/html.js';
import { formatServerMessage } from './error-format.js';
import type { PsqlState } from './state.js';
import { validVariableName } from './variables.js';
import { stdoutTarget } from './output.js';

/** Variables \gset must not overwrite. */
const SPECIAL_VARIABLES = new Set([
  'AUTOCOMMIT',
  'COMP_KEYWORD_CASE',
  'ECHO',
  'ECHO_HIDDEN',
  'FETCH_COUNT',
  'HISTCONTROL',
  'HISTFILE',
  'HISTSIZE',
  'IGNOREEOF',
  'ON_ERROR_ROLLBACK',
  'ON_ERROR_STOP',
  'PROMPT1',
  'PROMPT2',
  'PROMPT3',
  'QUIET',
  'SHOW_ALL_RESULTS',
  'SHOW_CONTEXT',
  'SINGLELINE',
  'SINGLESTEP',
  'VERBOSITY',
]);

export function reportServerError(state: PsqlState, n: NoticeFields, query: string | null): void {
  state.info(
    formatServerMessage(n, {
      verbosity: state.verbosity,
      showContext: state.showContext,
      query,
      isError: true,
    }),
  );
}

function rowCountOf(tag: string | null): string {
  if (tag === null) return '0';
  const m = /^(?:INSERT \d+|UPDATE|DELETE|SELECT|MOVE|FETCH|COPY|MERGE) (\d+)$/.exec(tag);
  return m?.[1] ?? '0';
}

function setSuccessVariables(state: PsqlState, last: StatementResult | undefined): void {
  state.vars.setRaw('ERROR', 'false');
  state.vars.setRaw('SQLSTATE', '00000');
  state.vars.setRaw('ROW_COUNT', rowCountOf(last?.commandTag ?? null));
}

function setErrorVariables(state: PsqlState, n: NoticeFields): void {
  state.vars.setRaw('ERROR', 'true');
  state.vars.setRaw('SQLSTATE', n.code);
  state.vars.setRaw('ROW_COUNT', '0');
  state.vars.setRaw('LAST_ERROR_MESSAGE', n.message);
  state.vars.setRaw('LAST_ERROR_SQLSTATE', n.code);
}

function printStatus(state: PsqlState, tag: string): void {
  if (!state.quiet) {
    const popt = state.printOptions();
    state.out().write(popt.format === 'html' ? '<p>' + htmlEscape(tag) + '</p>\n' : tag + '\n');
  }
  const m = /^INSERT (\d+) \d+$/.exec(tag);
  if (m) state.vars.setRaw('LASTOID', m[1] ?? '0');
}

/** Commands that must not be wrapped in the implicit BEGIN of AUTOCOMMIT off. */
function commandNoBegin(sql: string): boolean {
  const text = sql.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, '').toLowerCase();
  const words = text.split(/[^a-z_]+/).filter((w) => w !== '');
  const [w0 = '', w1 = '', w2 = ''] = words;
  if (['begin', 'start', 'commit', 'end', 'rollback', 'abort', 'savepoint', 'release'].includes(w0))
    return true;
  if (w0 === 'prepare' && w1 === 'transaction') return true;
  if (w0 === 'vacuum' || w0 === 'cluster') return true;
  if ((w0 === 'create' || w0 === 'drop') && (w1 === 'database' || w1 === 'tablespace')) return true;
  if (w0 === 'create' && w1 === 'unique' && w2 === 'index') return words[3] === 'concurrently';
  if ((w0 === 'create' || w0 === 'drop') && w1 === 'index') return w2 === 'concurrently';
  if (w0 === 'alter' && w1 === 'system') return true;
  if (w0 === 'reindex' && (w1 === 'database' || w1 === 'system')) return true;
  if (w0 === 'discard' && w1 === 'all') return true;
  return false;
}

function isSelectCommand(sql: string): boolean {
  const text = sql.replace(/^(\s|\(|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, '').toLowerCase();
  return /^(select|values)\b/.test(text);
}

function formatTiming(ms: number): string {
  let out = `Time: ${ms.toFixed(3)} ms`;
  if (ms >= 1000) {
    let seconds = ms / 1000;
    const days = Math.floor(seconds / 86400);
    seconds -= days * 86400;
    const hours = Math.floor(seconds / 3600);
    seconds -= hours * 3600;
    const minutes = Math.floor(seconds / 60);
    seconds -= minutes * 60;
    const s = seconds.toFixed(3).padStart(6, '0');
    if (days > 0)
      out += ` (${days} d ${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}:${s})`;
    else if (hours > 0)
      out += ` (${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}:${s})`;
    else if (minutes > 0) out += ` (${String(minutes).padStart(2, '0')}:${s})`;
    else out += ` (${seconds.toFixed(3)} s)`;
  }
  return out + '\n';
}

export interface QueryIo {
  /** Reads one line of COPY FROM STDIN data from the current input (null at EOF). */
  readCopyLine(): Promise<string | null>;
}

/** Runs a query string; returns false if it failed. */
export async function sendQuery(state: PsqlState, sql: string, io: QueryIo): Promise<boolean> {
  const session = state.session;
  if (session === null || !session.isAlive()) {
    state.error('You are currently not connected to a database.');
    resetOneShot(state);
    return false;
  }
  if (state.echo === 'queries') writeStdout(sql + '\n');

  let ok = true;
  const started = performance.now();
  try {
    if (state.gdesc) {
      ok = await describeQuery(state, sql);
      return ok;
    }
    if (!state.autocommit && session.transactionStatus() === 'I' && !commandNoBegin(sql)) {
      const r = await session.query('BEGIN');
      if (r.error) {
        reportServerError(state, r.error, 'BEGIN');
        return false;
      }
    }
    const useSavepoint =
      session.transactionStatus() === 'T' &&
      (state.onErrorRollback === 'on' ||
        (state.onErrorRollback === 'interactive' && state.interactive));
    if (useSavepoint) {
      const r = await session.query('SAVEPOINT pg_psql_temporary_savepoint');
      if (r.error) {
        reportServerError(state, r.error, null);
        return false;
      }
    }
    if (
      state.fetchCount > 0 &&
      state.gsetPrefix === null &&
      !state.gexec &&
      isSelectCommand(sql) &&
      !sql.replace(/;\s*$/, '').includes(';')
    ) {
      ok = await queryWithCursor(state, sql);
    } else {
      ok = await runAndPrint(state, sql, io);
    }
    if (useSavepoint) {
      const status = session.transactionStatus();
      if (!ok && status === 'E') await session.query('ROLLBACK TO pg_psql_temporary_savepoint');
      else if (ok && status === 'T') await session.query('RELEASE pg_psql_temporary_savepoint');
    }
    if (ok && state.timing) writeStdout(formatTiming(performance.now() - started));
    return ok;
  } finally {
    resetOneShot(state);
    if (!ok && state.echo === 'errors') state.info(`STATEMENT:  ${sql}\n`);
  }
}

/** Echoed queries and timing go to the real stdout, not to \o. */
function writeStdout(text: string): void {
  stdoutTarget.write(text);
}

function resetOneShot(state: PsqlState): void {
  state.gsetPrefix = null;
  state.gexec = false;
  state.gdesc = false;
  state.gPopt = null;
  if (state.gOut !== null) {
    void state.gOut.close();
    state.gOut = null;
  }
}

async function runAndPrint(state: PsqlState, sql: string, io: QueryIo): Promise<boolean> {
  const session = state.session;
  if (session === null) return false;
  let ok = true;
  const gsetPrefix = state.gsetPrefix;
  const gexec = state.gexec;
  const popt = state.printOptions();
  const out = state.out();
  // The one-shot \g options apply to this query only, not to queries \gexec runs.
  state.gsetPrefix = null;
  state.gexec = false;
  state.gPopt = null;
  const gexecResults: StatementResult[] = [];
  const handlers: QueryHandlers = {
    onResult: (r) => {
      if (r.fields !== null && r.copy === undefined) {
        if (gsetPrefix !== null) {
          if (!storeGset(state, r, gsetPrefix)) ok = false;
        } else if (gexec) {
          gexecResults.push(r);
        } else {
          writeResult(state, out, printQuery({ fields: r.fields, rows: r.rows }, popt));
          if (r.commandTag !== null && /^(INSERT|UPDATE|DELETE)/.test(r.commandTag))
            printStatus(state, r.commandTag);
        }
      } else if (r.commandTag !== null && r.copy !== 'out') {
        // COPY TO STDOUT's tag is not printed: it would land among the data.
        printStatus(state, r.commandTag);
      }
    },
    onCopyData: (chunk) => state.out().write(chunk),
    copyInSource: () => copyLines(state, io),
  };
  state.queryRunning = true;
  let outcome;
  try {
    outcome = await session.query(sql, handlers);
  } finally {
    state.queryRunning = false;
    if (state.pendingCancel !== null) {
      await state.pendingCancel;
      state.pendingCancel = null;
    }
  }
  if (outcome.error) {
    reportServerError(state, outcome.error, sql);
    state.lastError = { notice: outcome.error, query: sql };
    setErrorVariables(state, outcome.error);
    return false;
  }
  setSuccessVariables(state, outcome.results[outcome.results.length - 1]);
  for (const r of gexecResults) {
    for (const row of r.rows) {
      for (const v of row) {
        if (v === null) continue;
        if (state.echo === 'all') writeStdout(v + '\n');
        if (!(await sendQuery(state, v, io))) {
          ok = false;
          if (state.onErrorStop) return false;
        }
      }
    }
  }
  return ok;
}

async function* copyLines(state: PsqlState, io: QueryIo): AsyncIterable<Buffer> {
  if (state.interactive && !state.quiet)
    writeStdout(
      'Enter data to be copied followed by a newline.\nEnd with a backslash and a period on a line by itself, or an EOF signal.\n',
    );
  for (;;) {
    const line = await io.readCopyLine();
    if (line === null || line === '\\.') return;
    yield Buffer.from(line + '\n', 'utf8');
  }
}

function storeGset(state: PsqlState, r: StatementResult, prefix: string): boolean {
  if (r.rows.length === 0) {
    state.error('no rows returned for \\gset');
    return false;
  }
  if (r.rows.length > 1) {
    state.error('more than one row returned for \\gset');
    return false;
  }
  const row = r.rows[0] ?? [];
  (r.fields ?? []).forEach((f, i) => {
    const name = prefix + f.name;
    if (!validVariableName(name)) {
      state.error(`invalid variable name: "${name}"`);
      return;
    }
    if (SPECIAL_VARIABLES.has(name)) {
      state.warning(`attempt to \\gset into specially treated variable "${name}" ignored`);
      return;
    }
    const v = row[i];
    const err = state.vars.set(name, v === null ? undefined : v);
    if (err !== null) state.error(err);
  });
  return true;
}

async function describeQuery(state: PsqlState, sql: string): Promise<boolean> {
  const session = state.session;
  if (session === null) return false;
  const d = await session.describe(sql);
  if (d.error) {
    reportServerError(state, d.error, sql);
    setErrorVariables(state, d.error);
    return false;
  }
  if (d.fields === null || d.fields.length === 0) {
    state.out().write('The command has no result, or the result has no columns.\n');
    setSuccessVariables(state, undefined);
    return true;
  }
  const literal = (s: string): string => "'" + s.replace(/'/g, "''") + "'";
  const values = d.fields
    .map((f) => `(${literal(f.name)}, ${f.typeOid}, ${f.typeModifier})`)
    .join(', ');
  const q =
    'SELECT name AS "Column", pg_catalog.format_type(tp, tpm) AS "Type"\n' +
    `FROM (VALUES ${values}) s(name, tp, tpm)`;
  const r = await session.query(q);
  if (r.error) {
    reportServerError(state, r.error, q);
    return false;
  }
  const res = r.results[0];
  if (res?.fields)
    state.out().write(printQuery({ fields: res.fields, rows: res.rows }, state.printOptions()));
  setSuccessVariables(state, undefined);
  return true;
}

/** FETCH_COUNT: read the result through a cursor, printing each batch as one table section. */
async function queryWithCursor(state: PsqlState, sql: string): Promise<boolean> {
  const session = state.session;
  if (session === null) return false;
  const startedTx = session.transactionStatus() === 'I';
  if (startedTx) {
    const r = await session.query('BEGIN');
    if (r.error) {
      reportServerError(state, r.error, 'BEGIN');
      return false;
    }
  }
  const declare = `DECLARE _psql_cursor NO SCROLL CURSOR FOR\n${sql}`;
  const d = await session.query(declare);
  if (d.error) {
    reportServerError(state, d.error, declare);
    setErrorVariables(state, d.error);
    if (startedTx) await session.query('ROLLBACK');
    return false;
  }
  // Each batch is printed as it arrives: the first with the header, the last with the footer,
  // every one with its own column widths (as psql does).
  const popt = { ...state.printOptions(), startTable: true, stopTable: false, priorRecords: 0 };
  const out = state.out();
  let total = 0;
  for (;;) {
    const f = await session.query(`FETCH FORWARD ${state.fetchCount} FROM _psql_cursor`);
    if (f.error) {
      reportServerError(state, f.error, null);
      setErrorVariables(state, f.error);
      if (startedTx) await session.query('ROLLBACK');
      return false;
    }
    const res = f.results[0];
    const rows = res?.rows ?? [];
    total += rows.length;
    if (rows.length < state.fetchCount) popt.stopTable = true;
    if (res?.fields) out.write(printQuery({ fields: res.fields, rows }, popt));
    popt.startTable = false;
    popt.priorRecords += rows.length;
    if (rows.length < state.fetchCount) break;
  }
  await session.query('CLOSE _psql_cursor');
  if (startedTx) await session.query('COMMIT');
  state.vars.setRaw('ERROR', 'false');
  state.vars.setRaw('SQLSTATE', '00000');
  state.vars.setRaw('ROW_COUNT', String(total));
  return true;
}
