/**
 * What tusk-ctl does, as pg_ctl: start the postmaster in the background (output to a log file),
 * stop it in one of the three shutdown modes, restart, reload (SIGHUP) and report status — each by
 * reading postmaster.pid, whose first line is the pid and whose eighth is the status.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { processIsAlive } from '../lock-file.js';

export const postmasterScript = fileURLToPath(
  new URL('../bin/tusk-postmaster.js', import.meta.url),
);

export interface CtlIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

export function pidFilePath(dataDir: string): string {
  return path.join(dataDir, 'postmaster.pid');
}

export function readPidFile(dataDir: string): { pid: number; status: string } | undefined {
  try {
    const lines = readFileSync(pidFilePath(dataDir), 'utf8').split('\n');
    const pid = Number(lines[0]);
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    return { pid, status: (lines[7] ?? '').trim() };
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Splits an -o string on blanks, honouring single and double quotes. */
export function splitOpts(opts: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(opts); m; m = re.exec(opts)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

export interface StartOptions {
  dataDir: string;
  logFile?: string;
  wait: boolean;
  timeoutSec: number;
  opts: string[];
  user?: string;
  silent: boolean;
}

export async function start(o: StartOptions, io: CtlIo): Promise<number> {
  const existing = readPidFile(o.dataDir);
  if (existing && processIsAlive(existing.pid)) {
    io.err('tusk-ctl: another server might be running; trying to start server anyway\n');
  }
  const args = [
    postmasterScript,
    '-D',
    o.dataDir,
    ...o.opts,
    ...(o.user ? ['--user', o.user] : []),
  ];
  writeFileSync(
    path.join(o.dataDir, 'postmaster.opts'),
    [process.execPath, ...args].map((a) => `"${a}"`).join(' ') + '\n',
  );
  let logFd: number | undefined;
  if (o.logFile) logFd = openSync(o.logFile, 'a', 0o600);
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', logFd ?? 'inherit', logFd ?? 'inherit'],
  });
  if (logFd !== undefined) closeSync(logFd);
  let exitCode: number | null = null;
  child.on('exit', (code) => {
    exitCode = code ?? 1;
  });
  child.unref();
  if (!o.wait) {
    io.out('server starting\n');
    return 0;
  }
  io.out('waiting for server to start...');
  const deadline = Date.now() + o.timeoutSec * 1000;
  while (Date.now() < deadline) {
    await sleep(100);
    if (exitCode !== null) {
      io.out(' stopped waiting\n');
      io.err('tusk-ctl: could not start server\nExamine the log output.\n');
      return 1;
    }
    const pid = readPidFile(o.dataDir);
    if (pid && pid.pid === child.pid && pid.status === 'ready') {
      io.out(' done\nserver started\n');
      return 0;
    }
    io.out('.');
  }
  io.out(' stopped waiting\n');
  io.err('tusk-ctl: server did not start in time\n');
  return 1;
}

const modeSignal = { smart: 'SIGTERM', fast: 'SIGINT', immediate: 'SIGQUIT' } as const;

export async function stop(
  dataDir: string,
  mode: 'smart' | 'fast' | 'immediate',
  wait: boolean,
  timeoutSec: number,
  io: CtlIo,
): Promise<number> {
  const pid = readPidFile(dataDir);
  if (!pid) {
    io.err(`tusk-ctl: PID file "${pidFilePath(dataDir)}" does not exist\nIs server running?\n`);
    return 1;
  }
  try {
    process.kill(pid.pid, modeSignal[mode]);
  } catch (err) {
    io.err(`tusk-ctl: could not send stop signal (PID: ${pid.pid}): ${(err as Error).message}\n`);
    return 1;
  }
  if (!wait) {
    io.out('server shutting down\n');
    return 0;
  }
  io.out('waiting for server to shut down...');
  const deadline = Date.now() + timeoutSec * 1000;
  while (Date.now() < deadline) {
    await sleep(100);
    if (!existsSync(pidFilePath(dataDir)) || !processIsAlive(pid.pid)) {
      io.out(' done\nserver stopped\n');
      return 0;
    }
    io.out('.');
  }
  io.out(' failed\n');
  io.err('tusk-ctl: server does not shut down\n');
  if (mode === 'smart') {
    io.err(
      'HINT: The "-m fast" option immediately disconnects sessions rather than\nwaiting for session-initiated disconnection.\n',
    );
  }
  return 1;
}

export function reload(dataDir: string, io: CtlIo): number {
  const pid = readPidFile(dataDir);
  if (!pid) {
    io.err(`tusk-ctl: PID file "${pidFilePath(dataDir)}" does not exist\nIs server running?\n`);
    return 1;
  }
  try {
    process.kill(pid.pid, 'SIGHUP');
  } catch (err) {
    io.err(`tusk-ctl: could not send reload signal (PID: ${pid.pid}): ${(err as Error).message}\n`);
    return 1;
  }
  io.out('server signaled\n');
  return 0;
}

export function status(dataDir: string, io: CtlIo): number {
  const pid = readPidFile(dataDir);
  if (pid && processIsAlive(pid.pid)) {
    io.out(`tusk-ctl: server is running (PID: ${pid.pid})\n`);
    const opts = path.join(dataDir, 'postmaster.opts');
    if (existsSync(opts)) io.out(readFileSync(opts, 'utf8'));
    return 0;
  }
  io.out('tusk-ctl: no server running\n');
  return 3;
}

/** Options of the last start, for restart (postmaster.opts minus node and the script). */
export function previousOpts(dataDir: string): string[] {
  try {
    const words = splitOpts(readFileSync(path.join(dataDir, 'postmaster.opts'), 'utf8'));
    const rest = words.slice(2);
    const out: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === '-D' || rest[i] === '--user') {
        i++;
        continue;
      }
      out.push(rest[i]!);
    }
    return out;
  } catch {
    return [];
  }
}
