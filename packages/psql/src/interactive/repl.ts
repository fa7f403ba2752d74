// The interactive loop: banner, prompts, line editing and history (node:readline).
import readline from 'node:readline';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PsqlState } from '../app/state.js';
import type { LineSource } from '../app/line-source.js';
import { mainLoop } from '../app/main-loop.js';
import { stdoutTarget, writeStderr } from '../app/output.js';
import { PROGRAM, TUSK_VERSION } from '../app/help.js';
import { makeCompleter } from './completion.js';

class ReadlineSource implements LineSource {
  readonly name = null;
  readonly path = null;
  readonly interactive = true;
  private readonly rl: readline.Interface;
  private readonly lines: string[] = [];
  private waiter: ((l: string | null) => void) | null = null;
  private closed = false;
  private interrupted = false;

  constructor(
    history: string[],
    private readonly state: PsqlState,
  ) {
    this.rl = readline.createInterface({
      input: process.stdin,
      output: process.stdout,
      terminal: true,
      history,
      historySize: 500,
      completer: (line: string, cb: (err: null, result: [string[], string]) => void) => {
        makeCompleter(state)(line).then(
          (r) => cb(null, r),
          () => cb(null, [[], line]),
        );
      },
    });
    this.rl.on('line', (l) => {
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = null;
        w(l);
      } else this.lines.push(l);
    });
    this.rl.on('close', () => {
      this.closed = true;
      this.waiter?.(null);
      this.waiter = null;
    });
    this.rl.on('SIGINT', () => {
      if (this.state.queryRunning) {
        // Ctrl-C during a query asks the server to cancel it (psql's cancel request).
        const s = this.state.session;
        if (s)
          this.state.pendingCancel = s.cancel().then(
            () => {
              writeStderr('Cancel request sent\n');
            },
            (e: unknown) => {
              writeStderr(
                `Could not send cancel request: ${e instanceof Error ? e.message : String(e)}\n`,
              );
            },
          );
        return;
      }
      // At the prompt: drop the line and the statement typed so far.
      this.rl.write(null, { ctrl: true, name: 'u' });
      process.stdout.write('\n');
      this.interrupted = true;
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = null;
        w('');
      }
    });
  }

  takeInterrupt(): boolean {
    const i = this.interrupted;
    this.interrupted = false;
    return i;
  }

  history(): string[] {
    return (this.rl as unknown as { history: string[] }).history ?? [];
  }

  readLine(prompt: string): Promise<string | null> {
    const l = this.lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    if (this.closed) return Promise.resolve(null);
    this.rl.setPrompt(prompt);
    this.rl.prompt();
    return new Promise((resolve) => (this.waiter = resolve));
  }

  close(): void {
    this.rl.close();
  }
}

export async function runInteractive(state: PsqlState): Promise<number> {
  const histFile = process.env.PSQL_HISTORY ?? path.join(os.homedir(), '.psql_history');
  let history: string[];
  try {
    history = fs
      .readFileSync(histFile, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .reverse();
  } catch {
    history = [];
  }
  if (!state.quiet) {
    const server = state.session?.parameterStatus('server_version') ?? '';
    stdoutTarget.write(
      `${PROGRAM} (Tusk ${TUSK_VERSION}, server ${server})\nType "help" for help.\n\n`,
    );
  }
  const source = new ReadlineSource(history, state);
  try {
    return await mainLoop(state, source);
  } finally {
    try {
      fs.writeFileSync(histFile, source.history().slice(0, 500).reverse().join('\n') + '\n');
    } catch {
      // history is best effort
    }
    source.close();
  }
}
