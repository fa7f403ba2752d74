// Property tests of the SQL splitter: statements built from quoted strings, dollar quotes,
// comments and identifiers (which may contain semicolons and backslash-free text) are split
// back exactly at their terminating semicolons, whatever the line breaks.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { initialScannerState, promptStatusChar, scanSql } from './sql-scanner.js';
import type { VariableLookup } from './sql-scanner.js';

const fragment = fc.oneof(
  fc.constantFrom('select', 'x', '1', '+', ',', '(1)', '::int', 'a.b', ' '),
  fc
    .string({ unit: fc.constantFrom('a', ';', ' ', '"', '$', '\n') })
    .map((s) => "'" + s.replace(/'/g, "''") + "'"),
  fc
    .string({ unit: fc.constantFrom('a', ';', ' ', "'", '\n') })
    .map((s) => '"' + s.replace(/"/g, '""') + '"'),
  fc
    .string({ unit: fc.constantFrom('a', ';', ' ', "'", '\n', '$') })
    .filter((s) => !s.includes('$q$'))
    .map((s) => '$q$' + s + '$q$'),
  fc.string({ unit: fc.constantFrom('a', ';', ' ', "'") }).map((s) => '/* ' + s + ' */'),
  fc
    .string({ unit: fc.constantFrom('a', ';', ' ', "'", '\\') })
    .map((s) => "E'" + s.replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'"),
);

const statement = fc
  .array(fragment, { minLength: 1, maxLength: 6 })
  .map((f) => 'select ' + f.join(' '));

function split(text: string, vars: VariableLookup | null = null): string[] {
  const out: string[] = [];
  const st = initialScannerState();
  const buf = { text: '' };
  for (const line of text.split('\n')) {
    if (buf.text.length > 0) buf.text += '\n';
    let pos = 0;
    for (;;) {
      const stop = scanSql(line, pos, st, buf, vars);
      if (stop.kind === 'semicolon') {
        out.push(buf.text);
        buf.text = '';
        pos = stop.pos;
        continue;
      }
      break;
    }
  }
  if (buf.text.trim() !== '') out.push(buf.text);
  return out;
}

describe('scanSql', () => {
  it('splits generated statements at their own semicolons only', () => {
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 4 }), (stmts) => {
        const text = stmts.map((s) => s + ';').join('\n');
        expect(split(text)).toEqual(stmts.map((s) => s + ';'));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps semicolons inside parentheses', () => {
    expect(split('select (1;\n2); select 3;')).toEqual(['select (1;\n2);', 'select 3;']);
  });

  it('drops leading whitespace and -- comments before a statement', () => {
    expect(split('  -- c;\n  select 1; -- tail\n')).toEqual(['select 1;']);
  });

  it('substitutes variables outside quotes only', () => {
    const vars: VariableLookup = {
      get: (n) => (n === 'v' ? "it's" : undefined),
      quoteLiteral: (v) => "'" + v.replace(/'/g, "''") + "'",
      quoteIdent: (v) => '"' + v + '"',
    };
    expect(split("select :v, :'v', :\"v\", ':v', :w, a::int;", vars)).toEqual([
      "select it's, 'it''s', \"it's\", ':v', :w, a::int;",
    ]);
  });

  it('stops at a backslash outside quotes', () => {
    const st = initialScannerState();
    const buf = { text: '' };
    expect(scanSql("select '\\x' \\g", 0, st, buf, null)).toEqual({ kind: 'backslash', pos: 12 });
  });

  it('reports the open quote, comment or parenthesis for PROMPT2', () => {
    const cases: [string, string][] = [
      ["select 'abc", "'"],
      ['select "abc', '"'],
      ['select /* x', '*'],
      ['select $$ x', '$'],
      ['select (1', '('],
      ['select 1', '-'],
    ];
    for (const [text, ch] of cases) {
      const st = initialScannerState();
      const buf = { text: '' };
      scanSql(text, 0, st, buf, null);
      expect(promptStatusChar(st, buf.text.length === 0)).toBe(ch);
    }
  });

  it('does not end CREATE FUNCTION ... BEGIN ATOMIC bodies at inner semicolons', () => {
    expect(
      split('create function f() returns int language sql begin atomic; select 1; end;\nselect 2;'),
    ).toEqual([
      'create function f() returns int language sql begin atomic; select 1; end;',
      'select 2;',
    ]);
  });
});
