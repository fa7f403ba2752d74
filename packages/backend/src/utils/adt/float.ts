/**
 * float4 / float8 text I/O as PostgreSQL 15 does it: shortest round-trip digits when
 * extra_float_digits > 0 (the default), otherwise %g with DBL_DIG/FLT_DIG + extra_float_digits.
 */
import { PgError } from '../errors.js';

/** Digits and decimal exponent of a positive finite number's shortest representation. */
function shortestDigits(v: number, isFloat4: boolean): { digits: string; exp: number } {
  let text: string;
  if (isFloat4) {
    // The shortest decimal that rounds back to the same float32.
    text = v.toExponential(8);
    for (let p = 1; p <= 9; p++) {
      const candidate = v.toExponential(p - 1);
      if (Math.fround(Number(candidate)) === v) {
        text = candidate;
        break;
      }
    }
  } else {
    text = v.toExponential();
  }
  const [mant = '0', e = '0'] = text.split('e');
  return { digits: mant.replace('.', ''), exp: Number(e) };
}

function layout(digits: string, exp: number, expThreshold: number, neg: boolean): string {
  let out: string;
  if (exp < -4 || exp >= expThreshold) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    out = `${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  } else if (exp < 0) {
    out = '0.' + '0'.repeat(-exp - 1) + digits;
  } else if (digits.length <= exp + 1) {
    out = digits + '0'.repeat(exp + 1 - digits.length);
  } else {
    out = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  }
  return neg ? '-' + out : out;
}

export function floatOut(v: number, extraFloatDigits: number, isFloat4: boolean): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const neg = v < 0;
  const a = Math.abs(v);
  if (extraFloatDigits > 0) {
    const { digits, exp } = shortestDigits(a, isFloat4);
    return layout(digits.replace(/0+$/, '') || '0', exp, isFloat4 ? 6 : 15, neg);
  }
  const precision = Math.max(1, (isFloat4 ? 6 : 15) + extraFloatDigits);
  const [mant = '0', e = '0'] = a.toExponential(precision - 1).split('e');
  const digits = mant.replace('.', '').replace(/0+$/, '') || '0';
  return layout(digits, Number(e), precision, neg);
}

/** float8in / float4in: PostgreSQL accepts strtod syntax plus NaN/Infinity spellings. */
export function floatIn(text: string, isFloat4: boolean): number {
  const typeName = isFloat4 ? 'real' : 'double precision';
  const t = text.trim();
  const lower = t.toLowerCase();
  let v: number;
  if (lower === 'nan') v = NaN;
  else if (lower === 'infinity' || lower === '+infinity' || lower === 'inf' || lower === '+inf')
    v = Infinity;
  else if (lower === '-infinity' || lower === '-inf') v = -Infinity;
  else if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) {
    v = Number(t);
    if (isFloat4) {
      const f = Math.fround(v);
      if ((!Number.isFinite(f) && Number.isFinite(v)) || (f === 0 && v !== 0)) {
        throw new PgError('22003', `"${text}" is out of range for type real`);
      }
      v = f;
    } else if (!Number.isFinite(v) || (v === 0 && /[1-9]/.test(t.split(/[eE]/)[0] ?? ''))) {
      throw new PgError('22003', `"${text}" is out of range for type double precision`);
    }
  } else {
    throw new PgError('22P02', `invalid input syntax for type ${typeName}: "${text}"`);
  }
  return v;
}

/** Checks a float8 arithmetic result for overflow/underflow as PostgreSQL does. */
export function checkFloat8(result: number, inputsInfinite: boolean, zeroOk: boolean): number {
  if (!Number.isFinite(result) && !Number.isNaN(result) && !inputsInfinite) {
    throw new PgError('22003', 'value out of range: overflow');
  }
  if (result === 0 && !zeroOk) throw new PgError('22003', 'value out of range: underflow');
  return result;
}
