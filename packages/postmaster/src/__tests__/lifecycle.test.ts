// Sessions through a real tusk-postmaster: psql over TCP and the Unix socket, one backend process
// per session, sessions surviving a stopped postmaster, cancel, backend crashes, the three shutdown
// modes, reload of pg_hba.conf, and the refusal to run as root.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runningAsRoot } from '@tuskdb/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, decodeAll, readUntilClose, startupPacket } from './raw-client.js';
import { binDir, startServer, type Server } from './server-fixture.js';
import { openSession, sendCancel, type RawSession } from './session-client.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sessions', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('serves real psql over TCP and over the Unix socket', () => {
    const tcp = server.psql([
      '-h',
      '127.0.0.1',
      '-p',
      String(server.port),
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-At',
      '-c',
      'SELECT 1',
    ]);
    expect(tcp.stderr).toBe('');
    expect(tcp.stdout).toBe('1\n');
    const unix = server.psql([
      '-h',
      server.socketDir,
      '-p',
      String(server.port),
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-At',
      '-c',
      'SELECT 2',
    ]);
    expect(unix.stderr).toBe('');
    expect(unix.stdout).toBe('2\n');
  });

  it('reports PostgreSQL errors for unknown roles and databases', () => {
    const role = server.psql([
      '-h',
      '127.0.0.1',
      '-p',
      String(server.port),
      '-U',
      'nobody',
      '-d',
      'postgres',
      '-c',
      'SELECT 1',
    ]);
    expect(role.stderr).toContain('FATAL:  role "nobody" does not exist');
    const db = server.psql([
      '-h',
      '127.0.0.1',
      '-p',
      String(server.port),
      '-U',
      'postgres',
      '-d',
      'nodb',
      '-c',
      'SELECT 1',
    ]);
    expect(db.stderr).toContain('FATAL:  database "nodb" does not exist');
  });

  it('gives each session its own backend process', async () => {
    const a = await openSession(server.port);
    const b = await openSession(server.port);
    expect(a.processId).not.toBe(b.processId);
    expect(a.processId).not.toBe(server.pid);
    expect(() => process.kill(a.processId, 0)).not.toThrow();
    a.close();
    b.close();
  });

  it('reuses the process of a finished session, with nothing of that session left', async () => {
    const text = (msgs: Awaited<ReturnType<RawSession['query']>>): string[] =>
      msgs.flatMap((m) =>
        m.type === 'DataRow'
          ? [Buffer.from(m.values[0]!).toString()]
          : m.type === 'ErrorResponse'
            ? [`${m.code} ${m.message}`]
            : [],
      );
    const first = await openSession(server.port);
    await first.query('CREATE TABLE reuse_t (a int)');
    await first.query("SET application_name = 'first'");
    await first.query('PREPARE p AS SELECT 1');
    await first.query('BEGIN');
    await first.query('INSERT INTO reuse_t VALUES (1)');
    first.close(); // mid-transaction
    await sleep(300);
    // The pool hands out idle processes oldest first; open a few at once to meet it again.
    const next = await Promise.all([0, 1, 2, 3].map(() => openSession(server.port)));
    const again = next.find((s) => s.processId === first.processId);
    expect(again, "the finished session's process served a new one").toBeDefined();
    expect(text(await again!.query('SHOW application_name'))).toEqual(['']);
    expect(text(await again!.query('EXECUTE p'))).toEqual([
      '26000 prepared statement "p" does not exist',
    ]);
    expect(text(await again!.query('SELECT count(*) FROM reuse_t'))).toEqual(['0']);
    await again!.query('DROP TABLE reuse_t');
    for (const s of next) s.close();
    // A terminated session's process does not come back.
    const doomed = await openSession(server.port);
    process.kill(doomed.processId, 'SIGTERM');
    for (let i = 0; i < 50 && isAlive(doomed.processId); i++) await sleep(100);
    expect(isAlive(doomed.processId)).toBe(false);
  }, 30_000);

  it('keeps an established session working while the postmaster is stopped', async () => {
    const s = await openSession(server.port);
    process.kill(server.pid, 'SIGSTOP');
    try {
      const res = await s.query('SELECT 42', 5000);
      const row = res.find((m) => m.type === 'DataRow');
      expect(row && row.type === 'DataRow' && Buffer.from(row.values[0]!).toString()).toBe('42');
    } finally {
      process.kill(server.pid, 'SIGCONT');
    }
    s.close();
  });

  it('cancels a running statement through a CancelRequest (and ignores a wrong key)', async () => {
    const s = await openSession(server.port);
    const started = Date.now();
    const result = s.query('SELECT pg_sleep(60)', 30_000);
    await sleep(500);
    await sendCancel(server.port, s.processId, s.secretKey + 1);
    await sleep(500);
    await sendCancel(server.port, s.processId, s.secretKey);
    const msgs = await result;
    const err = msgs.find((m) => m.type === 'ErrorResponse');
    expect(err && err.type === 'ErrorResponse' && [err.code, err.message]).toEqual([
      '57014',
      'canceling statement due to user request',
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeLessThan(20_000);
    s.close();
  }, 40_000);

  it('survives kill -9 of a backend and keeps accepting connections', async () => {
    const s = await openSession(server.port);
    process.kill(s.processId, 'SIGKILL');
    await server.waitForLog(
      new RegExp(`server process \\(PID ${s.processId}\\) terminated by signal 9: Killed`),
    );
    expect(() => process.kill(server.pid, 0)).not.toThrow();
    const t = await openSession(server.port);
    const res = await t.query('SELECT 1');
    expect(res.some((m) => m.type === 'DataRow')).toBe(true);
    t.close();
  });

  it('reloads pg_hba.conf on SIGHUP and keeps the old rules when the new file is bad', async () => {
    const hba = path.join(server.dataDir, 'pg_hba.conf');
    writeFileSync(hba, 'local all all trust\nhost all all 127.0.0.1/32 reject\n');
    process.kill(server.pid, 'SIGHUP');
    await server.waitForLog(/received SIGHUP/);
    await sleep(300);
    const rejected = server.psql([
      '-h',
      '127.0.0.1',
      '-p',
      String(server.port),
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-c',
      'SELECT 1',
    ]);
    expect(rejected.stderr).toContain(
      'FATAL:  pg_hba.conf rejects connection for host "127.0.0.1", user "postgres", database "postgres", no encryption',
    );
    writeFileSync(hba, 'host all all 127.0.0.1/32 trust\nbogus line here\n');
    process.kill(server.pid, 'SIGHUP');
    await server.waitForLog(/pg_hba.conf was not reloaded/);
    expect(server.log()).toContain('invalid connection type "bogus"');
    const still = server.psql([
      '-h',
      '127.0.0.1',
      '-p',
      String(server.port),
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-c',
      'SELECT 1',
    ]);
    expect(still.stderr).toContain('pg_hba.conf rejects connection');
    writeFileSync(hba, 'local all all trust\nhost all all 127.0.0.1/32 trust\n');
    process.kill(server.pid, 'SIGHUP');
    await sleep(500);
  });
});

describe('shutdown modes', () => {
  it('smart: refuses new connections, waits for sessions, then exits', async () => {
    const server = await startServer();
    try {
      const s = await openSession(server.port);
      process.kill(server.pid, 'SIGTERM');
      await server.waitForLog(/received smart shutdown request/);
      const c = await connect(server.port);
      const read = readUntilClose(c);
      c.write(startupPacket({ user: 'postgres', database: 'postgres' }));
      const err = decodeAll((await read).bytes).find((m) => m.type === 'ErrorResponse');
      expect(err && err.type === 'ErrorResponse' && [err.code, err.message]).toEqual([
        '57P03',
        'the database system is shutting down',
      ]);
      const res = await s.query('SELECT 1');
      expect(res.some((m) => m.type === 'DataRow')).toBe(true);
      expect(existsSync(path.join(server.dataDir, 'postmaster.pid'))).toBe(true);
      s.close();
      expect(await server.exited()).toBe(0);
      expect(existsSync(path.join(server.dataDir, 'postmaster.pid'))).toBe(false);
      expect(existsSync(path.join(server.socketDir, `.s.PGSQL.${server.port}`))).toBe(false);
      expect(server.log()).toContain('database system is shut down');
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('fast: terminates sessions with 57P01 and exits', async () => {
    const server = await startServer();
    try {
      const s = await openSession(server.port);
      const closed = readUntilClose(s.socket);
      process.kill(server.pid, 'SIGINT');
      const { bytes } = await closed;
      const err = decodeAll(bytes).find((m) => m.type === 'ErrorResponse');
      expect(err && err.type === 'ErrorResponse' && [err.severity, err.code, err.message]).toEqual([
        'FATAL',
        '57P01',
        'terminating connection due to administrator command',
      ]);
      expect(await server.exited()).toBe(0);
      expect(existsSync(path.join(server.dataDir, 'postmaster.pid'))).toBe(false);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('immediate: every process is gone at once', async () => {
    const server = await startServer();
    try {
      const s = await openSession(server.port);
      process.kill(server.pid, 'SIGQUIT');
      expect(await server.exited()).toBe(0);
      await sleep(200);
      expect(() => process.kill(s.processId, 0)).toThrow();
    } finally {
      await server.stop();
    }
  }, 60_000);
});

describe.runIf(runningAsRoot)('as root', () => {
  it("refuses to run the server or initdb as root, with PostgreSQL's messages", () => {
    const pm = spawnSync(
      process.execPath,
      [path.join(binDir, 'tusk-postmaster.js'), '-D', '/nonexistent'],
      { encoding: 'utf8' },
    );
    expect(pm.status).toBe(1);
    expect(pm.stderr).toBe(
      '"root" execution of the PostgreSQL server is not permitted.\n' +
        'The server must be started under an unprivileged user ID to prevent\n' +
        'possible system security compromise.  See the documentation for\n' +
        'more information on how to properly start the server.\n',
    );
    const init = spawnSync(
      process.execPath,
      [path.join(binDir, 'tusk-initdb.js'), '-D', '/nonexistent'],
      { encoding: 'utf8' },
    );
    expect(init.status).toBe(1);
    expect(init.stderr).toBe(
      'tusk-initdb: error: cannot be run as root\n' +
        'tusk-initdb: hint: Please log in (using, e.g., "su") as the (unprivileged) user that will own the server process.\n',
    );
  });

  it('switches to the --user account before touching the data directory', async () => {
    const server = await startServer();
    await server.stop();
    // Started as root with --user, the postmaster checks the (now missing) directory as postgres.
    const pm = spawnSync(
      process.execPath,
      [path.join(binDir, 'tusk-postmaster.js'), '-D', server.dataDir, '--user', 'postgres'],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect(pm.status).toBe(1);
    expect(pm.stderr).toMatch(/FATAL: {2}data directory ".*" does not exist/);
    const uid = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
    expect(uid).not.toBe('0');
  }, 60_000);
});
