/**
 * main: the backend process entry (forked by the postmaster), its IPC protocol and the server log
 * format shared with the postmaster.
 */
import { fileURLToPath } from 'node:url';

/** Absolute path of the script the postmaster forks for each backend process. */
export const backendEntryPath = fileURLToPath(new URL('./backend-main.js', import.meta.url));

export type {
  BackendToPostmaster,
  ConnectionConfig,
  ConnectionOrigin,
  PostmasterToBackend,
} from './ipc-protocol.js';
export { formatLogEntry, logTimestamp, serverLog } from './server-log.js';
export type { LogExtras, LogLevel } from './server-log.js';
