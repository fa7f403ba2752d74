/**
 * The postmaster's listening sockets: TCP on each listen_addresses entry (default localhost, both
 * IPv4 and IPv6 where the name resolves to them; '*' = every interface) and a Unix-domain socket
 * `.s.PGSQL.<port>` with its `.lock` file in each unix_socket_directories entry. Servers are created
 * with pauseOnConnect, so the postmaster never reads a client's bytes before handing the socket on.
 */
import { lookup } from 'node:dns/promises';
import { chmodSync, chownSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { serverLog } from '@tuskdb/backend';
import { FatalError } from './data-dir.js';
import { createLockFile, formatLock, removeFile, type LockContents } from './lock-file.js';

export interface Listener {
  server: net.Server;
  local: boolean;
  /** Unix socket path and lock path, for cleanup. */
  socketPath?: string;
  lockPath?: string;
}

/** Splits a comma-separated list setting (listen_addresses, unix_socket_directories). */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim().replace(/^"(.*)"$/, '$1'))
    .filter((s) => s !== '');
}

function listen(server: net.Server, options: net.ListenOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(options, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

export async function openTcpListeners(
  listenAddresses: string,
  port: number,
  onConnection: (socket: net.Socket, local: boolean) => void,
): Promise<Listener[]> {
  const listeners: Listener[] = [];
  const entries = splitList(listenAddresses);
  if (entries.length === 0) return listeners;
  const targets: Array<{ host: string; family: 4 | 6 }> = [];
  for (const entry of entries) {
    if (entry === '*') {
      targets.push({ host: '0.0.0.0', family: 4 }, { host: '::', family: 6 });
      continue;
    }
    try {
      const addrs = await lookup(entry, { all: true });
      for (const a of addrs) targets.push({ host: a.address, family: a.family === 6 ? 6 : 4 });
    } catch {
      serverLog(
        'WARNING',
        `could not translate host name "${entry}", service "${port}" to address: Name or service not known`,
      );
    }
  }
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t.host)) continue;
    seen.add(t.host);
    const server = net.createServer({ pauseOnConnect: true }, (s) => onConnection(s, false));
    const kind = t.family === 4 ? 'IPv4' : 'IPv6';
    try {
      await listen(server, { host: t.host, port, ipv6Only: t.family === 6, exclusive: true });
      serverLog('LOG', `listening on ${kind} address "${t.host}", port ${port}`);
      listeners.push({ server, local: false });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const reason =
        e.code === 'EADDRINUSE'
          ? 'Address already in use'
          : e.code === 'EADDRNOTAVAIL'
            ? 'Cannot assign requested address'
            : e.message;
      serverLog('LOG', `could not bind ${kind} address "${t.host}": ${reason}`, {
        ...(e.code === 'EADDRINUSE'
          ? {
              hint: `Is another postmaster already running on port ${port}? If not, wait a few seconds and retry.`,
            }
          : {}),
      });
      server.close();
    }
  }
  if (listeners.length === 0) throw new FatalError('could not create any TCP/IP sockets');
  return listeners;
}

export async function openUnixListeners(
  directories: string,
  port: number,
  permissions: number,
  group: string,
  lock: Omit<LockContents, 'socketDir'>,
  onConnection: (socket: net.Socket, local: boolean) => void,
): Promise<Listener[]> {
  const listeners: Listener[] = [];
  for (const dir of splitList(directories)) {
    const socketPath = path.join(dir, `.s.PGSQL.${port}`);
    const lockPath = `${socketPath}.lock`;
    try {
      createLockFile(
        lockPath,
        formatLock({ ...lock, socketDir: dir }),
        (pid) => `Is another postmaster (PID ${pid}) using socket file "${socketPath}"?`,
      );
      // The lock is ours, so any socket file there is stale.
      removeFile(socketPath);
      const server = net.createServer({ pauseOnConnect: true }, (s) => onConnection(s, true));
      await listen(server, { path: socketPath });
      chmodSync(socketPath, permissions);
      if (group !== '') {
        const { execFileSync } = await import('node:child_process');
        const gid = Number(
          execFileSync('getent', ['group', group], { encoding: 'utf8' }).split(':')[2],
        );
        chownSync(socketPath, -1, gid);
      }
      serverLog('LOG', `listening on Unix socket "${socketPath}"`);
      listeners.push({ server, local: true, socketPath, lockPath });
    } catch (err) {
      if (err instanceof FatalError) throw err;
      removeFile(lockPath);
      serverLog('LOG', `could not bind Unix address "${socketPath}": ${(err as Error).message}`);
    }
  }
  if (splitList(directories).length > 0 && listeners.length === 0) {
    throw new FatalError('could not create any Unix-domain sockets');
  }
  return listeners;
}

/** Stops accepting (without waiting: a server's close callback waits for handed-off sockets). */
export function closeListeners(listeners: Listener[]): void {
  for (const l of listeners) {
    l.server.close();
    if (l.socketPath) removeFile(l.socketPath);
    if (l.lockPath) removeFile(l.lockPath);
  }
}
