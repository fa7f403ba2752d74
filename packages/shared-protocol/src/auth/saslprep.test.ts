// SASLprep as PostgreSQL applies it, with RFC 4013's examples and PostgreSQL's fall-backs.
import { describe, expect, it } from 'vitest';
import { MAX_PASSWORD_LENGTH, saslprep, scramPasswordBytes } from './saslprep.js';

describe('saslprep', () => {
  it("RFC 4013 §3's examples", () => {
    expect(saslprep('I\u00adX')).toEqual({ ok: true, value: 'IX' }); // soft hyphen mapped out
    expect(saslprep('user')).toEqual({ ok: true, value: 'user' });
    expect(saslprep('USER')).toEqual({ ok: true, value: 'USER' });
    expect(saslprep('\u00aa')).toEqual({ ok: true, value: 'a' }); // NFKC
    expect(saslprep('\u2168')).toEqual({ ok: true, value: 'IX' }); // NFKC
    expect(saslprep('\u0627\u0031')).toEqual({ ok: false, reason: 'prohibited' }); // bidi
  });

  it('pure ASCII passes untouched, control characters included (PostgreSQL shortcut)', () => {
    expect(saslprep('a\u0007b')).toEqual({ ok: true, value: 'a\u0007b' });
    expect(saslprep('')).toEqual({ ok: true, value: '' });
  });

  it('maps non-ASCII spaces to space and prohibits the rest', () => {
    expect(saslprep('a\u00a0b\u3000c')).toEqual({ ok: true, value: 'a b c' });
    expect(saslprep('é\u0007')).toEqual({ ok: false, reason: 'prohibited' }); // ASCII control
    expect(saslprep('é\ue000')).toEqual({ ok: false, reason: 'prohibited' }); // private use
    expect(saslprep('é\u{1f600}')).toEqual({ ok: false, reason: 'prohibited' }); // not in 3.2
    expect(saslprep('\u00ad\u200d')).toEqual({ ok: false, reason: 'prohibited' }); // empty
    expect(saslprep('\u05d0a\u05d0')).toEqual({ ok: false, reason: 'prohibited' }); // L in RTL
    expect(saslprep('\u05d01\u05d0')).toEqual({ ok: true, value: '\u05d01\u05d0' });
    expect(saslprep(Buffer.from([0xc3, 0x28]))).toEqual({ ok: false, reason: 'invalid-utf8' });
  });

  it('scramPasswordBytes falls back to the raw bytes', () => {
    expect(scramPasswordBytes('\u2168').toString()).toBe('IX');
    expect(scramPasswordBytes('é\u{1f600}\u2168').toString()).toBe('é\u{1f600}\u2168');
    expect(scramPasswordBytes(Buffer.from([0xff, 0x41]))).toEqual(Buffer.from([0xff, 0x41]));
    expect(() => scramPasswordBytes('x'.repeat(MAX_PASSWORD_LENGTH + 1))).toThrow(
      'password too long',
    );
  });
});
