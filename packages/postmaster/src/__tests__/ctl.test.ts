// tusk-ctl start / status / reload / stop against a real installation, as the server account.
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asServerAccount, freePort, giveToServerAccount } from '@tuskdb/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { binDir } from './server-fixture.js';

const run = (bin: string, args: string[]) => {
  const [cmd, argv] = asServerAccount(process.execPath, [path.join(binDir, bin), ...args]);
  return spawnSync(cmd, argv, { encoding: 'utf8', timeout: 60_000, cwd: '/' });
};

describe('tusk-ctl', () => {
  const base = mkdtempSync(path.join(tmpdir(), 'tusk-ctl-'));
  chmodSync(base, 0o755);
  giveToServerAccount(base);
  const dataDir = path.join(base, 'data');
  const sock = path.join(base, 'sock');
  mkdirSync(sock);
  giveToServerAccount(sock);
  const logFile = path.join(base, 'log');
  afterAll(() => {
    run('tusk-ctl.js', ['stop', '-D', dataDir, '-m', 'immediate']);
    rmSync(base, { recursive: true, force: true });
  });

  it('initdb refuses a non-empty directory and explains how to start', async () => {
    const init = run('tusk-initdb.js', ['-D', dataDir, '-U', 'postgres', '-N']);
    expect(init.status).toBe(0);
    expect(init.stdout).toContain('Success. You can now start the database server using:');
    expect(init.stderr).toContain('warning: enabling "trust" authentication for local connections');
    expect((await import('node:fs')).statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(readFileSync(path.join(dataDir, 'PG_VERSION'), 'utf8')).toBe('15\n');
    const again = run('tusk-initdb.js', ['-D', dataDir]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(
      `tusk-initdb: error: directory "${dataDir}" exists but is not empty`,
    );
  });

  it('starts, reports status, reloads and stops the server', async () => {
    const port = await freePort();
    appendFileSync(
      path.join(dataDir, 'postgresql.conf'),
      `listen_addresses = '127.0.0.1'\nport = ${port}\nunix_socket_directories = '${sock}'\n`,
    );
    const start = run('tusk-ctl.js', ['start', '-D', dataDir, '-l', logFile]);
    expect(start.stderr).toBe('');
    expect(start.stdout).toMatch(/waiting for server to start\.*\s*done\nserver started\n/);
    const status = run('tusk-ctl.js', ['status', '-D', dataDir]);
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(/^tusk-ctl: server is running \(PID: \d+\)/);
    const reload = run('tusk-ctl.js', ['reload', '-D', dataDir]);
    expect(reload.stdout).toBe('server signaled\n');
    const stop = run('tusk-ctl.js', ['stop', '-D', dataDir, '-m', 'fast']);
    expect(stop.stdout).toMatch(/waiting for server to shut down\.*\s*done\nserver stopped\n/);
    expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('database system is ready to accept connections');
    expect(log).toContain('received SIGHUP, reloading configuration files');
    expect(log).toContain('received fast shutdown request');
    expect(log).toContain('database system is shut down');
    const after = run('tusk-ctl.js', ['status', '-D', dataDir]);
    expect(after.status).toBe(3);
    expect(after.stdout).toBe('tusk-ctl: no server running\n');
  }, 60_000);
});
