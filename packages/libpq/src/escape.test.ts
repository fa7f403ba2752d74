import fc from 'fast-check';
import { expect, test } from 'vitest';
import { escapeIdentifier, escapeLiteral } from './escape.js';
import { parseKeyValueString } from './options/keyvalue.js';

test('PQescapeLiteral / PQescapeIdentifier output', () => {
  expect(escapeLiteral("it's")).toBe("'it''s'");
  expect(escapeLiteral('a\\b')).toBe(" E'a\\\\b'");
  expect(escapeLiteral("x'\\")).toBe(" E'x''\\\\'");
  expect(escapeLiteral('')).toBe("''");
  expect(escapeIdentifier('my "table"')).toBe('"my ""table"""');
  expect(escapeIdentifier('Ünïcode')).toBe('"Ünïcode"');
  expect(() => escapeLiteral('a\0b')).toThrow();
  expect(parseKeyValueString).toBeTypeOf('function');
});

test('escaped literals round-trip through PostgreSQL string syntax (property)', () => {
  // Undo the SQL quoting rules: '' → ' inside, and in E'' strings \\ → \.
  const unquote = (lit: string): string => {
    if (lit.startsWith(" E'")) return lit.slice(3, -1).replace(/''/g, "'").replace(/\\\\/g, '\\');
    return lit.slice(1, -1).replace(/''/g, "'");
  };
  fc.assert(
    fc.property(
      fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\0')),
      (s) => {
        expect(unquote(escapeLiteral(s))).toBe(s);
        expect(escapeIdentifier(s).slice(1, -1).replace(/""/g, '"')).toBe(s);
      },
    ),
  );
});
