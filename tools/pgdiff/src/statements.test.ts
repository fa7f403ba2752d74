import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitScript } from './statements.js';

describe('splitScript', () => {
  it('splits at top-level semicolons and meta-command lines', () => {
    const units = splitScript(
      "select 1;\nselect ';' as x; -- c;\n\\echo hi\nselect $$a;b$$;\nselect (1;\n",
    );
    expect(units.map((u) => u.text.trim())).toEqual([
      'select 1;',
      "select ';' as x;",
      '-- c;\n\\echo hi',
      'select $$a;b$$;',
      'select (1;',
    ]);
  });

  it('records the starting line of each unit', () => {
    const units = splitScript('select 1;\n\nselect\n 2;\n');
    expect(units.map((u) => u.line)).toEqual([1, 3]);
  });

  it('never loses or reorders text', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            'select 1',
            ';',
            "'",
            '"',
            '$$',
            '(',
            ')',
            '\n',
            '\\x',
            '--',
            '/*',
            '*/',
            ' ',
          ),
        ),
        (parts) => {
          const script = parts.join('');
          const joined = splitScript(script)
            .map((u) => u.text)
            .join('');
          expect(joined.replace(/\s/g, '')).toBe(script.replace(/\s/g, ''));
        },
      ),
    );
  });
});
