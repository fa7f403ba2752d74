import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfFileError, loadConfFile, parseConf } from './conf-file.js';
import { buildSettings, parseBool } from './settings.js';

describe('postgresql.conf syntax', () => {
  it('reads names, optional =, quoting, escapes and comments', () => {
    const entries = parseConf(
      [
        '# comment',
        "listen_addresses = '127.0.0.1, ::1'   # trailing",
        'port 5433',
        "search_path = 'a''b\\tc'",
        'shared_buffers=128MB',
        'tusk.idle_backends = 3',
        '',
      ].join('\n'),
      '/x/postgresql.conf',
    );
    expect(entries.map((e) => [e.name, e.value, e.line])).toEqual([
      ['listen_addresses', '127.0.0.1, ::1', 2],
      ['port', '5433', 3],
      ['search_path', "a'b\tc", 4],
      ['shared_buffers', '128MB', 5],
      ['tusk.idle_backends', '3', 6],
    ]);
  });

  it("reports syntax errors as PostgreSQL's lexer does", () => {
    expect(() => parseConf("port = 'unterminated", '/x/p.conf')).toThrow(ConfFileError);
    expect(() => parseConf('port =', '/x/p.conf')).toThrow(
      'syntax error in file "/x/p.conf" line 1, near end of line',
    );
  });

  it('follows include, include_if_exists and include_dir relative to the file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'conf-'));
    mkdirSync(path.join(dir, 'conf.d'));
    writeFileSync(path.join(dir, 'conf.d', 'b.conf'), 'port = 2\n');
    writeFileSync(path.join(dir, 'conf.d', 'a.conf'), 'port = 1\n');
    writeFileSync(path.join(dir, 'conf.d', '.hidden.conf'), 'port = 9\n');
    writeFileSync(path.join(dir, 'extra.conf'), 'max_connections = 7\n');
    writeFileSync(
      path.join(dir, 'postgresql.conf'),
      "include 'extra.conf'\ninclude_if_exists 'missing.conf'\ninclude_dir 'conf.d'\n",
    );
    const entries = loadConfFile(path.join(dir, 'postgresql.conf'));
    expect(entries.map((e) => `${e.name}=${e.value}`)).toEqual([
      'max_connections=7',
      'port=1',
      'port=2',
    ]);
    writeFileSync(path.join(dir, 'loop.conf'), "include 'loop.conf'\n");
    expect(() => loadConfFile(path.join(dir, 'loop.conf'))).toThrow(/maximum nesting depth/);
    writeFileSync(path.join(dir, 'bad.conf'), "include 'nope.conf'\n");
    expect(() => loadConfFile(path.join(dir, 'bad.conf'))).toThrow(/No such file or directory/);
  });

  it('never throws anything but ConfFileError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (text) => {
        try {
          parseConf(text.replace(/include/gi, 'x'), '/x/p.conf');
        } catch (err) {
          expect(err).toBeInstanceOf(ConfFileError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('setting values', () => {
  const one = (name: string, value: string) => buildSettings([{ name, value }]);
  it('parses booleans by prefix like parse_bool', () => {
    expect(['on', 'true', 'yes', '1', 't', 'y', 'TRUE'].map(parseBool)).toEqual(
      Array(7).fill(true),
    );
    expect(['off', 'false', 'no', '0', 'f', 'n', 'of'].map(parseBool)).toEqual(
      Array(7).fill(false),
    );
    expect(['o', 'maybe', ''].map(parseBool)).toEqual([undefined, undefined, undefined]);
  });
  it('converts time units to the base unit and checks ranges', () => {
    expect(one('authentication_timeout', '2min').settings.authentication_timeout).toBe(120);
    expect(one('authentication_timeout', '1500ms').settings.authentication_timeout).toBe(2);
    expect(one('authentication_timeout', '1000').errors[0]!.message).toBe(
      '1000 is outside the valid range for parameter "authentication_timeout" (1 .. 600)',
    );
    expect(one('authentication_timeout', '5 fortnights').errors[0]).toEqual({
      message: 'invalid value for parameter "authentication_timeout": "5 fortnights"',
      hint: 'Valid units for this parameter are "us", "ms", "s", "min", "h", and "d".',
    });
    expect(one('unix_socket_permissions', '0770').settings.unix_socket_permissions).toBe(0o770);
    expect(one('port', 'abc').errors[0]!.message).toBe('invalid value for parameter "port": "abc"');
    expect(one('ssl', 'maybe').errors[0]!.message).toBe('parameter "ssl" requires a Boolean value');
  });
  it('keeps unknown settings as text for the backends', () => {
    expect(one('work_mem', '4MB').settings.raw).toEqual({ work_mem: '4MB' });
  });
});
