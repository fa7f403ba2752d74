// A real local npm registry (verdaccio) on loopback for the publish-and-install test: our @tuskdb
// packages are stored locally only; everything else is proxied from the npm registry.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, giveToServerAccount, runningAsRoot, serverAccountIds } from '@tuskdb/testkit';

export interface LocalRegistry {
  url: string;
  /** An npm userconfig file with the registry and a publish token. */
  npmrc: string;
  stop(): Promise<void>;
}

const verdaccioBin = path.resolve(import.meta.dirname, '..', 'node_modules', '.bin', 'verdaccio');

export async function startLocalRegistry(): Promise<LocalRegistry> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tusk-registry-'));
  chmodSync(dir, 0o755);
  giveToServerAccount(dir);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  writeFileSync(
    path.join(dir, 'config.yaml'),
    [
      `storage: ${path.join(dir, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${path.join(dir, 'htpasswd')}`,
      'uplinks:',
      '  npmjs:',
      '    url: https://registry.npmjs.org/',
      // Generous: package documents can be large and the machine busy.
      '    timeout: 120s',
      // Never give up on the npm registry after a transient failure (the default is to stop
      // asking for minutes after two), so one hiccup cannot fail the whole install.
      '    max_fails: 1000',
      '    fail_timeout: 1s',
      'packages:',
      "  '@tuskdb/*':",
      '    access: $all',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      '    proxy: npmjs',
      `listen: 127.0.0.1:${port}`,
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  giveToServerAccount(path.join(dir, 'config.yaml'));
  const child: ChildProcess = spawn(verdaccioBin, ['--config', path.join(dir, 'config.yaml')], {
    stdio: 'ignore',
    ...(runningAsRoot ? serverAccountIds() : {}),
  });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null) {
        rmSync(dir, { recursive: true, force: true });
        resolve();
        return;
      }
      child.once('exit', () => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      });
      child.kill('SIGTERM');
    });
  let token: string | undefined;
  const deadline = Date.now() + 30_000;
  while (token === undefined) {
    try {
      const response = await fetch(`${url}-/user/org.couchdb.user:tusk`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'tusk', password: 'tusk-release-check' }),
      });
      const body = (await response.json()) as { token?: string };
      if (!body.token) throw new Error(`registry refused the user: ${JSON.stringify(body)}`);
      token = body.token;
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) {
        await stop();
        throw error;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const npmrc = path.join(dir, 'npmrc');
  writeFileSync(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
  return { url, npmrc, stop };
}
