import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHba } from './hba-file.js';
import { findHbaRule, type HbaConnection } from './hba-match.js';
import { identMapAllows, parseIdent } from './ident-file.js';
import { clientIpAddress, parseIpAddress } from './ip-address.js';

const F = '/data/pg_hba.conf';
const conn = (over: Partial<HbaConnection>): HbaConnection => ({
  local: false,
  remoteAddress: '127.0.0.1',
  ssl: false,
  database: 'postgres',
  user: 'alice',
  replication: false,
  ...over,
});

describe('pg_hba.conf parsing', () => {
  it('parses the usual lines, lists, quotes and CIDR/netmask addresses', () => {
    const { rules, errors } = parseHba(
      [
        '# comment',
        'local   all   all   trust',
        'host    db1,"all"  +staff,bob  10.0.0.0/8  md5   # trailing',
        'hostssl all all 192.168.1.0 255.255.255.0 scram-sha-256',
        'hostnossl all all ::1/128 password',
        'host all all samenet reject',
        'host all all .example.com trust',
        'local all all peer map=m1',
      ].join('\n'),
      F,
    );
    expect(errors).toEqual([]);
    expect(rules.map((r) => [r.connType, r.method, r.lineNumber])).toEqual([
      ['local', 'trust', 2],
      ['host', 'md5', 3],
      ['hostssl', 'scram-sha-256', 4],
      ['hostnossl', 'password', 5],
      ['host', 'reject', 6],
      ['host', 'trust', 7],
      ['local', 'peer', 8],
    ]);
    expect(rules[1]!.databases).toEqual([
      { text: 'db1', quoted: false },
      { text: 'all', quoted: true },
    ]);
    expect(rules[2]!.address).toEqual({
      kind: 'cidr',
      network: { family: 4, bytes: [192, 168, 1, 0] },
      mask: [255, 255, 255, 0],
    });
    expect(rules[6]!.options).toEqual({ map: 'm1' });
  });

  it("reports PostgreSQL's errors with the line", () => {
    const cases: Array<[string, string]> = [
      ['hots all all 1.2.3.4/32 trust', 'invalid connection type "hots"'],
      ['host all', 'end-of-line before role specification'],
      ['host all all', 'end-of-line before IP address specification'],
      ['host all all 1.2.3.4/33 trust', 'invalid CIDR mask in address "1.2.3.4/33"'],
      ['host all all 1.2.3.4 trust', 'invalid IP mask "trust": Name or service not known'],
      ['host all all 1.2.3.4/32', 'end-of-line before authentication method'],
      ['host all all 1.2.3.4/32 foo', 'invalid authentication method "foo"'],
      [
        'host all all 1.2.3.4/32 ldap',
        'invalid authentication method "ldap": not supported by this build',
      ],
      ['host all all 1.2.3.4/32 peer', 'peer authentication is only supported on local sockets'],
      ['host all all 1.2.3.4/32 trust foo', 'authentication option not in name=value format: foo'],
      ['host all all 1.2.3.4/32 trust foo=1', 'unrecognized authentication option name: "foo"'],
      ['host all all a.b/24 trust', 'specifying both host name and CIDR mask is invalid: "a.b/24"'],
      ['local "all', 'unterminated quoted string'],
    ];
    for (const [line, message] of cases) {
      const { errors } = parseHba('\n' + line, F);
      expect(
        errors.map((e) => e.message),
        line,
      ).toEqual([message]);
      expect(errors[0]!.context).toBe(`line 2 of configuration file "${F}"`);
    }
  });

  it('reads @file lists relative to the including file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hba-'));
    writeFileSync(path.join(dir, 'users'), 'carol, dave\n# c\nerin');
    const { rules, errors } = parseHba(
      'host all @users 0.0.0.0/0 trust',
      path.join(dir, 'pg_hba.conf'),
    );
    expect(errors).toEqual([]);
    expect(rules[0]!.users.map((t) => t.text)).toEqual(['carol', 'dave', 'erin']);
  });

  it('joins backslash-continued lines', () => {
    const { rules } = parseHba('host all \\\n  all 127.0.0.1/32 \\\n trust', F);
    expect(rules).toHaveLength(1);
    expect(rules[0]!.method).toBe('trust');
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        parseHba(text, F);
      }),
      { numRuns: 500 },
    );
  });
});

describe('pg_hba.conf matching', () => {
  const { rules } = parseHba(
    [
      'local all all trust',
      'host sameuser all 127.0.0.1/32 trust',
      'hostssl all "all" 127.0.0.1/32 password',
      'host replication all 127.0.0.1/32 reject',
      'host all +admins 10.0.0.0/8 md5',
      'host all all ::1/128 scram-sha-256',
      'host all bob 0.0.0.0/0 reject',
    ].join('\n'),
    F,
  );
  const line = async (c: Partial<HbaConnection>, isMember?: (r: string, g: string) => boolean) =>
    (await findHbaRule(rules, conn(c), isMember))?.lineNumber;

  it('picks the first matching rule', async () => {
    expect(await line({ local: true })).toBe(1);
    expect(await line({ database: 'alice' })).toBe(2);
    // "all" quoted is a role named all, so alice over SSL falls through.
    expect(await line({ ssl: true })).toBe(undefined);
    expect(await line({ user: 'all', ssl: true })).toBe(3);
    expect(await line({ replication: true, database: 'alice' })).toBe(4);
    expect(await line({ remoteAddress: '10.1.2.3', user: 'root' })).toBe(undefined);
    expect(
      await line(
        { remoteAddress: '10.1.2.3', user: 'root' },
        (r, g) => r === 'root' && g === 'admins',
      ),
    ).toBe(5);
    expect(await line({ remoteAddress: '::1' })).toBe(6);
    expect(await line({ remoteAddress: '::ffff:192.0.2.1', user: 'bob' })).toBe(7);
  });
});

describe('addresses', () => {
  it('parses IPv6 forms', () => {
    expect(parseIpAddress('::1')!.bytes).toEqual([...Array<number>(15).fill(0), 1]);
    expect(parseIpAddress('fe80::1:2')!.bytes.slice(0, 2)).toEqual([0xfe, 0x80]);
    expect(parseIpAddress('::ffff:1.2.3.4')!.bytes.slice(12)).toEqual([1, 2, 3, 4]);
    expect(clientIpAddress('::ffff:1.2.3.4')).toEqual({ family: 4, bytes: [1, 2, 3, 4] });
    expect(parseIpAddress('1.2.3')).toBeUndefined();
  });
});

describe('pg_ident.conf', () => {
  it('maps literal and regex system users', () => {
    const { entries, errors } = parseIdent('m1 alice bob\nm1 /^(.*)@corp$ \\1\nm1 x\n', '/x');
    expect(errors.map((e) => e.message)).toEqual(['missing entry at end of line']);
    expect(identMapAllows(entries, 'm1', 'alice', 'bob')).toBe(true);
    expect(identMapAllows(entries, 'm1', 'carol@corp', 'carol')).toBe(true);
    expect(identMapAllows(entries, 'm1', 'carol@corp', 'bob')).toBe(false);
    expect(identMapAllows(entries, 'm2', 'alice', 'bob')).toBe(false);
  });
});
