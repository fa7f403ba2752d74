// Client authentication end to end with real psql: scram-sha-256 with the right and a wrong
// password, md5 falling back to SCRAM for a SCRAM verifier, hostssl with a self-signed certificate
// made by openssl (including SCRAM with channel binding), and the 'no encryption' refusals.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Server } from './server-fixture.js';

function selfSignedCertificate(): { cert: string; key: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tusk-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-sha256',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return {
      cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
      key: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('password and SSL authentication', () => {
  let server: Server;
  const run = (conninfo: string, password?: string) =>
    server.psql(
      ['-At', '-d', conninfo, '-c', 'SELECT 1'],
      password === undefined ? {} : { PGPASSWORD: password },
    );

  beforeAll(async () => {
    const { cert, key } = selfSignedCertificate();
    server = await startServer({
      password: 'sekret',
      files: { 'server.crt': cert, 'server.key': key },
      hba: [
        'local all all md5',
        'hostssl all postgres 127.0.0.1/32 scram-sha-256',
        'hostnossl all postgres 127.0.0.1/32 scram-sha-256',
        'host all all 127.0.0.1/32 reject',
      ],
      settings: { ssl: true, ssl_cert_file: '../server.crt', ssl_key_file: '../server.key' },
    });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  const tcp = () => `host=127.0.0.1 port=${server.port} user=postgres dbname=postgres`;

  it('accepts the right SCRAM password and refuses a wrong one with 28P01', () => {
    const ok = run(`${tcp()} sslmode=disable`, 'sekret');
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe('1\n');
    const bad = run(`${tcp()} sslmode=disable`, 'wrong');
    expect(bad.stderr).toContain('FATAL:  password authentication failed for user "postgres"');
    expect(server.log()).toContain('Connection matched pg_hba.conf line 3');
  });

  it('md5 lines use SCRAM when the stored verifier is SCRAM', () => {
    const ok = run(
      `host=${server.socketDir} port=${server.port} user=postgres dbname=postgres`,
      'sekret',
    );
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe('1\n');
  });

  it('runs SCRAM with channel binding over SSL', () => {
    const ok = run(`${tcp()} sslmode=require channel_binding=require`, 'sekret');
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe('1\n');
    const bad = run(`${tcp()} sslmode=require`, 'nope');
    expect(bad.stderr).toContain('password authentication failed for user "postgres"');
  });

  it('names the encryption in pg_hba refusals', () => {
    const nossl = run(
      `host=127.0.0.1 port=${server.port} user=other dbname=postgres sslmode=disable`,
    );
    expect(nossl.stderr).toContain(
      'FATAL:  pg_hba.conf rejects connection for host "127.0.0.1", user "other", database "postgres", no encryption',
    );
    const ssl = run(
      `host=127.0.0.1 port=${server.port} user=other dbname=postgres sslmode=require`,
    );
    expect(ssl.stderr).toContain(
      'FATAL:  pg_hba.conf rejects connection for host "127.0.0.1", user "other", database "postgres", SSL encryption',
    );
  });
});
