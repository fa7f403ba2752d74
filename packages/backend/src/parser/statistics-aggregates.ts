/**
 * Statistical aggregates: variance/var_samp/var_pop and stddev/stddev_samp/stddev_pop. Integer and
 * numeric inputs are summed exactly and give numeric results at PostgreSQL's scale (its division
 * scale rule, the square root taken at the same scale); float inputs use PostgreSQL's
 * Youngs–Cramer accumulation so results agree to the last bit.
 */
import { T, type Value } from '../utils/adt/types.js';
import * as numeric from '../utils/adt/numeric.js';
import type { BuiltinAggregate } from './functions.js';

type Kind = 'var_samp' | 'var_pop' | 'stddev_samp' | 'stddev_pop';

const names: Array<[string, Kind]> = [
  ['variance', 'var_samp'],
  ['var_samp', 'var_samp'],
  ['var_pop', 'var_pop'],
  ['stddev', 'stddev_samp'],
  ['stddev_samp', 'stddev_samp'],
  ['stddev_pop', 'stddev_pop'],
];

/** The decimal square root of a non-negative numeric, rounded to `scale` digits. */
function numericSqrt(v: string, scale: number): string {
  const d = numeric.parse(v);
  const extra = scale + 1;
  // sqrt(m / 10^s) * 10^extra = sqrt(m * 10^(2·extra − s)).
  const shift = 2 * extra - d.s;
  let x = d.m;
  if (shift >= 0) x *= 10n ** BigInt(shift);
  else x /= 10n ** BigInt(-shift);
  let r = 0n;
  if (x > 0n) {
    r = BigInt(Math.floor(Math.sqrt(Number(x))));
    // Newton steps settle the integer square root exactly.
    for (;;) {
      const next = (r + x / r) >> 1n;
      if (next >= r && next - r <= 1n) {
        r = next * next <= x ? next : next - 1n;
        break;
      }
      r = next;
    }
    while (r * r > x) r -= 1n;
    while ((r + 1n) * (r + 1n) <= x) r += 1n;
  }
  const rounded = (r + 5n) / 10n;
  return numeric.toText({ m: rounded, s: scale });
}

function numericResult(kind: Kind, n: bigint, sum: string, sumSq: string): Value {
  const sample = kind === 'var_samp' || kind === 'stddev_samp';
  if (n === 0n || (sample && n === 1n)) return null;
  const N = n.toString();
  const numerator = numeric.sub(numeric.mul(N, sumSq), numeric.mul(sum, sum));
  if (numeric.compare(numerator, '0') <= 0) return '0';
  const denominator = (sample ? n * (n - 1n) : n * n).toString();
  const scale = numeric.divScale(numeric.parse(numerator), numeric.parse(denominator));
  const variance = numeric.divWithScale(numerator, denominator, scale);
  return kind.startsWith('var') ? variance : numericSqrt(variance, scale);
}

function floatResult(kind: Kind, n: number, sxx: number): Value {
  const sample = kind === 'var_samp' || kind === 'stddev_samp';
  if (n === 0 || (sample && n === 1)) return null;
  const variance = sxx / (sample ? n - 1 : n);
  return kind.startsWith('var') ? variance : Math.sqrt(variance);
}

export function statisticsAggregates(): BuiltinAggregate[] {
  const out: BuiltinAggregate[] = [];
  for (const [name, kind] of names) {
    for (const t of [T.int2, T.int4, T.int8, T.numeric]) {
      out.push({
        name,
        args: [t],
        result: T.numeric,
        strict: true,
        make: () => ({
          init: () => ({ n: 0n, sum: '0', sumSq: '0' }),
          step: (s, a) => {
            const st = s as { n: bigint; sum: string; sumSq: string };
            const x = t === T.numeric ? (a[0] as string) : String(a[0]);
            return {
              n: st.n + 1n,
              sum: numeric.add(st.sum, x),
              sumSq: numeric.add(st.sumSq, numeric.mul(x, x)),
            };
          },
          final: (s) => {
            const st = s as { n: bigint; sum: string; sumSq: string };
            return numericResult(kind, st.n, st.sum, st.sumSq);
          },
        }),
      });
    }
    for (const t of [T.float4, T.float8]) {
      out.push({
        name,
        args: [t],
        result: T.float8,
        strict: true,
        make: () => ({
          init: () => ({ n: 0, sx: 0, sxx: 0 }),
          step: (s, a) => {
            const st = s as { n: number; sx: number; sxx: number };
            const x = a[0] as number;
            const n = st.n + 1;
            const sx = st.sx + x;
            let sxx = st.sxx;
            if (st.n > 0) {
              const tmp = x * n - sx;
              sxx += (tmp * tmp) / (n * st.n);
            }
            return { n, sx, sxx };
          },
          final: (s) => {
            const st = s as { n: number; sxx: number };
            return floatResult(kind, st.n, st.sxx);
          },
        }),
      });
    }
  }
  return out;
}

/** PostgreSQL's float8_regr_accum state: N, Sx, Sy and the centred sums Sxx, Syy, Sxy. */
interface RegrState {
  n: number;
  sx: number;
  sy: number;
  sxx: number;
  syy: number;
  sxy: number;
}

/** The final functions of the two-argument (Y, X) statistics aggregates over a RegrState. */
const regressionFinals: Array<[string, number, (s: RegrState) => Value]> = [
  ['regr_count', T.int8, (s) => BigInt(s.n)],
  ['regr_sxx', T.float8, (s) => (s.n < 1 ? null : s.sxx)],
  ['regr_syy', T.float8, (s) => (s.n < 1 ? null : s.syy)],
  ['regr_sxy', T.float8, (s) => (s.n < 1 ? null : s.sxy)],
  ['regr_avgx', T.float8, (s) => (s.n < 1 ? null : s.sx / s.n)],
  ['regr_avgy', T.float8, (s) => (s.n < 1 ? null : s.sy / s.n)],
  ['covar_pop', T.float8, (s) => (s.n < 1 ? null : s.sxy / s.n)],
  ['covar_samp', T.float8, (s) => (s.n < 2 ? null : s.sxy / (s.n - 1))],
  [
    'corr',
    T.float8,
    (s) => (s.n < 1 || s.sxx === 0 || s.syy === 0 ? null : s.sxy / Math.sqrt(s.sxx * s.syy)),
  ],
  ['regr_slope', T.float8, (s) => (s.n < 1 || s.sxx === 0 ? null : s.sxy / s.sxx)],
  [
    'regr_intercept',
    T.float8,
    (s) => (s.n < 1 || s.sxx === 0 ? null : (s.sy - (s.sx * s.sxy) / s.sxx) / s.n),
  ],
  [
    'regr_r2',
    T.float8,
    (s) => (s.n < 1 || s.sxx === 0 ? null : s.syy === 0 ? 1 : (s.sxy * s.sxy) / (s.sxx * s.syy)),
  ],
];

/** corr, covar_pop/samp and the regr_* family over (Y, X) as float8, as PostgreSQL computes them. */
export function regressionAggregates(): BuiltinAggregate[] {
  return regressionFinals.map(([name, result, final]) => ({
    name,
    args: [T.float8, T.float8],
    result,
    strict: true,
    make: () => ({
      init: (): RegrState => ({ n: 0, sx: 0, sy: 0, sxx: 0, syy: 0, sxy: 0 }),
      step: (state, a) => {
        const st = state as RegrState;
        const y = a[0] as number;
        const x = a[1] as number;
        const n = st.n + 1;
        const sx = st.sx + x;
        const sy = st.sy + y;
        let { sxx, syy, sxy } = st;
        if (st.n > 0) {
          // Youngs-Cramer: accumulate the centred sums without cancellation.
          const dx = x * n - sx;
          const dy = y * n - sy;
          const scale = 1 / (n * st.n);
          sxx += dx * dx * scale;
          syy += dy * dy * scale;
          sxy += dx * dy * scale;
        }
        return { n, sx, sy, sxx, syy, sxy };
      },
      final: (state) => final(state as RegrState),
    }),
  }));
}
