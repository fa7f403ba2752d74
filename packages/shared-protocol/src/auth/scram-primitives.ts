/**
 * The SCRAM-SHA-256 arithmetic of RFC 5802 / RFC 7677: Hi (PBKDF2-HMAC-SHA-256), the derived keys,
 * proofs and signatures, and PostgreSQL's sizes for nonces and salts.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

export const SCRAM_SHA_256 = 'SCRAM-SHA-256';
export const SCRAM_SHA_256_PLUS = 'SCRAM-SHA-256-PLUS';
/** Length of a SHA-256 digest: keys, proofs and signatures. */
export const SCRAM_KEY_LENGTH = 32;
/** PostgreSQL 15's iteration count for new secrets (SCRAM_DEFAULT_ITERATIONS). */
export const SCRAM_DEFAULT_ITERATIONS = 4096;
/** PostgreSQL's salt length for new secrets, in bytes. */
export const SCRAM_DEFAULT_SALT_LENGTH = 16;
/** PostgreSQL's random nonce length before base64 (24 characters after). */
export const SCRAM_RAW_NONCE_LENGTH = 18;

export function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

export function hmacSha256(key: Uint8Array, data: Uint8Array | string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** Hi(password, salt, i) of RFC 5802 is PBKDF2 with HMAC as the PRF and one block of output. */
export function saltedPassword(password: Uint8Array, salt: Uint8Array, iterations: number): Buffer {
  return pbkdf2Sync(password, salt, iterations, SCRAM_KEY_LENGTH, 'sha256');
}

export function clientKey(salted: Uint8Array): Buffer {
  return hmacSha256(salted, 'Client Key');
}

export function serverKey(salted: Uint8Array): Buffer {
  return hmacSha256(salted, 'Server Key');
}

export function xorBytes(a: Uint8Array, b: Uint8Array): Buffer {
  if (a.length !== b.length) throw new RangeError('xor of unequal lengths');
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

/** A fresh nonce the way PostgreSQL makes them: 18 random bytes in base64. */
export function randomScramNonce(): string {
  return randomBytes(SCRAM_RAW_NONCE_LENGTH).toString('base64');
}

/** RFC 5802 printable: %x21-2B / %x2D-7E (any visible ASCII but the comma). */
export function isScramPrintable(s: string): boolean {
  return /^[\x21-\x2b\x2d-\x7e]*$/.test(s);
}

/** Strict base64 (what PostgreSQL's decoder accepts: padded, no whitespace). */
export function decodeBase64Strict(s: string): Buffer | null {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  return Buffer.from(s, 'base64');
}
