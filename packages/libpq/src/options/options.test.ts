import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ConnectionError } from '../errors.js';
import { conninfo, conninfoString } from './conninfo.js';
import { optionEnvironment, type OptionEnvironment } from './environment.js';
import { OPTION_SPECS } from './keywords.js';
import { formatKeyValueString, parseKeyValueString } from './keyvalue.js';
import { lookupPgpass } from './pgpass.js';
import { parseConnectionString, resolveOptions } from './resolve.js';
import { parseUri, percentEncode } from './uri.js';
import { libpqParse, oracleAvailable } from './__tests__/oracle.js';

const obj = (m: Map<string, string>): Record<string, string> => Object.fromEntries(m);

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConnectionError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

function envi(over: Partial<OptionEnvironment> = {}): OptionEnvironment {
  return optionEnvironment({
    env: {},
    homedir: null,
    osUser: 'alice',
    sysconfdir: '/nonexistent',
    defaultSocketDir: '/var/run/postgresql',
    warn: () => {},
    ...over,
  });
}

describe('key=value strings', () => {
  test('quoting, escapes and whitespace', () => {
    expect(obj(parseKeyValueString("host = 'it\\'s'  port=5"))).toEqual({
      host: "it's",
      port: '5',
    });
    expect(obj(parseKeyValueString("host='a b' dbname=x\\ y"))).toEqual({
      host: 'a b',
      dbname: 'x y',
    });
    expect(obj(parseKeyValueString("password=''"))).toEqual({ password: '' });
    expect(obj(parseKeyValueString('  '))).toEqual({});
  });
  test("libpq's errors", () => {
    expect(errorOf(() => parseKeyValueString('host'))).toBe(
      'missing "=" after "host" in connection info string',
    );
    expect(errorOf(() => parseKeyValueString("host='a"))).toBe(
      'unterminated quoted string in connection info string',
    );
    expect(errorOf(() => parseKeyValueString('hots=a'))).toBe('invalid connection option "hots"');
  });
});

describe('URIs', () => {
  test('full form', () => {
    expect(
      obj(parseUri('postgresql://u:p@h1:1,h2/d?sslmode=require&application_name=a%20b')),
    ).toEqual({
      user: 'u',
      password: 'p',
      host: 'h1,h2',
      port: '1,',
      dbname: 'd',
      sslmode: 'require',
      application_name: 'a b',
    });
  });
  test('IPv6, sockets, ssl=true, empty parts', () => {
    expect(obj(parseUri('postgresql://[::1]:5/x'))).toEqual({
      host: '::1',
      port: '5',
      dbname: 'x',
    });
    expect(obj(parseUri('postgresql:///db?host=/tmp'))).toEqual({ dbname: 'db', host: '/tmp' });
    expect(obj(parseUri('postgresql://%2Fvar%2Frun/db'))).toEqual({
      host: '/var/run',
      dbname: 'db',
    });
    expect(obj(parseUri('postgres://h?ssl=true'))).toEqual({ host: 'h', sslmode: 'require' });
    expect(obj(parseUri('postgresql://'))).toEqual({});
    expect(obj(parseUri('postgresql://,h2:3,'))).toEqual({ host: ',h2,', port: ',3,' });
  });
  test("libpq's errors", () => {
    expect(errorOf(() => parseUri('postgresql://h?x=1'))).toBe('invalid URI query parameter: "x"');
    expect(errorOf(() => parseUri('postgresql://h?a'))).toBe(
      'missing key/value separator "=" in URI query parameter: "a"',
    );
    expect(errorOf(() => parseUri('postgresql://h?a=b=c'))).toBe(
      'extra key/value separator "=" in URI query parameter: "a"',
    );
    expect(errorOf(() => parseUri('postgresql://%zz'))).toBe(
      'invalid percent-encoded token: "%zz"',
    );
    expect(errorOf(() => parseUri('postgresql://a%00'))).toBe(
      'forbidden value %00 in percent-encoded value: "a%00"',
    );
    expect(errorOf(() => parseUri('postgresql://[::1'))).toBe(
      'end of string reached when looking for matching "]" in IPv6 host address in URI: "postgresql://[::1"',
    );
    expect(errorOf(() => parseUri('postgresql://[]'))).toBe(
      'IPv6 host address may not be empty in URI: "postgresql://[]"',
    );
    expect(errorOf(() => parseUri('postgresql://[::1]x'))).toBe(
      'unexpected character "x" at position 19 in URI (expected ":" or "/"): "postgresql://[::1]x"',
    );
  });
});

// Keywords PostgreSQL 15's libpq knows (the oracle); the PG16 additions are ours only.
const PG15_KEYWORDS = OPTION_SPECS.map((s) => s.keyword).filter(
  (k) => !['require_auth', 'load_balance_hosts', 'sslcertmode'].includes(k),
);
const keyword = fc.constantFrom(...PG15_KEYWORDS);
const valueChars = fc.constantFrom(
  'a',
  'Z',
  '0',
  ' ',
  "'",
  '\\',
  '=',
  ':',
  '/',
  '@',
  '?',
  '&',
  ',',
  '%',
  '[',
  ']',
  'é',
  '\t',
);
const value = fc.array(valueChars, { maxLength: 8 }).map((a) => a.join(''));

describe('round trips (property)', () => {
  test('formatKeyValueString ∘ parseKeyValueString is the identity', () => {
    fc.assert(
      fc.property(fc.dictionary(keyword, value), (d) => {
        const m = new Map(Object.entries(d));
        expect(obj(parseKeyValueString(formatKeyValueString(m)))).toEqual(d);
      }),
    );
  });
  test('URIs built with percent-encoding parse back', () => {
    fc.assert(
      fc.property(
        fc.record({
          user: value,
          password: value,
          host: fc.array(fc.stringMatching(/^[a-z0-9.]{1,6}$/), { minLength: 1, maxLength: 3 }),
          dbname: value,
          application_name: value,
        }),
        (r) => {
          const uri =
            `postgresql://${percentEncode(r.user)}:${percentEncode(r.password)}@${r.host.join(',')}` +
            `/${percentEncode(r.dbname)}?application_name=${percentEncode(r.application_name)}`;
          const parsed = parseUri(uri);
          const want: Record<string, string> = {
            host: r.host.join(','),
            application_name: r.application_name,
          };
          if (r.user !== '') want['user'] = r.user;
          if (r.password !== '') want['password'] = r.password;
          if (r.dbname !== '') want['dbname'] = r.dbname;
          // As libpq: several hosts without ports still give a port list of empty entries.
          if (r.host.length > 1) want['port'] = ','.repeat(r.host.length - 1);
          expect(obj(parsed)).toEqual(want);
        },
      ),
    );
  });
});

describe.runIf(oracleAvailable())('differential against the system libpq (PQconninfoParse)', () => {
  function compare(inputs: string[]): void {
    const answers = libpqParse(inputs);
    expect(answers.length).toBe(inputs.length);
    inputs.forEach((input, i) => {
      const want = answers[i]!;
      let got: { ok: true; values: Record<string, string> } | { ok: false; error: string };
      try {
        got = { ok: true, values: obj(parseConnectionString(input)) };
      } catch (e) {
        // libpq prints only the first byte of a multi-byte character here (invalid UTF-8); we
        // print the whole character. Compare as if we had done the same.
        got = {
          ok: false,
          error: (e as Error).message.replace(
            /^unexpected character "[^\x00-\x7f]"/u,
            'unexpected character "\ufffd"',
          ),
        };
      }
      const expected = want.ok ? { ok: true, values: obj(want.values) } : want;
      expect({ input, ...got }).toEqual({ input, ...expected });
    });
  }

  test('random key=value strings', () => {
    const token = fc.oneof(
      keyword,
      fc.constantFrom('=', ' ', "'", '\\', 'x', 'bogus', "'a b'", '\\ '),
      value,
    );
    const inputs = fc
      .sample(
        fc.array(token, { maxLength: 8 }).map((a) => a.join('')),
        3000,
      )
      .filter((s) => !s.includes('\n') && !s.startsWith('postgres'));
    compare(inputs);
  });

  test('random URIs', () => {
    const piece = fc.constantFrom(
      'u',
      'p',
      ':',
      '@',
      '/',
      '?',
      '&',
      '=',
      ',',
      '[',
      ']',
      '::1',
      'h',
      '5432',
      '%20',
      '%2',
      '%zz',
      '%00',
      'db',
      'sslmode',
      'host',
      'ssl',
      'true',
      'application_name',
      'x',
      '%41',
      'é',
    );
    const inputs = fc.sample(
      fc
        .tuple(fc.constantFrom('postgresql://', 'postgres://'), fc.array(piece, { maxLength: 10 }))
        .map(([p, a]) => p + a.join('')),
      3000,
    );
    compare(inputs);
  });
});

describe('defaults, environment, service files', () => {
  test('defaults as libpq: user = OS user, dbname = user, Unix socket, 5432', () => {
    const r = resolveOptions('', envi());
    expect(r.user).toBe('alice');
    expect(r.dbname).toBe('alice');
    expect(r.hosts).toEqual([
      { type: 'unix', host: '/var/run/postgresql', hostaddr: '', port: 5432, password: undefined },
    ]);
    expect(r.sslmode).toBe('prefer');
    // What PQconninfo reports after PQconnectdb("port=1") with an empty environment.
    const set = Object.fromEntries([
      ...resolveOptions('port=1', envi({ homedir: '/home/alice' })).values,
    ]);
    expect(set).toEqual({
      user: 'alice',
      passfile: '/home/alice/.pgpass',
      channel_binding: 'prefer',
      dbname: 'alice',
      port: '1',
      options: '',
      sslmode: 'prefer',
      sslcompression: '0',
      sslcertmode: 'allow',
      sslsni: '1',
      ssl_min_protocol_version: 'TLSv1.2',
      gssencmode: 'prefer',
      krbsrvname: 'postgres',
      target_session_attrs: 'any',
      load_balance_hosts: 'disable',
    });
  });

  test('PG* environment variables fill unset options only', () => {
    const e = envi({
      env: {
        PGHOST: 'h1,h2',
        PGPORT: '7',
        PGUSER: 'bob',
        PGDATABASE: 'db',
        PGAPPNAME: 'app',
        PGSSLMODE: 'disable',
      },
    });
    const r = resolveOptions('port=8', e);
    expect(r.hosts.map((h) => [h.host, h.port])).toEqual([
      ['h1', 8],
      ['h2', 8],
    ]);
    expect([r.user, r.dbname, r.sslmode, r.values.get('application_name')]).toEqual([
      'bob',
      'db',
      'disable',
      'app',
    ]);
  });

  test('host/port/hostaddr lists and their errors', () => {
    expect(errorOf(() => resolveOptions('host=a,b port=1,2,3', envi()))).toBe(
      'could not match 3 port numbers to 2 hosts',
    );
    expect(errorOf(() => resolveOptions('host=a,b hostaddr=1.2.3.4', envi()))).toBe(
      'could not match 2 host names to 1 hostaddr values',
    );
    expect(errorOf(() => resolveOptions('port=0', envi()))).toBe('invalid port number: "0"');
    expect(errorOf(() => resolveOptions('port=x', envi()))).toBe('invalid port number: "x"');
    expect(errorOf(() => resolveOptions('sslmode=bogus', envi()))).toBe(
      'invalid sslmode value: "bogus"',
    );
    expect(errorOf(() => resolveOptions('channel_binding=x', envi()))).toBe(
      'invalid channel_binding value: "x"',
    );
    expect(errorOf(() => resolveOptions('target_session_attrs=x', envi()))).toBe(
      'invalid target_session_attrs value: "x"',
    );
    expect(errorOf(() => resolveOptions('connect_timeout=abc', envi()))).toBe(
      'invalid integer value "abc" for connection option "connect_timeout"',
    );
    expect(errorOf(() => resolveOptions('require_auth=md5,!password', envi()))).toBe(
      'negative require_auth method "password" cannot be mixed with non-negative methods',
    );
    expect(errorOf(() => resolveOptions('require_auth=foo', envi()))).toBe(
      'invalid require_auth value: "foo"',
    );
    const r = resolveOptions('host=,/tmp,db.example hostaddr=,,127.0.0.1 port=1,2,3', envi());
    expect(r.hosts.map((h) => [h.type, h.host, h.hostaddr, h.port])).toEqual([
      ['unix', '/var/run/postgresql', '', 1],
      ['unix', '/tmp', '', 2],
      ['tcp', 'db.example', '127.0.0.1', 3],
    ]);
    expect(
      [...resolveOptions('require_auth=!password', envi()).requireAuth!.allowed].sort(),
    ).toEqual(['gss', 'md5', 'none', 'scram-sha-256', 'sspi']);
  });

  test('dbname holding a connection string is expanded (options objects)', () => {
    const r = resolveOptions({ dbname: 'postgresql://h:9/real', user: 'u' }, envi());
    expect([r.hosts[0]!.host, r.hosts[0]!.port, r.dbname, r.user]).toEqual(['h', 9, 'real', 'u']);
    expect(errorOf(() => resolveOptions({ hots: 'x' }, envi()))).toBe(
      'invalid connection option "hots"',
    );
  });

  test('service files: PGSERVICEFILE, ~/.pg_service.conf, PGSYSCONFDIR; explicit options win', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'libpq-svc-'));
    writeFileSync(
      path.join(dir, '.pg_service.conf'),
      '# comment\n[other]\nhost=wrong\n\n[mine]\n  host=svchost\nport=6543\ndbname=svcdb\n[after]\nport=1\n',
    );
    mkdtempSync(path.join(dir, 'x'));
    writeFileSync(path.join(dir, 'pg_service.conf'), '[sys]\nhost=syshost\n');
    const e = envi({ homedir: dir, env: { PGSYSCONFDIR: dir } });
    const r = resolveOptions('service=mine port=1', e);
    expect([r.hosts[0]!.host, r.hosts[0]!.port, r.dbname]).toEqual(['svchost', 1, 'svcdb']);
    expect(
      resolveOptions('', envi({ homedir: dir, env: { PGSYSCONFDIR: dir, PGSERVICE: 'sys' } }))
        .hosts[0]!.host,
    ).toBe('syshost');
    expect(errorOf(() => resolveOptions('service=nope', e))).toBe(
      'definition of service "nope" not found',
    );
    const bad = path.join(dir, 'bad.conf');
    writeFileSync(bad, '[s]\nhost\n');
    expect(errorOf(() => resolveOptions('service=s', envi({ env: { PGSERVICEFILE: bad } })))).toBe(
      `syntax error in service file "${bad}", line 2`,
    );
    writeFileSync(bad, '[s]\nservice=t\n');
    expect(errorOf(() => resolveOptions('service=s', envi({ env: { PGSERVICEFILE: bad } })))).toBe(
      `nested service specifications not supported in service file "${bad}", line 2`,
    );
  });

  test('password file: matching, escapes, wildcards, localhost for the default socket, 0600', () => {
    const text = [
      '# comment',
      'otherhost:*:*:*:nope',
      'localhost:5432:db:alice:sock\\:pw',
      '*:6000:*:a\\:b:wild\\\\card',
      'h1:5432:*:*:h1pw',
    ].join('\n');
    expect(
      lookupPgpass(text, { host: 'localhost', port: '5432', dbname: 'db', user: 'alice' }),
    ).toBe('sock:pw');
    expect(lookupPgpass(text, { host: 'x', port: '6000', dbname: 'd', user: 'a:b' })).toBe(
      'wild\\card',
    );
    expect(
      lookupPgpass(text, { host: 'h2', port: '5432', dbname: 'd', user: 'u' }),
    ).toBeUndefined();

    const dir = mkdtempSync(path.join(tmpdir(), 'libpq-pgpass-'));
    const file = path.join(dir, '.pgpass');
    writeFileSync(file, text + '\n', { mode: 0o600 });
    const warnings: string[] = [];
    const e = envi({ homedir: dir, warn: (m) => warnings.push(m) });
    const viaSocket = resolveOptions('dbname=db', e);
    expect(viaSocket.hosts[0]!.password).toBe('sock:pw');
    expect(viaSocket.hosts[0]!.passwordFile).toBe(file);
    expect(resolveOptions('host=h1 password=given', e).hosts[0]!.password).toBe('given');
    chmodSync(file, 0o644);
    expect(resolveOptions('dbname=db', e).hosts[0]!.password).toBeUndefined();
    expect(warnings).toEqual([
      `WARNING: password file "${file}" has group or world access; permissions should be u=rw (0600) or less`,
    ]);
  });

  test('conninfo() reports effective options like PQconninfo', () => {
    const info = conninfo('host=h password=secret', envi({ env: { PGAPPNAME: 'fromenv' } }));
    const get = (k: string): string | null | undefined => info.find((o) => o.keyword === k)?.value;
    expect(info.map((o) => o.keyword).slice(0, 10)).toEqual([
      'service',
      'user',
      'password',
      'passfile',
      'channel_binding',
      'connect_timeout',
      'dbname',
      'host',
      'hostaddr',
      'port',
    ]);
    expect([
      get('host'),
      get('port'),
      get('user'),
      get('application_name'),
      get('sslmode'),
      get('dbname'),
    ]).toEqual(['h', '5432', 'alice', 'fromenv', 'prefer', null]);
    const s = conninfoString(info);
    expect(s).not.toContain('secret');
    expect(obj(parseKeyValueString(s))['host']).toBe('h');
  });
});
