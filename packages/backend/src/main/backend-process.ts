/**
 * A backend process's life: warm up (open storage, load the parser) before joining the
 * postmaster's idle pool, take one client connection, run startup and authentication, then the
 * session, then rejoin the pool for the next connection.
 *
 * Why reuse: a fresh Node process runs its first thousands of queries in V8's interpreter and
 * baseline tiers while the optimising compiler catches up (measured with pgbench -S here: ~760 TPS
 * in the first two seconds of a session, ~4,000 once warm; with four new sessions at once the
 * warm-up takes ~10 s). A process that served a session keeps its compiled code.
 * Why it is safe: everything a session sets up lives in that session's own objects (settings,
 * prepared statements, portals, catalog caches, its storage transaction, which the session aborts
 * when it ends), so nothing of it reaches the next session; process-wide state is limited to caches
 * keyed by their full input (parse trees by statement text, compiled patterns). The process still
 * exits instead of rejoining when the session was terminated or failed internally, after
 * SESSIONS_PER_PROCESS sessions, or when its heap has grown past HEAP_LIMIT_BYTES.
 */
import type net from 'node:net';
import { acceptConnection, type StartupHooks } from '../libpq-be/backend-startup.js';
import { SQLSTATE, StartupError } from '../libpq-be/startup-errors.js';
import { writeFatal } from '../libpq-be/startup-wire.js';
import { loadEngine, type ClusterHandle, type EngineBinding } from './engine-binding.js';
import type { BackendToPostmaster, PostmasterToBackend } from './ipc-protocol.js';
import { serverLog } from './server-log.js';
import { clearCancel, interrupts } from '../utils/interrupts.js';
import { onTerminateRequest, requestCancel, requestTerminate } from './signals.js';

/** A process serves at most this many sessions, bounding any slow growth of process-wide caches. */
const SESSIONS_PER_PROCESS = 1000;
/** ...and exits rather than rejoin the pool with a heap larger than this. */
const HEAP_LIMIT_BYTES = 256 * 1024 * 1024;

type LoginResult = { ok: true } | { ok: false; code: string; message: string };

function toPostmaster(message: BackendToPostmaster): void {
  if (process.connected) process.send?.(message);
}

function formatSessionTime(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`;
}

export async function runBackendProcess(): Promise<void> {
  if (!process.send) {
    serverLog('FATAL', 'backend process must be started by the postmaster');
    process.exit(1);
  }
  let engine: EngineBinding | undefined;
  let cluster: ClusterHandle | undefined;
  let engineProblem: string | undefined;
  try {
    engine = await loadEngine();
    cluster = engine.openCluster(process.env.PGDATA ?? '');
    await engine.warmUpEngine();
  } catch (err) {
    engineProblem = err instanceof Error ? err.message : String(err);
    serverLog('LOG', `backend cannot run sessions: ${engineProblem}`);
  }

  let busy = false;
  let inSession = false;
  let currentSocket: net.Socket | undefined;
  let pendingLogin: ((r: LoginResult) => void) | undefined;
  let terminateTimer: NodeJS.Timeout | undefined;
  let sessionSocket: net.Socket | undefined;
  let sessionsServed = 0;

  /** Closes storage (aborting this process's open transactions) and exits. */
  async function finishProcess(code: number): Promise<never> {
    toPostmaster({ type: 'finished' });
    try {
      if (cluster) await Promise.race([cluster.close(), new Promise((r) => setTimeout(r, 2000))]);
    } finally {
      process.exit(code);
    }
  }

  onTerminateRequest(() => {
    if (!busy) process.exit(0);
    if (!inSession && currentSocket) {
      // During startup/authentication: PostgreSQL's die() tells the client and exits.
      writeFatal(
        currentSocket,
        SQLSTATE.adminShutdown,
        'terminating connection due to administrator command',
      );
      setTimeout(() => process.exit(1), 100).unref();
    }
    // In a session the engine sees interrupts.terminatePending at its next check and ends the
    // session itself. A session idle in a read (or waiting for a lock) does not check, so after a
    // short grace the process does what PostgreSQL's die() does: FATAL to the client, then exit.
    // Only whole messages are ever on the wire, so the ErrorResponse cannot split one.
    if (inSession && !terminateTimer) {
      terminateTimer = setTimeout(() => {
        const socket = sessionSocket;
        if (socket && !socket.destroyed) {
          writeFatal(
            socket,
            SQLSTATE.adminShutdown,
            'terminating connection due to administrator command',
          );
        }
        serverLog('FATAL', 'terminating connection due to administrator command');
        void finishProcess(1);
      }, 500);
    }
  });

  // The postmaster is gone: an idle process has nothing left to do; a session runs to its end.
  process.on('disconnect', () => {
    if (!busy) process.exit(0);
  });

  const hooks = (secretKeyUnused: number): StartupHooks => {
    void secretKeyUnused;
    return {
      lookupRole: (name) => {
        if (!engine || !cluster) {
          throw new StartupError(
            'XX000',
            `the server cannot run sessions: ${engineProblem ?? 'storage not open'}`,
          );
        }
        return engine.lookupRole(cluster, name);
      },
      lookupDatabase: (name) => engine!.lookupDatabase(cluster!, name),
      forwardCancel: (processId, secretKey) =>
        toPostmaster({ type: 'cancelRequest', processId, secretKey }),
      login: (request) =>
        new Promise<LoginResult>((resolve) => {
          if (!process.connected) {
            resolve({
              ok: false,
              code: SQLSTATE.cannotConnectNow,
              message: 'the database system is shutting down',
            });
            return;
          }
          pendingLogin = resolve;
          toPostmaster({ type: 'login', ...request });
        }),
      log: (level, message, extras) => serverLog(level, message, extras),
    };
  };

  process.on('message', (raw: unknown, handle: unknown) => {
    const message = raw as PostmasterToBackend;
    switch (message.type) {
      case 'cancel':
        if (inSession) requestCancel();
        return;
      case 'terminate':
        requestTerminate();
        return;
      case 'exit':
        if (!busy) process.exit(0);
        requestTerminate();
        return;
      case 'loginResult': {
        const resolve = pendingLogin;
        pendingLogin = undefined;
        resolve?.(
          message.ok ? { ok: true } : { ok: false, code: message.code, message: message.message },
        );
        return;
      }
      case 'assign': {
        const socket = handle as net.Socket | undefined;
        if (!socket || busy) {
          socket?.destroy();
          return;
        }
        busy = true;
        currentSocket = socket;
        void handleConnection(socket, message).finally(() => {
          currentSocket = undefined;
        });
        return;
      }
    }
  });

  async function handleConnection(
    socket: net.Socket,
    assign: Extract<PostmasterToBackend, { type: 'assign' }>,
  ): Promise<void> {
    const { config, origin, secretKey } = assign;
    socket.on('error', () => undefined);
    const outcome = await acceptConnection(socket, origin, config, hooks(secretKey));
    if (outcome.kind !== 'session' || !engine || !cluster) {
      // Nothing of this connection outlives it: rejoin the idle pool.
      busy = false;
      toPostmaster({ type: 'ready' });
      return;
    }
    inSession = true;
    let sessionFailed = false;
    const conn = outcome.connection;
    sessionSocket = conn.socket;
    const started = Date.now();
    try {
      await engine.runSession({
        socket: conn.socket,
        pendingBytes: conn.pendingBytes,
        user: conn.user,
        database: conn.database,
        startupParameters: conn.startupParameters,
        processId: process.pid,
        secretKey,
        dataDir: config.dataDir,
        cluster,
      });
    } catch (err) {
      sessionFailed = true;
      serverLog(
        'LOG',
        `session ended with an internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
    }
    if (config.logDisconnections) {
      const host = origin.local ? '[local]' : (origin.remoteAddress ?? '').replace(/^::ffff:/, '');
      serverLog(
        'LOG',
        `disconnection: session time: ${formatSessionTime(Date.now() - started)} user=${conn.user} database=${conn.database} host=${host}` +
          (origin.local ? '' : ` port=${origin.remotePort ?? ''}`),
      );
    }
    clearTimeout(terminateTimer);
    terminateTimer = undefined;
    conn.socket.destroy();
    sessionsServed++;
    if (!sessionFailed && canServeAnotherSession()) {
      inSession = false;
      sessionSocket = undefined;
      clearCancel();
      busy = false;
      toPostmaster({ type: 'ready' });
      return;
    }
    await finishProcess(0);
  }

  function canServeAnotherSession(): boolean {
    return (
      !interrupts.terminatePending &&
      process.connected &&
      sessionsServed < SESSIONS_PER_PROCESS &&
      process.memoryUsage().heapUsed < HEAP_LIMIT_BYTES
    );
  }

  toPostmaster({ type: 'ready' });
}
