// Differential tests of the print module: random result sets are printed by real psql 15 (from a
// real PostgreSQL 15 server) and by our formatter under the same \pset options; output must match.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startPostgres, type PostgresServer } from '@tuskdb/testkit';
import { defaultPrintOptions, printQuery } from './index.js';
import type { PrintOptions } from './index.js';
import { runProgram, serverEnv } from '../test-support/real-psql.js';

let pg: PostgresServer;
beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);
afterAll(async () => {
  await pg?.stop();
});

type ColType = 'text' | 'int4' | 'numeric' | 'int8';
const TYPE_OID: Record<ColType, number> = { text: 25, int4: 23, numeric: 1700, int8: 20 };

const textChar = fc.constantFrom(
  'a',
  'b',
  'Z',
  ' ',
  ' ',
  '\n',
  '\t',
  '|',
  '"',
  "'",
  ',',
  '\\',
  '-',
  '+',
  'é',
  'e\u0301',
  '中',
  '文',
  'ｱ',
  '😀',
  '\r',
  '\u0001',
  '\u0085',
  '<',
  '&',
  '.',
  '0',
  '9',
);
const textValue = fc.array(textChar, { maxLength: 14 }).map((a) => a.join(''));
const numericValue = fc
  .tuple(fc.boolean(), fc.nat({ max: 99999999 }), fc.option(fc.nat({ max: 999 }), { nil: null }))
  .map(
    ([neg, i, f]) =>
      (neg && i !== 0 ? '-' : '') +
      String(i) +
      (f === null ? '' : '.' + String(f).padStart(3, '0')),
  );
const intValue = fc.integer({ min: -2147483648, max: 2147483647 }).map(String);
const nameValue = fc
  .array(fc.constantFrom('a', 'x', 'Y', ' ', '\n', '中', 'é', '_', '1'), {
    minLength: 1,
    maxLength: 8,
  })
  .map((a) => a.join(''));

const column = fc.record({
  name: nameValue,
  type: fc.constantFrom<ColType>('text', 'int4', 'numeric', 'int8'),
});

const tableArb = fc.array(column, { minLength: 1, maxLength: 4 }).chain((cols) =>
  fc.record({
    cols: fc.constant(cols),
    rows: fc.array(
      fc.tuple(
        ...cols.map((c) =>
          fc.option(
            c.type === 'text' ? textValue : c.type === 'numeric' ? numericValue : intValue,
            {
              nil: null,
              freq: 6,
            },
          ),
        ),
      ),
      { maxLength: 5 },
    ),
  }),
);

const optionsArb = fc.record({
  format: fc.constantFrom<PrintOptions['format']>(
    'aligned',
    'aligned',
    'wrapped',
    'unaligned',
    'csv',
    'html',
    'asciidoc',
    'latex',
    'latex-longtable',
    'troff-ms',
  ),
  border: fc.constantFrom(0, 1, 2, 3),
  expanded: fc.constantFrom<PrintOptions['expanded']>('off', 'off', 'on', 'auto'),
  lineStyle: fc.constantFrom<PrintOptions['lineStyle']>('ascii', 'old-ascii', 'unicode'),
  unicodeBorder: fc.constantFrom<'single' | 'double'>('single', 'double'),
  unicodeColumn: fc.constantFrom<'single' | 'double'>('single', 'double'),
  unicodeHeader: fc.constantFrom<'single' | 'double'>('single', 'double'),
  tuplesOnly: fc.boolean(),
  footer: fc.boolean(),
  title: fc.option(fc.constantFrom('T', 'A long title here', '表 title'), { nil: null }),
  nullPrint: fc.constantFrom('', '(null)', '∅'),
  fieldSep: fc.constantFrom('|', ',', '::'),
  recordSep: fc.constantFrom('\n', '#'),
  csvFieldSep: fc.constantFrom(',', ';', '|'),
  columns: fc.constantFrom(0, 10, 20, 40),
  numericLocale: fc.boolean(),
});

function sqlLiteral(v: string): string {
  let out = "E'";
  for (const ch of v) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === "'") out += "''";
    else if (ch === '\\') out += '\\\\';
    else if (cp < 0x20) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp >= 0x7f && cp < 0xa0) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + "'";
}

const ident = (s: string): string => '"' + s.replace(/"/g, '""') + '"';

function buildSql(cols: { name: string; type: ColType }[], rows: (string | null)[][]): string {
  const select = cols.map((c, i) => `c${i}::${c.type} AS ${ident(c.name)}`).join(', ');
  const firstRow = cols.map((c) => `NULL::${c.type}`).join(', ');
  const values = [
    `(${firstRow})`,
    ...rows.map(
      (r) =>
        '(' +
        r
          .map((v, i) => (v === null ? 'NULL' : sqlLiteral(v)) + '::' + (cols[i]?.type ?? 'text'))
          .join(', ') +
        ')',
    ),
  ];
  const names = cols.map((_c, i) => `c${i}`).join(', ');
  // The all-NULL first row pins the column types; OFFSET 1 drops it.
  return `SELECT ${select} FROM (VALUES ${values.join(', ')}) AS t(${names}) OFFSET 1;`;
}

function psetScript(o: PrintOptions): string {
  const q = (s: string): string => "'" + s.replace(/'/g, "''") + "'";
  return [
    `\\pset format ${o.format}`,
    `\\pset border ${o.border}`,
    `\\pset expanded ${o.expanded}`,
    `\\pset linestyle ${o.lineStyle}`,
    `\\pset unicode_border_linestyle ${o.unicodeBorder}`,
    `\\pset unicode_column_linestyle ${o.unicodeColumn}`,
    `\\pset unicode_header_linestyle ${o.unicodeHeader}`,
    `\\pset tuples_only ${o.tuplesOnly ? 'on' : 'off'}`,
    `\\pset footer ${o.footer ? 'on' : 'off'}`,
    o.title === null ? '\\pset title' : `\\pset title ${q(o.title)}`,
    `\\pset null ${q(o.nullPrint)}`,
    `\\pset fieldsep ${q(o.fieldSep)}`,
    `\\pset recordsep ${q(o.recordSep === '\n' ? '\n' : o.recordSep)}`,
    `\\pset csv_fieldsep ${q(o.csvFieldSep)}`,
    `\\pset columns ${o.columns}`,
    `\\pset numericlocale ${o.numericLocale ? 'on' : 'off'}`,
  ].join('\n');
}

describe('print module vs real psql', () => {
  it('matches psql on random tables and \\pset combinations', () => {
    const samples = fc.sample(fc.tuple(tableArb, optionsArb), { numRuns: 300, seed: 42 });
    const marker = '@@@CASE-END@@@';
    let script = '';
    const expectedOurs: string[] = [];
    for (const [t, o] of samples) {
      const opt: PrintOptions = { ...defaultPrintOptions(), ...o };
      script += psetScript(opt).replace("\\pset recordsep '\n'", "\\pset recordsep '\\n'") + '\n';
      script += buildSql(t.cols, t.rows) + '\n';
      script += `\\pset format unaligned\n\\pset tuples_only on\n\\pset recordsep '\\n'\n\\echo ${marker}\n`;
      const result = {
        fields: t.cols.map((c) => ({ name: c.name, typeOid: TYPE_OID[c.type] })),
        rows: t.rows,
      };
      expectedOurs.push(printQuery(result, opt));
    }
    const r = runProgram('psql', ['-X', '-q', '-f', '-'], serverEnv(pg), script);
    expect(r.stderr).toBe('');
    const theirs = r.stdout.split(marker + '\n');
    // One chunk per case plus the empty tail: proves every case really ran through psql.
    expect(theirs.length).toBe(samples.length + 1);
    if (process.env.DUMP_PRINT_CASES) console.log(theirs.slice(0, 12).join('=====\n'));
    let failures = 0;
    const report: string[] = [];
    samples.forEach(([t, o], i) => {
      if (theirs[i] !== expectedOurs[i]) {
        failures++;
        if (report.length < 3)
          report.push(
            JSON.stringify({ t, o }) +
              '\n--- psql:\n' +
              JSON.stringify(theirs[i]) +
              '\n--- ours:\n' +
              JSON.stringify(expectedOurs[i]),
          );
      }
    });
    expect(report.join('\n\n')).toBe('');
    expect(failures).toBe(0);
  }, 60_000);
});
