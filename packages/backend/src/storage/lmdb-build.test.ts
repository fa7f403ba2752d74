import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lmdbBuild } from './lmdb-build.js';

describe('lmdbBuild', () => {
  it('reports the patched build this workspace compiles on install', () => {
    const b = lmdbBuild();
    expect(b.kind).toBe('patched');
    if (b.kind === 'unknown') return;
    expect(existsSync(path.join(b.dir, 'binding.gyp'))).toBe(true);
    // the stamp names this Node and the patch it was built from
    expect(readFileSync(path.join(b.dir, 'build', 'tusk-patch.stamp'), 'utf8')).toMatch(
      new RegExp(`^${process.version.replace(/\./g, '\\.')} [0-9a-f]{64}$`),
    );
  });
});
