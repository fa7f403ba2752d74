/**
 * Interrupt flags (PostgreSQL's InterruptPending family). The process entry sets them from signal
 * handlers or IPC messages; long-running loops call checkForInterrupts() every few rows and yield to
 * the event loop now and then (maybeYield) so those handlers get a chance to run.
 */
import { PgError } from './errors.js';

export const interrupts = {
  cancelPending: false,
  terminatePending: false,
  /** Set by the statement_timeout timer. */
  timeoutPending: false,
};

/** Throws the error PostgreSQL raises for a pending cancel, timeout or terminate request. */
export function checkForInterrupts(): void {
  if (interrupts.terminatePending) {
    throw new PgError('57P01', 'terminating connection due to administrator command', {
      severity: 'FATAL',
    });
  }
  if (interrupts.timeoutPending) {
    interrupts.timeoutPending = false;
    interrupts.cancelPending = false;
    throw new PgError('57014', 'canceling statement due to statement timeout');
  }
  if (interrupts.cancelPending) {
    interrupts.cancelPending = false;
    throw new PgError('57014', 'canceling statement due to user request');
  }
}

/** Clears a cancel that arrived while no statement was running (PostgreSQL ignores those). */
export function clearCancel(): void {
  interrupts.cancelPending = false;
  interrupts.timeoutPending = false;
}

let lastYield = Date.now();
/** Gives the event loop a turn at most every ~20 ms of work, then checks for interrupts. */
export async function maybeYield(): Promise<void> {
  const now = Date.now();
  if (now - lastYield >= 20) {
    lastYield = now;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  checkForInterrupts();
}
