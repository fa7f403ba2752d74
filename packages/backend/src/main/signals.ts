/**
 * Signal handling of a backend process, installed before anything else runs (a signal arriving
 * before a handler exists would kill the process with Node's default action). As in PostgreSQL,
 * SIGINT cancels the running statement and SIGTERM terminates the session; the postmaster sends the
 * same requests over the IPC channel. SIGUSR2 is left to the storage layer's wake-ups and SIGHUP is
 * ignored (settings arrive with each connection).
 */
import { interrupts } from '../utils/interrupts.js';

const terminateListeners: Array<() => void> = [];

/** Called when a terminate request arrives (signal or IPC). */
export function onTerminateRequest(listener: () => void): void {
  terminateListeners.push(listener);
}

export function requestCancel(): void {
  interrupts.cancelPending = true;
}

export function requestTerminate(): void {
  interrupts.terminatePending = true;
  for (const l of terminateListeners) l();
}

export function installSignalHandlers(): void {
  process.on('SIGINT', requestCancel);
  process.on('SIGTERM', requestTerminate);
  process.on('SIGHUP', () => undefined);
}
