import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytePositionToCharPosition, loadParser, parseStatements, statementText } from './parse.js';
import { PgError } from '../utils/errors.js';

beforeAll(async () => {
  await loadParser();
});

function syntaxError(sql: string): PgError {
  try {
    parseStatements(sql);
  } catch (e) {
    if (e instanceof PgError) return e;
    throw e;
  }
  throw new Error('expected a syntax error');
}

describe('parseStatements', () => {
  it('splits statements and keeps their byte ranges', () => {
    const sql = "SELECT 'é'; INSERT INTO t VALUES (1)";
    const stmts = parseStatements(sql);
    expect(stmts).toHaveLength(2);
    expect(stmts.map((s) => statementText(sql, s).trim())).toEqual([
      "SELECT 'é'",
      'INSERT INTO t VALUES (1)',
    ]);
    expect('SelectStmt' in stmts[0]!.stmt).toBe(true);
    expect('InsertStmt' in stmts[1]!.stmt).toBe(true);
  });

  it('treats an empty or blank string as no statements', () => {
    expect(parseStatements('')).toEqual([]);
    expect(parseStatements('   ')).toEqual([]);
    expect(parseStatements(';')).toEqual([]);
  });

  it('reports syntax errors as PostgreSQL does (42601, 1-based character position)', () => {
    const e = syntaxError("select 'é' fro t");
    expect(e.code).toBe('42601');
    expect(e.message).toBe('syntax error at or near "t"');
    expect(e.position).toBe(16); // characters, not bytes: 'é' is one character
    const end = syntaxError('select 1 +');
    expect(end.message).toBe('syntax error at end of input');
    expect(end.position).toBe(11);
    const quote = syntaxError("select 'abc");
    expect(quote.message).toBe('unterminated quoted string at or near "\'abc"');
    expect(quote.position).toBe(8);
  });

  it('caches results (and errors) by statement text', () => {
    const a = parseStatements('SELECT 42');
    expect(parseStatements('SELECT 42')).toBe(a);
    const e1 = syntaxError('SELEC 1');
    const e2 = syntaxError('SELEC 1');
    expect(e2).not.toBe(e1);
    expect(e2.position).toBe(e1.position);
  });
});

describe('bytePositionToCharPosition', () => {
  it('counts code points', () => {
    expect(bytePositionToCharPosition('abc', 0)).toBe(1);
    expect(bytePositionToCharPosition('abc', 2)).toBe(3);
    expect(bytePositionToCharPosition('éa', 2)).toBe(2);
    expect(bytePositionToCharPosition('😀a', 4)).toBe(2);
  });

  it('agrees with a UTF-8 encoding of every prefix', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.string({ unit: 'grapheme' }),
        (prefix, rest) => {
          const bytes = Buffer.byteLength(prefix, 'utf8');
          expect(bytePositionToCharPosition(prefix + rest, bytes)).toBe([...prefix].length + 1);
        },
      ),
    );
  });
});
