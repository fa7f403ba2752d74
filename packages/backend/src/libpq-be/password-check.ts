/**
 * Checks a password against a stored verifier, as PostgreSQL's crypt.c does: verifiers are
 * "md5<hex>" (MD5 of password || role name), "SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>",
 * or (left from old releases) plain text. Used by the `password` method, which receives the
 * cleartext password, and by `md5`, which receives MD5(MD5(password || user) || salt).
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export type VerifierKind = 'md5' | 'scram-sha-256' | 'plain';

export interface ScramVerifier {
  iterations: number;
  salt: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
}

const md5Hex = (data: Buffer | string) => createHash('md5').update(data).digest('hex');

export function verifierKind(verifier: string): VerifierKind {
  if (/^md5[0-9a-f]{32}$/.test(verifier)) return 'md5';
  if (parseScramVerifier(verifier)) return 'scram-sha-256';
  return 'plain';
}

export function parseScramVerifier(verifier: string): ScramVerifier | undefined {
  const m = /^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/.exec(
    verifier,
  );
  if (!m) return undefined;
  const storedKey = Buffer.from(m[3]!, 'base64');
  const serverKey = Buffer.from(m[4]!, 'base64');
  if (storedKey.length !== 32 || serverKey.length !== 32) return undefined;
  return { iterations: Number(m[1]), salt: Buffer.from(m[2]!, 'base64'), storedKey, serverKey };
}

function safeEqual(a: Buffer | string, b: Buffer | string): boolean {
  const x = Buffer.isBuffer(a) ? a : Buffer.from(a);
  const y = Buffer.isBuffer(b) ? b : Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * SASLprep is applied by PostgreSQL only when the password is valid UTF-8 and prepable; for the
 * ASCII passwords nearly everyone uses it is the identity. We apply NFKC, the core of SASLprep,
 * which covers the common non-ASCII cases (full-width, compatibility characters).
 */
function saslPrep(password: string): string {
  return password.normalize('NFKC');
}

/** Whether a cleartext password matches the verifier (the `password` method). */
export function cleartextMatches(verifier: string, role: string, password: string): boolean {
  switch (verifierKind(verifier)) {
    case 'md5':
      return safeEqual('md5' + md5Hex(password + role), verifier);
    case 'scram-sha-256': {
      const v = parseScramVerifier(verifier)!;
      const salted = pbkdf2Sync(saslPrep(password), v.salt, v.iterations, 32, 'sha256');
      const clientKey = createHmac('sha256', salted).update('Client Key').digest();
      const storedKey = createHash('sha256').update(clientKey).digest();
      return safeEqual(storedKey, v.storedKey);
    }
    case 'plain':
      return safeEqual(password, verifier);
  }
}

/** Whether an md5 response ("md5" + hex) matches the verifier for this salt (the `md5` method). */
export function md5ResponseMatches(
  verifier: string,
  role: string,
  salt: Uint8Array,
  response: string,
): boolean {
  const kind = verifierKind(verifier);
  if (kind === 'scram-sha-256') return false;
  const inner = kind === 'md5' ? verifier.slice(3) : md5Hex(verifier + role);
  const expected = 'md5' + md5Hex(Buffer.concat([Buffer.from(inner), Buffer.from(salt)]));
  return safeEqual(expected, response);
}

/** A new SCRAM-SHA-256 verifier for `password` (what initdb and ALTER ROLE … PASSWORD store). */
export function scramVerifier(password: string, iterations = 4096, salt = randomBytes(16)): string {
  const salted = pbkdf2Sync(saslPrep(password), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** An md5 verifier ("md5" + MD5(password || role name)). */
export function md5Verifier(password: string, role: string): string {
  return 'md5' + md5Hex(password + role);
}
