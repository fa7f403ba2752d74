/**
 * MD5 password authentication as PostgreSQL does it: the stored secret is
 * "md5" + hex(md5(password + username)); the client answers AuthenticationMD5Password(salt) with
 * "md5" + hex(md5(hex(md5(password + username)) + salt)).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const MD5_HASH_SHAPE = /^md5[0-9a-f]{32}$/;

function md5Hex(...parts: Array<string | Uint8Array>): string {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** True for a stored MD5 secret ("md5" + 32 lowercase hex digits), as PostgreSQL recognises it. */
export function isMd5PasswordHash(secret: string): boolean {
  return MD5_HASH_SHAPE.test(secret);
}

/** The stored form of a password under password_encryption = md5 (what pg_authid holds). */
export function md5PasswordHash(password: string | Uint8Array, user: string): string {
  return 'md5' + md5Hex(password, user);
}

/** A secret for the MD5 exchange: the cleartext password, or its stored "md5…" hash. */
export type Md5Secret = string | Uint8Array | { md5Hash: string };

/**
 * The PasswordMessage content answering AuthenticationMD5Password. A plain string is always taken
 * as the password (as libpq does, even if it looks like a hash); pass `{ md5Hash }` to answer
 * from a stored secret, as the server does to compute the expected answer.
 */
export function md5AuthResponse(secret: Md5Secret, user: string, salt: Uint8Array): string {
  if (salt.length !== 4) throw new RangeError('MD5 salt must be 4 bytes');
  let inner: string;
  if (typeof secret === 'object' && !(secret instanceof Uint8Array)) {
    if (!isMd5PasswordHash(secret.md5Hash)) throw new TypeError('not an MD5 password hash');
    inner = secret.md5Hash.slice(3);
  } else {
    inner = md5Hex(secret, user);
  }
  return 'md5' + md5Hex(inner, salt);
}

/**
 * Server side: does the client's answer match the stored MD5 secret for this salt? Compares in
 * constant time. False when the stored secret is not an MD5 hash (PostgreSQL then cannot do MD5).
 */
export function md5CheckResponse(storedHash: string, salt: Uint8Array, response: string): boolean {
  if (!isMd5PasswordHash(storedHash)) return false;
  const expected = Buffer.from(md5AuthResponse({ md5Hash: storedHash }, '', salt));
  const got = Buffer.from(response);
  return got.length === expected.length && timingSafeEqual(got, expected);
}
