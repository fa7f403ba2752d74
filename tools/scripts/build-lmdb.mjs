// Compiles lmdb's native addon from its (patched) sources after `pnpm install`.
//
// Why: lmdb-js 3.5.6's LMDB lets a process that opens an environment move the shared
// last-transaction id backwards when another process commits at that moment; the next writer then
// overwrites that commit (lost rows, `MDB_BAD_TXN … mdb_page_touch no parent`). It also trusts a
// stale in-process free-page cache in one cross-process case. patches/lmdb@3.5.6.patch fixes both
// (details: packages/backend/src/storage/README.md). pnpm applies the patch to lmdb's C sources,
// but lmdb loads its prebuilt binary unless `build/Release/lmdb.node` exists, so we build it here.
// Runs as the root package's postinstall; a no-op when this patch's build is already there.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const backendRequire = createRequire(path.join(repoRoot, 'packages', 'backend', 'package.json'));

// lmdb's `exports` hide its package.json, so find the package directory from its entry point.
const lmdbDir = (() => {
  let entry;
  try {
    entry = backendRequire.resolve('lmdb');
  } catch {
    return undefined;
  }
  let dir = path.dirname(entry);
  while (!existsSync(path.join(dir, 'binding.gyp')) && path.dirname(dir) !== dir)
    dir = path.dirname(dir);
  return dir;
})();
if (lmdbDir === undefined) process.exit(0); // a filtered install without the backend: nothing to build

const patchFile = path.join(repoRoot, 'patches', 'lmdb@3.5.6.patch');
const stampFile = path.join(lmdbDir, 'build', 'tusk-patch.stamp');
const binary = path.join(lmdbDir, 'build', 'Release', 'lmdb.node');
const patchHash = createHash('sha256').update(readFileSync(patchFile)).digest('hex');
const wanted = `${process.version} ${patchHash}`;
if (existsSync(binary) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === wanted) {
  process.exit(0);
}

// npm ships node-gyp; a Node installation ships its headers under <prefix>/include/node, which
// spares node-gyp a download.
const prefix = path.dirname(path.dirname(process.execPath));
const nodeGypCandidates = [
  path.join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  path.join(prefix, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
];
const nodeGyp = nodeGypCandidates.find((candidate) => existsSync(candidate));
if (nodeGyp === undefined) {
  console.error(`build-lmdb: node-gyp not found (looked in ${nodeGypCandidates.join(', ')})`);
  process.exit(1);
}
const args = [nodeGyp, 'rebuild'];
if (existsSync(path.join(prefix, 'include', 'node', 'node.h'))) args.push(`--nodedir=${prefix}`);

console.log(`build-lmdb: compiling lmdb's native addon with Tusk's patch (about a minute)`);
// The compiler's many warnings about lmdb's own code are noise unless the build fails.
const result = spawnSync(process.execPath, [...args, '--jobs=max'], {
  cwd: lmdbDir,
  stdio: ['ignore', 'pipe', 'pipe'],
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
if (result.status !== 0) {
  process.stderr.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  console.error(
    'build-lmdb: compiling lmdb failed; it needs a C/C++ compiler, make and python3 ' +
      '(Debian: apt-get install build-essential python3)',
  );
  process.exit(result.status ?? 1);
}
writeFileSync(stampFile, wanted);
console.log(`build-lmdb: built ${path.relative(repoRoot, binary)}`);
