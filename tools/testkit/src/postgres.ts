// A throwaway PostgreSQL 15 server for tests: initdb into a temp directory, run as the unprivileged
// account on a free 127.0.0.1 port (and a private Unix socket directory), stopped and removed after.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, chmodSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asServerAccount, giveToServerAccount } from './accounts.js';
import { freePort } from './free-port.js';

export const pgBinDir = (() => {
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    return '/usr/lib/postgresql/15/bin';
  }
})();

export interface PostgresOptions {
  /** Lines of pg_hba.conf; the default trusts everyone on loopback and the socket. */
  hba?: string[];
  /** Extra postgresql.conf settings. */
  settings?: Record<string, string | number | boolean>;
  /** Superuser name (default `postgres`). */
  superuser?: string;
  /** Password of the superuser (set after start, so md5/scram rules can use it). */
  superuserPassword?: string;
  /** Files to write into the data directory before start (e.g. server.crt / server.key). */
  files?: Record<string, string>;
}

export interface PostgresServer {
  host: string;
  port: number;
  /** The Unix socket directory. */
  socketDir: string;
  dataDir: string;
  superuser: string;
  /** A libpq URI for the superuser and database `postgres`. */
  uri: string;
  /** Runs SQL with real psql (-X -q -A -t by default off: plain aligned output) and returns stdout. */
  psql(sql: string, args?: string[]): string;
  stop(): Promise<void>;
}

const running = new Set<PostgresServer>();
process.once('exit', () => {
  for (const server of running) {
    try {
      execFileSync(
        ...asServerAccount(path.join(pgBinDir, 'pg_ctl'), [
          'stop',
          '-D',
          server.dataDir,
          '-m',
          'immediate',
        ]),
        { stdio: 'ignore' },
      );
    } catch {
      // already gone
    }
  }
});

function confValue(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'number') return String(value);
  return `'${value.replace(/'/g, "''")}'`;
}

/** Starts a PostgreSQL 15 server; resolves once it accepts connections. */
export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const base = mkdtempSync(path.join(tmpdir(), 'tusk-pg-'));
  chmodSync(base, 0o755);
  const dataDir = path.join(base, 'data');
  const socketDir = path.join(base, 'sock');
  execFileSync('mkdir', ['-p', dataDir, socketDir]);
  giveToServerAccount(base);
  giveToServerAccount(dataDir);
  giveToServerAccount(socketDir);
  chmodSync(dataDir, 0o700);
  const superuser = options.superuser ?? 'postgres';
  execFileSync(
    ...asServerAccount(path.join(pgBinDir, 'initdb'), [
      '-D',
      dataDir,
      '-U',
      superuser,
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]),
    { stdio: 'ignore' },
  );
  const port = await freePort();
  const settings: Record<string, string | number | boolean> = {
    listen_addresses: '127.0.0.1',
    port,
    unix_socket_directories: socketDir,
    fsync: false,
    max_connections: 300,
    shared_buffers: '32MB',
    logging_collector: false,
    ...options.settings,
  };
  appendFileSync(
    path.join(dataDir, 'postgresql.conf'),
    Object.entries(settings)
      .map(([k, v]) => `${k} = ${confValue(v)}\n`)
      .join(''),
  );
  if (options.hba) {
    writeFileSync(path.join(dataDir, 'pg_hba.conf'), options.hba.join('\n') + '\n');
  }
  for (const [name, content] of Object.entries(options.files ?? {})) {
    const file = path.join(dataDir, name);
    writeFileSync(file, content, { mode: 0o600 });
    giveToServerAccount(file);
  }
  // pg_ctl -w waits until the server accepts connections.
  execFileSync(
    ...asServerAccount(path.join(pgBinDir, 'pg_ctl'), [
      'start',
      '-w',
      '-D',
      dataDir,
      '-l',
      path.join(base, 'server.log'),
      '-o',
      '-c config_file=' + path.join(dataDir, 'postgresql.conf'),
    ]),
    { stdio: 'ignore' },
  );
  const psql = (sql: string, args: string[] = []): string =>
    execFileSync(
      'psql',
      [
        '-X',
        '-h',
        socketDir,
        '-p',
        String(port),
        '-U',
        superuser,
        '-d',
        'postgres',
        ...args,
        '-c',
        sql,
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, PGPASSWORD: options.superuserPassword ?? '' },
      },
    );
  if (options.superuserPassword !== undefined) {
    // Through the socket; pg_hba rules for "local" must allow it (trust by default).
    psql(`ALTER ROLE ${superuser} PASSWORD '${options.superuserPassword.replace(/'/g, "''")}'`);
  }
  const server: PostgresServer = {
    host: '127.0.0.1',
    port,
    socketDir,
    dataDir,
    superuser,
    uri: `postgresql://${superuser}@127.0.0.1:${port}/postgres`,
    psql,
    stop: async () => {
      running.delete(server);
      await stopServer(dataDir);
      rmSync(base, { recursive: true, force: true });
    },
  };
  running.add(server);
  return server;
}

function stopServer(dataDir: string): Promise<void> {
  return new Promise((resolve) => {
    const [cmd, args] = asServerAccount(path.join(pgBinDir, 'pg_ctl'), [
      'stop',
      '-D',
      dataDir,
      '-m',
      'fast',
      '-w',
    ]);
    const child: ChildProcess = spawn(cmd, args, { stdio: 'ignore' });
    child.on('exit', () => resolve());
    child.on('error', () => resolve());
  });
}
