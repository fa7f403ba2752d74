// Authentication against a real PostgreSQL 15: what it stores (MD5 and SCRAM secrets, SASLprep
// included) must equal what we compute, our client must log in (plain and channel-bound over TLS),
// PostgreSQL must accept secrets we generate, and our server's error texts must equal its own.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { startPostgres, type PostgresServer } from '@tuskdb/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthenticationError } from './errors.js';
import * as clientModule from './scram-client.js';
import { md5PasswordHash } from './md5.js';
import { ScramServer } from './scram-server.js';
import { parseScramVerifier, scramVerifier } from './scram-verifier.js';
import { pgLogin } from './__tests__/pg-login.js';

let pg: PostgresServer;
const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

function selfSignedCertificate(): { crt: string; key: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tusk-cert-'));
  try {
    // ECDSA with SHA-384: tls-server-end-point must then hash with SHA-384, not SHA-256.
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-sha384',
      '-nodes', '-subj', '/CN=localhost', '-days', '2',
      '-keyout', path.join(dir, 'key'), '-out', path.join(dir, 'crt'),
    ], { stdio: 'ignore' }); // prettier-ignore
    return {
      crt: readFileSync(path.join(dir, 'crt'), 'utf8'),
      key: readFileSync(path.join(dir, 'key'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  const cert = selfSignedCertificate();
  pg = await startPostgres({
    hba: [
      'local all all trust',
      'host all md5_user 127.0.0.1/32 md5',
      'host all all 127.0.0.1/32 scram-sha-256',
    ],
    settings: { ssl: true, ssl_cert_file: 'server.crt', ssl_key_file: 'server.key' },
    files: { 'server.crt': cert.crt, 'server.key': cert.key },
  });
  pg.psql(
    "SET password_encryption = 'md5'; CREATE ROLE md5_user LOGIN PASSWORD 'md5 pw';" +
      "RESET password_encryption; CREATE ROLE scram_user LOGIN PASSWORD 'scram pw';",
  );
}, 60_000);

afterAll(async () => {
  await pg?.stop();
});

const rolpassword = (role: string): string =>
  pg
    .psql(`SELECT rolpassword FROM pg_authid WHERE rolname = ${sqlString(role)}`, ['-A', '-t'])
    .trim();

describe('MD5', () => {
  it('PostgreSQL stores md5PasswordHash and accepts our answer', async () => {
    expect(rolpassword('md5_user')).toBe(md5PasswordHash('md5 pw', 'md5_user'));
    expect(await pgLogin({ port: pg.port, user: 'md5_user', password: 'md5 pw' })).toEqual({
      ok: true,
      method: 'md5',
    });
    expect(await pgLogin({ port: pg.port, user: 'md5_user', password: 'nope' })).toEqual({
      ok: false,
      code: '28P01',
      message: 'password authentication failed for user "md5_user"',
      detail: undefined,
    });
  });
});

describe('SCRAM-SHA-256', () => {
  it('our client logs in; a wrong password or a tampered proof is refused', async () => {
    const login = (password: string, mangle?: (s: string) => string) =>
      pgLogin({ port: pg.port, user: 'scram_user', password, mangleClientFinal: mangle });
    expect(await login('scram pw')).toEqual({ ok: true, method: 'SCRAM-SHA-256' });
    const refused = {
      ok: false,
      code: '28P01',
      message: 'password authentication failed for user "scram_user"',
      detail: undefined,
    };
    expect(await login('scram pw ')).toEqual(refused);
    expect(
      await login('scram pw', (f) => f.replace(/p=./, (p) => (p === 'p=A' ? 'p=B' : 'p=A'))),
    ).toEqual(refused);
  });

  it('channel-bound login over TLS (SCRAM-SHA-256-PLUS, ECDSA/SHA-384 certificate)', async () => {
    expect(
      await pgLogin({ port: pg.port, user: 'scram_user', password: 'scram pw', tls: true }),
    ).toEqual({ ok: true, method: 'SCRAM-SHA-256-PLUS' });
    // Wrong binding data: PostgreSQL refuses it with the same text as our server.
    const bad = await pgLogin({
      port: pg.port,
      user: 'scram_user',
      password: 'scram pw',
      tls: true,
      mangleClientFinal: (f) =>
        f.replace(/^c=[^,]*/, 'c=' + Buffer.from('p=tls-server-end-point,,xx').toString('base64')),
    });
    const verifier = scramVerifier('x', { iterations: 2 });
    const ours = (() => {
      const { ScramClient } = clientModule;
      const data = Buffer.alloc(48, 1);
      const client = new ScramClient({
        password: 'x',
        channelBinding: { type: 'tls-server-end-point', data },
      });
      const server = new ScramServer({
        verifier,
        mechanism: 'SCRAM-SHA-256-PLUS',
        channelBinding: { data },
      });
      const final = client.handleServerFirst(server.handleClientFirst(client.clientFirstMessage()));
      try {
        server.handleClientFinal(
          final.replace(
            /^c=[^,]*/,
            'c=' + Buffer.from('p=tls-server-end-point,,xx').toString('base64'),
          ),
        );
      } catch (err) {
        const e = err as AuthenticationError;
        return { ok: false, code: e.code, message: e.message, detail: e.detail };
      }
      return 'accepted';
    })();
    expect(bad).toEqual(ours);
    // Over TLS the server can bind, so a client saying 'y' (could bind, server did not offer) is
    // refused — by PostgreSQL and by our server alike.
    const y = await pgLogin({
      port: pg.port,
      user: 'scram_user',
      password: 'scram pw',
      tls: true,
      scram: { channelBinding: 'client-supports-but-not-used' },
    });
    let oursY: unknown = 'accepted';
    try {
      new ScramServer({ verifier, channelBinding: { data: Buffer.alloc(48) } }).handleClientFirst(
        'y,,n=,r=abc',
      );
    } catch (err) {
      const e = err as AuthenticationError;
      oursY = { ok: false, code: e.code, message: e.message, detail: e.detail };
    }
    expect(y).toEqual(oursY);
  });

  it('PostgreSQL stores exactly our verifier for the same salt (SASLprep included)', () => {
    const fixed = ['pencil', 'I\u00adX', '\u2168\u00aa', 'a\u00a0b', 'é\u{1f600}\u2168',
      '\u0627\u0031', '\u05d01\u05d0', 'ß\ufb01\u3000x', 'a\u0007b', 'Ǆ\u0301e\u0301']; // prettier-ignore
    const generated = fc.sample(
      fc
        .array(
          fc.oneof(
            fc.integer({ min: 0x20, max: 0x7e }),
            fc.integer({ min: 0xa0, max: 0x33ff }),
            fc.constantFrom(0xad, 0x2168, 0x200b, 0xfb01, 0x627, 0x5d0, 0x1f600, 0xe000, 0x7),
          ),
          { minLength: 1, maxLength: 10 },
        )
        .map((cps) => String.fromCodePoint(...cps)),
      { numRuns: 100, seed: 42 },
    );
    const passwords = [...fixed, ...generated];
    pg.psql(passwords.map((p, i) => `CREATE ROLE prep_${i} PASSWORD ${sqlString(p)};`).join(''));
    const stored = new Map(
      pg
        .psql("SELECT rolname || ' ' || rolpassword FROM pg_authid WHERE rolname LIKE 'prep\\_%'", [
          '-A',
          '-t',
        ])
        .trim()
        .split('\n')
        .map((line) => line.split(' ') as [string, string]),
    );
    const mismatches = passwords.filter((p, i) => {
      const theirs = stored.get(`prep_${i}`)!;
      const v = parseScramVerifier(theirs)!;
      return scramVerifier(p, { salt: v.salt, iterations: v.iterations }) !== theirs;
    });
    expect(mismatches).toEqual([]);
    expect(stored.size).toBe(passwords.length);
  }, 60_000);

  it('PostgreSQL accepts a verifier we generated (our client and psql log in)', async () => {
    const password = 'gen\u2168 pw';
    pg.psql(`CREATE ROLE gen_user LOGIN PASSWORD ${sqlString(scramVerifier(password))}`);
    expect(rolpassword('gen_user')).toMatch(/^SCRAM-SHA-256\$4096:/);
    expect(await pgLogin({ port: pg.port, user: 'gen_user', password })).toEqual({
      ok: true,
      method: 'SCRAM-SHA-256',
    });
    const out = execFileSync(
      'psql',
      ['-X', '-A', '-t', '-h', '127.0.0.1', '-p', String(pg.port), '-U', 'gen_user', '-d', 'postgres', '-c', 'SELECT current_user'],
      { encoding: 'utf8', env: { ...process.env, PGPASSWORD: password, PGSSLMODE: 'disable' } },
    ); // prettier-ignore
    expect(out.trim()).toBe('gen_user');
  });

  it('unknown users get a stable mock salt and fail like wrong passwords', async () => {
    const salts: string[] = [];
    const probe = () =>
      pgLogin({
        port: pg.port,
        user: 'no_such_user',
        password: 'x',
        onServerFirst: (m) => salts.push(m.replace(/^r=[^,]*,/, '')),
      });
    const refused = {
      ok: false,
      code: '28P01',
      message: 'password authentication failed for user "no_such_user"',
      detail: undefined,
    };
    expect(await probe()).toEqual(refused);
    expect(await probe()).toEqual(refused);
    expect(salts[0]).toMatch(/^s=[A-Za-z0-9+/]{22}==,i=4096$/);
    expect(salts[1]).toBe(salts[0]);
  });

  it("our server's errors for malformed client-first messages equal PostgreSQL's", async () => {
    const verifier = scramVerifier('x', { iterations: 2 });
    const messages = [
      'x,,n=,r=a', 'n;,n=,r=a', 'p=tls-server-end-point,,n=,r=a', 'n,a=x,n=,r=a',
      'n,b,n=,r=a', 'n,,m=x,n=,r=a', 'n,,r=a', 'n,,n=,r', 'n,,n=,r=a,1', 'n,,n=,r=a,',
      'n,,n=,r=a\x7f', 'y', '', 'n,,n=x,r=abc,', 'n,,n=,r=abc,zz', 'n,,n=,r=abc,z=,',
    ]; // prettier-ignore
    for (const msg of messages) {
      const theirs = await pgLogin({
        port: pg.port,
        user: 'scram_user',
        password: 'x',
        clientFirst: msg,
      });
      let ours: unknown = 'accepted';
      try {
        new ScramServer({ verifier }).handleClientFirst(msg);
      } catch (err) {
        const e = err as AuthenticationError;
        ours = { ok: false, code: e.code, message: e.message, detail: e.detail };
      }
      if (ours === 'accepted') {
        // PostgreSQL accepted it too: it went on to the next step (our test client then fails).
        expect([msg, theirs]).toMatchObject([msg, { ok: false, clientError: expect.any(Error) }]);
      } else {
        expect([msg, theirs]).toEqual([msg, ours]);
      }
    }
  });

  it("our server's errors for bad client-final messages equal PostgreSQL's", async () => {
    const manglers: Array<(f: string) => string> = [
      (f) => f.replace('c=biws', 'c=eSws'),
      (f) => f.replace(',r=', ',r=X'),
      (f) => f.replace(/p=.*$/, 'p=abcd'),
      (f) => f + ',x=1',
      (f) => f.replace('c=biws', 'c=AAAA'),
      (f) => f.replace(/,p=/, ',q=1,p='),
    ];
    for (const mangle of manglers) {
      const theirs = await pgLogin({
        port: pg.port,
        user: 'scram_user',
        password: 'scram pw',
        mangleClientFinal: mangle,
      });
      const verifier = rolpassword('scram_user');
      const { ScramClient } = clientModule;
      const client = new ScramClient({ password: 'scram pw' });
      const server = new ScramServer({ verifier });
      const final = client.handleServerFirst(server.handleClientFirst(client.clientFirstMessage()));
      let ours: unknown;
      try {
        const r = server.handleClientFinal(mangle(final));
        ours = r.ok
          ? 'ok'
          : {
              ok: false,
              code: '28P01',
              message: 'password authentication failed for user "scram_user"',
              detail: undefined,
            };
      } catch (err) {
        const e = err as AuthenticationError;
        ours = { ok: false, code: e.code, message: e.message, detail: e.detail };
      }
      expect(theirs).toEqual(ours);
    }
  });
});
