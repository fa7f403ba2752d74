/**
 * numeric: arbitrary-precision decimals. Values travel through the engine (and into storage) as
 * canonical decimal strings that keep their display scale ('1.50', '-3', 'NaN'), because storage keys
 * accept that form and it round-trips exactly; arithmetic works on a bigint mantissa and a scale,
 * with PostgreSQL's rules for result scales (notably select_div_scale for division).
 */
import { PgError } from '../errors.js';

export interface Decimal {
  /** Unscaled value (sign included). */
  m: bigint;
  /** Digits after the decimal point (PostgreSQL's dscale), >= 0. */
  s: number;
}

const NUMERIC_MIN_SIG_DIGITS = 16;
const NUMERIC_MAX_DISPLAY_SCALE = 1000;

const pow10Cache: bigint[] = [];
function pow10(n: number): bigint {
  let v = pow10Cache[n];
  if (v === undefined) {
    v = 10n ** BigInt(n);
    if (n < 64) pow10Cache[n] = v;
  }
  return v;
}

export function isNaNText(v: string): boolean {
  return v === 'NaN';
}

/** Parses numeric input text (PostgreSQL's numeric_in) into canonical form. */
export function numericIn(text: string): string {
  const t = text.trim();
  const lower = t.toLowerCase();
  if (lower === 'nan') return 'NaN';
  if (lower === 'infinity' || lower === '+infinity' || lower === 'inf' || lower === '+inf')
    return 'Infinity';
  if (lower === '-infinity' || lower === '-inf') return '-Infinity';
  const m = /^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(t);
  if (!m || ((m[2] ?? '') === '' && (m[3] ?? '') === '')) {
    throw new PgError('22P02', `invalid input syntax for type numeric: "${text}"`);
  }
  const intPart = m[2] ?? '';
  const frac = m[3] ?? '';
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  let mant = BigInt((intPart || '0') + frac);
  let scale = frac.length - exp;
  if (scale < 0) {
    mant *= pow10(-scale);
    scale = 0;
  }
  if (m[1] === '-') mant = -mant;
  return toText({ m: mant, s: scale });
}

export function parse(v: string): Decimal {
  const neg = v.startsWith('-');
  const body = neg || v.startsWith('+') ? v.slice(1) : v;
  const dot = body.indexOf('.');
  const digits = dot < 0 ? body : body.slice(0, dot) + body.slice(dot + 1);
  const m = BigInt(digits);
  return { m: neg ? -m : m, s: dot < 0 ? 0 : body.length - dot - 1 };
}

export function toText(d: Decimal): string {
  const neg = d.m < 0n;
  let digits = (neg ? -d.m : d.m).toString();
  if (d.s > 0) {
    if (digits.length <= d.s) digits = '0'.repeat(d.s - digits.length + 1) + digits;
    digits = digits.slice(0, digits.length - d.s) + '.' + digits.slice(digits.length - d.s);
  }
  return (neg ? '-' : '') + digits;
}

function special(v: string): boolean {
  return v === 'NaN' || v === 'Infinity' || v === '-Infinity';
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  if (a.s === b.s) return [a.m, b.m, a.s];
  if (a.s > b.s) return [a.m, b.m * pow10(a.s - b.s), a.s];
  return [a.m * pow10(b.s - a.s), b.m, b.s];
}

/** Rounds half away from zero to `scale` digits. */
export function roundTo(d: Decimal, scale: number): Decimal {
  if (scale >= d.s) return { m: d.m * pow10(scale - d.s), s: scale };
  const div = pow10(d.s - scale);
  const neg = d.m < 0n;
  const abs = neg ? -d.m : d.m;
  let q = abs / div;
  if ((abs % div) * 2n >= div) q += 1n;
  return { m: neg ? -q : q, s: scale };
}

function specialArith(a: string, b: string, op: string): string {
  if (a === 'NaN' || b === 'NaN') return 'NaN';
  const fa = a === 'Infinity' ? Infinity : a === '-Infinity' ? -Infinity : Number(a);
  const fb = b === 'Infinity' ? Infinity : b === '-Infinity' ? -Infinity : Number(b);
  let r: number;
  switch (op) {
    case '+':
      r = fa + fb;
      break;
    case '-':
      r = fa - fb;
      break;
    case '*':
      r = fa * fb;
      break;
    default:
      r = fa / fb;
  }
  if (Number.isNaN(r)) return 'NaN';
  if (r === Infinity) return 'Infinity';
  if (r === -Infinity) return '-Infinity';
  return '0';
}

export function add(a: string, b: string): string {
  if (special(a) || special(b)) return specialArith(a, b, '+');
  const [x, y, s] = align(parse(a), parse(b));
  return toText({ m: x + y, s });
}

export function sub(a: string, b: string): string {
  if (special(a) || special(b)) return specialArith(a, b, '-');
  const [x, y, s] = align(parse(a), parse(b));
  return toText({ m: x - y, s });
}

export function mul(a: string, b: string): string {
  if (special(a) || special(b)) return specialArith(a, b, '*');
  const x = parse(a);
  const y = parse(b);
  return toText({ m: x.m * y.m, s: Math.min(x.s + y.s, NUMERIC_MAX_DISPLAY_SCALE) });
}

/** Weight and first digit in PostgreSQL's base-10000 representation (for select_div_scale). */
function baseWeight(d: Decimal): { weight: number; first: number } {
  const abs = (d.m < 0n ? -d.m : d.m).toString();
  if (abs === '0') return { weight: 0, first: 0 };
  const exp10 = abs.length - 1 - d.s; // position of the most significant decimal digit
  const weight = Math.floor(exp10 / 4);
  const groupDigits = exp10 - weight * 4 + 1; // digits of the leading base-10000 group
  const first = Number(abs.slice(0, groupDigits).padEnd(groupDigits, '0'));
  return { weight, first };
}

export function divScale(a: Decimal, b: Decimal): number {
  const wa = baseWeight(a);
  const wb = baseWeight(b);
  let qweight = wa.weight - wb.weight;
  if (wa.first <= wb.first) qweight--;
  let rscale = NUMERIC_MIN_SIG_DIGITS - qweight * 4;
  rscale = Math.max(rscale, a.s, b.s, 0);
  return Math.min(rscale, NUMERIC_MAX_DISPLAY_SCALE);
}

export function div(a: string, b: string): string {
  if (b === '0' || /^-?0(\.0*)?$/.test(b)) {
    if (a !== 'NaN') throw new PgError('22012', 'division by zero');
  }
  if (special(a) || special(b)) return specialArith(a, b, '/');
  const x = parse(a);
  const y = parse(b);
  const rscale = divScale(x, y);
  return toText(divideRounded(x, y, rscale));
}

function divideRounded(x: Decimal, y: Decimal, rscale: number): Decimal {
  // x/y = (x.m / 10^x.s) / (y.m / 10^y.s); scale the numerator to get rscale+1 digits, then round.
  const shift = rscale + 1 + y.s - x.s;
  let num = x.m;
  let den = y.m;
  if (shift >= 0) num *= pow10(shift);
  else den *= pow10(-shift);
  const q = num / den; // truncated toward zero, with one extra digit
  return roundTo({ m: q, s: rscale + 1 }, rscale);
}

/** Integer-valued division with a fixed result scale (used by avg and the like). */
export function divWithScale(a: string, b: string, scale: number): string {
  return toText(divideRounded(parse(a), parse(b), scale));
}

export function mod(a: string, b: string): string {
  if (/^-?0(\.0*)?$/.test(b)) throw new PgError('22012', 'division by zero');
  if (special(a) || special(b)) return 'NaN';
  const [x, y, s] = align(parse(a), parse(b));
  return toText({ m: x % y, s });
}

export function neg(a: string): string {
  if (a === 'NaN') return a;
  if (a === 'Infinity') return '-Infinity';
  if (a === '-Infinity') return 'Infinity';
  if (a.startsWith('-')) return a.slice(1);
  return /^0(\.0*)?$/.test(a) ? a : '-' + a;
}

export function abs(a: string): string {
  return a.startsWith('-') ? a.slice(1) : a;
}

/** Sort order as PostgreSQL: NaN above everything, then +Infinity. */
export function compare(a: string, b: string): number {
  const rank = (v: string): number =>
    v === 'NaN' ? 3 : v === 'Infinity' ? 2 : v === '-Infinity' ? 0 : 1;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== 1 || rb !== 1) return ra - rb;
  const [x, y] = align(parse(a), parse(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Applies a numeric(precision, scale) typmod (PostgreSQL's apply_typmod). */
export function applyTypmod(v: string, typmod: number): string {
  if (typmod < 4 || special(v)) {
    if (typmod >= 4 && special(v) && v !== 'NaN') {
      const precision = ((typmod - 4) >> 16) & 0xffff;
      const scale = (((typmod - 4) & 0x7ff) ^ 1024) - 1024;
      throw new PgError('22003', 'numeric field overflow', {
        detail: `A field with precision ${precision}, scale ${scale} cannot hold an infinite value.`,
      });
    }
    return v;
  }
  const precision = ((typmod - 4) >> 16) & 0xffff;
  const scale = (((typmod - 4) & 0x7ff) ^ 1024) - 1024;
  const r = roundTo(parse(v), Math.max(scale, 0));
  const abs = r.m < 0n ? -r.m : r.m;
  const intDigits = abs === 0n ? 0 : abs.toString().length - r.s;
  if (intDigits > precision - scale) {
    throw new PgError('22003', 'numeric field overflow', {
      detail: `A field with precision ${precision}, scale ${scale} must round to an absolute value less than ${precision - scale === 0 ? '1' : `10^${precision - scale}`}.`,
    });
  }
  return toText(r);
}

export function fromInteger(v: number | bigint): string {
  return typeof v === 'bigint' ? v.toString() : String(Math.trunc(v));
}

/** float → numeric as PostgreSQL does it (through the float's 15/6-significant-digit text). */
export function fromFloat(v: number, digits: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return numericIn(v.toPrecision(digits));
}

export function toNumber(v: string): number {
  return Number(v);
}

/** Rounds to an integer (half away from zero) and returns it as a bigint, for numeric → int casts. */
export function toBigInt(v: string): bigint {
  if (special(v)) throw new PgError('0A000', `cannot convert ${v} to integer`);
  return roundTo(parse(v), 0).m;
}

/** round(numeric, scale) */
export function round(v: string, scale: number): string {
  if (special(v)) return v;
  const d = roundTo(parse(v), Math.max(scale, 0));
  if (scale >= 0) return toText(d);
  const div = pow10(-scale);
  const neg = d.m < 0n;
  const a = neg ? -d.m : d.m;
  let q = a / div;
  if ((a % div) * 2n >= div) q += 1n;
  return toText({ m: (neg ? -q : q) * div, s: 0 });
}
