// PostgreSQL regular expressions on JavaScript: literals, POSIX classes, replacement text, errors.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expandReplacement, pgRegExp } from './regexp.js';

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('PostgreSQL regular expressions', () => {
  it('an escaped literal matches exactly itself', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(pgRegExp(`^${escapeRegExp(s)}$`).test(s)).toBe(true);
      }),
    );
  });

  it('POSIX bracket classes agree with their definitions on ASCII', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0x20, max: 0x7e }), (code) => {
        const ch = String.fromCharCode(code);
        expect(pgRegExp('^[[:digit:]]$').test(ch)).toBe(/^[0-9]$/.test(ch));
        expect(pgRegExp('^[[:alpha:]]$').test(ch)).toBe(/^[A-Za-z]$/.test(ch));
        expect(pgRegExp('^[[:space:]]$').test(ch)).toBe(ch === ' ');
        expect(pgRegExp('^[^[:alnum:]]$').test(ch)).toBe(!/^[A-Za-z0-9]$/.test(ch));
      }),
    );
  });

  it('replacement text without backslashes is inserted verbatim', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('\\')),
        (repl) => {
          const m = /b(c)/.exec('abcd')!;
          expect(expandReplacement(repl, m)).toBe(repl);
        },
      ),
    );
    const m = /(\w+) (\w+)/.exec('John Smith')!;
    expect(expandReplacement('\\2, \\1 (\\&) \\\\', m)).toBe('Smith, John (John Smith) \\');
  });

  it('bad patterns raise 2201B with PostgreSQL wording', () => {
    expect(() => pgRegExp('(')).toThrow('parentheses () not balanced');
    expect(() => pgRegExp('[a')).toThrow('brackets [] not balanced');
  });
});
