/**
 * postmaster.pid and the socket lock files (.s.PGSQL.<port>.lock), as PostgreSQL writes them:
 *   1 pid  2 data directory  3 start time (epoch s)  4 port  5 first socket directory
 *   6 first listen address  7 shared memory key (a placeholder here)  8 status
 * Created exclusively; a lock left by a process that no longer runs is taken over, one held by a
 * live process stops the server with PostgreSQL's message. pg_ctl-style tools read line 8.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { FatalError } from './data-dir.js';

export type PidStatus = 'starting' | 'stopping' | 'ready   ' | 'standby ';

export interface LockContents {
  pid: number;
  dataDir: string;
  startTime: number;
  port: number;
  socketDir: string;
  listenAddress: string;
  status: PidStatus;
}

export function formatLock(c: LockContents): string {
  return (
    [
      String(c.pid),
      c.dataDir,
      String(c.startTime),
      String(c.port),
      c.socketDir,
      c.listenAddress,
      `${String(c.port * 1000 + 1).padStart(9)} ${String(0).padStart(9)}`,
      c.status,
    ].join('\n') + '\n'
  );
}

export function readLockPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creates `file` exclusively with `contents`. `describe` gives the hint for a live holder.
 * Returns whether a stale lock was removed (the caller may then remove a stale socket too).
 */
export function createLockFile(
  file: string,
  contents: string,
  hint: (pid: number) => string,
  shownName = file,
): boolean {
  let staleRemoved = false;
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, contents);
      closeSync(fd);
      return staleRemoved;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new FatalError(
          `could not create lock file "${shownName}": ${(err as Error).message}`,
        );
      }
    }
    const pid = readLockPid(file);
    // Our own pid (or our parent's) in a lock means a previous run under the same pid: stale.
    if (pid !== undefined && pid !== process.pid && pid !== process.ppid && processIsAlive(pid)) {
      throw new FatalError(`lock file "${shownName}" already exists`, { hint: hint(pid) });
    }
    try {
      unlinkSync(file);
      staleRemoved = true;
    } catch {
      // raced with another remover: retry
    }
  }
  throw new FatalError(`could not create lock file "${shownName}": too many attempts`);
}

/** Rewrites the status line (line 8) in place. */
export function updateLockStatus(file: string, status: PidStatus): void {
  try {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[7] = status;
    writeFileSync(file, lines.join('\n'));
  } catch {
    // the file is gone: nothing to update
  }
}

export function removeFile(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
