// Servers never run as root: when the tests run as root, commands that start servers run as an
// unprivileged account (`postgres`, or TUSK_TEST_USER) through runuser.
import { execFileSync } from 'node:child_process';
import { chownSync } from 'node:fs';

export const serverAccount = process.env.TUSK_TEST_USER ?? 'postgres';

export const runningAsRoot = process.getuid?.() === 0;

interface Ids {
  uid: number;
  gid: number;
}

let cachedIds: Ids | undefined;
/** uid/gid of the account servers run as (the current ones when not root). */
export function serverAccountIds(): Ids {
  if (!runningAsRoot) return { uid: process.getuid!(), gid: process.getgid!() };
  if (cachedIds) return cachedIds;
  const uid = Number(execFileSync('id', ['-u', serverAccount], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', serverAccount], { encoding: 'utf8' }).trim());
  cachedIds = { uid, gid };
  return cachedIds;
}

/** Gives a file or directory to the server account. */
export function giveToServerAccount(path: string): void {
  if (!runningAsRoot) return;
  const { uid, gid } = serverAccountIds();
  chownSync(path, uid, gid);
}

/** argv prefix that runs a command as the server account (empty when not root). */
export function asServerAccount(command: string, args: string[]): [string, string[]] {
  if (!runningAsRoot) return [command, args];
  return ['runuser', ['-u', serverAccount, '--', command, ...args]];
}
