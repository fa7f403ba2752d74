// Property and example tests of FrontendDecoder against the encoder: round trips, chunking, limits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EncodableFrontendMessage, FrontendMessage } from '../messages.js';
import {
  authenticationMessage,
  cancelRequest,
  negotiationRequest,
  plain,
  splitAt,
  startupMessage,
  typedFrontendMessage,
} from './__tests__/arbitraries.js';
import {
  parsePasswordMessage,
  parseSASLInitialResponse,
  parseSASLResponse,
} from './authentication-response.js';
import { encodeFrontendMessage } from './encode.js';
import { FrontendDecoder } from './frontend-decoder.js';
import { MessageWriter } from './message-writer.js';
import { ProtocolError } from './protocol-error.js';

function decodeAll(chunks: Uint8Array[], decoder = new FrontendDecoder()): FrontendMessage[] {
  const out: FrontendMessage[] = [];
  for (const chunk of chunks) decoder.push(chunk, (m) => out.push(m));
  return out;
}

/** What the decoder yields for an encoded message: the 'p' family comes back as its raw body. */
function expected(m: EncodableFrontendMessage): FrontendMessage {
  if (
    m.type === 'PasswordMessage' ||
    m.type === 'SASLInitialResponse' ||
    m.type === 'SASLResponse'
  ) {
    return { type: 'AuthenticationResponse', data: encodeFrontendMessage(m).subarray(5) };
  }
  return m;
}

function typedDecoder(): FrontendDecoder {
  const d = new FrontendDecoder();
  d.expectTypedMessages();
  return d;
}

const typedStream = fc.tuple(
  fc.array(negotiationRequest, { maxLength: 2 }),
  startupMessage,
  fc.array(fc.oneof(typedFrontendMessage, authenticationMessage), { maxLength: 30 }),
);

function encodeStream(messages: EncodableFrontendMessage[]): Buffer {
  const w = new MessageWriter(32);
  for (const m of messages) w.frontend(m);
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

describe('FrontendDecoder round trips', () => {
  it('decodes every startup-phase packet', () => {
    fc.assert(
      fc.property(fc.oneof(startupMessage, negotiationRequest, cancelRequest), (m) => {
        expect(decodeAll([encodeFrontendMessage(m)])).toEqual([m]);
      }),
    );
  });

  it('decodes every typed message after startup', () => {
    fc.assert(
      fc.property(startupMessage, typedFrontendMessage, (s, m) => {
        const d = new FrontendDecoder();
        decodeAll([encodeFrontendMessage(s)], d);
        expect(plain(decodeAll([encodeFrontendMessage(m)], d))).toEqual(plain([m]));
      }),
    );
  });

  it('yields the p family raw and parses it back', () => {
    fc.assert(
      fc.property(authenticationMessage, (m) => {
        const d = new FrontendDecoder();
        d.expectTypedMessages();
        const [out] = decodeAll([encodeFrontendMessage(m)], d);
        expect(out?.type).toBe('AuthenticationResponse');
        if (out?.type !== 'AuthenticationResponse') return;
        if (m.type === 'PasswordMessage') expect(parsePasswordMessage(out.data)).toBe(m.password);
        if (m.type === 'SASLInitialResponse') {
          expect(parseSASLInitialResponse(out.data)).toEqual({
            mechanism: m.mechanism,
            data: m.data,
          });
        }
        if (m.type === 'SASLResponse') expect(parseSASLResponse(out.data)).toEqual(m.data);
      }),
    );
  });

  it('re-encodes a decoded AuthenticationResponse to the same bytes', () => {
    fc.assert(
      fc.property(authenticationMessage, (m) => {
        const bytes = encodeFrontendMessage(m);
        const [out] = decodeAll([bytes], typedDecoder());
        expect(out && encodeFrontendMessage(out).equals(bytes)).toBe(true);
      }),
    );
  });

  it('decodes a coalesced stream identically however it is cut', () => {
    fc.assert(
      fc.property(typedStream, fc.array(fc.nat(), { maxLength: 40 }), ([pre, s, rest], cuts) => {
        const messages = [...pre, s, ...rest];
        const stream = encodeStream(messages);
        const whole = decodeAll([stream]);
        expect(plain(whole)).toEqual(plain(messages.map(expected)));
        expect(plain(decodeAll(splitAt(stream, cuts)))).toEqual(plain(whole));
      }),
    );
  });

  it('decodes a stream fed byte by byte', () => {
    fc.assert(
      fc.property(typedStream, ([pre, s, rest]) => {
        const messages = [...pre, s, ...rest];
        const stream = encodeStream(messages);
        const bytes = [...stream].map((b) => Uint8Array.of(b));
        expect(plain(decodeAll(bytes))).toEqual(plain(messages.map(expected)));
      }),
      { numRuns: 50 },
    );
  });
});

describe('FrontendDecoder rejects malformed input', () => {
  const typed = (): FrontendDecoder => {
    const d = new FrontendDecoder();
    d.expectTypedMessages();
    return d;
  };

  it('never throws anything but ProtocolError on random bytes', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }),
        (startup, chunks) => {
          const d = new FrontendDecoder();
          if (!startup) d.expectTypedMessages();
          for (const chunk of chunks) {
            try {
              d.push(chunk, () => {});
            } catch (err) {
              expect(err).toBeInstanceOf(ProtocolError);
              if ((err as ProtocolError).fatal) return;
            }
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws anything but ProtocolError on mutated valid streams, and resumes after content errors', () => {
    fc.assert(
      fc.property(
        typedStream,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        ([pre, s, rest], flips) => {
          const stream = encodeStream([...pre, s, ...rest]);
          for (const [at, v] of flips) stream[at % stream.length] = v;
          const d = new FrontendDecoder();
          let decoded = 0;
          let chunk: Uint8Array = stream;
          for (let i = 0; i < 200; i++) {
            try {
              d.push(chunk, () => decoded++);
              return;
            } catch (err) {
              expect(err).toBeInstanceOf(ProtocolError);
              if ((err as ProtocolError).fatal) return;
              chunk = new Uint8Array(0);
            }
          }
          throw new Error(`decoder did not finish (${decoded} decoded)`);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('fails a 2 GB declared length at once, without buffering', () => {
    const before = process.memoryUsage().arrayBuffers;
    const err = errorOf(() => typed().push(Buffer.from([0x51, 0x7f, 0xff, 0xff, 0xff]), () => {}));
    expect(err.code).toBe('08P01');
    expect(err.message).toBe('invalid message length');
    expect(err.fatal).toBe(true);
    // A legal 1 GiB - 1 length with a few bytes of body allocates nothing of that size.
    const d = typed();
    d.push(Buffer.from([0x51, 0x3f, 0xff, 0xff, 0xff, 0x41, 0x42]), () => {});
    d.push(Buffer.alloc(1000, 0x41), () => {});
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
    expect(d.bufferedBytes().length).toBe(1007);
  });

  it('checks lengths: below 4, over the per-type limit, over maxMessageLength', () => {
    expect(errorOf(() => typed().push(Buffer.from([0x53, 0, 0, 0, 3]), () => {})).message).toBe(
      'invalid message length',
    );
    // Sync is a small message: PostgreSQL's limit is 10000.
    const big = Buffer.from([0x53, 0, 0, 0x27, 0x11]);
    expect(errorOf(() => typed().push(big, () => {})).code).toBe('08P01');
    const d = new FrontendDecoder({ maxMessageLength: 100 });
    d.expectTypedMessages();
    expect(errorOf(() => d.push(Buffer.from([0x51, 0, 0, 0, 101]), () => {})).message).toBe(
      'invalid message length',
    );
  });

  it('rejects unknown type bytes with PostgreSQL’s text, and stays broken', () => {
    const d = typed();
    const err = errorOf(() => d.push(Buffer.from('z'), () => {}));
    expect(err.message).toBe('invalid frontend message type 122');
    expect(err.fatal).toBe(true);
    expect(() => d.push(encodeFrontendMessage({ type: 'Sync' }), () => {})).toThrow(err);
    // 'p' is a frontend type; '1' is not.
    expect(errorOf(() => typed().push(Buffer.from('1'), () => {})).message).toBe(
      'invalid frontend message type 49',
    );
  });

  it('rejects bad startup packets', () => {
    const packet = (len: number, code: number, body: number[] = []): Buffer => {
      const b = Buffer.alloc(8 + body.length);
      b.writeInt32BE(len, 0);
      b.writeUInt32BE(code, 4);
      Buffer.from(body).copy(b, 8);
      return b;
    };
    const decode = (b: Buffer): ProtocolError =>
      errorOf(() => new FrontendDecoder().push(b, () => {}));
    expect(decode(packet(7, 0)).message).toBe('invalid length of startup packet');
    expect(decode(packet(10005, 0)).message).toBe('invalid length of startup packet');
    expect(decode(packet(-1, 0)).message).toBe('invalid length of startup packet');
    const v2 = decode(packet(9, 2 << 16, [0]));
    expect(v2.message).toBe('unsupported frontend protocol 2.0: server supports 3.0 to 3.0');
    expect(v2.code).toBe('0A000');
    expect(decode(packet(9, (4 << 16) | 1, [0])).message).toBe(
      'unsupported frontend protocol 4.1: server supports 3.0 to 3.0',
    );
    const layout = 'invalid startup packet layout: expected terminator as last byte';
    expect(decode(packet(8, 196608)).message).toBe(layout);
    expect(decode(packet(11, 196608, [0x61, 0, 0x62])).message).toBe(layout);
    expect(decode(packet(12, 196608, [0x61, 0, 0x62, 0])).message).toBe(layout);
    expect(decode(packet(10, 196608, [0, 0])).message).toBe(layout);
    expect(decode(packet(12, 80877102, [0, 0, 0, 1])).message).toBe(
      'invalid length of startup packet',
    );
    // a minimal valid one
    const ok = decodeAll([packet(13, 196608, [0x61, 0, 0x62, 0, 0])]);
    expect(ok).toEqual([
      { type: 'StartupMessage', protocolVersion: 196608, parameters: new Map([['a', 'b']]) },
    ]);
  });

  it('reports content errors without losing sync', () => {
    const d = typed();
    const sync = encodeFrontendMessage({ type: 'Sync' });
    // Sync with a body byte: "invalid message format"; the Sync after it still decodes.
    const bad = Buffer.from([0x53, 0, 0, 0, 5, 0]);
    const err = errorOf(() => d.push(Buffer.concat([bad, sync]), () => {}));
    expect(err.message).toBe('invalid message format');
    expect(err.fatal).toBe(false);
    expect(decodeAll([new Uint8Array(0)], d)).toEqual([{ type: 'Sync' }]);
    // Missing terminator.
    const q = Buffer.from([0x51, 0, 0, 0, 6, 0x61, 0x62]);
    expect(errorOf(() => typed().push(q, () => {})).message).toBe('invalid string in message');
    // Truncated Bind parameter.
    const w = new MessageWriter();
    w.startMessage(0x42)
      .cstring('')
      .cstring('')
      .int16(0)
      .int16(1)
      .int32(10)
      .bytes(Buffer.from('abc'));
    w.int16(0).endMessage();
    expect(errorOf(() => typed().push(w.take(), () => {})).message).toBe(
      'insufficient data left in message',
    );
    // Bad format code.
    w.startMessage(0x42).cstring('').cstring('').int16(1).int16(2).int16(0).int16(0).endMessage();
    const f = errorOf(() => typed().push(w.take(), () => {}));
    expect([f.code, f.message]).toEqual(['22023', 'unsupported format code: 2']);
    // Bad Describe target.
    w.startMessage(0x44).int8(0x58).cstring('').endMessage();
    expect(errorOf(() => typed().push(w.take(), () => {})).message).toBe(
      'invalid DESCRIBE message subtype 88',
    );
  });

  it('rejects invalid UTF-8 in SQL text as PostgreSQL does', () => {
    const q = (body: number[]): Buffer => {
      const b = Buffer.alloc(5 + body.length + 1);
      b[0] = 0x51;
      b.writeInt32BE(4 + body.length + 1, 1);
      Buffer.from(body).copy(b, 5);
      return b;
    };
    const err = errorOf(() => typed().push(q([0x61, 0xc3, 0x28]), () => {}));
    expect([err.code, err.message]).toEqual([
      '22021',
      'invalid byte sequence for encoding "UTF8": 0xc3 0x28',
    ]);
    expect(errorOf(() => typed().push(q([0xed, 0xa0, 0x80]), () => {})).message).toBe(
      'invalid byte sequence for encoding "UTF8": 0xed 0xa0 0x80',
    );
    expect(errorOf(() => typed().push(q([0x61, 0xe2, 0x82]), () => {})).message).toBe(
      'invalid byte sequence for encoding "UTF8": 0xe2 0x82',
    );
    expect(decodeAll([q([0xc3, 0xa9])], typed())).toEqual([{ type: 'Query', sql: 'é' }]);
  });

  it('pauses after a message, keeps the rest for a hand-over, and resumes identically', () => {
    fc.assert(
      fc.property(
        typedStream,
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        ([pre, s, rest], pauseAt, cuts) => {
          const messages = [...pre, s, ...rest];
          const stream = encodeStream(messages);
          const pauses = new Set(pauseAt.map((p) => p % messages.length));
          const d = new FrontendDecoder();
          const out: FrontendMessage[] = [];
          const onMessage = (m: FrontendMessage): void => {
            if (pauses.has(out.length)) d.pause();
            out.push(m);
          };
          for (const chunk of splitAt(stream, cuts)) {
            d.push(chunk, onMessage);
            // Resume whatever a pause left buffered before the next chunk.
            for (let guard = 0; guard < messages.length && d.bufferedBytes().length > 0; guard++) {
              const before = out.length;
              d.push(new Uint8Array(0), onMessage);
              if (out.length === before) break;
            }
          }
          expect(plain(out)).toEqual(plain(messages.map(expected)));
        },
      ),
    );
  });

  it('hands over what follows the startup packet to a fresh decoder', () => {
    const startup = encodeFrontendMessage({
      type: 'StartupMessage',
      protocolVersion: 196608,
      parameters: new Map([['user', 'x']]),
    });
    const query = encodeFrontendMessage({ type: 'Query', sql: 'SELECT 1' });
    const postmaster = new FrontendDecoder();
    const seen: string[] = [];
    postmaster.push(Buffer.concat([startup, query, query.subarray(0, 3)]), (m) => {
      seen.push(m.type);
      postmaster.pause();
    });
    expect(seen).toEqual(['StartupMessage']);
    const handed = postmaster.bufferedBytes();
    expect(Buffer.from(handed)).toEqual(Buffer.concat([query, query.subarray(0, 3)]));
    const backend = new FrontendDecoder();
    backend.expectTypedMessages();
    expect(decodeAll([handed, query.subarray(3)], backend)).toEqual([
      { type: 'Query', sql: 'SELECT 1' },
      { type: 'Query', sql: 'SELECT 1' },
    ]);
  });

  it('keeps unconsumed bytes for a hand-over and reads startup again after SSLRequest', () => {
    const d = new FrontendDecoder();
    const ssl = encodeFrontendMessage({ type: 'SSLRequest' });
    const startup = encodeFrontendMessage({
      type: 'StartupMessage',
      protocolVersion: 196608,
      parameters: new Map([['user', 'x']]),
    });
    const out = decodeAll([Buffer.concat([ssl, startup.subarray(0, 6)])], d);
    expect(out).toEqual([{ type: 'SSLRequest' }]);
    expect(Buffer.from(d.bufferedBytes())).toEqual(startup.subarray(0, 6));
    expect(d.inStartupPhase).toBe(true);
    expect(decodeAll([startup.subarray(6)], d)[0]?.type).toBe('StartupMessage');
    expect(d.inStartupPhase).toBe(false);
  });

  it('parses p bodies strictly', () => {
    expect(() => parsePasswordMessage(Buffer.from('abc'))).toThrow('invalid password packet size');
    expect(() => parsePasswordMessage(Buffer.from('a\0b\0'))).toThrow(
      'invalid password packet size',
    );
    expect(() => parseSASLInitialResponse(Buffer.from('SCRAM\0\0\0\0\x05ab'))).toThrow(
      'insufficient data left in message',
    );
    expect(() =>
      parseSASLInitialResponse(Buffer.from('SCRAM\0\xff\xff\xff\xffx', 'latin1')),
    ).toThrow('invalid message format');
  });
});
