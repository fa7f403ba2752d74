/**
 * Entry script of a backend process (forked by the postmaster with child_process.fork). It installs
 * the signal handlers first — before the engine's heavy modules load, so an early signal cannot hit
 * Node's default action — then runs the idle-pool loop of backend-process.ts.
 */
import { installSignalHandlers } from './signals.js';

installSignalHandlers();
const { runBackendProcess } = await import('./backend-process.js');
await runBackendProcess();
