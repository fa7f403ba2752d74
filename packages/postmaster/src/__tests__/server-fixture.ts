// Test fixture: a Tusk installation made by tusk-initdb in a temp directory and a tusk-postmaster
// run as the unprivileged server account on a free 127.0.0.1 port with a private socket directory;
// stopped (fast, then SIGKILL of its process group) and removed afterwards.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  asServerAccount,
  freePort,
  giveToServerAccount,
  runningAsRoot,
  serverAccountIds,
} from '@tuskdb/testkit';

export const binDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/bin');

export interface FixtureOptions {
  hba?: string[];
  settings?: Record<string, string | number | boolean>;
  /** Superuser password (tusk-initdb --pwfile). */
  password?: string;
  /** Files written into the base directory (readable by the server account) before start. */
  files?: Record<string, string>;
}

export interface Server {
  base: string;
  dataDir: string;
  socketDir: string;
  port: number;
  pid: number;
  child: ChildProcess;
  log(): string;
  /** Waits until the log contains `re`. */
  waitForLog(re: RegExp, timeoutMs?: number): Promise<void>;
  psql(
    args: string[],
    env?: Record<string, string>,
  ): { status: number | null; stdout: string; stderr: string };
  stop(): Promise<void>;
  exited(): Promise<number | null>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function confValue(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'number') return String(value);
  return `'${value.replace(/'/g, "''")}'`;
}

export async function startServer(options: FixtureOptions = {}): Promise<Server> {
  const base = mkdtempSync(path.join(tmpdir(), 'tusk-pm-'));
  chmodSync(base, 0o755);
  giveToServerAccount(base);
  const dataDir = path.join(base, 'data');
  const socketDir = path.join(base, 'sock');
  mkdirSync(socketDir);
  giveToServerAccount(socketDir);
  for (const [name, content] of Object.entries(options.files ?? {})) {
    writeFileSync(path.join(base, name), content, { mode: 0o600 });
    giveToServerAccount(path.join(base, name));
  }
  const initArgs = [path.join(binDir, 'tusk-initdb.js'), '-D', dataDir, '-U', 'postgres', '-N'];
  if (options.password !== undefined) {
    const pw = path.join(base, 'pwfile');
    writeFileSync(pw, options.password + '\n', { mode: 0o600 });
    giveToServerAccount(pw);
    initArgs.push('--pwfile', pw, '--auth=scram-sha-256');
  } else {
    initArgs.push('--auth=trust');
  }
  execFileSync(...asServerAccount(process.execPath, initArgs), { stdio: 'pipe' });
  const port = await freePort();
  const settings = {
    listen_addresses: '127.0.0.1',
    port,
    unix_socket_directories: socketDir,
    log_connections: true,
    log_disconnections: true,
    'tusk.idle_backends': 1,
    ...options.settings,
  };
  appendFileSync(
    path.join(dataDir, 'postgresql.conf'),
    Object.entries(settings)
      .map(([k, v]) => `${k} = ${confValue(v)}\n`)
      .join(''),
  );
  if (options.hba) writeFileSync(path.join(dataDir, 'pg_hba.conf'), options.hba.join('\n') + '\n');
  const logFile = path.join(base, 'server.log');
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [path.join(binDir, 'tusk-postmaster.js'), '-D', dataDir], {
    stdio: ['ignore', fd, fd],
    detached: true,
    ...(runningAsRoot ? serverAccountIds() : {}),
  });
  closeSync(fd);
  let exitCode: number | null | undefined;
  const exitPromise = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  const log = () => readFileSync(logFile, 'utf8');
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`postmaster exited (${exitCode}):\n${log()}`);
    if (existsSync(pidFile) && readFileSync(pidFile, 'utf8').split('\n')[7] === 'ready   ') break;
    if (Date.now() > deadline) throw new Error(`postmaster did not get ready:\n${log()}`);
    await sleep(50);
  }
  const server: Server = {
    base,
    dataDir,
    socketDir,
    port,
    pid: child.pid!,
    child,
    log,
    async waitForLog(re, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      while (!re.test(log())) {
        if (Date.now() > end) throw new Error(`log never matched ${re}:\n${log()}`);
        await sleep(50);
      }
    },
    psql(args, env = {}) {
      const r = spawnSyncPsql(args, env);
      return r;
    },
    exited: () => exitPromise,
    async stop() {
      if (exitCode === undefined) {
        try {
          process.kill(child.pid!, 'SIGINT');
        } catch {
          // gone
        }
        const timer = setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // gone
          }
        }, 10_000);
        await exitPromise;
        clearTimeout(timer);
      }
      // Whatever is left of the process group (backends) goes too.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // none left
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
  return server;
}

import { spawnSync } from 'node:child_process';
function spawnSyncPsql(args: string[], env: Record<string, string>) {
  const r = spawnSync('psql', ['-X', ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, PGCONNECT_TIMEOUT: '10', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
