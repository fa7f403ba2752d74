/**
 * The postmaster's backend processes: a few pre-started, warmed-up idle ones (tusk.idle_backends)
 * plus those that finished a session and wait for the next (up to tusk.max_idle_backends),
 * the hand-off of each accepted client socket to an idle one (or to one started on demand), and the
 * bookkeeping behind max_connections, reserved superuser slots, per-role and per-database limits,
 * CancelRequest routing and shutdown. A backend that dies, however it dies, is just removed (and the
 * storage layer told to abort its transactions): it never takes the postmaster down.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import type net from 'node:net';
import { constants } from 'node:os';
import {
  backendEntryPath,
  serverLog,
  type BackendToPostmaster,
  type ConnectionConfig,
  type ConnectionOrigin,
  type PostmasterToBackend,
} from '@tuskdb/backend';

/** How long a hand-off that left idle backends waits before starting a replacement. */
const REPLENISH_DELAY_MS = 1500;
/** How long idle backends beyond tusk.max_idle_backends stay before they exit. */
const SURPLUS_IDLE_MS = 30_000;

export type BackendState = 'starting' | 'idle' | 'assigned' | 'session' | 'exiting';

export interface BackendChild {
  proc: ChildProcess;
  pid: number;
  state: BackendState;
  secretKey: number;
  user?: string;
  database?: string;
  superuser?: boolean;
  /** When it last became idle (Date.now()). */
  idleSince?: number;
}

export interface PoolOptions {
  dataDir: string;
  /** Current settings for connection acceptance (the postmaster replaces it on reload). */
  config: () => ConnectionConfig;
  idleTarget: () => number;
  /** Idle backends kept at most: one finishing a session beyond this exits instead of waiting. */
  maxIdle: () => number;
  maxConnections: () => number;
  reservedConnections: () => number;
  /** A backend exited abnormally (signal or non-zero exit) while it had a connection. */
  onAbnormalExit: (pid: number) => void;
  /** Every child is gone (used while shutting down). */
  onAllExited: () => void;
}

interface Waiting {
  socket: net.Socket;
  origin: ConnectionOrigin;
  timer: NodeJS.Timeout;
}

function signalName(signal: NodeJS.Signals): string {
  const number = constants.signals[signal];
  const names: Partial<Record<NodeJS.Signals, string>> = {
    SIGKILL: 'Killed',
    SIGSEGV: 'Segmentation fault',
    SIGABRT: 'Aborted',
    SIGTERM: 'Terminated',
    SIGQUIT: 'Quit',
    SIGINT: 'Interrupt',
    SIGBUS: 'Bus error',
  };
  return `terminated by signal ${number}: ${names[signal] ?? signal}`;
}

export class BackendPool {
  readonly children = new Map<number, BackendChild>();
  private readonly waiting: Waiting[] = [];
  private accepting = true;
  /** Consecutive children that died before becoming ready: slows respawning down. */
  private startFailures = 0;
  private respawnTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: PoolOptions) {}

  /** Children holding a connection (what max_connections counts). */
  get activeCount(): number {
    let n = 0;
    for (const c of this.children.values())
      if (c.state === 'assigned' || c.state === 'session') n++;
    return n + this.waiting.length;
  }

  get idleCount(): number {
    let n = 0;
    for (const c of this.children.values()) if (c.state === 'idle' || c.state === 'starting') n++;
    return n;
  }

  private send(child: BackendChild, message: PostmasterToBackend): void {
    if (child.proc.connected) child.proc.send(message, (err) => void err);
  }

  spawn(): BackendChild | undefined {
    let proc: ChildProcess;
    try {
      proc = fork(backendEntryPath, [], {
        env: { ...process.env, PGDATA: this.options.dataDir },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'json',
      });
    } catch (err) {
      serverLog('LOG', `could not fork new process for connection: ${(err as Error).message}`);
      return undefined;
    }
    if (proc.pid === undefined) return undefined;
    const child: BackendChild = { proc, pid: proc.pid, state: 'starting', secretKey: 0 };
    this.children.set(child.pid, child);
    proc.on('message', (m: BackendToPostmaster) => this.onMessage(child, m));
    proc.on('error', () => undefined);
    proc.on('exit', (code, signal) => this.onExit(child, code, signal));
    return child;
  }

  /** Tops the idle pool up to its target. */
  replenish(): void {
    if (!this.accepting || this.respawnTimer) return;
    const missing = this.options.idleTarget() - this.idleCount;
    if (missing <= 0) return;
    if (this.startFailures > 3) {
      // Backends keep dying before they are ready: try again later rather than spin.
      this.respawnTimer = setTimeout(() => {
        this.respawnTimer = undefined;
        this.startFailures = 3;
        this.replenish();
      }, 1000);
      return;
    }
    for (let i = 0; i < missing; i++) this.spawn();
  }

  /**
   * After a hand-off or a backend's return: tops the pool up a moment later. Starting a backend
   * takes about a CPU-second (Node, LMDB, the parser's WASM); spent right away it competes with
   * the session that just began, whose own first queries run before V8 has compiled them (pgbench
   * -S here: ~300 TPS in a session's first second with replacements starting at once). A
   * connection that finds no idle backend meanwhile starts one for itself (dispatch).
   */
  private replenishSoon(): void {
    if (this.replenishTimer) return;
    this.replenishTimer = setTimeout(() => {
      this.replenishTimer = undefined;
      this.replenish();
    }, REPLENISH_DELAY_MS);
    this.replenishTimer.unref();
  }
  private replenishTimer: NodeJS.Timeout | undefined;

  /** After SURPLUS_IDLE_MS, lets the idle backends longest idle beyond maxIdle exit. */
  private trimSoon(): void {
    if (this.trimTimer) return;
    this.trimTimer = setTimeout(() => {
      this.trimTimer = undefined;
      const idle = [...this.children.values()]
        .filter((c) => c.state === 'idle')
        .sort((a, b) => (a.idleSince ?? 0) - (b.idleSince ?? 0));
      const surplus = idle.length - this.options.maxIdle();
      for (const child of idle.slice(0, Math.max(0, surplus))) {
        child.state = 'exiting';
        this.send(child, { type: 'exit' });
      }
    }, SURPLUS_IDLE_MS);
    this.trimTimer.unref();
  }
  private trimTimer: NodeJS.Timeout | undefined;

  /** Gives an accepted client socket to a backend (now, or as soon as one is ready). */
  dispatch(socket: net.Socket, origin: ConnectionOrigin): void {
    for (const child of this.children.values()) {
      if (child.state === 'idle') {
        this.assign(child, socket, origin);
        this.replenishSoon();
        return;
      }
    }
    const timer = setTimeout(() => {
      const i = this.waiting.findIndex((w) => w.socket === socket);
      if (i >= 0) this.waiting.splice(i, 1);
      socket.destroy();
      // A connection waits for a backend at most as long as PostgreSQL would let it authenticate,
      // plus the time a backend needs to start on a loaded machine.
    }, this.options.config().authenticationTimeoutMs + 30_000);
    this.waiting.push({ socket, origin, timer });
    // Start one for this connection unless enough are already starting for the queue.
    let starting = 0;
    for (const c of this.children.values()) if (c.state === 'starting') starting++;
    if (starting < this.waiting.length) this.spawn();
  }

  private assign(child: BackendChild, socket: net.Socket, origin: ConnectionOrigin): void {
    child.state = 'assigned';
    child.secretKey = randomInt(-0x80000000, 0x7fffffff);
    const message: PostmasterToBackend = {
      type: 'assign',
      origin,
      config: this.options.config(),
      secretKey: child.secretKey,
    };
    if (!child.proc.connected) {
      socket.destroy();
      return;
    }
    child.proc.send(message, socket, { keepOpen: false }, (err) => {
      if (err) socket.destroy();
    });
  }

  /** Resolves when some backend is idle (the first one has warmed up), or after `ms`. */
  whenOneReady(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.onFirstReady = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  private onFirstReady: (() => void) | undefined;

  private onMessage(child: BackendChild, m: BackendToPostmaster): void {
    switch (m.type) {
      case 'ready': {
        this.startFailures = 0;
        const returning = child.state !== 'starting';
        child.idleSince = Date.now();
        // Beyond tusk.max_idle_backends a returning backend still waits a while: clients that
        // reconnect in bursts (16 pgbench clients, one round after another) find warm processes
        // instead of starting cold ones, and the surplus goes once the burst is over.
        if (returning && this.waiting.length === 0 && this.idleCount >= this.options.maxIdle())
          this.trimSoon();
        child.state = 'idle';
        this.onFirstReady?.();
        this.onFirstReady = undefined;
        delete child.user;
        delete child.database;
        if (!this.accepting) {
          this.send(child, { type: 'exit' });
          return;
        }
        const next = this.waiting.shift();
        if (next) {
          clearTimeout(next.timer);
          if (next.socket.destroyed) {
            this.onMessage(child, m);
            return;
          }
          this.assign(child, next.socket, next.origin);
        }
        this.replenishSoon();
        return;
      }
      case 'cancelRequest':
        this.routeCancel(m.processId, m.secretKey);
        return;
      case 'login':
        this.send(child, this.login(child, m));
        return;
      case 'finished':
        child.state = 'exiting';
        return;
    }
  }

  private login(
    child: BackendChild,
    m: Extract<BackendToPostmaster, { type: 'login' }>,
  ): PostmasterToBackend {
    const max = this.options.maxConnections();
    const free = max - this.activeCount;
    if (!m.superuser && free < this.options.reservedConnections()) {
      return {
        type: 'loginResult',
        ok: false,
        code: '53300',
        message:
          'remaining connection slots are reserved for non-replication superuser connections',
      };
    }
    if (!m.superuser && m.roleConnectionLimit >= 0) {
      let n = 0;
      for (const c of this.children.values()) if (c.state === 'session' && c.user === m.user) n++;
      if (n >= m.roleConnectionLimit) {
        return {
          type: 'loginResult',
          ok: false,
          code: '53300',
          message: `too many connections for role "${m.user}"`,
        };
      }
    }
    if (!m.superuser && m.databaseConnectionLimit >= 0) {
      let n = 0;
      for (const c of this.children.values()) {
        if (c.state === 'session' && c.database === m.database) n++;
      }
      if (n >= m.databaseConnectionLimit) {
        return {
          type: 'loginResult',
          ok: false,
          code: '53300',
          message: `too many connections for database "${m.database}"`,
        };
      }
    }
    child.state = 'session';
    child.user = m.user;
    child.database = m.database;
    child.superuser = m.superuser;
    return { type: 'loginResult', ok: true };
  }

  /** A CancelRequest: the pid must be a session and the key must match; otherwise ignored. */
  routeCancel(processId: number, secretKey: number): void {
    const target = this.children.get(processId);
    if (!target || target.state !== 'session' || target.secretKey !== secretKey) return;
    this.send(target, { type: 'cancel' });
  }

  private onExit(child: BackendChild, code: number | null, signal: NodeJS.Signals | null): void {
    this.children.delete(child.pid);
    const hadConnection = child.state === 'assigned' || child.state === 'session';
    if (child.state === 'starting') this.startFailures++;
    const abnormal = signal !== null || (code !== 0 && code !== null);
    if (abnormal && (this.accepting || hadConnection)) {
      const how = signal !== null ? signalName(signal) : `exited with exit code ${code}`;
      serverLog('LOG', `server process (PID ${child.pid}) ${how}`);
      this.options.onAbnormalExit(child.pid);
    }
    if (this.children.size === 0 && !this.accepting) {
      this.options.onAllExited();
      return;
    }
    this.replenish();
    // Connections still queued need someone to start for them.
    if (this.waiting.length > 0) {
      let starting = 0;
      for (const c of this.children.values()) if (c.state === 'starting') starting++;
      if (starting === 0) this.spawn();
    }
  }

  /** Stops handing out connections; idle backends leave. */
  stopAccepting(): void {
    this.accepting = false;
    clearTimeout(this.respawnTimer);
    for (const w of this.waiting) {
      clearTimeout(w.timer);
      w.socket.destroy();
    }
    this.waiting.length = 0;
    for (const c of this.children.values()) {
      if (c.state === 'idle' || c.state === 'starting') {
        this.send(c, { type: 'exit' });
        if (c.state === 'starting') c.proc.kill('SIGTERM');
      }
    }
    if (this.children.size === 0) this.options.onAllExited();
  }

  /** Fast shutdown: every session is told to terminate. */
  terminateAll(): void {
    for (const c of this.children.values()) {
      this.send(c, { type: 'terminate' });
      c.proc.kill('SIGTERM');
    }
  }

  /** Immediate shutdown. */
  killAll(signal: NodeJS.Signals): void {
    for (const c of this.children.values()) c.proc.kill(signal);
  }

  get sessionCount(): number {
    let n = 0;
    for (const c of this.children.values())
      if (c.state === 'assigned' || c.state === 'session') n++;
    return n;
  }
}
