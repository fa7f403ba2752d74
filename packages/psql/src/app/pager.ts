// The pager for long results (psql's PageOutput): used only when both stdin and stdout are
// terminals, \pset pager is on (and the output is taller than the screen) or always, and the
// output goes to stdout. PSQL_PAGER, then PAGER, then "less"; an empty or blank value disables it.
import { spawnSync } from 'node:child_process';
import type { PsqlState } from './state.js';
import type { OutputTarget } from './output.js';

export function pagerCommand(env: NodeJS.ProcessEnv): string | null {
  const cmd = env.PSQL_PAGER ?? env.PAGER ?? 'less';
  return cmd.trim() === '' ? null : cmd;
}

/** Writes a finished table, through the pager when psql would use one. */
export function writeResult(state: PsqlState, out: OutputTarget, text: string): void {
  const popt = state.printOptions();
  const terminal = process.stdin.isTTY && process.stdout.isTTY;
  if (!out.isStdout || !terminal || popt.pager === 'off') {
    out.write(text);
    return;
  }
  const lines = text.split('\n').length - 1;
  const rows = process.stdout.rows || 24;
  const cmd = pagerCommand(process.env);
  if (cmd === null || (popt.pager === 'on' && (lines < rows || lines < popt.pagerMinLines))) {
    out.write(text);
    return;
  }
  spawnSync('/bin/sh', ['-c', cmd], { input: text, stdio: ['pipe', 'inherit', 'inherit'] });
}
