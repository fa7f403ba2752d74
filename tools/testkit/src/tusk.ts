// A throwaway Tusk server for tests: `tusk-initdb` into a temp directory, `tusk-postmaster` run as the
// unprivileged account on a free 127.0.0.1 port and a private Unix socket directory; stopped (fast
// shutdown, then SIGKILL if it lingers) and removed afterwards.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
  appendFileSync,
  closeSync,
  openSync,
  readFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  asServerAccount,
  giveToServerAccount,
  runningAsRoot,
  serverAccountIds,
} from './accounts.js';
import { freePort } from './free-port.js';
import { pgBinDir } from './postgres.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const tuskBinDir = path.join(repoRoot, 'packages', 'postmaster', 'dist', 'bin');

export interface TuskOptions {
  /** Lines of pg_hba.conf; the default trusts everyone on loopback and the socket. */
  hba?: string[];
  /** Extra postgresql.conf settings. */
  settings?: Record<string, string | number | boolean>;
  superuser?: string;
  /** Where the server's log goes (default: a file in the temp directory). */
  logFile?: string;
}

export interface TuskServer {
  host: string;
  port: number;
  socketDir: string;
  dataDir: string;
  superuser: string;
  uri: string;
  logFile: string;
  /** pid of the postmaster. */
  pid: number;
  /** Runs SQL with real psql and returns stdout. */
  psql(sql: string, args?: string[]): string;
  stop(): Promise<void>;
}

function confValue(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'number') return String(value);
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Waits until the server accepts sessions (not merely TCP connections: before it is ready it answers
 * "the database system is starting up"), using PostgreSQL's own pg_isready as the probe.
 */
async function waitUntilReady(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`tusk-postmaster exited (${child.exitCode ?? child.signalCode})`);
    }
    const probe = spawnSync(path.join(pgBinDir, 'pg_isready'), [
      '-q',
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
    ]);
    if (probe.status === 0) return;
    if (Date.now() > deadline) throw new Error('tusk-postmaster did not become ready in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts a Tusk installation; resolves once it accepts TCP connections. */
export async function startTusk(options: TuskOptions = {}): Promise<TuskServer> {
  if (!existsSync(path.join(tuskBinDir, 'tusk-postmaster.js'))) {
    throw new Error(`Tusk is not built: ${tuskBinDir} has no tusk-postmaster.js`);
  }
  const base = mkdtempSync(path.join(tmpdir(), 'tusk-srv-'));
  chmodSync(base, 0o755);
  const dataDir = path.join(base, 'data');
  const socketDir = path.join(base, 'sock');
  mkdirSync(socketDir);
  giveToServerAccount(base);
  giveToServerAccount(socketDir);
  const superuser = options.superuser ?? 'postgres';
  execFileSync(
    ...asServerAccount(process.execPath, [
      path.join(tuskBinDir, 'tusk-initdb.js'),
      '-D',
      dataDir,
      '-U',
      superuser,
      '--auth=trust',
    ]),
    { stdio: 'pipe' },
  );
  const port = await freePort();
  const settings: Record<string, string | number | boolean> = {
    listen_addresses: '127.0.0.1',
    port,
    unix_socket_directories: socketDir,
    ...options.settings,
  };
  appendFileSync(
    path.join(dataDir, 'postgresql.conf'),
    Object.entries(settings)
      .map(([k, v]) => `${k} = ${confValue(v)}\n`)
      .join(''),
  );
  if (options.hba) writeFileSync(path.join(dataDir, 'pg_hba.conf'), options.hba.join('\n') + '\n');
  const logFile = options.logFile ?? path.join(base, 'server.log');
  writeFileSync(logFile, '');
  giveToServerAccount(logFile);
  const log = openSync(logFile, 'a');
  // Spawned directly with the account's uid/gid (not through runuser) so `pid` is the postmaster's.
  const child = spawn(
    process.execPath,
    [path.join(tuskBinDir, 'tusk-postmaster.js'), '-D', dataDir],
    { stdio: ['ignore', log, log], detached: true, ...(runningAsRoot ? serverAccountIds() : {}) },
  );
  closeSync(log);
  try {
    await waitUntilReady(port, child, 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}; server log:\n${readFileSync(logFile, 'utf8')}`, {
      cause: error,
    });
  }
  const psql = (sql: string, extra: string[] = []): string =>
    execFileSync(
      'psql',
      [
        '-X',
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        superuser,
        '-d',
        'postgres',
        ...extra,
        '-c',
        sql,
      ],
      { encoding: 'utf8' },
    );
  const server: TuskServer = {
    host: '127.0.0.1',
    port,
    socketDir,
    dataDir,
    superuser,
    uri: `postgresql://${superuser}@127.0.0.1:${port}/postgres`,
    logFile,
    pid: child.pid!,
    psql,
    stop: async () => {
      liveProcessGroups.delete(child.pid!);
      await stopChild(child);
      rmSync(base, { recursive: true, force: true });
    },
  };
  liveProcessGroups.add(child.pid!);
  return server;
}

/**
 * Servers still running when the test process exits (a failed test, a killed run) are taken down
 * with their whole process group, so no postmaster or backend outlives the tests.
 */
const liveProcessGroups = new Set<number>();
const killLiveServers = (): void => {
  for (const pgid of liveProcessGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  liveProcessGroups.clear();
};
process.once('exit', killLiveServers);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killLiveServers();
    // Keep the signal's default effect unless someone else (e.g. the test runner) handles it.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      // The postmaster and its backends are one process group (detached): take them all down.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }, 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGINT'); // fast shutdown
  });
}
