// Runs client programs (pgbench, psql, tusk-psql) asynchronously with a time limit, capturing their
// output, so a hung server fails one measurement instead of the whole run.
import { spawn } from 'node:child_process';

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Wall time in milliseconds. */
  ms: number;
}

export interface ExecOptions {
  timeoutMs?: number;
  input?: string | Buffer | NodeJS.ReadableStream;
  env?: NodeJS.ProcessEnv;
}

export class ExecError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
  }
}

/** Runs `command args`; rejects (with the first line of stderr) on a non-zero exit or timeout. */
export function run(
  command: string,
  args: string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 120_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) {
        resolve({ stdout, stderr, ms });
        return;
      }
      const why = timedOut
        ? `timed out after ${Math.round((options.timeoutMs ?? 120_000) / 1000)} s`
        : firstLine(stderr) || firstLine(stdout) || `exit ${code ?? signal}`;
      reject(new ExecError(`${command.split('/').pop()}: ${why}`, stderr));
    });
    child.stdin.on('error', () => {
      // The program may exit before reading all its input; its exit status tells what happened.
    });
    const input = options.input;
    if (input === undefined) child.stdin.end();
    else if (typeof input === 'string' || Buffer.isBuffer(input)) child.stdin.end(input);
    else input.pipe(child.stdin);
  });
}

/** The most telling line of a program's error output (the first ERROR/FATAL line if any). */
export function firstLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  // A server's own ERROR/FATAL line says most; a generic "Command failed: …" line says least.
  const pick =
    lines.find((l) => /ERROR|FATAL/.test(l)) ??
    lines.find((l) => /error:|failed/.test(l) && !l.startsWith('Command failed')) ??
    lines[0];
  return (pick ?? '').slice(0, 160);
}

/** A short reason for an n/a figure from any thrown value. */
export function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (firstLine(message) || 'failed').replace(/\s+/g, ' ').slice(0, 140);
}
