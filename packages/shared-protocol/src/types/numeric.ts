/**
 * numeric: arbitrary precision decimals. The JS value is PostgreSQL's canonical text ('1.50',
 * '-0.001', 'NaN', 'Infinity', '-Infinity'): exact, scale-preserving and directly comparable to
 * what the server prints. Binary is PostgreSQL's base-10000 form: ndigits, weight, sign, dscale,
 * then the digits, all 16-bit big-endian.
 */
import type { TypeCodec } from './codec.js';
import { TypeInputError, badBinary, invalidSyntax } from './errors.js';
import { isPgSpace, readInt16, readUint16, writeInt16 } from './binary.js';
import { Oid } from './oids.js';

/** Most digits before the decimal point (NUMERIC_WEIGHT_MAX + 1 base-10000 digits). */
const MAX_INT_DIGITS = 131072;
/** NUMERIC_DSCALE_MAX. */
const MAX_DSCALE = 16383;

const SIGN_POS = 0x0000;
const SIGN_NEG = 0x4000;
const SIGN_NAN = 0xc000;
const SIGN_PINF = 0xd000;
const SIGN_NINF = 0xf000;

function overflow(): TypeInputError {
  return new TypeInputError('22003', 'value overflows numeric format');
}

/** Is `s` already canonical (PostgreSQL's own output)? Checked without allocating. */
function isCanonical(s: string): boolean {
  const len = s.length;
  let i = 0;
  if (s.charCodeAt(0) === 45) i = 1;
  const intStart = i;
  let allZero = true;
  let c = s.charCodeAt(i);
  while (c >= 48 && c <= 57) {
    if (c !== 48) allZero = false;
    c = s.charCodeAt(++i);
  }
  const intLen = i - intStart;
  if (intLen === 0) return false;
  // No leading zeros, except a single 0 before the point.
  if (intLen > 1 && s.charCodeAt(intStart) === 48) return false;
  if (intLen > MAX_INT_DIGITS) return false;
  if (i < len) {
    if (c !== 46 || i === len - 1) return false;
    const fracStart = ++i;
    for (; i < len; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) return false;
      if (c !== 48) allZero = false;
    }
    if (len - fracStart > MAX_DSCALE) return false;
  }
  // Negative zero is printed without its sign.
  return !(allZero && intStart === 1);
}

/**
 * numeric_in: optional whitespace, sign, digits with an optional point, optional exponent;
 * NaN / Infinity / inf. Returns the canonical text.
 */
export function parseNumeric(text: string): string {
  if (isCanonical(text)) return text;
  let start = 0;
  let end = text.length;
  while (start < end && isPgSpace(text.charCodeAt(start))) start++;
  while (end > start && isPgSpace(text.charCodeAt(end - 1))) end--;
  const body = text.slice(start, end);
  const lower = body.toLowerCase();
  if (lower === 'nan') return 'NaN';
  if (lower === 'infinity' || lower === '+infinity' || lower === 'inf' || lower === '+inf')
    return 'Infinity';
  if (lower === '-infinity' || lower === '-inf') return '-Infinity';
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(body);
  if (!m) throw invalidSyntax('numeric', text);
  const intDigits = m[2] ?? '';
  const fracDigits = m[3] ?? '';
  if (intDigits.length === 0 && fracDigits.length === 0) throw invalidSyntax('numeric', text);
  const exponentText = m[4];
  let exponent = 0;
  if (exponentText !== undefined) {
    exponent = Number(exponentText);
    // Far beyond any representable scale or weight: PostgreSQL reports overflow too.
    if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 10_000_000) throw overflow();
  }
  const dscale = Math.max(0, fracDigits.length - exponent);
  if (dscale > MAX_DSCALE) throw overflow();
  // All digits, with the decimal point moved by the exponent.
  let digits = intDigits + fracDigits;
  let pointAt = intDigits.length + exponent; // digits before the point
  if (pointAt < 0) {
    digits = '0'.repeat(-pointAt) + digits;
    pointAt = 0;
  } else if (pointAt > digits.length) {
    digits = digits + '0'.repeat(pointAt - digits.length);
  }
  let intPart = digits.slice(0, pointAt).replace(/^0+/, '');
  let frac = digits.slice(pointAt);
  frac = frac.length >= dscale ? frac.slice(0, dscale) : frac + '0'.repeat(dscale - frac.length);
  if (intPart.length > MAX_INT_DIGITS) throw overflow();
  if (intPart === '') intPart = '0';
  const isZero = intPart === '0' && !/[1-9]/.test(frac);
  const sign = m[1] === '-' && !isZero ? '-' : '';
  return sign + intPart + (dscale > 0 ? '.' + frac : '');
}

/** Canonical text of a numeric value given as text (any accepted input form). */
export function normalizeNumeric(value: string): string {
  return parseNumeric(value);
}

/** numeric_send. */
export function numericToBinary(value: string): Uint8Array {
  const s = isCanonical(value) ? value : parseNumeric(value);
  const special =
    s === 'NaN' ? SIGN_NAN : s === 'Infinity' ? SIGN_PINF : s === '-Infinity' ? SIGN_NINF : -1;
  if (special >= 0) {
    const out = new Uint8Array(8);
    writeInt16(out, 4, special);
    // PostgreSQL sends the infinities with a dscale field of 32 (bits of its short header).
    if (special !== SIGN_NAN) writeInt16(out, 6, 0x20);
    return out;
  }
  const negative = s.charCodeAt(0) === 45;
  const bodyStart = negative ? 1 : 0;
  const point = s.indexOf('.');
  const intEnd = point < 0 ? s.length : point;
  const dscale = point < 0 ? 0 : s.length - point - 1;
  // Base-10000 groups: integer digits grouped from the point leftwards, fraction rightwards.
  const intLen = intEnd - bodyStart;
  const intGroups = Math.ceil(intLen / 4);
  const fracGroups = Math.ceil(dscale / 4);
  const groups: number[] = [];
  const first = intLen - (intGroups - 1) * 4; // digits in the leading group
  let pos = bodyStart;
  for (let g = 0; g < intGroups; g++) {
    const take = g === 0 ? first : 4;
    let v = 0;
    for (let k = 0; k < take; k++) v = v * 10 + (s.charCodeAt(pos++) - 48);
    groups.push(v);
  }
  pos = point + 1;
  for (let g = 0; g < fracGroups; g++) {
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const idx = pos + g * 4 + k;
      v = v * 10 + (idx < s.length ? s.charCodeAt(idx) - 48 : 0);
    }
    groups.push(v);
  }
  // Strip leading and trailing zero groups as PostgreSQL does.
  let lead = 0;
  while (lead < groups.length && groups[lead] === 0) lead++;
  let trail = groups.length;
  while (trail > lead && groups[trail - 1] === 0) trail--;
  const ndigits = trail - lead;
  const weight = ndigits === 0 ? 0 : intGroups - 1 - lead;
  const out = new Uint8Array(8 + ndigits * 2);
  writeInt16(out, 0, ndigits);
  writeInt16(out, 2, weight);
  writeInt16(out, 4, ndigits === 0 || !negative ? SIGN_POS : SIGN_NEG);
  writeInt16(out, 6, dscale);
  for (let i = 0; i < ndigits; i++) writeInt16(out, 8 + i * 2, groups[lead + i]!);
  return out;
}

/** numeric_recv: digits beyond dscale are truncated, as PostgreSQL does. */
export function numericFromBinary(bytes: Uint8Array): string {
  if (bytes.length < 8) throw badBinary('insufficient data left in message');
  const ndigits = readUint16(bytes, 0);
  const weight = readInt16(bytes, 2);
  const sign = readUint16(bytes, 4);
  const dscale = readUint16(bytes, 6);
  if (bytes.length !== 8 + ndigits * 2) throw badBinary();
  if (sign === SIGN_NAN) return 'NaN';
  if (sign === SIGN_PINF) return 'Infinity';
  if (sign === SIGN_NINF) return '-Infinity';
  if (sign !== SIGN_POS && sign !== SIGN_NEG)
    throw badBinary('invalid sign in external "numeric" value');
  if (dscale > MAX_DSCALE) throw badBinary('invalid scale in external "numeric" value');
  let intPart = '';
  let frac = '';
  for (let i = 0; i < ndigits; i++) {
    const d = readUint16(bytes, 8 + i * 2);
    if (d >= 10000) throw badBinary('invalid digit in external "numeric" value');
    const group = weight - i; // power of 10000 of this digit
    const text = d.toString().padStart(4, '0');
    if (group >= 0) intPart += text;
    else frac += text;
  }
  // Zero groups between the last digit and the point, or the point and the first digit.
  if (weight >= 0) {
    const intGroupsPresent = Math.min(ndigits, weight + 1);
    intPart += '0000'.repeat(weight + 1 - intGroupsPresent);
  }
  if (weight < -1 && ndigits > 0) frac = '0000'.repeat(-weight - 1) + frac;
  intPart = intPart.replace(/^0+/, '') || '0';
  frac = frac.length >= dscale ? frac.slice(0, dscale) : frac + '0'.repeat(dscale - frac.length);
  const isZero = intPart === '0' && !/[1-9]/.test(frac);
  return (sign === SIGN_NEG && !isZero ? '-' : '') + intPart + (dscale > 0 ? '.' + frac : '');
}

/** Orders canonical numeric texts: -Infinity < finite values < Infinity < NaN, as PostgreSQL does. */
export function compareNumeric(a: string, b: string): number {
  const rank = (s: string): number =>
    s === 'NaN' ? 3 : s === 'Infinity' ? 2 : s === '-Infinity' ? 0 : 1;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb || ra !== 1) return ra - rb;
  const na = a.charCodeAt(0) === 45;
  const nb = b.charCodeAt(0) === 45;
  if (na !== nb) return na ? -1 : 1;
  const abs = (s: string): [string, string] => {
    const body = s.charCodeAt(0) === 45 ? s.slice(1) : s;
    const p = body.indexOf('.');
    return p < 0 ? [body, ''] : [body.slice(0, p), body.slice(p + 1)];
  };
  const [ia, fa] = abs(a);
  const [ib, fb] = abs(b);
  let c = ia.length !== ib.length ? ia.length - ib.length : ia < ib ? -1 : ia > ib ? 1 : 0;
  if (c === 0) {
    const w = Math.max(fa.length, fb.length);
    const pa = fa.padEnd(w, '0');
    const pb = fb.padEnd(w, '0');
    c = pa < pb ? -1 : pa > pb ? 1 : 0;
  }
  return na ? -c : c;
}

export const numericCodec: TypeCodec<string> = {
  oid: Oid.numeric,
  name: 'numeric',
  arrayOid: Oid._numeric,
  fromText: parseNumeric,
  toText: (v) => (isCanonical(v) ? v : parseNumeric(v)),
  fromBinary: numericFromBinary,
  toBinary: numericToBinary,
};
