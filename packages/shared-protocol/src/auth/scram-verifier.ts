/**
 * PostgreSQL's stored SCRAM secret ("verifier"), the text in pg_authid.rolpassword:
 *   SCRAM-SHA-256$<iterations>:<salt base64>$<StoredKey base64>:<ServerKey base64>
 * and the mock secret PostgreSQL uses for unknown users so that a probe cannot tell them apart.
 */
import { randomBytes } from 'node:crypto';
import { scramPasswordBytes } from './saslprep.js';
import {
  clientKey,
  decodeBase64Strict,
  SCRAM_DEFAULT_ITERATIONS,
  SCRAM_DEFAULT_SALT_LENGTH,
  SCRAM_KEY_LENGTH,
  saltedPassword,
  serverKey,
  sha256,
} from './scram-primitives.js';

export interface ScramVerifier {
  iterations: number;
  salt: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
}

export interface ScramVerifierOptions {
  /** Default 4096, PostgreSQL 15's fixed choice. */
  iterations?: number;
  /** Default: 16 random bytes. */
  salt?: Uint8Array;
}

/** The keys a password yields for a salt and iteration count (SASLprep applied as PostgreSQL does). */
export function scramKeys(
  password: string | Uint8Array,
  salt: Uint8Array,
  iterations: number,
): { storedKey: Buffer; serverKey: Buffer; clientKey: Buffer } {
  const salted = saltedPassword(scramPasswordBytes(password), salt, iterations);
  const ck = clientKey(salted);
  return { clientKey: ck, storedKey: sha256(ck), serverKey: serverKey(salted) };
}

/** Builds the stored secret for a password, as `ALTER ROLE … PASSWORD` does under scram-sha-256. */
export function scramVerifier(
  password: string | Uint8Array,
  options: ScramVerifierOptions = {},
): string {
  const iterations = options.iterations ?? SCRAM_DEFAULT_ITERATIONS;
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 0x7fffffff) {
    throw new RangeError('invalid SCRAM iteration count');
  }
  const salt = Buffer.from(options.salt ?? randomBytes(SCRAM_DEFAULT_SALT_LENGTH));
  const keys = scramKeys(password, salt, iterations);
  return formatScramVerifier({
    iterations,
    salt,
    storedKey: keys.storedKey,
    serverKey: keys.serverKey,
  });
}

export function formatScramVerifier(v: ScramVerifier): string {
  return (
    `SCRAM-SHA-256$${v.iterations}:${v.salt.toString('base64')}` +
    `$${v.storedKey.toString('base64')}:${v.serverKey.toString('base64')}`
  );
}

/**
 * Parses a stored secret; undefined when the text is not a valid SCRAM-SHA-256 secret (as
 * PostgreSQL treats it then: not a SCRAM secret, e.g. an MD5 hash).
 */
export function parseScramVerifier(text: string): ScramVerifier | undefined {
  const m = /^SCRAM-SHA-256\$([0-9]+):([^$:]+)\$([^$:]+):([^$:]+)$/.exec(text);
  if (!m) return undefined;
  const iterations = Number(m[1]);
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > 0x7fffffff) {
    return undefined;
  }
  const salt = decodeBase64Strict(m[2]!);
  const storedKey = decodeBase64Strict(m[3]!);
  const serverKey = decodeBase64Strict(m[4]!);
  if (!salt || !storedKey || !serverKey) return undefined;
  if (storedKey.length !== SCRAM_KEY_LENGTH || serverKey.length !== SCRAM_KEY_LENGTH) {
    return undefined;
  }
  return { iterations, salt, storedKey, serverKey };
}

/** True when `text` is a valid stored SCRAM-SHA-256 secret. */
export function isScramVerifier(text: string): boolean {
  return parseScramVerifier(text) !== undefined;
}

/** Does a cleartext password match a stored secret (for `password` authentication)? */
export function scramVerifyPlainPassword(
  password: string | Uint8Array,
  verifier: ScramVerifier | string,
): boolean {
  const v = typeof verifier === 'string' ? parseScramVerifier(verifier) : verifier;
  if (!v) return false;
  return scramKeys(password, v.salt, v.iterations).serverKey.equals(v.serverKey);
}

/**
 * The secret PostgreSQL pretends an unknown user (or one without a SCRAM secret) has: the salt is
 * derived from the user name and a per-installation secret, so repeated probes see the same salt
 * as for a real account, and the keys are such that no proof can match.
 */
export function mockScramVerifier(username: string, serverSecret: Uint8Array): ScramVerifier {
  const salt = sha256(Buffer.concat([Buffer.from(username, 'utf8'), serverSecret])).subarray(
    0,
    SCRAM_DEFAULT_SALT_LENGTH,
  );
  return {
    iterations: SCRAM_DEFAULT_ITERATIONS,
    salt: Buffer.from(salt),
    storedKey: Buffer.alloc(SCRAM_KEY_LENGTH),
    serverKey: Buffer.alloc(SCRAM_KEY_LENGTH),
  };
}
