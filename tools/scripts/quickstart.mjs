// `pnpm start` / `npm start`: install, build, create ./data with tusk-initdb if it is not there,
// and run tusk-postmaster in the foreground on port 5432 (or PGPORT), printing how to connect.
// Run as root, the server runs as an unprivileged account (TUSK_USER, default `tusk`), created
// with `useradd --system` if missing and given read access to the checkout; it owns ./data.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pnpm, repoRoot } from './pnpm.mjs';
import { accountExists, canRead, ensureTraversable } from './server-account.mjs';

const port = process.env.PGPORT || '5432';
const dataDir = path.resolve(process.env.PGDATA || path.join(repoRoot, 'data'));
const binDir = path.join(repoRoot, 'packages', 'postmaster', 'dist', 'bin');
const asRoot = process.getuid?.() === 0;
const account = process.env.TUSK_USER || 'tusk';

console.log('=== install');
pnpm(['install', '--frozen-lockfile']);
console.log('=== build');
pnpm(['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);

/** argv that runs a command as the server account when we are root. */
function asAccount(cmd, args) {
  return asRoot ? ['runuser', ['-u', account, '--', cmd, ...args]] : [cmd, args];
}

if (asRoot) {
  if (!accountExists(account)) {
    console.log(`creating system account '${account}' to run the server (it must not run as root)`);
    const r = spawnSync(
      'useradd',
      ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', account],
      {
        stdio: 'inherit',
      },
    );
    if (r.status !== 0) {
      console.error(
        `could not create account '${account}'; set TUSK_USER to an existing unprivileged account`,
      );
      process.exit(1);
    }
  }
  if (!canRead(account, path.join(binDir, 'tusk-postmaster.js'))) {
    const changed = ensureTraversable(repoRoot);
    if (changed.length > 0) {
      console.log(
        `granted search permission to others on ${changed.join(', ')} so '${account}' can read the built code`,
      );
    }
    if (!canRead(account, path.join(binDir, 'tusk-postmaster.js'))) {
      console.error(`account '${account}' cannot read ${binDir}; make the checkout readable to it`);
      process.exit(1);
    }
  }
}

const superuser = asRoot ? 'postgres' : process.env.USER || 'postgres';
if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
  console.log(`=== tusk-initdb ${dataDir}`);
  if (asRoot) {
    // The account owns the data directory; create it here so it can (the parent may be root's).
    if (!existsSync(dataDir)) mkdirSync(dataDir, { mode: 0o700 });
    const uid = Number(spawnSync('id', ['-u', account], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', account], { encoding: 'utf8' }).stdout.trim());
    if (statSync(dataDir).uid !== uid) chownSync(dataDir, uid, gid);
  }
  const [cmd, args] = asAccount(process.execPath, [
    path.join(binDir, 'tusk-initdb.js'),
    '-D',
    dataDir,
    '-U',
    superuser,
    '--auth=trust',
    '--no-instructions',
  ]);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: '/' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

console.log(`
=== starting tusk-postmaster on port ${port} (Ctrl-C stops it)

Connect with:
    psql -h localhost -p ${port} -U ${superuser} postgres
or over the Unix socket:
    psql -h /tmp -p ${port} -U ${superuser} postgres
`);
const args = [path.join(binDir, 'tusk-postmaster.js'), '-D', dataDir, '-p', port];
if (asRoot) args.push('--user', account);
const child = spawn(process.execPath, args, { stdio: 'inherit', cwd: '/' });
// Ctrl-C reaches the postmaster too (same process group): it does a fast shutdown.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT']) {
  process.on(sig, () => {
    if (sig !== 'SIGINT') child.kill(sig);
  });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
