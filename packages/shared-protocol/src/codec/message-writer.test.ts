// MessageWriter: taken buffers stay valid, growth, hot-path helpers equal the typed encoders.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backendMessage, text } from './__tests__/arbitraries.js';
import { BackendDecoder } from './backend-decoder.js';
import {
  BIND_COMPLETE_MESSAGE,
  encodeBackendMessage,
  encodeFrontendMessage,
  READY_FOR_QUERY_IDLE_MESSAGE,
  SYNC_MESSAGE,
} from './encode.js';
import { MessageWriter } from './message-writer.js';
import { ProtocolError } from './protocol-error.js';

describe('MessageWriter', () => {
  it('keeps every taken buffer intact while the writer is reused and grows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(backendMessage, { maxLength: 8 }), { maxLength: 12 }),
        (batches) => {
          const w = new MessageWriter(64);
          const taken: Array<[Buffer, Buffer]> = [];
          for (const batch of batches) {
            for (const m of batch) w.backend(m);
            expect(w.length).toBe(batch.reduce((n, m) => n + encodeBackendMessage(m).length, 0));
            const out = w.take();
            taken.push([out, Buffer.from(out)]);
            expect(w.length).toBe(0);
          }
          for (const [out, copy] of taken) expect(out.equals(copy)).toBe(true);
          const all = Buffer.concat(taken.map(([b]) => b));
          expect(all.equals(Buffer.concat(batches.flat().map(encodeBackendMessage)))).toBe(true);
        },
      ),
    );
  });

  it('dataRowText equals a DataRow of UTF-8 values', () => {
    fc.assert(
      fc.property(fc.array(fc.option(text(100), { nil: null }), { maxLength: 10 }), (values) => {
        const w = new MessageWriter(16);
        w.dataRowText(values);
        const expected = encodeBackendMessage({
          type: 'DataRow',
          values: values.map((v) => (v === null ? null : Buffer.from(v, 'utf8'))),
        });
        expect(w.take().equals(expected)).toBe(true);
      }),
    );
  });

  it('writes a large response and decodes it back', () => {
    const w = new MessageWriter();
    for (let i = 0; i < 10000; i++) w.dataRowText([String(i), 'x'.repeat(i % 300), null]);
    w.commandComplete('SELECT 10000').readyForQuery('I');
    const out = w.take();
    const rows: string[] = [];
    new BackendDecoder().push(out, (m) => {
      if (m.type === 'DataRow') rows.push(Buffer.from(m.values[0]!).toString());
      else rows.push(m.type);
    });
    expect(rows.length).toBe(10002);
    expect(rows[9999]).toBe('9999');
    expect(rows.slice(-2)).toEqual(['CommandComplete', 'ReadyForQuery']);
  });

  it('has constant buffers equal to the encoders', () => {
    expect(SYNC_MESSAGE.equals(Buffer.from([0x53, 0, 0, 0, 4]))).toBe(true);
    expect(BIND_COMPLETE_MESSAGE.equals(encodeBackendMessage({ type: 'BindComplete' }))).toBe(true);
    expect(READY_FOR_QUERY_IDLE_MESSAGE.equals(Buffer.from([0x5a, 0, 0, 0, 5, 0x49]))).toBe(true);
    expect(encodeFrontendMessage({ type: 'SSLRequest' }).toString('hex')).toBe('0000000804d2162f');
  });

  it('writes long non-ASCII strings exactly (text values, C strings)', () => {
    const long = 'é€𝄞x'.repeat(40000);
    const w = new MessageWriter(16);
    w.dataRowText([long, null]).commandComplete(long);
    const expected = Buffer.concat([
      encodeBackendMessage({ type: 'DataRow', values: [Buffer.from(long), null] }),
      encodeBackendMessage({ type: 'CommandComplete', tag: long }),
    ]);
    expect(w.take().equals(expected)).toBe(true);
  });

  it('rejects NUL inside a C string', () => {
    expect(() => new MessageWriter().commandComplete('a\0b')).toThrow(ProtocolError);
  });
});
