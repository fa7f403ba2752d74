// Unit tests of psql-style option parsing: clustering, long options, order of -c/-f, positionals.
import { describe, expect, it } from 'vitest';
import { parseCommandLine, CommandLineError } from './command-line.js';
import { parseBool } from './variables.js';

describe('parseCommandLine', () => {
  it('keeps -c and -f in order and clusters short options', () => {
    const cl = parseCommandLine(
      ['-qAt', '-c', 'select 1', '-ffile.sql', '--command=\\x', 'db', 'me', 'extra'],
      'p',
    );
    expect(cl.actions).toEqual([
      { kind: 'command', text: 'select 1' },
      { kind: 'file', path: 'file.sql' },
      { kind: 'command', text: '\\x' },
    ]);
    expect(cl.quiet).toBe(true);
    expect(cl.psets).toEqual([
      ['format', 'unaligned'],
      ['tuples_only', 'on'],
    ]);
    expect([cl.dbname, cl.user, cl.extra]).toEqual(['db', 'me', ['extra']]);
  });

  it('parses -v, -P, --set and long-option prefixes', () => {
    const cl = parseCommandLine(['-v', 'A=1', '--set=B', '-Pborder=2', '--echo-q', '--csv'], 'p');
    expect(cl.variables).toEqual([
      ['A', '1'],
      ['B', undefined],
    ]);
    expect(cl.psets).toEqual([
      ['border', '2'],
      ['format', 'csv'],
    ]);
    expect(cl.echoQueries).toBe(true);
  });

  it('treats the first positional as user when -d is given', () => {
    const cl = parseCommandLine(['-d', 'db', 'someone'], 'p');
    expect([cl.dbname, cl.user]).toEqual(['db', 'someone']);
  });

  it('rejects unknown options like getopt', () => {
    expect(() => parseCommandLine(['--bogus'], 'p')).toThrow(
      new CommandLineError("p: unrecognized option '--bogus'"),
    );
    expect(() => parseCommandLine(['-j'], 'p')).toThrow(
      new CommandLineError("p: invalid option -- 'j'"),
    );
    expect(() => parseCommandLine(['-c'], 'p')).toThrow(
      new CommandLineError("p: option requires an argument -- 'c'"),
    );
  });
});

describe('parseBool', () => {
  it('accepts psql spellings and prefixes', () => {
    for (const t of ['on', 'ON', 'true', 't', 'yes', 'y', '1']) expect(parseBool(t)).toBe(true);
    for (const f of ['off', 'of', 'false', 'f', 'no', 'n', '0']) expect(parseBool(f)).toBe(false);
    for (const bad of ['o', '', 'maybe', '2']) expect(parseBool(bad)).toBe(null);
  });
});
