// The state of one psql run (psql's pset): connection, variables and the settings they drive,
// print options, output targets, where input comes from (for message prefixes) and the one-shot
// options of the \g family.
import type { Session, NoticeFields } from '../conn/session.js';
import type { PrintOptions } from '../print/options.js';
import { defaultPrintOptions } from '../print/options.js';
import { Variables } from './variables.js';
import type { OutputTarget } from './output.js';
import { stdoutTarget, writeStderr } from './output.js';
import type { ShowContext, Verbosity } from './error-format.js';

export type EchoMode = 'none' | 'queries' | 'errors' | 'all';
export type EchoHidden = 'off' | 'on' | 'noexec';
export type OnErrorRollback = 'off' | 'on' | 'interactive';

export interface InputLocation {
  /** File name for "psql:FILE:LINE:" prefixes; null for -c and piped stdin. */
  name: string | null;
  line: number;
}

export class PsqlState {
  readonly vars = new Variables();
  popt: PrintOptions = defaultPrintOptions();
  session: Session | null = null;
  queryOut: OutputTarget = stdoutTarget;
  /** The \o spec, to tell whether output is redirected. */
  queryOutSpec: string | null = null;
  location: InputLocation = { name: null, line: 0 };
  interactive = false;
  notty = true;
  /** True while running -c/-f actions or stdin non-interactively. */
  timing = false;

  // Settings driven by variables (kept in sync by hooks).
  autocommit = true;
  onErrorStop = false;
  onErrorRollback: OnErrorRollback = 'off';
  quiet = false;
  singleLine = false;
  singleStep = false;
  echo: EchoMode = 'none';
  echoHidden: EchoHidden = 'off';
  verbosity: Verbosity = 'default';
  showContext: ShowContext = 'errors';
  fetchCount = 0;
  showAllResults = true;

  /** True while a query runs (Ctrl-C then sends a cancel request instead of clearing input). */
  queryRunning = false;
  /** A cancel request in flight; its "Cancel request sent" must print before the result. */
  pendingCancel: Promise<void> | null = null;

  lastError: { notice: NoticeFields; query: string | null } | null = null;

  // One-shot \g options.
  gsetPrefix: string | null = null;
  gexec = false;
  gdesc = false;
  gOut: OutputTarget | null = null;
  gPopt: PrintOptions | null = null;
  /** Set by \watch: seconds between runs of the query buffer. */
  watchInterval: number | null = null;

  /** The output for query results right now (\g target, else \o target). */
  out(): OutputTarget {
    return this.gOut ?? this.queryOut;
  }

  printOptions(): PrintOptions {
    return this.gPopt ?? this.popt;
  }

  private prefix(): string {
    return this.location.name !== null ? `psql:${this.location.name}:${this.location.line}: ` : '';
  }

  /** psql's pg_log_error for meta-command problems. */
  error(message: string): void {
    const p = this.prefix();
    writeStderr(p === '' ? message + '\n' : `${p}error: ${message}\n`);
  }

  warning(message: string): void {
    const p = this.prefix();
    writeStderr(p === '' ? message + '\n' : `${p}warning: ${message}\n`);
  }

  /** Server messages (errors, notices): already formatted, ending in a newline. */
  info(message: string): void {
    writeStderr(this.prefix() + message);
  }
}
