// Separately publishable for real: each package is packed as pnpm would publish it, then installed
// ALONE into an empty directory (with only its sibling tarballs and the npm registry), imported, and
// its bins run. Catches files missing from `files`/`exports` and `workspace:` ranges leaking out.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicPackages, repoRoot, withInternalClosure } from './workspace.js';

const packages = publicPackages();
const tarballs = new Map<string, string>();
let packDir = '';

function pnpm(args: string[], cwd: string): string {
  return execFileSync('npx', ['--yes', 'pnpm@10.34.9', ...args], { cwd, encoding: 'utf8' });
}

beforeAll(() => {
  packDir = mkdtempSync(path.join(tmpdir(), 'tusk-pack-'));
  for (const pkg of packages) {
    pnpm(['pack', '--pack-destination', packDir], pkg.dir);
  }
  for (const file of readdirSync(packDir)) {
    const match = /^tuskdb-(.+)-\d+\.\d+\.\d+.*\.tgz$/.exec(file);
    if (match) tarballs.set(`@tuskdb/${match[1]}`, path.join(packDir, file));
  }
}, 120_000);

afterAll(() => {
  if (packDir) rmSync(packDir, { recursive: true, force: true });
});

describe.each(packages.map((p) => [p.name, p] as const))('%s', (name, pkg) => {
  it('installs alone from its tarball, imports, and runs its bins', () => {
    const tarball = tarballs.get(name);
    expect(tarball, `pnpm pack produced no tarball for ${name}`).toBeDefined();

    const manifest = execFileSync('tar', ['-xOzf', tarball!, 'package/package.json'], {
      encoding: 'utf8',
    });
    expect(manifest).not.toContain('workspace:');

    const dir = mkdtempSync(path.join(tmpdir(), 'tusk-install-'));
    try {
      writeFileSync(
        path.join(dir, 'package.json'),
        '{"name":"probe","private":true,"type":"module"}',
      );
      const closure = withInternalClosure(name, packages).map((p) => tarballs.get(p.name)!);
      execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...closure], {
        cwd: dir,
        encoding: 'utf8',
      });
      const imported = execFileSync(
        'node',
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(name)}); console.log(Object.keys(m).length);`,
        ],
        { cwd: dir, encoding: 'utf8' },
      );
      expect(Number(imported.trim())).toBeGreaterThan(0);
      for (const bin of pkg.bins) {
        const out = execFileSync(path.join(dir, 'node_modules', '.bin', bin), ['--version'], {
          cwd: dir,
          encoding: 'utf8',
        });
        expect(out).toMatch(/\d+\.\d+/);
      }
      const installed = JSON.parse(
        readFileSync(path.join(dir, 'node_modules', ...name.split('/'), 'package.json'), 'utf8'),
      ) as { version: string };
      expect(installed.version).toBe(pkg.version);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

it('finds every public package', () => {
  expect(packages.map((p) => p.name).sort()).toEqual([
    '@tuskdb/backend',
    '@tuskdb/libpq',
    '@tuskdb/postmaster',
    '@tuskdb/psql',
    '@tuskdb/shared-protocol',
  ]);
  expect(repoRoot).toBeTruthy();
});
