// The one command that runs every test: install from the lockfile, build, typecheck, lint, check
// formatting, then every package's tests (unit, integration over real sockets, differential against
// PostgreSQL 15). Ends with a closing line `tests: N passed, M failed`.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pnpm, repoRoot } from './pnpm.mjs';
import {
  accountExists,
  canRead,
  ensureTraversable,
  unprivilegedAccount,
} from './server-account.mjs';

const step = (title) => console.log(`\n=== ${title}`);

step('install (frozen lockfile)');
pnpm(['install', '--frozen-lockfile']);

if (process.getuid?.() === 0) {
  const account = unprivilegedAccount();
  if (accountExists(account)) {
    const probe = path.join(repoRoot, 'package.json');
    if (!canRead(account, probe)) {
      const changed = ensureTraversable(repoRoot);
      console.log(
        `granted search permission to others on ${changed.join(', ')} so '${account}' can read the built code`,
      );
    }
  } else {
    console.log(
      `note: account '${account}' does not exist; tests that start servers as it will fail or skip`,
    );
  }
}

const resultFiles = () =>
  ['packages', 'tools'].flatMap((group) =>
    readdirSync(path.join(repoRoot, group)).map((dir) =>
      path.join(repoRoot, group, dir, '.test-results.json'),
    ),
  );
for (const file of resultFiles()) rmSync(file, { force: true });

step('build');
pnpm(['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
step('typecheck');
pnpm(['exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only']);
step('lint');
pnpm(['run', 'lint']);
step('format');
pnpm(['run', 'format:check']);
step('tests');
const status = pnpm(['exec', 'turbo', 'run', 'test', '--concurrency=1', '--continue'], {
  allowFailure: true,
});

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of resultFiles()) {
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
if (status !== 0 && failed === 0) failed = 1; // a package failed before reporting any test
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status === 0 && failed === 0 ? 0 : 1);
