// Runs a catalog query for a \d-family command: echoes it under ECHO_HIDDEN and prints the
// result with the command's title and psql's translation-free headers.
import { writeResult } from '../app/pager.js';
import type { PsqlState } from '../app/state.js';
import { reportServerError } from '../app/exec-query.js';
import { printQuery } from '../print/print-table.js';
import { stdoutTarget } from '../app/output.js';
import type { StatementResult } from '../conn/session.js';

/** Runs a hidden query; returns its result or null on error (already reported). */
export async function hiddenQuery(state: PsqlState, sql: string): Promise<StatementResult | null> {
  if (state.echoHidden !== 'off') {
    stdoutTarget.write(`********* QUERY **********\n${sql}\n**************************\n\n`);
    if (state.echoHidden === 'noexec') return null;
  }
  const session = state.session;
  if (session === null) {
    state.error('You are currently not connected to a database.');
    return null;
  }
  const r = await session.query(sql);
  if (r.error) {
    reportServerError(state, r.error, sql);
    return null;
  }
  return r.results[r.results.length - 1] ?? null;
}

export async function runDescribeQuery(
  state: PsqlState,
  sql: string,
  title: string,
  footers: string[] | null = null,
): Promise<boolean> {
  const r = await hiddenQuery(state, sql);
  if (r === null) return state.echoHidden === 'noexec';
  writeResult(
    state,
    state.queryOut,
    printQuery({ fields: r.fields ?? [], rows: r.rows }, state.popt, { title, footers }),
  );
  return true;
}
