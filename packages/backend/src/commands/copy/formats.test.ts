import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCopyOptions } from './options.js';
import { TextRecordReader, formatTextRecord, unescapeText } from './text-format.js';
import { CsvRecordReader, formatCsvRecord } from './csv-format.js';
import {
  BinaryRecordReader,
  binaryHeader,
  binaryTrailer,
  formatBinaryRecord,
} from './binary-format.js';
import type { CopyRecord, RecordReader } from './record.js';
import { Utf8StreamDecoder } from './utf8.js';

/** Feeds `text` to `reader` cut at the given points, as network chunks would arrive. */
function readAll(reader: RecordReader, text: string, cuts: number[]): CopyRecord[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: CopyRecord[] = [];
  let from = 0;
  for (const p of points) {
    out.push(...reader.feed(text.slice(from, p)));
    from = p;
  }
  out.push(...reader.feed(text.slice(from)));
  out.push(...reader.finish());
  return out;
}

const field = fc.option(fc.string({ unit: 'grapheme', maxLength: 12 }), { nil: null });
const rows = fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { maxLength: 8 });
const cuts = fc.array(fc.nat(), { maxLength: 6 });
const noNul = (rs: Array<Array<string | null>>): boolean =>
  rs.every((r) => r.every((f) => f === null || !f.includes('\u0000')));

describe('COPY text format', () => {
  const opts = parseCopyOptions(undefined, true);
  it('reads back what it writes, however the input is chunked', () => {
    fc.assert(
      fc.property(rows, cuts, (rs, cs) => {
        fc.pre(noNul(rs));
        const text = rs.map((r) => formatTextRecord(r, opts)).join('');
        const got = readAll(new TextRecordReader(opts), text, cs).map((r) => r.fields);
        expect(got).toEqual(rs);
      }),
    );
  });

  it('stops at the end-of-data marker and ignores what follows', () => {
    const r = new TextRecordReader(opts);
    const got = readAll(r, '1\ta\n\\.\nignored\n', [3]);
    expect(got.map((x) => x.fields)).toEqual([['1', 'a']]);
    expect(r.sawEndMarker).toBe(true);
  });

  it('decodes escapes as PostgreSQL does', () => {
    expect(unescapeText('a\\tb\\\\c\\101\\x42\\q\\N')).toBe('a\tb\\cABqN');
    expect(unescapeText('\\303\\251')).toBe('é');
  });

  it('rejects mixed line endings', () => {
    expect(() => readAll(new TextRecordReader(opts), '1\n2\r\n', [])).toThrow(
      'literal carriage return found in data',
    );
  });
});

describe('COPY CSV format', () => {
  const opts = parseCopyOptions(
    [{ DefElem: { defname: 'format', arg: { String: { sval: 'csv' } } } }],
    true,
  );
  const rules = { forceNotNull: [], forceNull: [] };
  it('reads back what it writes, however the input is chunked', () => {
    fc.assert(
      fc.property(rows, cuts, (rs, cs) => {
        const text = rs.map((r) => formatCsvRecord(r, opts, [])).join('');
        const got = readAll(new CsvRecordReader(opts, rules), text, cs).map((r) => r.fields);
        expect(got).toEqual(rs);
      }),
    );
  });

  it('tells an empty string from NULL and keeps quoted line breaks', () => {
    const got = readAll(new CsvRecordReader(opts, rules), 'a,"",\n"x\ny","q""q"\n', [5]);
    expect(got.map((r) => r.fields)).toEqual([
      ['a', '', null],
      ['x\ny', 'q"q'],
    ]);
  });

  it('reports an unterminated quoted field', () => {
    expect(() => readAll(new CsvRecordReader(opts, rules), '1,"abc\n', [])).toThrow(
      'unterminated CSV quoted field',
    );
  });
});

describe('COPY binary format', () => {
  const bytes = fc.option(fc.uint8Array({ maxLength: 20 }), { nil: null });
  it('reads back what it writes, however the input is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(bytes, { minLength: 3, maxLength: 3 }), { maxLength: 6 }),
        cuts,
        (rs, cs) => {
          const data = Buffer.concat([
            binaryHeader(),
            ...rs.map(formatBinaryRecord),
            binaryTrailer(),
          ]);
          const reader = new BinaryRecordReader(3);
          const points = [...new Set(cs.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
          const got: Array<Array<Uint8Array | null>> = [];
          let from = 0;
          for (const p of points) {
            got.push(...reader.feed(data.subarray(from, p)));
            from = p;
          }
          got.push(...reader.feed(data.subarray(from)), ...reader.finish());
          expect(got.map((r) => r.map((f) => (f ? [...f] : null)))).toEqual(
            rs.map((r) => r.map((f) => (f ? [...f] : null))),
          );
        },
      ),
    );
  });

  it('rejects a missing signature', () => {
    const r = new BinaryRecordReader(1);
    expect(() => r.feed(Buffer.from('not a binary copy file'))).toThrow(
      'COPY file signature not recognized',
    );
  });
});

describe('COPY input decoding', () => {
  it('names the invalid bytes, even across chunks', () => {
    const d = new Utf8StreamDecoder();
    expect(d.decode(Buffer.from([0x61, 0xe2]))).toBe('a');
    expect(() => d.decode(Buffer.from([0x28, 0xa1]))).toThrow(
      'invalid byte sequence for encoding "UTF8": 0xe2 0x28 0xa1',
    );
    expect(() => new Utf8StreamDecoder().decode(Buffer.from([0x61, 0x00]))).toThrow(
      'invalid byte sequence for encoding "UTF8": 0x00',
    );
  });
});
