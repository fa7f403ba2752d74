// Publish and install for real: the normal release command publishes every package to a local
// verdaccio; then, in empty directories, plain npm installs @tuskdb/psql alone and @tuskdb/postmaster
// alone from it, and those installs create an installation, run the server and query it.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  asServerAccount,
  freePort,
  giveToServerAccount,
  runningAsRoot,
  serverAccountIds,
} from '@tuskdb/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalRegistry, type LocalRegistry } from './local-registry.js';
import { repoRoot } from './workspace.js';

let registry: LocalRegistry;
const dirs: string[] = [];

function npmEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NPM_CONFIG_USERCONFIG: registry.npmrc,
    npm_config_registry: registry.url,
    // The release runs from a working tree that may hold uncommitted work while developing.
    npm_config_git_checks: 'false',
  };
}

function emptyDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tusk-user-'));
  chmodSync(dir, 0o755);
  dirs.push(dir);
  writeFileSync(path.join(dir, 'package.json'), '{"name":"user-app","private":true}');
  return dir;
}

function npmInstall(dir: string, pkg: string): void {
  // The local registry proxies third-party packages from the npm registry; a transient failure
  // there surfaces as a 404, so the install is tried a few times before it counts as failed.
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', pkg], {
        cwd: dir,
        env: npmEnv(),
        stdio: 'pipe',
      });
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/** The pinned pnpm's executable, fetched by npx from the public registry (not through ours). */
function pnpmExecutable(): string {
  return execFileSync('npx', ['--yes', '-p', 'pnpm@10.34.9', '-c', 'command -v pnpm'], {
    cwd: repoRoot,
    encoding: 'utf8',
  }).trim();
}

beforeAll(async () => {
  const pnpm = pnpmExecutable();
  registry = await startLocalRegistry();
  execFileSync(pnpm, ['run', 'release', '--no-git-tag'], {
    cwd: repoRoot,
    // turbo looks for the package manager on PATH.
    env: { ...npmEnv(), PATH: `${path.dirname(pnpm)}:${process.env.PATH ?? ''}` },
    stdio: 'pipe',
  });
}, 300_000);

afterAll(async () => {
  await registry?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

it('publishes every package with real version ranges', async () => {
  for (const name of ['shared-protocol', 'libpq', 'psql', 'backend', 'postmaster']) {
    const response = await fetch(`${registry.url}@tuskdb%2f${name}`);
    expect(response.status, name).toBe(200);
    const doc = (await response.json()) as {
      versions: Record<string, { dependencies?: Record<string, string> }>;
    };
    const local = JSON.parse(
      readFileSync(path.join(repoRoot, 'packages', name, 'package.json'), 'utf8'),
    ) as { version: string };
    const published = doc.versions[local.version];
    expect(published, `${name}@${local.version}`).toBeDefined();
    expect(JSON.stringify(published!.dependencies ?? {})).not.toContain('workspace:');
  }
}, 60_000);

it('installs @tuskdb/postmaster and @tuskdb/psql alone and runs them', async () => {
  const serverDir = emptyDir();
  npmInstall(serverDir, '@tuskdb/postmaster');
  const clientDir = emptyDir();
  npmInstall(clientDir, '@tuskdb/psql');
  const bin = (dir: string, name: string): string => path.join(dir, 'node_modules', '.bin', name);
  expect(execFileSync(bin(clientDir, 'tusk-psql'), ['--version'], { encoding: 'utf8' })).toMatch(
    /\d+\.\d+/,
  );

  const dataDir = path.join(serverDir, 'data');
  giveToServerAccount(serverDir);
  execFileSync(...asServerAccount(bin(serverDir, 'tusk-initdb'), ['-D', dataDir, '-U', 'tusk']), {
    stdio: 'pipe',
  });
  const port = await freePort();
  const server = spawn(
    bin(serverDir, 'tusk-postmaster'),
    ['-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', serverDir],
    { stdio: 'ignore', ...(runningAsRoot ? serverAccountIds() : {}) },
  );
  try {
    let output = '';
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        output = execFileSync(
          bin(clientDir, 'tusk-psql'),
          ['-h', '127.0.0.1', '-p', String(port), '-U', 'tusk', '-d', 'postgres', '-c', 'select 1'],
          { encoding: 'utf8', stdio: 'pipe' },
        );
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    expect(output).toBe(' ?column? \n----------\n        1\n(1 row)\n\n');
  } finally {
    server.kill('SIGINT');
    await new Promise((r) => server.once('exit', r));
  }
}, 300_000);
