/**
 * The postmaster: checks the data directory, loads postgresql.conf / pg_hba.conf / pg_ident.conf,
 * takes the postmaster.pid lock, recovers storage after a crash, opens the listeners, keeps the
 * backend pool, and reacts to signals as PostgreSQL's does — SIGHUP reload, SIGTERM smart
 * shutdown (wait for sessions to end), SIGINT fast shutdown (terminate sessions), SIGQUIT
 * immediate shutdown. Connections it cannot take (too many, shutting down) it refuses itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import * as backend from '@tuskdb/backend';
import {
  loadHbaFile,
  loadIdentFile,
  refuseConnection,
  serverLog,
  type ConnectionConfig,
  type HbaRule,
  type IdentEntry,
} from '@tuskdb/backend';
import { BackendPool } from './backend-pool.js';
import { ConfFileError } from './config/conf-file.js';
import { loadSettings, type ServerSettings } from './config/settings.js';
import { checkDataDir, FatalError } from './data-dir.js';
import {
  closeListeners,
  openTcpListeners,
  openUnixListeners,
  splitList,
  type Listener,
} from './listeners.js';
import { createLockFile, formatLock, removeFile, updateLockStatus } from './lock-file.js';

export interface PostmasterOptions {
  dataDir: string;
  /** -c name=value and the short options (-p, -h, -k) in command-line order. */
  overrides: Array<[string, string]>;
}

type State = 'starting' | 'running' | 'smart' | 'fast' | 'immediate' | 'done';

/** The storage hooks the postmaster uses, when this build of the backend has them. */
interface StorageCluster {
  recoverAfterCrash(): void;
  abortTransactionsOfDeadProcess(pid: number): void;
  close(): Promise<void>;
}

function openStorage(dataDir: string): StorageCluster | undefined {
  const open = (backend as Record<string, unknown>).openCluster;
  if (typeof open !== 'function') {
    serverLog(
      'WARNING',
      'this build has no storage layer: crash recovery and dead-backend cleanup are unavailable',
    );
    return undefined;
  }
  try {
    return (open as (dir: string) => StorageCluster)(dataDir);
  } catch (err) {
    throw new FatalError(
      `could not open the storage of data directory "${dataDir}": ${(err as Error).message}`,
    );
  }
}

interface AuthConfig {
  hbaRules: HbaRule[];
  identEntries: IdentEntry[];
}

/** Loads pg_hba.conf and pg_ident.conf; undefined (after logging why) when pg_hba.conf is bad. */
function loadAuthFiles(settings: ServerSettings): AuthConfig | undefined {
  let hba;
  try {
    hba = loadHbaFile(settings.hba_file, settings.ssl);
  } catch (err) {
    serverLog(
      'LOG',
      `could not open configuration file "${settings.hba_file}": ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (err as Error).message}`,
    );
    return undefined;
  }
  for (const w of hba.warnings) serverLog('WARNING', w);
  for (const e of hba.errors) serverLog('LOG', e.message, { context: e.context });
  if (hba.errors.length > 0) return undefined;
  if (hba.rules.length === 0) {
    serverLog('LOG', `configuration file "${settings.hba_file}" contains no entries`);
    return undefined;
  }
  const ident = loadIdentFile(settings.ident_file);
  for (const e of ident.errors) serverLog('LOG', e.message, { context: e.context });
  return { hbaRules: hba.rules, identEntries: ident.entries };
}

function checkSslFiles(dataDir: string, s: ServerSettings): void {
  const resolve = (f: string) => (path.isAbsolute(f) ? f : path.join(dataDir, f));
  const read = (setting: string, file: string, what: string) => {
    try {
      return readFileSync(resolve(file));
    } catch (err) {
      const reason =
        (err as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'No such file or directory'
          : (err as Error).message;
      throw new FatalError(`could not load ${what} "${file}": ${reason}`);
    }
  };
  const cert = read('ssl_cert_file', s.ssl_cert_file, 'server certificate file');
  const key = read('ssl_key_file', s.ssl_key_file, 'private key file');
  try {
    tls.createSecureContext({
      cert,
      key,
      ...(s.ssl_ca_file ? { ca: read('ssl_ca_file', s.ssl_ca_file, 'root certificate file') } : {}),
    });
  } catch (err) {
    throw new FatalError(
      `could not load server certificate file "${s.ssl_cert_file}": ${(err as Error).message}`,
    );
  }
}

export class Postmaster {
  private state: State = 'starting';
  private settings!: ServerSettings;
  private auth!: AuthConfig;
  private listeners: Listener[] = [];
  private pool!: BackendPool;
  private storage: StorageCluster | undefined;
  private readonly pidFile: string;
  private fastKillTimer: NodeJS.Timeout | undefined;
  private exitResolve: ((code: number) => void) | undefined;

  constructor(private readonly options: PostmasterOptions) {
    this.pidFile = path.join(options.dataDir, 'postmaster.pid');
  }

  private connectionConfig(): ConnectionConfig {
    const s = this.settings;
    return {
      dataDir: this.options.dataDir,
      hbaRules: this.auth.hbaRules,
      identEntries: this.auth.identEntries,
      authenticationTimeoutMs: s.authentication_timeout * 1000,
      ssl: s.ssl,
      sslCertFile: s.ssl_cert_file,
      sslKeyFile: s.ssl_key_file,
      sslCaFile: s.ssl_ca_file,
      passwordEncryption: s.password_encryption,
      logConnections: s.log_connections,
      logDisconnections: s.log_disconnections,
      maxConnections: s.max_connections,
      settings: s.raw,
    };
  }

  private readSettings(): ServerSettings {
    const { settings, errors } = loadSettings(this.options.dataDir, this.options.overrides);
    if (errors.length > 0) {
      for (const e of errors.slice(0, -1))
        serverLog('LOG', e.message, e.hint ? { hint: e.hint } : {});
      const last = errors[errors.length - 1]!;
      throw new FatalError(last.message, last.hint ? { hint: last.hint } : {});
    }
    return settings;
  }

  /** Runs until shutdown; resolves with the exit code. */
  async run(): Promise<number> {
    const dataDir = this.options.dataDir;
    checkDataDir(dataDir);
    try {
      this.settings = this.readSettings();
    } catch (err) {
      if (err instanceof ConfFileError) throw new FatalError(err.message);
      throw err;
    }
    const auth = loadAuthFiles(this.settings);
    if (!auth) throw new FatalError('could not load pg_hba.conf');
    this.auth = auth;
    if (this.settings.ssl) checkSslFiles(dataDir, this.settings);

    const s = this.settings;
    const lockBase = {
      pid: process.pid,
      dataDir,
      startTime: Math.floor(Date.now() / 1000),
      port: s.port,
      socketDir: splitList(s.unix_socket_directories)[0] ?? '',
      listenAddress: splitList(s.listen_addresses)[0] ?? '',
      status: 'starting' as const,
    };
    createLockFile(
      this.pidFile,
      formatLock(lockBase),
      (pid) => `Is another postmaster (PID ${pid}) running in data directory "${dataDir}"?`,
      'postmaster.pid',
    );
    const exited = new Promise<number>((resolve) => {
      this.exitResolve = resolve;
    });
    try {
      serverLog(
        'LOG',
        `starting Tusk 0.1.0 (PostgreSQL 15 compatible) on ${process.arch}-${process.platform}, Node.js ${process.version}`,
      );
      this.storage = openStorage(dataDir);
      this.storage?.recoverAfterCrash();
      this.installSignals();
      const onConnection = (socket: net.Socket, local: boolean) => this.onConnection(socket, local);
      this.listeners = await openTcpListeners(s.listen_addresses, s.port, onConnection);
      this.listeners.push(
        ...(await openUnixListeners(
          s.unix_socket_directories,
          s.port,
          s.unix_socket_permissions,
          s.unix_socket_group,
          lockBase,
          onConnection,
        )),
      );
      this.pool = new BackendPool({
        dataDir,
        config: () => this.connectionConfig(),
        idleTarget: () => this.settings['tusk.idle_backends'],
        maxIdle: () =>
          Math.max(this.settings['tusk.idle_backends'], this.settings['tusk.max_idle_backends']),
        maxConnections: () => this.settings.max_connections,
        reservedConnections: () => this.settings.superuser_reserved_connections,
        onAbnormalExit: (pid) => this.onBackendDied(pid),
        onAllExited: () => this.maybeFinish(),
      });
      this.pool.replenish();
      // Connections arriving meanwhile wait in the pool's queue; pg_ctl-style waiting on "ready"
      // then means a backend can actually take a connection.
      if (this.settings['tusk.idle_backends'] > 0) await this.pool.whenOneReady(30_000);
      this.state = 'running';
      updateLockStatus(this.pidFile, 'ready   ');
      serverLog('LOG', 'database system is ready to accept connections');
      warnIfStockLmdb();
    } catch (err) {
      closeListeners(this.listeners);
      removeFile(this.pidFile);
      throw err;
    }
    return exited;
  }

  private onBackendDied(pid: number): void {
    if (!this.storage) return;
    try {
      this.storage.abortTransactionsOfDeadProcess(pid);
      serverLog('LOG', `aborted the transactions of terminated server process (PID ${pid})`);
    } catch (err) {
      serverLog(
        'LOG',
        `could not clean up after server process (PID ${pid}): ${(err as Error).message}`,
      );
    }
  }

  private onConnection(socket: net.Socket, local: boolean): void {
    socket.on('error', () => undefined);
    const timeout = this.settings.authentication_timeout * 1000;
    const onCancel = (pid: number, key: number) => this.pool.routeCancel(pid, key);
    if (this.state !== 'running') {
      const message =
        this.state === 'starting'
          ? 'the database system is starting up'
          : 'the database system is shutting down';
      void refuseConnection(socket, '57P03', message, timeout, onCancel);
      return;
    }
    if (this.pool.activeCount >= this.settings.max_connections) {
      void refuseConnection(socket, '53300', 'sorry, too many clients already', timeout, onCancel);
      return;
    }
    this.pool.dispatch(
      socket,
      local
        ? { local: true }
        : {
            local: false,
            ...(socket.remoteAddress !== undefined ? { remoteAddress: socket.remoteAddress } : {}),
            ...(socket.remotePort !== undefined ? { remotePort: socket.remotePort } : {}),
          },
    );
  }

  private installSignals(): void {
    process.on('SIGHUP', () => this.reload());
    process.on('SIGTERM', () => this.shutdown('smart'));
    process.on('SIGINT', () => this.shutdown('fast'));
    process.on('SIGQUIT', () => this.shutdown('immediate'));
    process.on('SIGPIPE', () => undefined);
    process.on('uncaughtException', (err) => {
      serverLog('LOG', `postmaster internal error: ${err.stack ?? err.message}`);
    });
  }

  reload(): void {
    serverLog('LOG', 'received SIGHUP, reloading configuration files');
    let next: ServerSettings;
    try {
      const loaded = loadSettings(this.options.dataDir, this.options.overrides);
      if (loaded.errors.length > 0) {
        for (const e of loaded.errors) serverLog('LOG', e.message);
        serverLog(
          'LOG',
          `configuration file "${path.join(this.options.dataDir, 'postgresql.conf')}" contains errors; no changes were applied`,
        );
        return;
      }
      next = loaded.settings;
    } catch (err) {
      serverLog('LOG', (err as Error).message);
      return;
    }
    const restartOnly = [
      'port',
      'listen_addresses',
      'unix_socket_directories',
      'unix_socket_permissions',
      'unix_socket_group',
      'max_connections',
      'superuser_reserved_connections',
    ] as const;
    for (const name of restartOnly) {
      if (next[name] !== this.settings[name]) {
        serverLog('LOG', `parameter "${name}" cannot be changed without restarting the server`);
        (next as unknown as Record<string, unknown>)[name] = this.settings[name];
      }
    }
    if (next.ssl) {
      try {
        checkSslFiles(this.options.dataDir, next);
      } catch (err) {
        serverLog('LOG', (err as Error).message);
        next.ssl = false;
      }
    }
    for (const [k, v] of Object.entries(next.raw)) {
      if (this.settings.raw[k] !== v) serverLog('LOG', `parameter "${k}" changed to "${v}"`);
    }
    this.settings = next;
    const auth = loadAuthFiles(next);
    if (!auth) serverLog('WARNING', 'pg_hba.conf was not reloaded');
    else this.auth = auth;
    this.pool.replenish();
  }

  shutdown(mode: 'smart' | 'fast' | 'immediate'): void {
    const rank = { starting: 0, running: 0, smart: 1, fast: 2, immediate: 3, done: 4 } as const;
    const wanted = { smart: 1, fast: 2, immediate: 3 }[mode];
    if (rank[this.state] >= wanted) return;
    serverLog('LOG', `received ${mode} shutdown request`);
    this.state = mode;
    updateLockStatus(this.pidFile, 'stopping');
    if (!this.pool) {
      this.finish();
      return;
    }
    this.pool.stopAccepting();
    if (mode === 'fast') {
      if (this.pool.sessionCount > 0) serverLog('LOG', 'aborting any active transactions');
      this.pool.terminateAll();
      // A session that does not end after being told to: end it the hard way.
      this.fastKillTimer = setTimeout(() => {
        serverLog(
          'LOG',
          'terminating remaining server processes that ignored the shutdown request',
        );
        this.pool.killAll('SIGKILL');
      }, 30_000);
      this.fastKillTimer.unref();
    }
    if (mode === 'immediate') this.pool.killAll('SIGKILL');
    this.maybeFinish();
  }

  private maybeFinish(): void {
    if (this.state === 'smart' || this.state === 'fast' || this.state === 'immediate') {
      if (this.pool.children.size === 0) this.finish();
    }
  }

  private finish(): void {
    if (this.state === 'done') return;
    this.state = 'done';
    clearTimeout(this.fastKillTimer);
    closeListeners(this.listeners);
    const done = () => {
      removeFile(this.pidFile);
      serverLog('LOG', 'database system is shut down');
      this.exitResolve?.(0);
    };
    if (this.storage) {
      void Promise.race([this.storage.close(), new Promise((r) => setTimeout(r, 2000))]).finally(
        done,
      );
    } else done();
  }
}

/** True if a data directory looks initialised (used by tusk-ctl and the quick start). */
export function isDataDir(dir: string): boolean {
  return existsSync(path.join(dir, 'PG_VERSION'));
}

/** The published lmdb binary has a multi-process lost-commit race (backend's storage/README.md). */
function warnIfStockLmdb(): void {
  const build = backend.lmdbBuild();
  if (build.kind !== 'stock') return;
  serverLog(
    'WARNING',
    `lmdb at ${build.dir} is its stock prebuilt binary, which can lose commits when backends open ` +
      "the installation concurrently; build it from Tusk's patch (tools/scripts/build-lmdb.mjs in the Tusk repository)",
  );
}
