// MD5 password hashing and the AuthenticationMD5Password answer.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isMd5PasswordHash, md5AuthResponse, md5CheckResponse, md5PasswordHash } from './md5.js';

const md5 = (s: string | Buffer) => createHash('md5').update(s).digest('hex');

describe('md5', () => {
  it('stored hash is md5(password + user)', () => {
    // Independent of our code: the hex digest of the concatenation, computed here directly.
    expect(md5PasswordHash('secret', 'alice')).toBe('md5' + md5('secretalice'));
    // A fixed known value (md5("foobar") = 3858f62230ac3c915f300c664312c63f).
    expect(md5PasswordHash('foo', 'bar')).toBe('md53858f62230ac3c915f300c664312c63f');
    expect(isMd5PasswordHash(md5PasswordHash('x', 'y'))).toBe(true);
    expect(isMd5PasswordHash('md5' + 'A'.repeat(32))).toBe(false);
  });

  it('auth response from the password or from the stored hash agree', () => {
    const salt = Buffer.from([1, 2, 3, 4]);
    const stored = md5PasswordHash('secret', 'alice');
    const expected = 'md5' + md5(Buffer.concat([Buffer.from(stored.slice(3)), salt]));
    expect(md5AuthResponse('secret', 'alice', salt)).toBe(expected);
    expect(md5AuthResponse({ md5Hash: stored }, 'ignored', salt)).toBe(expected);
    expect(md5CheckResponse(stored, salt, expected)).toBe(true);
    expect(md5CheckResponse(stored, salt, md5AuthResponse('wrong', 'alice', salt))).toBe(false);
    expect(md5CheckResponse('SCRAM-SHA-256$…', salt, expected)).toBe(false);
    expect(() => md5AuthResponse('x', 'y', Buffer.alloc(3))).toThrow(RangeError);
  });
});
