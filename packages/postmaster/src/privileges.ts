/**
 * The server never runs as root (PostgreSQL refuses outright). When started as root with an
 * unprivileged account named (--user or TUSK_USER), the postmaster switches to that account —
 * group first, supplementary groups, then user — before it touches the data directory; every
 * backend it forks inherits the account. Started as root without one, it stops with PostgreSQL's
 * message.
 */
import { execFileSync } from 'node:child_process';
import { FatalError } from './data-dir.js';

export const rootRefusal =
  '"root" execution of the PostgreSQL server is not permitted.\n' +
  'The server must be started under an unprivileged user ID to prevent\n' +
  'possible system security compromise.  See the documentation for\n' +
  'more information on how to properly start the server.\n';

function idOf(account: string, flag: '-u' | '-g'): number {
  try {
    return Number(
      execFileSync('id', [flag, account], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim(),
    );
  } catch {
    throw new FatalError(`role account "${account}" does not exist on this system`);
  }
}

/**
 * Returns normally when the process may go on as a non-root account; throws FatalError (or
 * returns 'refuse' for the plain root case, whose message has no prefix in PostgreSQL).
 */
export function dropPrivileges(account: string | undefined): 'ok' | 'refuse' {
  const uid = process.geteuid?.();
  if (uid !== 0) return 'ok';
  if (account === undefined || account === '') return 'refuse';
  const targetUid = idOf(account, '-u');
  const targetGid = idOf(account, '-g');
  if (targetUid === 0) return 'refuse';
  process.setgid!(targetGid);
  // initgroups is present on POSIX builds of Node but missing from @types/node.
  const withInitgroups = process as unknown as { initgroups?: (user: string, gid: number) => void };
  withInitgroups.initgroups?.(account, targetGid);
  process.setegid!(targetGid);
  process.setuid!(targetUid);
  process.seteuid!(targetUid);
  if (process.geteuid!() === 0 || process.getuid!() === 0) return 'refuse';
  return 'ok';
}
