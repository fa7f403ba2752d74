/**
 * Server log lines in PostgreSQL's default shape (log_line_prefix '%m [%p] '):
 *   2026-11-23 22:10:00.123 UTC [1234] LOG:  database system is ready to accept connections
 * followed by optional DETAIL/HINT lines. Postmaster and backends write to the same stderr (the
 * backends inherit it), which the postmaster may have redirected to a log file.
 */
export type LogLevel =
  'DEBUG' | 'LOG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR' | 'FATAL' | 'PANIC';

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** "%m": milliseconds timestamp in UTC, as PostgreSQL prints it with log_timezone = UTC. */
export function logTimestamp(date = new Date()): string {
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.` +
    `${pad(date.getUTCMilliseconds(), 3)} UTC`
  );
}

export interface LogExtras {
  detail?: string;
  hint?: string;
  context?: string;
}

/** Formats one log entry (possibly several lines), ending with a newline. */
export function formatLogEntry(level: LogLevel, message: string, extras: LogExtras = {}): string {
  const prefix = `${logTimestamp()} [${process.pid}] `;
  let out = `${prefix}${level}:  ${message}\n`;
  if (extras.detail !== undefined) out += `${prefix}DETAIL:  ${extras.detail}\n`;
  if (extras.hint !== undefined) out += `${prefix}HINT:  ${extras.hint}\n`;
  if (extras.context !== undefined) out += `${prefix}CONTEXT:  ${extras.context}\n`;
  return out;
}

/** Writes a log entry to stderr. */
export function serverLog(level: LogLevel, message: string, extras: LogExtras = {}): void {
  process.stderr.write(formatLogEntry(level, message, extras));
}
