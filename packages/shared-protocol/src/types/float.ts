/**
 * real (float4) and double precision (float8): PostgreSQL 12+'s text output (the shortest decimal
 * that reads back to the same value, in printf %g layout, or %.Ng when extra_float_digits < 1),
 * strtod/strtof-compatible input with PostgreSQL's range errors, IEEE 754 big-endian binary.
 */
import type { TypeCodec } from './codec.js';
import type { TypeSettings } from './settings.js';
import { TypeInputError, invalidSyntax } from './errors.js';
import { expectLength, isPgSpace } from './binary.js';
import { Oid } from './oids.js';

/** Exponent digits padded to at least two, as printf does: e+20, e-05, e+300. */
function expSuffix(exp: number): string {
  const a = exp < 0 ? -exp : exp;
  return (exp < 0 ? 'e-' : 'e+') + (a < 10 ? '0' + a : String(a));
}

/**
 * Lays out the shortest digits `digits` (no dot, no leading zeros) with decimal exponent `exp`
 * (value = d.ddd × 10^exp) the way PostgreSQL's float output does: fixed notation when
 * -4 <= exp < threshold (15 for float8, 6 for float4), else d.ddde±XX.
 */
function layout(negative: boolean, digits: string, exp: number, threshold: number): string {
  const sign = negative ? '-' : '';
  if (exp < -4 || exp >= threshold) {
    const mantissa = digits.length === 1 ? digits : digits[0] + '.' + digits.slice(1);
    return sign + mantissa + expSuffix(exp);
  }
  if (exp < 0) return sign + '0.' + '0'.repeat(-exp - 1) + digits;
  if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length);
  return sign + digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
}

/** Splits JS's shortest round-trip exponential form ("1.2345e-7") into digits and exponent. */
function shortestDigits(abs: number): [string, number] {
  const s = abs.toExponential();
  const e = s.indexOf('e');
  const mantissa = s.slice(0, e);
  const digits = mantissa.length > 1 ? mantissa[0] + mantissa.slice(2) : mantissa;
  return [digits, Number(s.slice(e + 1))];
}

function nonFinite(v: number): string | undefined {
  if (v !== v) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return undefined;
}

/**
 * printf("%.*g", precision, v) for a finite v. JS rounds exact ties away from zero where glibc
 * rounds them to even, so ties (the exact value ends in 5 right after the last kept digit) are
 * detected on a longer exact expansion and settled by hand.
 */
function formatG(v: number, precision: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const negative = v < 0;
  const abs = negative ? -v : v;
  let s = abs.toExponential(precision - 1);
  const longer = abs.toExponential(Math.min(100, precision + 25));
  const e0 = longer.indexOf('e');
  const longDigits = longer.slice(0, e0).replace('.', '');
  if (longDigits.charCodeAt(precision) === 53 && /^0*$/.test(longDigits.slice(precision + 1))) {
    // An exact tie: keep the truncated digits if the last one is even, else round up.
    const kept = longDigits.slice(0, precision);
    const lastOdd = (kept.charCodeAt(kept.length - 1) - 48) % 2 === 1;
    const exp0 = Number(longer.slice(e0 + 1));
    let n = BigInt(kept) + (lastOdd ? 1n : 0n);
    let exp = exp0;
    if (n.toString().length > precision) {
      n /= 10n;
      exp++;
    }
    const d = n.toString();
    s = (d.length > 1 ? d[0] + '.' + d.slice(1) : d) + 'e' + (exp < 0 ? '-' : '+') + Math.abs(exp);
  }
  const e = s.indexOf('e');
  let digits = s.slice(0, e).replace('.', '');
  const exp = Number(s.slice(e + 1));
  // %g drops trailing zeros.
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
  digits = digits.slice(0, end);
  return layout(negative, digits, exp, precision);
}

/** float8out under extra_float_digits (default 1 = shortest exact). */
export function formatFloat8(v: number, extraFloatDigits = 1): string {
  const special = nonFinite(v);
  if (special !== undefined) return special;
  if (extraFloatDigits > 0) {
    if (v === 0) return Object.is(v, -0) ? '-0' : '0';
    const abs = v < 0 ? -v : v;
    // JS's shortest form is already PostgreSQL's in the fixed-notation range.
    if (abs >= 1e-4 && abs < 1e15) return String(v);
    let [digits, exp] = shortestDigits(abs);
    // Only here can the shortest decimal sit exactly on a rounding boundary (see float64Exclusive).
    if (abs >= 4503599627370496 && abs < 1e40) [digits, exp] = float64Exclusive(abs, digits, exp);
    return layout(v < 0, digits, exp, 15);
  }
  return formatG(v, Math.max(1, 15 + extraFloatDigits));
}

/** float4out under extra_float_digits; `v` must be a float32 value (Math.fround'ed). */
export function formatFloat4(v: number, extraFloatDigits = 1): string {
  const special = nonFinite(v);
  if (special !== undefined) return special;
  if (extraFloatDigits > 0) {
    if (v === 0) return Object.is(v, -0) ? '-0' : '0';
    const abs = v < 0 ? -v : v;
    const [digits, exp] = shortestFloat32Digits(abs);
    return layout(v < 0, digits, exp, 6);
  }
  return formatG(v, Math.max(1, 6 + extraFloatDigits));
}

/* ---------------------------------------------------------------------------------------------- */
/* Shortest digits of a float32                                                                   */
/* ---------------------------------------------------------------------------------------------- */

/** Exact value of a finite positive double as mantissa × 2^exp (mantissa a bigint). */
function decompose(v: number): [bigint, number] {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, v);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mantissa |= 1n << 52n;
    exp = biased - 1075;
  }
  return [mantissa, exp];
}

/** Compares the exact rational values n1/d1 and n2/d2 (positive denominators). */
function cmpRational(n1: bigint, d1: bigint, n2: bigint, d2: bigint): number {
  const a = n1 * d2;
  const b = n2 * d1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rational of a finite positive double. */
function rationalOf(v: number): [bigint, bigint] {
  const [m, e] = decompose(v);
  return e >= 0 ? [m << BigInt(e), 1n] : [m, 1n << BigInt(-e)];
}

/** Rational of decimal digits × 10^(exp - digits.length + 1). */
function rationalOfDecimal(digits: string, exp: number): [bigint, bigint] {
  const scale = exp - digits.length + 1;
  const n = BigInt(digits);
  return scale >= 0 ? [n * 10n ** BigInt(scale), 1n] : [n, 10n ** BigInt(-scale)];
}

function float32Neighbour(f: number, up: boolean): number {
  const buf = new DataView(new ArrayBuffer(4));
  buf.setFloat32(0, f);
  let bits = buf.getUint32(0);
  // Positive values only: the next float32 up is bits + 1.
  bits = up ? bits + 1 : bits - 1;
  buf.setUint32(0, bits);
  return buf.getFloat32(0);
}

/**
 * Does decimal `digits`×10^… lie strictly inside float32 `f`'s rounding interval (half an ulp on
 * each side)? PostgreSQL's float4 output never picks a decimal sitting exactly on the boundary,
 * even where round-half-even would read it back as f.
 */
function roundsToFloat32(digits: string, exp: number, f: number): boolean {
  const [dn, dd] = rationalOfDecimal(digits, exp);
  const [fn, fd] = rationalOf(f);
  const below = float32Neighbour(f, false);
  const above = float32Neighbour(f, true);
  // Past FLT_MAX the next step is 2^128: that is where rounding to infinity starts.
  const [bn, bd] = rationalOf(below);
  const [an, ad] = above === Infinity ? [1n << 128n, 1n] : rationalOf(above);
  if (cmpRational(dn, dd, fn * bd + bn * fd, 2n * fd * bd) <= 0) return false;
  return cmpRational(dn, dd, fn * ad + an * fd, 2n * fd * ad) < 0;
}

function float64Neighbour(f: number, up: boolean): number {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, f);
  const bits = buf.getBigUint64(0);
  buf.setBigUint64(0, up ? bits + 1n : bits - 1n);
  return buf.getFloat64(0);
}

/** Is the decimal strictly inside f64 `f`'s rounding interval? */
function insideFloat64(digits: string, exp: number, f: number): boolean {
  const [dn, dd] = rationalOfDecimal(digits, exp);
  const [fn, fd] = rationalOf(f);
  const below = float64Neighbour(f, false);
  const above = float64Neighbour(f, true);
  const [bn, bd] = rationalOf(below);
  const [an, ad] = above === Infinity ? [1n << 1024n, 1n] : rationalOf(above);
  if (cmpRational(dn, dd, fn * bd + bn * fd, 2n * fd * bd) <= 0) return false;
  return cmpRational(dn, dd, fn * ad + an * fd, 2n * fd * ad) < 0;
}

const scratch = new DataView(new ArrayBuffer(8));

/** Count of trailing zero bits of a positive safe integer. */
function trailingZeroBits(n: number): number {
  let v = 0;
  while (n % 2 === 0) {
    n /= 2;
    v++;
  }
  return v;
}

/**
 * Cheap necessary condition for the decimal digits×10^k to be a midpoint next to `abs` (≥ 2^52):
 * every such midpoint is an odd multiple of 2^(E-1) or 2^(E-2), where abs = M×2^E, so the
 * decimal's power of two must match. Rules out almost every value without BigInt arithmetic.
 */
function mayBeMidpoint(abs: number, digits: string, exp: number): boolean {
  scratch.setFloat64(0, abs);
  const e = ((scratch.getUint32(0) >>> 20) & 0x7ff) - 1075;
  const k = exp - digits.length + 1;
  // v2(D): from the last 8 digits when that settles it (10^8 holds 2^8), else exactly.
  const low = Number(digits.slice(-8));
  let v2 = low !== 0 ? trailingZeroBits(low) : 8;
  if (v2 >= 8) {
    let d = BigInt(digits);
    v2 = 0;
    while ((d & 1n) === 0n) {
      d >>= 1n;
      v2++;
    }
  }
  const v = v2 + k;
  return v === e - 1 || v === e - 2;
}

/**
 * PostgreSQL's shortest output (Ryu) never uses a decimal lying exactly on the boundary between
 * two doubles; JS's may. Between 2^52 and 1e40 such short boundary decimals exist, so there the
 * JS digits are checked and, if on a boundary, replaced by the shortest strictly-inside ones.
 */
function float64Exclusive(abs: number, digits: string, exp: number): [string, number] {
  if (!mayBeMidpoint(abs, digits, exp)) return [digits, exp];
  if (insideFloat64(digits, exp, abs)) return [digits, exp];
  return shortestInside(abs, digits.length, 17, insideFloat64) ?? [digits, exp];
}

/**
 * The shortest decimal (from `minDigits` digits up) strictly inside the rounding interval of
 * `abs`, preferring at each length the correctly rounded one, then its neighbour on the other side.
 */
function shortestInside(
  abs: number,
  minDigits: number,
  maxDigits: number,
  inside: (digits: string, exp: number, f: number) => boolean,
): [string, number] | undefined {
  for (let p = minDigits; p <= maxDigits; p++) {
    const s = abs.toExponential(p - 1);
    const e = s.indexOf('e');
    const digits = s.slice(0, e).replace('.', '');
    const exp = Number(s.slice(e + 1));
    const [rn, rd] = rationalOfDecimal(digits, exp);
    const [fn, fd] = rationalOf(abs);
    const up = cmpRational(rn, rd, fn, fd) < 0;
    if (inside(digits, exp, abs)) {
      // toExponential breaks an exact tie upwards; Ryu prefers the even digit.
      const lower = BigInt(digits) - 1n;
      const lowerDigits = lower.toString();
      if (
        !up &&
        (digits.charCodeAt(digits.length - 1) - 48) % 2 === 1 &&
        lowerDigits.length === p &&
        // Same length and exponent, so both share the denominator rd: a tie is 2x = hi + lo.
        cmpRational(2n * fn, fd, rn + rationalOfDecimal(lowerDigits, exp)[0], rd) === 0 &&
        inside(lowerDigits, exp, abs)
      ) {
        return [trimZeros(lowerDigits), exp];
      }
      return [trimZeros(digits), exp];
    }
    let n = BigInt(digits) + (up ? 1n : -1n);
    let nexp = exp;
    let nd = n.toString();
    if (nd.length > p) {
      n /= 10n;
      nexp++;
      nd = n.toString();
    } else if (nd.length < p && n > 0n) {
      nd = (n * 10n + 9n).toString();
      nexp--;
    }
    if (n > 0n && inside(nd, nexp, abs)) return [trimZeros(nd), nexp];
  }
  return undefined;
}

const float32Cache = new Map<number, [string, number]>();

/** Shortest decimal digits (and exponent) strictly inside float32 `abs`'s rounding interval. */
function shortestFloat32Digits(abs: number): [string, number] {
  const cached = float32Cache.get(abs);
  if (cached) return cached;
  const result = shortestInside(abs, 1, 9, roundsToFloat32) ?? shortestDigits(abs);
  if (float32Cache.size > 4096) float32Cache.clear();
  float32Cache.set(abs, result);
  return result;
}

function trimZeros(digits: string): string {
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
  return digits.slice(0, end);
}

/* ---------------------------------------------------------------------------------------------- */
/* Input                                                                                          */
/* ---------------------------------------------------------------------------------------------- */

const SPECIALS: Record<string, number> = {
  nan: NaN,
  '+nan': NaN,
  '-nan': NaN,
  inf: Infinity,
  '+inf': Infinity,
  infinity: Infinity,
  '+infinity': Infinity,
  '-inf': -Infinity,
  '-infinity': -Infinity,
};

/**
 * Checks the strtod decimal syntax [+-](digits[.digits]|.digits)[e[+-]digits] and returns the
 * trimmed number text, a special value, or undefined when the input is not a number at all.
 * `nonZero` reports whether any mantissa digit is non-zero (to tell underflow from a real 0).
 */
function scanFloat(text: string): { num: string; nonZero: boolean } | number | undefined {
  let start = 0;
  let end = text.length;
  while (start < end && isPgSpace(text.charCodeAt(start))) start++;
  while (end > start && isPgSpace(text.charCodeAt(end - 1))) end--;
  let i = start;
  let c = text.charCodeAt(i);
  if (c === 43 || c === 45) c = text.charCodeAt(++i);
  let digits = 0;
  let nonZero = false;
  while (c >= 48 && c <= 57) {
    if (c !== 48) nonZero = true;
    digits++;
    c = text.charCodeAt(++i);
  }
  if (c === 46) {
    c = text.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      if (c !== 48) nonZero = true;
      digits++;
      c = text.charCodeAt(++i);
    }
  }
  if (digits === 0) {
    const word = text.slice(start, end).toLowerCase();
    const special = SPECIALS[word];
    return special ?? hexFloat(word);
  }
  if (digits === 1 && (c === 120 || c === 88) && text.charCodeAt(i - 1) === 48) {
    return hexFloat(text.slice(start, end).toLowerCase());
  }
  if (c === 101 || c === 69) {
    let j = i + 1;
    let d = text.charCodeAt(j);
    if (d === 43 || d === 45) d = text.charCodeAt(++j);
    const expStart = j;
    while (d >= 48 && d <= 57) d = text.charCodeAt(++j);
    // strtod stops before a bare "e": the leftover then makes the input invalid.
    if (j > expStart) i = j;
  }
  if (i !== end) return undefined;
  return { num: text.slice(start, end), nonZero };
}

/**
 * C99 hexadecimal floating input that strtod accepts ('0x1.8p3'): the hex digits as an integer,
 * scaled by a power of two. Returns undefined when the text is not that form.
 */
function hexFloat(word: string): number | undefined {
  const m = /^([+-]?)0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/.exec(word);
  if (!m || (m[2] === '' && !m[3])) return undefined;
  const frac = m[3] ?? '';
  const mantissa = BigInt('0x' + (m[2]! + frac || '0'));
  const exp = Number(m[4] ?? '0') - 4 * frac.length;
  let v = Number(mantissa);
  // Scale in steps so intermediate powers of two stay finite.
  let e = exp;
  while (e > 0) {
    const step = Math.min(e, 1000);
    v *= 2 ** step;
    e -= step;
  }
  while (e < 0) {
    const step = Math.max(e, -1000);
    v *= 2 ** step;
    e -= step;
  }
  return m[1] === '-' ? -v : v;
}

/** float8in. */
export function parseFloat8(text: string): number {
  const scanned = scanFloat(text);
  if (scanned === undefined) throw invalidSyntax('double precision', text);
  if (typeof scanned === 'number') return scanned;
  const v = Number(scanned.num);
  if (v === Infinity || v === -Infinity || (v === 0 && scanned.nonZero)) {
    throw new TypeInputError('22003', `"${text}" is out of range for type double precision`);
  }
  return v;
}

/** Compares a decimal string (strtod syntax, finite) with a double exactly. */
function compareDecimalWithDouble(num: string, d: number): number {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(num);
  if (!m) return 0;
  const negative = m[1] === '-';
  const intPart = m[2] ?? '';
  const frac = m[3] ?? '';
  const exp = Number(m[4] ?? '0') - frac.length;
  let n = BigInt((intPart + frac).replace(/^0+/, '') || '0');
  let den = 1n;
  if (exp >= 0) n *= 10n ** BigInt(exp);
  else den = 10n ** BigInt(-exp);
  if (negative) n = -n;
  const ad = Math.abs(d);
  const [dn0, dd] = ad === 0 ? [0n, 1n] : rationalOf(ad);
  const dn = d < 0 ? -dn0 : dn0;
  return cmpRational(n, den, dn, dd);
}

/**
 * strtof: rounds the decimal straight to float32. Going through a double first can round twice;
 * that only matters when the double lands exactly halfway between two float32 values, which is
 * then settled by an exact comparison.
 */
function decimalToFloat32(num: string): number {
  const d = Number(num);
  const f = Math.fround(d);
  if (f === d || d !== d) return f;
  const ad = Math.abs(d);
  const af = Math.abs(f);
  // The float32 on the other side of d.
  let other: number;
  if (af === Infinity) other = 3.4028234663852886e38;
  else if (af > ad) other = af === 0 ? 0 : float32Neighbour(af, false);
  else other = float32Neighbour(af, true);
  const otherFinite = other === Infinity ? 2 ** 128 : other;
  const aboveF = af === Infinity ? 2 ** 128 : af;
  if ((aboveF + otherFinite) / 2 !== ad) return f;
  const cmp = compareDecimalWithDouble(num.replace(/^[+-]/, ''), ad);
  if (cmp === 0) return f;
  const lo = Math.min(aboveF, otherFinite);
  const hi = Math.max(aboveF, otherFinite);
  let pick = cmp < 0 ? lo : hi;
  if (pick === 2 ** 128) pick = Infinity;
  return d < 0 ? -pick : pick;
}

/** float4in. */
export function parseFloat4(text: string): number {
  const scanned = scanFloat(text);
  if (scanned === undefined) throw invalidSyntax('real', text);
  if (typeof scanned === 'number') return scanned;
  const v = decimalToFloat32(scanned.num);
  if (v === Infinity || v === -Infinity || (v === 0 && scanned.nonZero)) {
    throw new TypeInputError('22003', `"${text}" is out of range for type real`);
  }
  return v;
}

export const float8Codec: TypeCodec<number> = {
  oid: Oid.float8,
  name: 'float8',
  arrayOid: Oid._float8,
  fromText: parseFloat8,
  toText: (v: number, settings?: TypeSettings) => formatFloat8(v, settings?.extraFloatDigits ?? 1),
  fromBinary(bytes) {
    expectLength(bytes, 8);
    return new DataView(bytes.buffer, bytes.byteOffset, 8).getFloat64(0);
  },
  toBinary(v) {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setFloat64(0, v);
    return out;
  },
};

export const float4Codec: TypeCodec<number> = {
  oid: Oid.float4,
  name: 'float4',
  arrayOid: Oid._float4,
  fromText: parseFloat4,
  toText: (v: number, settings?: TypeSettings) =>
    formatFloat4(Math.fround(v), settings?.extraFloatDigits ?? 1),
  fromBinary(bytes) {
    expectLength(bytes, 4);
    return new DataView(bytes.buffer, bytes.byteOffset, 4).getFloat32(0);
  },
  toBinary(v) {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setFloat32(0, v);
    return out;
  },
};
