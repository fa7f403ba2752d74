// Runs the pnpm version pinned in the root package.json's packageManager, fetching it with npx when
// it is not the pnpm on PATH — so a fresh machine needs nothing but Node >= 20.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pinned = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).packageManager;
export const pnpmVersion = pinned.replace(/^pnpm@/, '').split('+')[0];

let resolved;
function resolvePnpm() {
  if (resolved) return resolved;
  const onPath = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim() === pnpmVersion) {
    resolved = ['pnpm'];
  } else {
    resolved = ['npx', '--yes', `pnpm@${pnpmVersion}`];
  }
  return resolved;
}

/** Runs pnpm with args in the repo root, inheriting stdio; exits the process on failure. */
export function pnpm(args, options = {}) {
  const [cmd, ...pre] = resolvePnpm();
  const result = spawnSync(cmd, [...pre, ...args], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, npm_config_update_notifier: 'false' },
    ...options,
  });
  if (result.status !== 0 && !options.allowFailure) {
    console.error(
      `\n${cmd} ${[...pre, ...args].join(' ')} failed (exit ${result.status ?? result.signal})`,
    );
    process.exit(result.status ?? 1);
  }
  return result.status ?? 1;
}
