// Establishing connections against a real server: trust/password/md5/SCRAM logins, require_auth,
// channel_binding, every sslmode with certificate verification, the password file, several hosts
// and target_session_attrs, Unix sockets.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connect, ConnectionError, type ConnectionOptionsInput } from './index.js';
import { freePort } from '@tuskdb/testkit';
import { startServer, type TestServer } from './__tests__/server.js';

let server: TestServer;
let certDir: string;
let home: string;

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: certDir, stdio: 'ignore' });
}

/** A CA, a server certificate it signed for localhost/127.0.0.1, and an unrelated CA. */
function makeCertificates(): void {
  certDir = mkdtempSync(path.join(tmpdir(), 'libpq-certs-'));
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=Test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  ]);
  openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  ]);
  writeFileSync(path.join(certDir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'san.ext',
    '-out',
    'server.crt',
  ]);
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=Other CA',
    '-keyout',
    'other.key',
    '-out',
    'other.crt',
  ]);
}

const env = (): { env: Record<string, string>; homedir: string; warn: () => void } => ({
  env: {},
  homedir: home,
  warn: () => {},
});

function open(input: string | Record<string, string | number>): ReturnType<typeof connect> {
  const base = { host: server.host, port: server.port, dbname: 'postgres' };
  const opts: ConnectionOptionsInput =
    typeof input === 'string'
      ? `host=${base.host} port=${base.port} dbname=postgres ${input}`
      : { ...base, ...input };
  return connect(opts, { environment: env() });
}

async function failure(input: string): Promise<ConnectionError> {
  const e = await open(input).then(
    async (c) => {
      await c.close();
      return new Error('connected unexpectedly');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ConnectionError);
  return e as ConnectionError;
}

async function sslInUse(input: string): Promise<boolean> {
  const c = await open(input);
  const r = await c.query<{ ssl: boolean }>(
    'select ssl from pg_stat_ssl where pid = pg_backend_pid()',
  );
  await c.close();
  return r.rows[0]!.ssl;
}

beforeAll(async () => {
  makeCertificates();
  home = mkdtempSync(path.join(tmpdir(), 'libpq-home-'));
  server = await startServer({
    hba: [
      'local all all trust',
      'host all postgres 127.0.0.1/32 trust',
      'host all md5user 127.0.0.1/32 md5',
      'host all scramuser 127.0.0.1/32 scram-sha-256',
      'host all pwuser 127.0.0.1/32 password',
      'host all rouser 127.0.0.1/32 trust',
    ],
    settings: { ssl: true, ssl_cert_file: 'server.crt', ssl_key_file: 'server.key' },
    files: {
      'server.crt': readFileSync(path.join(certDir, 'server.crt'), 'utf8'),
      'server.key': readFileSync(path.join(certDir, 'server.key'), 'utf8'),
    },
  });
  server.psql(
    "set password_encryption = 'md5'; create role md5user login password 'md5 pw'; " +
      "set password_encryption = 'scram-sha-256'; create role scramuser login password 'scräm:pw'; " +
      "create role pwuser login password 'clear'; create role rouser login; alter role rouser set default_transaction_read_only = on",
  );
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

const prefix = (): string => `connection to server at "127.0.0.1", port ${server.port} failed: `;

describe('authentication', () => {
  test('trust, cleartext password, md5 and SCRAM with the right password', async () => {
    for (const input of [
      'user=postgres',
      'user=pwuser password=clear',
      "user=md5user password='md5 pw'",
      "user=scramuser password='scräm:pw' sslmode=disable",
      "user=scramuser password='scräm:pw' sslmode=require",
    ]) {
      const c = await open(input);
      expect((await c.query<{ u: string }>('select current_user as u')).rows[0]!.u).toBe(
        /user=(\w+)/.exec(input)![1],
      );
      await c.close();
    }
  });

  test("wrong or missing passwords give libpq's messages", async () => {
    for (const user of ['md5user', 'scramuser', 'pwuser']) {
      const e = await failure(`user=${user} password=wrong sslmode=disable`);
      expect(e.message).toBe(
        `${prefix()}FATAL:  password authentication failed for user "${user}"`,
      );
      expect([e.kind, e.code, e.serverError?.code]).toEqual(['auth', '28P01', '28P01']);
      expect((await failure(`user=${user} sslmode=disable`)).message).toBe(
        `${prefix()}fe_sendauth: no password supplied`,
      );
    }
  });

  test('require_auth', async () => {
    expect(
      (await failure("user=md5user password='md5 pw' require_auth=scram-sha-256")).message,
    ).toBe(
      `${prefix()}authentication method requirement "scram-sha-256" failed: server requested a hashed password`,
    );
    expect((await failure('user=postgres require_auth=md5')).message).toBe(
      `${prefix()}authentication method requirement "md5" failed: server did not complete authentication`,
    );
    expect((await failure('user=pwuser password=clear require_auth=!password')).message).toBe(
      `${prefix()}authentication method requirement "!password" failed: server requested a cleartext password`,
    );
    const ok = await open("user=scramuser password='scräm:pw' require_auth=md5,scram-sha-256");
    await ok.close();
    const none = await open('user=postgres require_auth=none');
    await none.close();
  });

  test('channel_binding', async () => {
    expect(
      (await failure("user=scramuser password='scräm:pw' sslmode=disable channel_binding=require"))
        .message,
    ).toBe(`${prefix()}channel binding required, but SSL not in use`);
    expect(
      (await failure("user=md5user password='md5 pw' sslmode=require channel_binding=require"))
        .message,
    ).toBe(
      `${prefix()}channel binding required but not supported by server's authentication request`,
    );
    expect((await failure('user=postgres sslmode=require channel_binding=require')).message).toBe(
      `${prefix()}channel binding required, but server authenticated client without channel binding`,
    );
    // SCRAM-SHA-256-PLUS over TLS: the server verifies our tls-server-end-point binding.
    const c = await open(
      "user=scramuser password='scräm:pw' sslmode=require channel_binding=require",
    );
    expect(c.connected.tls).toBe(true);
    await c.close();
  });

  test('password file: used when no password is given; named on failure; ignored when readable by others', async () => {
    const file = path.join(home, 'pgpass');
    writeFileSync(
      file,
      `127.0.0.1:${server.port}:*:md5user:md5 pw\n127.0.0.1:*:*:scramuser:wrong\n`,
      { mode: 0o600 },
    );
    const c = await open(`user=md5user passfile=${file}`);
    await c.close();
    const e = await failure(`user=scramuser passfile=${file} sslmode=disable`);
    expect(e.message).toBe(
      `${prefix()}FATAL:  password authentication failed for user "scramuser"\npassword retrieved from file "${file}"`,
    );
  });
});

describe('TLS', () => {
  test('sslmode disable / allow / prefer / require', async () => {
    expect(await sslInUse('user=postgres sslmode=disable')).toBe(false);
    expect(await sslInUse('user=postgres sslmode=allow')).toBe(false);
    expect(await sslInUse('user=postgres sslmode=prefer')).toBe(true);
    expect(await sslInUse('user=postgres sslmode=require')).toBe(true);
  });

  test('verify-ca and verify-full check the chain and the host name', async () => {
    const ca = path.join(certDir, 'ca.crt');
    const other = path.join(certDir, 'other.crt');
    expect(await sslInUse(`user=postgres sslmode=verify-ca sslrootcert=${ca}`)).toBe(true);
    expect(await sslInUse(`user=postgres sslmode=verify-full sslrootcert=${ca}`)).toBe(true);
    expect((await failure(`user=postgres sslmode=verify-ca sslrootcert=${other}`)).message).toBe(
      `${prefix()}SSL error: certificate verify failed`,
    );
    const mismatch = (await connect(
      `host=wrong.example hostaddr=127.0.0.1 port=${server.port} user=postgres dbname=postgres sslmode=verify-full sslrootcert=${ca}`,
      { environment: env() },
    ).catch((e: unknown) => e as Error)) as Error;
    expect(mismatch.message).toBe(
      `connection to server at "wrong.example" (127.0.0.1), port ${server.port} failed: server certificate for "localhost" (and 1 other name) does not match host name "wrong.example"`,
    );
    // Same host, verify-ca does not look at the name.
    const viaAddr = await connect(
      `host=wrong.example hostaddr=127.0.0.1 port=${server.port} user=postgres dbname=postgres sslmode=verify-ca sslrootcert=${ca}`,
      { environment: env() },
    );
    await viaAddr.close();
    expect((await failure('user=postgres sslmode=verify-ca')).message).toBe(
      `${prefix()}root certificate file "${home}/.postgresql/root.crt" does not exist\nEither provide the file or change sslmode to disable server certificate verification.`,
    );
    // ~/.postgresql/root.crt is used when present, and then even sslmode=require verifies.
    mkdirSync(path.join(home, '.postgresql'), { recursive: true });
    writeFileSync(path.join(home, '.postgresql', 'root.crt'), readFileSync(other));
    expect((await failure('user=postgres sslmode=require')).message).toBe(
      `${prefix()}SSL error: certificate verify failed`,
    );
    writeFileSync(path.join(home, '.postgresql', 'root.crt'), readFileSync(ca));
    expect(await sslInUse('user=postgres sslmode=verify-full')).toBe(true);
  });
});

describe('hosts', () => {
  test('several hosts are tried in order; all failures are reported', async () => {
    const dead = await freePort();
    const c = await open({
      host: '127.0.0.1,127.0.0.1',
      port: `${dead},${server.port}`,
      user: 'postgres',
      sslmode: 'disable',
    });
    expect(c.connected.target.port).toBe(server.port);
    await c.close();
    const dead2 = await freePort();
    const e = (await connect(
      `host=127.0.0.1,${server.socketDir} port=${dead},${dead2} user=postgres`,
      {
        environment: env(),
      },
    ).catch((err: unknown) => err)) as ConnectionError;
    expect(e.message).toBe(
      `connection to server at "127.0.0.1", port ${dead} failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?\n` +
        `connection to server on socket "${server.socketDir}/.s.PGSQL.${dead2}" failed: No such file or directory\n\tIs the server running locally and accepting connections on that socket?`,
    );
    expect(e.kind).toBe('connect');
  });

  test('Unix-domain sockets, as a host directory or URI', async () => {
    const c = await connect(
      `postgresql://postgres@${encodeURIComponent(server.socketDir)}:${server.port}/postgres`,
      {
        environment: env(),
      },
    );
    expect(c.connected.address).toBe(`${server.socketDir}/.s.PGSQL.${server.port}`);
    expect((await c.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    await c.close();
  });

  test('target_session_attrs and load_balance_hosts', async () => {
    const hosts = `host=127.0.0.1,127.0.0.1 port=${server.port},${server.port}`;
    // rouser's sessions are read-only (default_transaction_read_only = on).
    expect((await failure(`${hosts} user=rouser target_session_attrs=read-write`)).message).toBe(
      `${prefix()}session is read-only\n${prefix()}session is read-only`,
    );
    expect((await failure(`user=postgres target_session_attrs=read-only`)).message).toBe(
      `${prefix()}session is not read-only`,
    );
    expect((await failure(`user=postgres target_session_attrs=standby`)).message).toBe(
      `${prefix()}server is not in hot standby mode`,
    );
    for (const attrs of ['any', 'read-write', 'primary', 'prefer-standby']) {
      const c = await open(`user=postgres target_session_attrs=${attrs}`);
      await c.close();
    }
    const ro = await open('user=rouser target_session_attrs=read-only');
    await ro.close();
    const dead = await freePort();
    const seen = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const c = await connect(
        `host=127.0.0.1,127.0.0.1 port=${dead},${server.port} user=postgres dbname=postgres load_balance_hosts=random`,
        {
          environment: env(),
        },
      );
      seen.add(c.connected.target.port);
      await c.close();
    }
    expect(seen).toEqual(new Set([server.port]));
  });
});

describe('messages match real psql 15 (libpq) byte for byte', () => {
  test.each([
    ['wrong md5 password', 'user=md5user password=wrong sslmode=disable'],
    ['wrong password, sslmode=prefer', 'user=md5user password=wrong'],
    ['wrong password, sslmode=allow', 'user=md5user password=wrong sslmode=allow'],
    ['two dead hosts', 'host=127.0.0.1,127.0.0.1 port=1,2 user=postgres'],
    ['wrong SCRAM password over TLS', 'user=scramuser password=wrong sslmode=require'],
    ['no password', 'user=scramuser sslmode=disable'],
    ['untrusted CA', 'user=postgres sslmode=verify-ca sslrootcert=OTHER'],
    [
      'channel binding without TLS',
      'user=scramuser password=x sslmode=disable channel_binding=require',
    ],
    ['read-only session', 'user=rouser target_session_attrs=read-write'],
    ['bad option', 'user=postgres sslmode=bogus'],
    ['unknown keyword', 'user=postgres frobnicate=1'],
  ])('%s', async (_name, input) => {
    const conninfo = `host=127.0.0.1 port=${server.port} dbname=postgres ${input}`.replace(
      'OTHER',
      path.join(certDir, 'other.crt'),
    );
    const psql = spawnSync('psql', ['-X', '-w', '-c', '', conninfo], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', HOME: home },
    });
    const expected = psql.stderr.replace(/^psql: error: /, '').replace(/\n$/, '');
    const ours = await connect(conninfo, {
      environment: { env: {}, homedir: home, warn: () => {} },
    }).then(
      async (c) => {
        await c.close();
        return 'connected';
      },
      (e: unknown) => (e as Error).message,
    );
    expect(ours).toBe(expected);
  });
});
