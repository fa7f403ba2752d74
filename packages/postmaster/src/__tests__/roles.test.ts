// Roles and privileges end to end with real psql: roles made with CREATE ROLE log in with their
// SCRAM password (and only with it), NOLOGIN and expired roles are refused, and a plain role
// cannot read what it was not granted, become a role it is not a member of, or read server files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Server } from './server-fixture.js';

describe('roles and privileges', () => {
  let server: Server;
  const SECRET = 'alice-Pa55-word';

  /** Runs `sql` as `user` over TCP (password authentication), returning psql's output. */
  const as = (user: string, password: string, sql: string) =>
    server.psql(
      [
        '-X',
        '-At',
        '-v',
        'ON_ERROR_STOP=0',
        '-d',
        `host=127.0.0.1 port=${server.port} user=${user} dbname=postgres sslmode=disable`,
        '-c',
        sql,
      ],
      { PGPASSWORD: password },
    );
  const admin = (sql: string) => as('postgres', 'root-pw', sql);

  beforeAll(async () => {
    server = await startServer({
      password: 'root-pw',
      hba: ['local all all trust', 'host all all 127.0.0.1/32 scram-sha-256'],
    });
    const setup = admin(
      [
        `CREATE ROLE alice LOGIN PASSWORD '${SECRET}'`,
        "CREATE ROLE expired LOGIN PASSWORD 'old-pw' VALID UNTIL '2001-01-01 00:00:00+00'",
        "CREATE ROLE nologin PASSWORD 'some-pw'",
        'CREATE ROLE readers',
        'GRANT readers TO alice',
        'CREATE TABLE secret (v text)',
        "INSERT INTO secret VALUES ('classified')",
        'CREATE TABLE shared (v text)',
        "INSERT INTO shared VALUES ('hello')",
        'GRANT SELECT ON shared TO readers',
      ].join('; '),
    );
    expect(setup.stderr).toBe('');
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('logs a new role in with its password and refuses a wrong one', () => {
    const ok = as('alice', SECRET, 'SELECT current_user');
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe('alice\n');
    const bad = as('alice', 'guess', 'SELECT 1');
    expect(bad.stderr).toContain('FATAL:  password authentication failed for user "alice"');
  });

  it('refuses roles without LOGIN and roles past VALID UNTIL', () => {
    const nologin = as('nologin', 'some-pw', 'SELECT 1');
    expect(nologin.stderr).toContain('role "nologin" is not permitted to log in');
    const expired = as('expired', 'old-pw', 'SELECT 1');
    expect(expired.stderr).toContain('password authentication failed for user "expired"');
    // Moving VALID UNTIL into the future lets the same password in.
    expect(admin("ALTER ROLE expired VALID UNTIL 'infinity'").stderr).toBe('');
    expect(as('expired', 'old-pw', 'SELECT current_user').stdout).toBe('expired\n');
  });

  it('reads only what was granted, directly or through a role', () => {
    const granted = as('alice', SECRET, 'SELECT v FROM shared');
    expect(granted.stdout).toBe('hello\n');
    const denied = as('alice', SECRET, 'SELECT v FROM secret');
    expect(denied.stderr).toContain('ERROR:  permission denied for table secret');
    expect(denied.stdout).toBe('');
    const write = as('alice', SECRET, "INSERT INTO shared VALUES ('x')");
    expect(write.stderr).toContain('ERROR:  permission denied for table shared');
    const drop = as('alice', SECRET, 'DROP TABLE secret');
    expect(drop.stderr).toContain('ERROR:  must be owner of table secret');
    const passwords = as('alice', SECRET, 'SELECT rolpassword FROM pg_authid');
    expect(passwords.stderr).toContain('ERROR:  permission denied for table pg_authid');
  });

  it('cannot escalate with SET ROLE or SET SESSION AUTHORIZATION', () => {
    const r = as('alice', SECRET, 'SET ROLE postgres');
    expect(r.stderr).toContain('ERROR:  permission denied to set role "postgres"');
    const s = as('alice', SECRET, 'SET SESSION AUTHORIZATION postgres');
    expect(s.stderr).toContain('ERROR:  permission denied to set session authorization');
    const member = as('alice', SECRET, 'SET ROLE readers; SELECT current_user, session_user');
    expect(member.stdout).toBe('SET\nreaders|alice\n');
    const su = as('alice', SECRET, 'ALTER ROLE alice SUPERUSER');
    expect(su.stderr).toContain(
      'must be superuser to alter superuser roles or change superuser attribute',
    );
  });

  it('cannot read server files', () => {
    const r = as('alice', SECRET, "COPY shared FROM '/etc/hostname'");
    expect(r.stderr).toContain(
      'must be superuser or have privileges of the pg_read_server_files role to COPY from a file',
    );
  });

  it('stores a SCRAM verifier, never the password, and does not log it', () => {
    const stored = admin("SELECT rolpassword FROM pg_authid WHERE rolname = 'alice'");
    expect(stored.stdout).toMatch(/^SCRAM-SHA-256\$4096:/);
    expect(stored.stdout).not.toContain(SECRET);
    expect(admin("SELECT rolpassword FROM pg_roles WHERE rolname = 'alice'").stdout).toBe(
      '********\n',
    );
    expect(server.log()).not.toContain(SECRET);
  });
});
