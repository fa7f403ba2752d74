// The server never runs as Unix root. When the tests or the quick start run as root, servers are started
// as an unprivileged account (PostgreSQL's `postgres`, or TUSK_USER), which must be able to read the built
// code: this checks that, and where a parent directory of the checkout blocks it, grants search (x)
// permission on that directory only, saying so.
import { spawnSync } from 'node:child_process';
import { statSync, chmodSync } from 'node:fs';
import path from 'node:path';

export function unprivilegedAccount() {
  return process.env.TUSK_USER || 'postgres';
}

export function accountExists(name) {
  return spawnSync('id', ['-u', name]).status === 0;
}

export function canRead(account, file) {
  return spawnSync('runuser', ['-u', account, '--', 'test', '-r', file]).status === 0;
}

/** Makes every ancestor of dir searchable by others (o+x) where it is not. Returns what it changed. */
export function ensureTraversable(dir) {
  const changed = [];
  let current = path.resolve(dir);
  for (;;) {
    const mode = statSync(current).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(current, mode | 0o001);
      changed.push(current);
    }
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return changed;
}
