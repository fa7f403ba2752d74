// Property and example tests of BackendDecoder against the encoder: round trips, chunking, limits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BackendDecoderMessage, BackendMessage } from '../messages.js';
import { backendMessage, plain, splitAt } from './__tests__/arbitraries.js';
import { BackendDecoder } from './backend-decoder.js';
import { encodeBackendMessage } from './encode.js';
import { MessageWriter } from './message-writer.js';
import { ProtocolError } from './protocol-error.js';

function decodeAll(chunks: Uint8Array[], decoder = new BackendDecoder()): BackendDecoderMessage[] {
  const out: BackendDecoderMessage[] = [];
  for (const chunk of chunks) decoder.push(chunk, (m) => out.push(m));
  return out;
}

function encodeStream(messages: BackendMessage[]): Buffer {
  const w = new MessageWriter(32);
  for (const m of messages) w.backend(m);
  return w.take();
}

function errorOf(f: () => void): ProtocolError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError);
    return err as ProtocolError;
  }
  throw new Error('expected a ProtocolError');
}

describe('BackendDecoder round trips', () => {
  it('decodes every message type', () => {
    fc.assert(
      fc.property(backendMessage, (m) => {
        expect(plain(decodeAll([encodeBackendMessage(m)]))).toEqual(plain([m]));
      }),
      { numRuns: 1000 },
    );
  });

  it('decodes a coalesced stream identically however it is cut', () => {
    fc.assert(
      fc.property(
        fc.array(backendMessage, { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (messages, cuts) => {
          const stream = encodeStream(messages);
          const whole = decodeAll([stream]);
          expect(plain(whole)).toEqual(plain(messages));
          expect(plain(decodeAll(splitAt(stream, cuts)))).toEqual(plain(whole));
        },
      ),
    );
  });

  it('decodes a stream fed byte by byte', () => {
    fc.assert(
      fc.property(fc.array(backendMessage, { maxLength: 20 }), (messages) => {
        const stream = encodeStream(messages);
        expect(plain(decodeAll([...stream].map((b) => Uint8Array.of(b))))).toEqual(plain(messages));
      }),
      { numRuns: 50 },
    );
  });

  it('reads the SSL / GSSENC answer byte before the stream', () => {
    const d = new BackendDecoder();
    d.expectSSLResponse();
    const auth = encodeBackendMessage({ type: 'AuthenticationOk' });
    expect(decodeAll([Buffer.concat([Buffer.from('N'), auth])], d)).toEqual([
      { type: 'SSLResponse', accepted: false },
      { type: 'AuthenticationOk' },
    ]);
    d.expectSSLResponse();
    expect(decodeAll([Buffer.from('S')], d)).toEqual([{ type: 'SSLResponse', accepted: true }]);
    d.expectGSSENCResponse();
    expect(decodeAll([Buffer.from('G')], d)).toEqual([{ type: 'GSSENCResponse', accepted: true }]);
    d.expectGSSENCResponse();
    expect(decodeAll([Buffer.from('N')], d)).toEqual([{ type: 'GSSENCResponse', accepted: false }]);
    // An old server's ErrorResponse instead of the byte.
    d.expectSSLResponse();
    const e = encodeBackendMessage({
      type: 'ErrorResponse',
      severity: 'FATAL',
      code: '08P01',
      message: 'x',
    });
    expect(decodeAll([e], d)[0]?.type).toBe('ErrorResponse');
    d.expectSSLResponse();
    expect(errorOf(() => d.push(Buffer.from('G'), () => {})).message).toBe(
      'received invalid response to SSL negotiation: G',
    );
  });
});

describe('BackendDecoder rejects malformed input', () => {
  it('never throws anything but ProtocolError on random bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (chunks) => {
        const d = new BackendDecoder();
        for (const chunk of chunks) {
          try {
            d.push(chunk, () => {});
          } catch (err) {
            expect(err).toBeInstanceOf(ProtocolError);
            if ((err as ProtocolError).fatal) return;
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws anything but ProtocolError on mutated valid streams', () => {
    fc.assert(
      fc.property(
        fc.array(backendMessage, { minLength: 1, maxLength: 10 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        (messages, flips) => {
          const stream = encodeStream(messages);
          for (const [at, v] of flips) stream[at % stream.length] = v;
          const d = new BackendDecoder();
          for (let i = 0; i < 20; i++) {
            try {
              d.push(i === 0 ? stream : new Uint8Array(0), () => {});
              return;
            } catch (err) {
              expect(err).toBeInstanceOf(ProtocolError);
              if ((err as ProtocolError).fatal) return;
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('fails a 2 GB declared length at once', () => {
    const err = errorOf(() =>
      new BackendDecoder().push(Buffer.from([0x44, 0x7f, 0xff, 0xff, 0xff]), () => {}),
    );
    expect(err.message).toBe(
      'lost synchronization with server: got message type "D", length 2147483647',
    );
    expect(err.fatal).toBe(true);
    const small = new BackendDecoder({ maxMessageLength: 1000 });
    expect(errorOf(() => small.push(Buffer.from([0x64, 0, 0, 0x03, 0xe9]), () => {})).code).toBe(
      '08P01',
    );
  });

  it('rejects unknown types, truncated rows and trailing bytes', () => {
    expect(errorOf(() => new BackendDecoder().push(Buffer.from('x'), () => {})).message).toBe(
      'unexpected response from server; first received character was "x"',
    );
    const w = new MessageWriter();
    w.startMessage(0x44).int16(2).int32(3).bytes(Buffer.from('abc')).endMessage();
    expect(errorOf(() => new BackendDecoder().push(w.take(), () => {})).message).toBe(
      'insufficient data left in message',
    );
    w.startMessage(0x44).int16(1).int32(1).bytes(Buffer.from('ab')).endMessage();
    expect(errorOf(() => new BackendDecoder().push(w.take(), () => {})).message).toBe(
      'invalid message format',
    );
    w.startMessage(0x43).bytes(Buffer.from('SELECT')).endMessage();
    expect(errorOf(() => new BackendDecoder().push(w.take(), () => {})).message).toBe(
      'invalid string in message',
    );
    w.startMessage(0x52).int32(4).endMessage();
    expect(errorOf(() => new BackendDecoder().push(w.take(), () => {})).message).toBe(
      'authentication method 4 not supported',
    );
    w.startMessage(0x5a).int8(0x58).endMessage();
    expect(errorOf(() => new BackendDecoder().push(w.take(), () => {})).code).toBe('08P01');
  });

  it('copies each DataRow once with copyDataRows, so the chunk can be recycled', () => {
    fc.assert(
      fc.property(fc.array(backendMessage, { maxLength: 20 }), (messages) => {
        const stream = encodeStream(messages);
        const out: BackendDecoderMessage[] = [];
        new BackendDecoder({ copyDataRows: true }).push(stream, (m) => out.push(m));
        const expected = plain(out);
        stream.fill(0xee); // the caller reuses its memory
        expect(plain(out.filter((m) => m.type === 'DataRow'))).toEqual(
          (expected as BackendDecoderMessage[]).filter((m) => m.type === 'DataRow'),
        );
        expect(plain(out.filter((m) => m.type === 'DataRow'))).toEqual(
          plain(messages.filter((m) => m.type === 'DataRow')),
        );
      }),
    );
  });

  it('assembles a 32 MB message from 1 kB chunks in linear time', () => {
    const data = Buffer.alloc(32 << 20, 0x61);
    const stream = encodeBackendMessage({ type: 'CopyData', data });
    const d = new BackendDecoder();
    let got: Uint8Array | null = null;
    const started = Date.now();
    for (let at = 0; at < stream.length; at += 1024) {
      d.push(stream.subarray(at, at + 1024), (m) => {
        if (m.type === 'CopyData') got = m.data;
      });
    }
    // A decoder re-concatenating its buffer per chunk would copy ~550 GB here.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(got && Buffer.from(got).equals(data)).toBe(true);
  });

  it('hands DataRow values out as views of the chunk', () => {
    const chunk = encodeBackendMessage({
      type: 'DataRow',
      values: [Buffer.from('hello'), null, Buffer.alloc(0)],
    });
    const [row] = decodeAll([chunk]);
    if (row?.type !== 'DataRow') throw new Error('expected DataRow');
    expect(plain(row.values)).toEqual([[...Buffer.from('hello')], null, []]);
    expect(row.values[0]?.buffer).toBe(chunk.buffer);
  });
});
