/*
 * storage/lmdb-build.ts — is the lmdb native addon this process loads the one built from Tusk's
 * patched sources?
 *
 * Why: lmdb-js 3.5.6's published binary can lose a commit when one process opens an environment
 * while another commits (storage/README.md). The workspace compiles a fixed addon into lmdb's
 * `build/Release/` (which lmdb's loader prefers over its prebuilds) and leaves a stamp there;
 * an installation from a registry has neither, and the postmaster says so in its log.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type LmdbBuild =
  | { readonly kind: 'patched'; readonly dir: string }
  | { readonly kind: 'stock'; readonly dir: string }
  | { readonly kind: 'unknown' };

export function lmdbBuild(): LmdbBuild {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('lmdb');
  } catch {
    return { kind: 'unknown' };
  }
  // lmdb's `exports` hide its package.json: walk up from the entry point to the package root.
  let dir = path.dirname(entry);
  while (!existsSync(path.join(dir, 'binding.gyp'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return { kind: 'unknown' };
    dir = parent;
  }
  const built =
    existsSync(path.join(dir, 'build', 'Release', 'lmdb.node')) &&
    existsSync(path.join(dir, 'build', 'tusk-patch.stamp'));
  return { kind: built ? 'patched' : 'stock', dir };
}
