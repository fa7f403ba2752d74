/**
 * SASLprep (RFC 4013, a profile of stringprep RFC 3454) as PostgreSQL applies it to SCRAM
 * passwords. PostgreSQL's rules, which we follow rather than the RFC's letter:
 * - a pure ASCII password is used as is (even with control characters);
 * - a password that is not valid UTF-8, or that SASLprep prohibits, is not an error: the raw
 *   bytes are used instead (so any password still works between two PostgreSQL-alike ends);
 * - the prohibited-output, unassigned and bidi checks look at the mapped characters before
 *   normalisation (that is what PostgreSQL checks), and an empty mapped string is prohibited.
 * Normalisation is NFKC from the JS engine's Unicode version, which may differ from PostgreSQL's
 * only for characters assigned after Unicode 3.2 — and those are prohibited anyway.
 */
import {
  L_CAT,
  MAPPED_TO_NOTHING,
  NON_ASCII_SPACE,
  PROHIBITED,
  RAND_AL_CAT,
  UNASSIGNED,
} from './saslprep-tables.js';

/** PostgreSQL refuses longer passwords in SASLprep ("password too long"). */
export const MAX_PASSWORD_LENGTH = 1024;

/** Binary search in a flat [first, last, first, last, …] range table. */
function inTable(table: readonly number[], cp: number): boolean {
  let lo = 0;
  let hi = table.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < table[mid * 2]!) hi = mid - 1;
    else if (cp > table[mid * 2 + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

export type SaslPrepResult =
  { ok: true; value: string } | { ok: false; reason: 'prohibited' | 'invalid-utf8' };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * SASLprep of a password, PostgreSQL style. A string stands for its UTF-8 encoding (what goes on
 * the wire; a lone surrogate becomes U+FFFD there); bytes are decoded strictly.
 */
export function saslprep(input: string | Uint8Array): SaslPrepResult {
  let text: string;
  if (typeof input === 'string') {
    text = Buffer.from(input, 'utf8').toString('utf8');
  } else {
    try {
      text = utf8.decode(input);
    } catch {
      return { ok: false, reason: 'invalid-utf8' };
    }
  }
  if (/^[\x00-\x7f]*$/.test(text)) return { ok: true, value: text };

  const mapped: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (inTable(NON_ASCII_SPACE, cp)) mapped.push(0x20);
    else if (!inTable(MAPPED_TO_NOTHING, cp)) mapped.push(cp);
  }
  if (mapped.length === 0) return { ok: false, reason: 'prohibited' };

  for (const cp of mapped) {
    if (inTable(PROHIBITED, cp) || inTable(UNASSIGNED, cp)) {
      return { ok: false, reason: 'prohibited' };
    }
  }
  if (mapped.some((cp) => inTable(RAND_AL_CAT, cp))) {
    if (mapped.some((cp) => inTable(L_CAT, cp))) return { ok: false, reason: 'prohibited' };
    if (!inTable(RAND_AL_CAT, mapped[0]!) || !inTable(RAND_AL_CAT, mapped[mapped.length - 1]!)) {
      return { ok: false, reason: 'prohibited' };
    }
  }
  return { ok: true, value: String.fromCodePoint(...mapped).normalize('NFKC') };
}

/**
 * The bytes SCRAM hashes for a password: its SASLprep form in UTF-8, or the raw bytes when
 * SASLprep refuses it (as PostgreSQL and libpq both do). Throws RangeError past
 * MAX_PASSWORD_LENGTH bytes, where PostgreSQL fails with "password too long".
 */
export function scramPasswordBytes(password: string | Uint8Array): Buffer {
  const raw = typeof password === 'string' ? Buffer.from(password, 'utf8') : Buffer.from(password);
  if (raw.length > MAX_PASSWORD_LENGTH) throw new RangeError('password too long');
  const prepared = saslprep(password);
  return prepared.ok ? Buffer.from(prepared.value, 'utf8') : raw;
}
