import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { literalShape, shapeIsShareable } from './literal-shape.js';
import { loadParser, parseStatements } from './parse.js';

/** Puts a shape's literals back: must give the statement it came from. */
function unshape(text: string, kinds: string[], values: string[]): string {
  return text.replace(/\$(\d+)/g, (_m, n: string) => {
    const i = Number(n) - 1;
    const v = values[i] ?? '';
    return kinds[i] === 'string' ? `'${v.replaceAll("'", "''")}'` : v;
  });
}

describe('literalShape', () => {
  beforeAll(async () => {
    await loadParser();
  });

  it('replaces plain literals by parameters, typed as PostgreSQL types the literals', () => {
    const s = literalShape("SELECT a FROM t WHERE b = 42 AND c = 'it''s' AND d > 1.5e3 AND e = .5");
    expect(s?.text).toBe('SELECT a FROM t WHERE b = $1 AND c = $2 AND d > $3 AND e = $4');
    expect(s?.kinds).toEqual(['int4', 'string', 'numeric', 'numeric']);
    expect(s?.values).toEqual(['42', "it's", '1.5e3', '.5']);
  });

  it('gives statements differing only in literals one key', () => {
    const a = literalShape('SELECT abalance FROM pgbench_accounts WHERE aid = 17;');
    const b = literalShape('SELECT abalance FROM pgbench_accounts WHERE aid = 99173;');
    expect(a?.key).toBe(b?.key);
    expect(literalShape('SELECT 1.5')?.key).not.toBe(literalShape('SELECT 1')?.key);
  });

  it('keeps literals a parameter cannot stand for in the text', () => {
    const s = literalShape(
      "SELECT 2147483648, E'a\\'b', $$x 1$$, $q$y$q$, B'101', X'1F', N'n', U&'\\0041', \"c 5\" -- 7\n/* 8 /* 9 */ */",
    );
    expect(s?.kinds).toEqual([]);
    expect(s?.text).toContain('2147483648');
  });

  it('declines statements whose meaning a parameter could change', () => {
    for (const sql of [
      'SELECT $1',
      "SELECT '{1,2}'[1]",
      "SELECT 'a'\n'b'",
      'SELECT 1; SELECT 2',
      'SELECT 1abc',
      "SELECT 'unterminated",
      'SELECT /* open',
      'SELECT 1..2',
    ]) {
      expect(literalShape(sql), sql).toBeUndefined();
    }
    expect(literalShape('SELECT 1;  -- done')?.kinds).toEqual(['int4']);
  });

  it('tells shareable parsed shapes from those reading a literal while analysing', () => {
    const shareable = (sql: string): boolean => {
      const s = literalShape(sql);
      if (!s) return false;
      return shapeIsShareable(parseStatements(s.text)[0]?.stmt);
    };
    expect(shareable('SELECT * FROM t WHERE a = 1 LIMIT 5')).toBe(true);
    expect(shareable("UPDATE t SET a = 'x' WHERE b = 2")).toBe(true);
    expect(shareable('INSERT INTO t VALUES (1, 2.5)')).toBe(true);
    expect(shareable('SELECT a FROM t ORDER BY 1')).toBe(false);
    expect(shareable('SELECT a, count(*) FROM t GROUP BY 1')).toBe(false);
    expect(shareable('SELECT DISTINCT ON (1) a FROM t')).toBe(false);
    expect(shareable('SELECT 5::numeric(5, 2)')).toBe(false);
    expect(shareable("SELECT interval '1' day")).toBe(false);
    expect(shareable('SELECT 1 INTO t2')).toBe(false);
    expect(shareable("SET search_path = 'x'")).toBe(false);
  });

  it('round-trips: putting the literals back gives the statement (property)', () => {
    const literal = fc.oneof(
      fc.integer({ min: 0, max: 2147483647 }).map(String),
      fc.tuple(fc.nat(9999), fc.nat(9999)).map(([a, b]) => `${a}.${b}`),
      fc.string({ maxLength: 8 }).map((s) => `'${s.replaceAll("'", "''")}'`),
    );
    const word = fc.constantFrom(
      'SELECT',
      'a',
      't.b',
      '=',
      '+',
      ',',
      '(',
      ')',
      '<>',
      'AND',
      '::int',
    );
    const statement = fc
      .array(fc.oneof(literal, word), { minLength: 1, maxLength: 12 })
      .map((parts) => parts.join(' '));
    fc.assert(
      fc.property(statement, (sql) => {
        const s = literalShape(sql);
        if (s === undefined) return;
        expect(unshape(s.text, s.kinds, s.values)).toBe(sql);
      }),
    );
  });

  it('never throws on arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (sql) => {
        const s = literalShape(sql);
        if (s) expect(s.kinds.length).toBe(s.values.length);
      }),
    );
  });
});
