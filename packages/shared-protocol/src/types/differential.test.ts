/**
 * Differential tests against a real PostgreSQL 15: for a few hundred generated values per type,
 * PostgreSQL's text output and send() bytes must equal ours byte for byte, and our parsers must
 * read PostgreSQL's output back to the same value. Each type is one psql call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startPostgres, type PostgresServer } from '@tuskdb/testkit';
import { pgEval, pgParse, sqlText } from './__tests__/pg-oracle.js';
import { getTypeCodec } from './registry.js';
import { Oid } from './oids.js';
import type { TypeCodec } from './codec.js';
import type { TypeSettings } from './settings.js';
import { TypeInputError } from './errors.js';
import {
  DATE_MAX_DAYS,
  DATE_MIN_DAYS,
  DATE_NEG_INFINITY,
  DATE_POS_INFINITY,
  TIMESTAMP_END,
  TIMESTAMP_MIN,
  TIMESTAMP_NEG_INFINITY,
  TIMESTAMP_POS_INFINITY,
  splitMicros,
} from './datetime/calendar.js';
import type { Interval } from './datetime/interval.js';
import type { TimeTz } from './datetime/time.js';

const SEED = Number(process.env['TYPES_SEED'] ?? Date.now() % 1_000_000);
const RUNS = 200;

let pg: PostgresServer;
beforeAll(async () => {
  pg = await startPostgres();
}, 120_000);
afterAll(async () => {
  await pg?.stop();
});

function sample<T>(arb: fc.Arbitrary<T>, n = RUNS): T[] {
  return fc.sample(arb, { numRuns: n, seed: SEED });
}

function codec<T>(oid: number): TypeCodec<T> {
  const c = getTypeCodec(oid);
  if (!c) throw new Error(`no codec for ${oid}`);
  return c as TypeCodec<T>;
}

function hex(b: Uint8Array | null): string {
  return b === null ? 'null' : Buffer.from(b).toString('hex');
}

/**
 * The core check: PostgreSQL evaluates `expr(v)`; its text must equal toText(v), its send bytes
 * toBinary(v); fromText(its text) and fromBinary(its bytes) must give v back (as `same` judges).
 */
function check<T>(opts: {
  oid: number;
  type: string;
  send: string;
  values: T[];
  expr: (v: T) => string;
  settings?: TypeSettings;
  sql?: string[];
  same?: (a: T, b: T) => boolean;
  binary?: boolean;
  /** false when the text output is lossy (extra_float_digits < 1). */
  roundTrip?: boolean;
}): void {
  const c = codec<T>(opts.oid);
  const results = pgEval(pg, opts.values.map(opts.expr), opts.type, opts.send, opts.sql ?? []);
  const failures: string[] = [];
  const same = opts.same ?? ((a: T, b: T) => Object.is(a, b) || stable(a) === stable(b));
  results.forEach((r, i) => {
    const v = opts.values[i]!;
    const label = `#${i} ${JSON.stringify(v, big)} (seed ${SEED})`;
    const ours = c.toText(v, opts.settings);
    if (ours !== r.text)
      failures.push(`${label}: toText ${JSON.stringify(ours)} ≠ PG ${JSON.stringify(r.text)}`);
    if (r.text !== null && opts.roundTrip !== false) {
      try {
        const back = c.fromText(r.text, opts.settings);
        if (!same(back, v))
          failures.push(
            `${label}: fromText(${JSON.stringify(r.text)}) = ${JSON.stringify(back, big)}`,
          );
      } catch (e) {
        failures.push(
          `${label}: fromText(${JSON.stringify(r.text)}) threw ${(e as Error).message}`,
        );
      }
    }
    if (opts.binary !== false) {
      const bin = c.toBinary(v);
      if (hex(bin) !== hex(r.binary))
        failures.push(`${label}: toBinary ${hex(bin)} ≠ PG ${hex(r.binary)}`);
      if (r.binary !== null) {
        const back = c.fromBinary(r.binary);
        if (!same(back, v)) failures.push(`${label}: fromBinary = ${JSON.stringify(back, big)}`);
      }
    }
  });
  expect(failures.slice(0, 15)).toEqual([]);
}

/** JSON with sorted keys and bigint/-0/NaN/bytes spelled out, for value comparison. */
function stable(v: unknown): string {
  return JSON.stringify(v, (k, x: unknown) => {
    const y = big(k, x);
    if (y && typeof y === 'object' && !Array.isArray(y)) {
      return Object.fromEntries(
        Object.entries(y as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
      );
    }
    return y;
  });
}

function big(_k: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString() + 'n';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (typeof v === 'number' && Object.is(v, -0)) return '-0';
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  return v;
}

/** Compares parse results of inputs: same output text, or both errors with the same SQLSTATE. */
function checkInputs<T>(
  oid: number,
  type: string,
  inputs: string[],
  settings: TypeSettings = {},
  sql: string[] = [],
): void {
  const c = codec<T>(oid);
  const expected = pgParse(pg, inputs, type, sql);
  const failures: string[] = [];
  inputs.forEach((input, i) => {
    const e = expected[i]!;
    let ours: string | Error;
    try {
      ours = c.toText(c.fromText(input, settings), settings);
    } catch (err) {
      ours =
        err instanceof TypeInputError
          ? new Error(err.code + ':' + err.message)
          : new Error('JS:' + (err as Error).message);
    }
    if (e instanceof Error || ours instanceof Error) {
      const eCode = e instanceof Error ? e.message.slice(0, 5) : 'ok';
      const oCode = ours instanceof Error ? ours.message.slice(0, 5) : 'ok';
      if (eCode !== oCode) {
        failures.push(
          `${JSON.stringify(input)}: PG ${e instanceof Error ? e.message : JSON.stringify(e)} / ours ${ours instanceof Error ? ours.message : JSON.stringify(ours)}`,
        );
      }
    } else if (e !== ours)
      failures.push(
        `${JSON.stringify(input)}: PG ${JSON.stringify(e)} / ours ${JSON.stringify(ours)}`,
      );
  });
  expect(failures.slice(0, 20)).toEqual([]);
}

describe('integers and bool', () => {
  it('int2, int4, int8, oid', { timeout: 120_000 }, () => {
    check({
      oid: Oid.int2,
      type: 'int2',
      send: 'int2send',
      values: sample(fc.integer({ min: -32768, max: 32767 })),
      expr: (v) => `${v}`,
    });
    check({
      oid: Oid.int4,
      type: 'int4',
      send: 'int4send',
      values: sample(fc.integer()),
      expr: (v) => `${v}`,
    });
    check({
      oid: Oid.int8,
      type: 'int8',
      send: 'int8send',
      values: sample(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
      expr: (v) => `'${v}'`,
    });
    check({
      oid: Oid.oid,
      type: 'oid',
      send: 'oidsend',
      values: sample(fc.integer({ min: 0, max: 4294967295 })),
      expr: (v) => `'${v}'`,
    });
  });
  it('parses integer and boolean inputs like PostgreSQL', { timeout: 120_000 }, () => {
    const ints = [
      ' 12 ',
      '+5',
      '-0',
      '2147483647',
      '2147483648',
      '-2147483648',
      '-2147483649',
      '',
      ' ',
      '1 2',
      '1e3',
      '0x10',
      '00000000000000000000012',
      '12a',
      '\t7\n',
      '+-1',
      '99999999999999999999',
    ];
    checkInputs(Oid.int4, 'int4', ints);
    checkInputs(Oid.int2, 'int2', [...ints, '32767', '32768', '-32768', '-32769']);
    checkInputs(Oid.int8, 'int8', [
      ...ints,
      '9223372036854775807',
      '9223372036854775808',
      '-9223372036854775808',
      '-9223372036854775809',
    ]);
    checkInputs(Oid.oid, 'oid', [
      ...ints,
      '4294967295',
      '4294967296',
      '-1',
      '-2147483648',
      '-2147483649',
    ]);
    checkInputs(Oid.bool, 'bool', [
      't',
      'f',
      'true',
      'TRUE',
      'tr',
      'yes',
      'y',
      'n',
      'no',
      'on',
      'off',
      'o',
      'of',
      '1',
      '0',
      '10',
      ' true ',
      'truex',
      '',
      'nope',
      'FALSE',
    ]);
  });
});

describe('floats', () => {
  const edge = [
    2.6404955927286832e16,
    6.406700000000001e20,
    9e9,
    8.999999e9,
    0,
    -0,
    1,
    -1,
    0.1,
    0.1 + 0.2,
    1e21,
    1e20,
    1e15,
    1e16,
    1e-4,
    1e-5,
    9.999999999999999e14,
    123456789012345680,
    5e-324,
    2.2250738585072014e-308,
    1.7976931348623157e308,
    2 ** 53,
    2 ** 53 + 2,
    1 / 3,
    NaN,
    Infinity,
    -Infinity,
    100,
    1234.5678,
    0.000123,
  ];
  const f8 = (v: number): string =>
    Number.isNaN(v)
      ? `'NaN'`
      : v === Infinity
        ? `'Infinity'`
        : v === -Infinity
          ? `'-Infinity'`
          : Object.is(v, -0)
            ? `'-0'`
            : `'${String(v)}'`;
  const doubles = [
    ...edge,
    ...sample(fc.double()),
    ...sample(fc.double({ min: -1e6, max: 1e6 }), 100),
  ];
  it('float8 shortest output, binary', { timeout: 120_000 }, () => {
    check({ oid: Oid.float8, type: 'float8', send: 'float8send', values: doubles, expr: f8 });
  });
  it('float8 with extra_float_digits 0, -3, -15, 3', { timeout: 120_000 }, () => {
    for (const efd of [0, -3, -15, 3]) {
      check({
        oid: Oid.float8,
        type: 'float8',
        send: 'float8send',
        values: doubles,
        expr: f8,
        settings: { extraFloatDigits: efd },
        sql: [`SET extra_float_digits = ${efd}`],
        roundTrip: efd > 0,
      });
    }
  });
  const floats = [
    ...edge.map((v) => Math.fround(v)),
    16777217,
    3.4028234663852886e38,
    1.4e-45,
    1.1754943508222875e-38,
    ...sample(fc.float()),
    ...sample(fc.float({ min: -1000, max: 1000, noNaN: true }), 100),
  ].map((v) => Math.fround(v));
  const f4 = (v: number): string =>
    Number.isNaN(v)
      ? `'NaN'`
      : v === Infinity
        ? `'Infinity'`
        : v === -Infinity
          ? `'-Infinity'`
          : Object.is(v, -0)
            ? `'-0'`
            : `'${v.toPrecision(9)}'`;
  it('float4 shortest output, binary', { timeout: 120_000 }, () => {
    check({ oid: Oid.float4, type: 'float4', send: 'float4send', values: floats, expr: f4 });
    check({
      oid: Oid.float4,
      type: 'float4',
      send: 'float4send',
      values: floats,
      expr: f4,
      settings: { extraFloatDigits: 0 },
      sql: ['SET extra_float_digits = 0'],
      roundTrip: false,
    });
  });
  it('parses float inputs like PostgreSQL', { timeout: 120_000 }, () => {
    const inputs = [
      '1e400',
      '-1e400',
      '1e-400',
      '4e-324',
      '2e-324',
      '1e-320',
      ' 1.5 ',
      '1.',
      '.5',
      '.',
      '',
      'inf',
      '-INF',
      'infinity',
      '+Infinity',
      'NaN',
      'nan',
      '-nan',
      '1e',
      '1e+',
      'e5',
      '1.5e3x',
      '0x10',
      '1,5',
      '3.4028235e38',
      '3.4028236e38',
      '1e-45',
      '1e-46',
      '7e-46',
      '1.40129846e-45',
      '0.000000000000000000000000000000000000000000000000001',
    ];
    checkInputs(Oid.float8, 'float8', inputs);
    checkInputs(Oid.float4, 'float4', inputs);
    // Random decimal strings of up to 20 digits with exponents: strtof/strtod rounding.
    const decimals = sample(
      fc
        .tuple(fc.stringMatching(/^[1-9][0-9]{0,19}$/), fc.integer({ min: -60, max: 45 }))
        .map(([d, e]) => `${d}e${e}`),
      300,
    );
    checkInputs(Oid.float4, 'float4', decimals);
    checkInputs(Oid.float8, 'float8', decimals);
  });
});

describe('numeric', () => {
  const numericText = fc
    .tuple(
      fc.constantFrom('', '-', '+'),
      fc.stringMatching(/^[0-9]{0,40}$/),
      fc.option(fc.stringMatching(/^[0-9]{0,40}$/)),
      fc.option(fc.integer({ min: -60, max: 60 })),
    )
    .map(
      ([s, i, f, e]) =>
        s + (i || (f ? '' : '0')) + (f !== null ? '.' + f : '') + (e !== null ? 'e' + e : ''),
    );
  const values = [
    '0',
    '0.00',
    '-0',
    '1.50',
    '-12345.678',
    '100000000',
    '0.00001',
    '9999.9999',
    '10000',
    '1e1000',
    '1.5e-200',
    'NaN',
    'Infinity',
    '-Infinity',
    '0.' + '0'.repeat(300) + '1',
    '123456789'.repeat(20) + '.' + '987654321'.repeat(20),
    ...sample(numericText),
  ];
  it('text and binary', { timeout: 120_000 }, () => {
    const canonical = values.map((v) => codec<string>(Oid.numeric).fromText(v));
    check({
      oid: Oid.numeric,
      type: 'numeric',
      send: 'numeric_send',
      values: canonical,
      expr: (v) => `'${v}'`,
    });
  });
  it('parses numeric inputs like PostgreSQL', { timeout: 120_000 }, () => {
    checkInputs(Oid.numeric, 'numeric', [
      ...values,
      ' 12 ',
      '1 e1',
      '.',
      '',
      '1e',
      '+NaN',
      'inf',
      '-inf',
      '+inf',
      'Infinityx',
      '1e131071',
      '1e131072',
      '1e-16383',
      '0.1e-16383',
      '1.2.3',
      '--1',
      '0e10',
      '0.0e-3',
    ]);
  });
});

describe('strings, bytea, uuid, jsonb', () => {
  const tricky = fc.string({
    unit: fc.constantFrom(
      'a',
      'b',
      ' ',
      '"',
      '\\',
      '{',
      '}',
      ',',
      'é',
      '\t',
      '\n',
      'N',
      'U',
      'L',
      '😀',
      "'",
      '[',
      ']',
      ':',
      '=',
    ),
  });
  it('text, varchar, name', { timeout: 120_000 }, () => {
    const strings = [
      '',
      'NULL',
      'null',
      ...sample(tricky),
      ...sample(
        fc
          .string({ unit: 'binary' })
          .filter((s) => !s.includes('\0') && !/[\uD800-\uDFFF]/.test(s)),
        100,
      ),
    ];
    check({ oid: Oid.text, type: 'text', send: 'textsend', values: strings, expr: sqlText });
    check({
      oid: Oid.varchar,
      type: 'varchar',
      send: 'varcharsend',
      values: strings,
      expr: sqlText,
    });
    const names = strings.map((s) => codec<string>(Oid.name).fromText(s + 'é'.repeat(40)));
    check({ oid: Oid.name, type: 'name', send: 'namesend', values: names, expr: sqlText });
  });
  it('"char"', { timeout: 120_000 }, () => {
    const chars = [
      '',
      'a',
      'Z',
      ' ',
      '\\',
      String.fromCharCode(200),
      String.fromCharCode(128),
      String.fromCharCode(1),
    ];
    check({
      oid: Oid.char,
      type: '"char"',
      send: 'charsend',
      values: chars,
      expr: (v) => (v.length === 0 ? `''` : `'\\${v.charCodeAt(0).toString(8).padStart(3, '0')}'`),
      binary: true,
      same: (a, b) => a === b,
    });
  });
  it('bytea hex and escape', { timeout: 120_000 }, () => {
    const values = [
      new Uint8Array(0),
      Uint8Array.of(0, 92, 39, 127, 128, 255),
      ...sample(fc.uint8Array({ maxLength: 40 })),
    ];
    const expr = (v: Uint8Array): string => `'\\x${Buffer.from(v).toString('hex')}'::bytea`;
    check({ oid: Oid.bytea, type: 'bytea', send: 'byteasend', values, expr });
    check({
      oid: Oid.bytea,
      type: 'bytea',
      send: 'byteasend',
      values,
      expr,
      settings: { byteaOutput: 'escape' },
      sql: ['SET bytea_output = escape'],
    });
    checkInputs(Oid.bytea, 'bytea', [
      '\\x',
      '\\xAbCd',
      '\\x ab cd',
      '\\xabc',
      '\\xzz',
      'abc',
      'a\\\\b',
      'a\\000b',
      'a\\400',
      'a\\x',
      '\\',
      'é',
      '\\x0 1',
    ]);
  });
  it('uuid', { timeout: 120_000 }, () => {
    const values = sample(fc.uuid({ version: [1, 2, 3, 4, 5] }));
    check({
      oid: Oid.uuid,
      type: 'uuid',
      send: 'uuid_send',
      values,
      expr: (v) => `'${v.replace(/-/g, '')}'`,
    });
    checkInputs(Oid.uuid, 'uuid', [
      'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
      '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}',
      'a0eebc999c0b4ef8bb6d6bb9bd380a11',
      'a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11',
      '{a0eebc999c0b4ef8bb6d6bb9bd380a11',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-',
      '-a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      ' a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    ]);
  });
  it('inet and cidr', { timeout: 120_000 }, () => {
    const v4 = fc.tuple(
      fc.uint8Array({ minLength: 4, maxLength: 4 }),
      fc.integer({ min: 0, max: 32 }),
    );
    const v6 = fc.tuple(
      fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), {
        minLength: 8,
        maxLength: 8,
      }),
      fc.integer({ min: 0, max: 128 }),
    );
    const inets = [
      ...sample(v4, 100).map(([b, bits]) => `${b.join('.')}/${bits}`),
      ...sample(v6, 200).map(([w, bits]) => `${w.map((x) => x.toString(16)).join(':')}/${bits}`),
      '::',
      '::1',
      '::2',
      '::ffff:1.2.3.4',
      '::1.2.3.4',
      '::ffff:0:0',
      '1::',
      '10.1.2.3/32',
      '::1:1:1',
    ].map((s) => codec<string>(Oid.inet).fromText(s));
    check({ oid: Oid.inet, type: 'inet', send: 'inet_send', values: inets, expr: (v) => `'${v}'` });
    // cidr: the network address of each (host bits cleared by PostgreSQL's own network()).
    const nets = pgParse(
      pg,
      inets.map((s) => s),
      'inet',
      [],
    ).map((x) => String(x));
    const cidrs = pgEval(
      pg,
      nets.map((n) => `network('${n}'::inet)::text`),
      'text',
      'textsend',
    ).map((r) => r.text!);
    check({ oid: Oid.cidr, type: 'cidr', send: 'cidr_send', values: cidrs, expr: (v) => `'${v}'` });
    checkInputs(Oid.cidr, 'cidr', [
      '10.1.2.3/16',
      '10.1.0.0/16',
      '10.1.2.3',
      '2001:db8::1/32',
      '2001:db8::/32',
    ]);
    checkInputs(Oid.inet, 'inet', [
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '1.2.3.4/33',
      '::/129',
      ' 1.2.3.4 ',
      '1:2:3:4:5:6:7:8:9',
      'FE80::1%eth0',
      'garbage',
      '::ffff:1.2.3',
    ]);
  });
  it('jsonb normalisation', { timeout: 120_000 }, () => {
    const docs = [
      '{"b":1,"a":[1,2],"aa":{"c":2,"c":3}}',
      '[1.0, 1e2, -0, -0.0, 1E-3, 12345678901234567890.5]',
      '"\\u00e9\\n\\/\\u001f"',
      'true',
      'null',
      '{"é":1,"z":2,"ab":3,"😀":4,"\uffff":5}',
      '{}',
      '[]',
      '  [ { } , [ ] ]  ',
      '{"a":{"b":{"c":[1,{"d":null}]}}}',
      ...sample(fc.json({ maxDepth: 4 })).filter((s) => !/\\u(d[89a-f]|0000)/i.test(s)),
    ];
    check({
      oid: Oid.jsonb,
      type: 'jsonb',
      send: 'jsonb_send',
      values: docs.map((d) => codec<string>(Oid.jsonb).fromText(d)),
      expr: sqlText,
    });
    checkInputs(Oid.jsonb, 'jsonb', [
      ...docs,
      '{"a":1,}',
      '[1 2]',
      '01',
      '1.',
      '.5',
      '+1',
      '"\\u0000"',
      '"\\ud83d"',
      '"\\ud83d\\ude00"',
      '"a\tb"',
      'True',
      'nul',
      '{"a" 1}',
      '',
      '1e999999',
    ]);
    checkInputs(Oid.json, 'json', ['{"b":1,"a":2,"a":3}', '[1 2]', ' 1 ', '"x"', '{']);
  });
});

describe('dates and times', () => {
  const dayArb = fc.oneof(
    fc.integer({ min: DATE_MIN_DAYS, max: DATE_MAX_DAYS }),
    fc.integer({ min: -800_000, max: 800_000 }),
    fc.constantFrom(
      DATE_MIN_DAYS,
      DATE_MAX_DAYS,
      0,
      -1,
      -730_120,
      -730_485,
      DATE_NEG_INFINITY,
      DATE_POS_INFINITY,
    ),
  );
  const dateExpr = (d: number): string =>
    d === DATE_POS_INFINITY
      ? `'infinity'::date`
      : d === DATE_NEG_INFINITY
        ? `'-infinity'::date`
        : `date '2000-01-01' + ${d}`;
  it('date in every DateStyle', { timeout: 120_000 }, () => {
    const values = sample(dayArb);
    for (const ds of [
      'ISO, MDY',
      'SQL, MDY',
      'SQL, DMY',
      'German',
      'Postgres, MDY',
      'Postgres, DMY',
    ]) {
      check({
        oid: Oid.date,
        type: 'date',
        send: 'date_send',
        values,
        expr: dateExpr,
        settings: { dateStyle: ds },
        sql: [`SET DateStyle = '${ds}'`],
      });
    }
  });
  const tsArb = fc.oneof(
    fc.bigInt({ min: TIMESTAMP_MIN, max: TIMESTAMP_END - 1n }),
    fc.bigInt({ min: -4_000_000_000_000_000n, max: 4_000_000_000_000_000n }),
    fc.bigInt({ min: -200_000_000_000n, max: 200_000_000_000n }).map((s) => s * 1_000_000n),
    fc.bigInt({ min: -20_000_000_000_000n, max: 20_000_000_000_000n }).map((s) => s * 1000n),
    fc.constantFrom(
      TIMESTAMP_MIN,
      TIMESTAMP_END - 1n,
      0n,
      -1n,
      TIMESTAMP_NEG_INFINITY,
      TIMESTAMP_POS_INFINITY,
    ),
  );
  const tsExpr = (v: bigint): string => {
    if (v === TIMESTAMP_POS_INFINITY) return `'infinity'::timestamp`;
    if (v === TIMESTAMP_NEG_INFINITY) return `'-infinity'::timestamp`;
    const [days, us] = splitMicros(v);
    return `(date '2000-01-01' + ${days}) + ${us} * interval '1 microsecond'`;
  };
  it('timestamp', { timeout: 120_000 }, () => {
    const values = sample(tsArb);
    for (const ds of ['ISO, MDY', 'SQL, DMY', 'German', 'Postgres, MDY']) {
      check({
        oid: Oid.timestamp,
        type: 'timestamp',
        send: 'timestamp_send',
        values,
        expr: tsExpr,
        settings: { dateStyle: ds },
        sql: [`SET DateStyle = '${ds}'`],
      });
    }
  });
  it('timestamptz in several time zones', { timeout: 120_000 }, () => {
    const values = sample(tsArb);
    const expr = (v: bigint): string =>
      v === TIMESTAMP_POS_INFINITY || v === TIMESTAMP_NEG_INFINITY
        ? tsExpr(v)
        : `(${tsExpr(v)}) AT TIME ZONE 'UTC'`;
    for (const tz of [
      'UTC',
      '+05:30',
      '5',
      'UTC-3',
      'America/New_York',
      'Europe/Paris',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
    ]) {
      check({
        oid: Oid.timestamptz,
        type: 'timestamptz',
        send: 'timestamptz_send',
        values,
        expr,
        settings: { timeZone: tz },
        sql: [`SET TimeZone = '${tz}'`],
      });
    }
  });
  it('timestamptz in the non-ISO DateStyles', { timeout: 120_000 }, () => {
    // 1946–2037: after US war time (EWT/EPT, which Intl cannot name), before the tz rules end.
    const values = sample(
      fc.bigInt({ min: -1_704_067_200_000_000n, max: 1_199_145_600_000_000n }),
      100,
    );
    const expr = (v: bigint): string => `(${tsExpr(v)}) AT TIME ZONE 'UTC'`;
    for (const tz of ['UTC', '+05:30', '5', 'UTC-3', '<-08>+08', 'America/New_York']) {
      for (const ds of ['SQL, MDY', 'Postgres, DMY', 'German']) {
        check({
          oid: Oid.timestamptz,
          type: 'timestamptz',
          send: 'timestamptz_send',
          values,
          expr,
          settings: { timeZone: tz, dateStyle: ds },
          sql: [`SET TimeZone = '${tz}'`, `SET DateStyle = '${ds}'`],
          // PostgreSQL cannot read its own output back either when the abbreviation is a misleading POSIX name.
          roundTrip: tz !== 'UTC-3',
        });
      }
    }
  });
  it('time and timetz', { timeout: 120_000 }, () => {
    const times = [
      0n,
      86_400_000_000n,
      1n,
      43_200_500_000n,
      ...sample(fc.bigInt({ min: 0n, max: 86_400_000_000n })),
    ];
    check({
      oid: Oid.time,
      type: 'time',
      send: 'time_send',
      values: times,
      expr: (v) =>
        v === 86_400_000_000n
          ? `'24:00:00'::time`
          : `time '00:00' + ${v} * interval '1 microsecond'`,
    });
    const tz = sample(
      fc.record({
        microseconds: fc.bigInt({ min: 0n, max: 86_400_000_000n }),
        offsetSeconds: fc.integer({ min: -57599, max: 57599 }),
      }),
    );
    const two = (n: number): string => String(n).padStart(2, '0');
    const lit = (v: TimeTz): string => {
      const us = Number(v.microseconds);
      const s = Math.floor(us / 1e6);
      const o = Math.abs(v.offsetSeconds);
      return `'${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}.${String(us % 1e6).padStart(6, '0')}${v.offsetSeconds < 0 ? '-' : '+'}${two(Math.floor(o / 3600))}:${two(Math.floor(o / 60) % 60)}:${two(o % 60)}'`;
    };
    check({ oid: Oid.timetz, type: 'timetz', send: 'timetz_send', values: tz, expr: lit });
  });
  it('interval in every IntervalStyle', { timeout: 120_000 }, () => {
    const arb = fc.oneof(
      fc.record({
        months: fc.integer(),
        days: fc.integer(),
        microseconds: fc.bigInt({ min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n }),
      }),
      fc.record({
        months: fc.integer({ min: -30, max: 30 }),
        days: fc.integer({ min: -40, max: 40 }),
        microseconds: fc.bigInt({ min: -200_000_000_000n, max: 200_000_000_000n }),
      }),
      fc.record({
        months: fc.constant(0),
        days: fc.constant(0),
        microseconds: fc.bigInt({ min: -5_000_000n, max: 5_000_000n }),
      }),
      fc.record({
        months: fc.integer({ min: -30, max: 30 }),
        days: fc.constant(0),
        microseconds: fc.constant(0n),
      }),
      fc.record({
        months: fc.constant(0),
        days: fc.integer({ min: -3, max: 3 }),
        microseconds: fc.constantFrom(0n, 3_600_000_000n, -3_600_000_000n, 1_500_000n),
      }),
    );
    const values: Interval[] = [{ months: 0, days: 0, microseconds: 0n }, ...sample(arb)];
    // Explicit signs: under sql_standard a leading '-' would otherwise negate the unsigned fields.
    const signed = (n: number | bigint): string => (n < 0 ? `${n}` : `+${n}`);
    const expr = (v: Interval): string =>
      `'${signed(v.months)} mons ${signed(v.days)} days ${signed(v.microseconds)} microseconds'`;
    for (const style of ['postgres', 'postgres_verbose', 'sql_standard', 'iso_8601'] as const) {
      check({
        oid: Oid.interval,
        type: 'interval',
        send: 'interval_send',
        values,
        expr,
        settings: { intervalStyle: style },
        sql: [`SET IntervalStyle = ${style}`],
      });
    }
  });
  it('ranges', { timeout: 120_000 }, () => {
    type Bounds<T> = [T | null, T | null, string];
    const flags = fc.constantFrom('[]', '[)', '(]', '()');
    const ordered = <T>(
      arb: fc.Arbitrary<T>,
      cmp: (a: T, b: T) => number,
    ): fc.Arbitrary<Bounds<T>> =>
      fc
        .tuple(fc.option(arb, { freq: 5 }), fc.option(arb, { freq: 5 }), flags)
        .map(([a, b, f]) => (a !== null && b !== null && cmp(a, b) > 0 ? [b, a, f] : [a, b, f]));
    const run = <T>(
      oid: number,
      type: string,
      arb: fc.Arbitrary<T>,
      cmp: (a: T, b: T) => number,
      lit: (v: T) => string,
      text: (v: T) => string,
    ): void => {
      const c = codec<unknown>(oid);
      const sqlOf = new Map<unknown, string>();
      const values = sample(ordered(arb, cmp), 150).map(([lo, hi, f]) => {
        const v = c.fromText(
          `${f[0]}${lo === null ? '' : `"${text(lo)}"`},${hi === null ? '' : `"${text(hi)}"`}${f[1]}`,
        );
        sqlOf.set(
          v,
          `${type}(${lo === null ? 'NULL' : lit(lo)}, ${hi === null ? 'NULL' : lit(hi)}, '${f}')`,
        );
        return v;
      });
      check({ oid, type, send: 'range_send', values, expr: (v) => sqlOf.get(v)! });
    };
    const cmp = <T extends number | bigint>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);
    run(Oid.int4range, 'int4range', fc.integer({ min: -100, max: 100 }), cmp, String, String);
    run(
      Oid.int8range,
      'int8range',
      fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }),
      cmp,
      (v) => `${v}::int8`,
      String,
    );
    const numText = (v: string): string => v;
    run(
      Oid.numrange,
      'numrange',
      fc.constantFrom('1.5', '-2', '0.000', '10.25', '3'),
      (a, b) => Number(a) - Number(b),
      (v) => `${v}::numeric`,
      numText,
    );
    run(
      Oid.daterange,
      'daterange',
      fc.integer({ min: -1000, max: 1000 }),
      cmp,
      (d) => `date '2000-01-01' + ${d}`,
      (d) => codec<number>(Oid.date).toText(d),
    );
    run(
      Oid.tsrange,
      'tsrange',
      fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
      cmp,
      (us) => {
        const [d, t] = splitMicros(us);
        return `(date '2000-01-01' + ${d}) + ${t} * interval '1 microsecond'`;
      },
      (us) => codec<bigint>(Oid.timestamp).toText(us),
    );
    checkInputs(Oid.int4range, 'int4range', [
      'empty',
      ' EMPTY ',
      '[1,5]',
      '(1,5)',
      '[5,1]',
      '[,]',
      '(,)',
      ' [ 1 , 5 ) ',
      '[1,5',
      '[1,5)x',
      '[1,2147483647]',
      '["1","5"]',
      '[1,1)',
      '[1,1]',
      '(1,2)',
      '[a,b]',
    ]);
  });
  it('parses date/time inputs like PostgreSQL', { timeout: 120_000 }, () => {
    const dates = [
      '2020-01-31',
      '2020-02-30',
      '0000-01-01',
      '0001-01-01 BC',
      '4714-11-24 BC',
      '4714-11-23 BC',
      '5874897-12-31',
      '5874898-01-01',
      '01/02/03',
      '1/2/2003',
      '2003/01/02',
      '20200102',
      'Jan 5 2020',
      '5 January 2020',
      'January 5, 2020',
      'infinity',
      '-infinity',
      'epoch',
      '2020-01-01 12:34',
      '2020-13-01',
      'garbage',
      '',
      '99999-06-15',
      '02.01.2003',
      'Wed Jan 01 2020',
    ];
    checkInputs(Oid.date, 'date', dates);
    checkInputs(Oid.date, 'date', dates, { dateStyle: 'SQL, DMY' }, [`SET DateStyle = 'SQL, DMY'`]);
    const stamps = [
      '2020-01-01 24:00:00',
      '2020-01-01 24:00:01',
      '2020-01-01 23:59:60',
      '2020-01-01 23:59:60.5',
      '2020-01-01 1:2:3.0000005',
      '2020-01-01 1:2:3.0000015',
      '2020-01-01 1:2:3.9999995',
      '2020-01-01T10:00:00Z',
      '2020-01-01 10:00 EST',
      '2020-01-01 10:00:00 Europe/Paris',
      '294276-12-31 23:59:59.999999',
      '294277-01-01',
      '2020-01-01 10:00:00+5',
      '2020-01-01 10:00:00-0530',
      '2020-01-01 10:00:00+05:30:15',
      '2020-1-1 1:2',
      '2020-01-01 12:00 pm',
      '2020-01-01 12:00 am',
      '2020-01-01 13:00 pm',
      'Wed Jan 01 10:00:00 2020',
      'Wed Jan 01 10:00:00 2020 UTC',
      '2020-03-08 02:30:00',
      '2020-11-01 01:30:00',
      '1900-01-01 00:00',
      '1066-10-14 12:00 BC',
      'epoch',
      'infinity',
      '2020-01-01 10:00:00.1234567',
      '2020-01-01 10:60:00',
    ];
    checkInputs(Oid.timestamp, 'timestamp', stamps);
    checkInputs(Oid.timestamptz, 'timestamptz', stamps);
    checkInputs(Oid.timestamptz, 'timestamptz', stamps, { timeZone: 'America/New_York' }, [
      `SET TimeZone = 'America/New_York'`,
    ]);
    const times = [
      '00:00',
      '24:00',
      '24:00:00.000001',
      '23:59:59.9999995',
      '12:00 pm',
      '1:2:3',
      '10:00:00+05',
      '2020-01-01 10:00',
      'allballs',
      '25:00',
      '12:60',
    ];
    checkInputs(Oid.time, 'time', times);
    checkInputs(Oid.timetz, 'timetz', [
      '10:00:00+05',
      '10:00:00-05:30',
      '10:00 UTC',
      '10:00:00+16',
      '10:00:00 +03',
    ]);
    const intervals = [
      '1.5 years',
      '1.5 months',
      '1.5 days',
      '1.5 weeks',
      '-1.5 hours',
      '1 day -1 hour',
      '1 2:03',
      '1 2:03:04',
      '10',
      '1:2',
      '1:2:3.5',
      '-1:2:3',
      '1 year ago',
      '@ 1 day 2 hours ago',
      'P1Y2M3DT4H5M6.5S',
      'P-1DT2H',
      'PT0S',
      'P1.5Y',
      '1-2',
      '-1-2 +3 -4:05:06',
      '+1-2 +3 +4:05:06.789',
      '3 4:05',
      '1 mon 1.5 day',
      '0.5 mon',
      '1 week 2 days',
      '2 centuries 1 decade 1 millennium',
      '1.000001 sec',
      '1 ms',
      '1 us',
      '1h 30m',
      '12:00 1 day',
      '1 millisecond 500 microseconds',
      '1.23456789 sec',
      '2147483647 days',
      '2147483648 days',
      '178956971 years',
      '1 yr 2 mon 3 d 4 hr 5 min 6 s',
      '',
      'ago',
      '1 fortnight',
      '-0.5 sec',
      '1.5 min',
      '0.1 sec',
      '1e3 sec',
      '1 day 1 day',
    ];
    checkInputs(Oid.interval, 'interval', intervals);
    // Random unit soup.
    const unit = fc.constantFrom(
      'year',
      'mons',
      'days',
      'hours',
      'min',
      'sec',
      'ms',
      'us',
      'weeks',
      'decade',
    );
    const soup = sample(
      fc
        .array(
          fc.tuple(
            fc.double({ min: -1000, max: 1000, noNaN: true }).map((d) => d.toFixed(3)),
            unit,
          ),
          { minLength: 1, maxLength: 4 },
        )
        .map((parts) => parts.map(([n, u]) => `${n} ${u}`).join(' ')),
      200,
    );
    checkInputs(Oid.interval, 'interval', soup);
  });
});

describe('arrays', () => {
  const tricky = fc.string({
    unit: fc.constantFrom('a', ' ', '"', '\\', '{', '}', ',', 'é', '\t', 'N', 'U', 'L', 'x'),
  });
  const elem = fc.option(tricky, { freq: 6 });
  const textArray = (v: (string | null)[]): string =>
    `ARRAY[${v.map((e) => (e === null ? 'NULL' : sqlText(e))).join(',')}]::text[]`;
  it('text[] one- and two-dimensional', { timeout: 120_000 }, () => {
    const oneD = sample(fc.array(elem, { maxLength: 6 }));
    check({
      oid: Oid._text,
      type: 'text[]',
      send: 'array_send',
      values: oneD,
      expr: (v) => (v.length === 0 ? `'{}'::text[]` : textArray(v)),
    });
    const twoD = sample(
      fc
        .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }))
        .chain(([r, c]) =>
          fc.array(fc.array(elem, { minLength: c, maxLength: c }), { minLength: r, maxLength: r }),
        ),
    );
    check({
      oid: Oid._text,
      type: 'text[]',
      send: 'array_send',
      values: twoD,
      expr: (v) => `ARRAY[${v.map((row) => textArray(row)).join(',')}]`,
    });
  });
  it('typed arrays and lower bounds', { timeout: 120_000 }, () => {
    const ints = sample(fc.array(fc.option(fc.integer()), { maxLength: 8 }));
    check({
      oid: Oid._int4,
      type: 'int4[]',
      send: 'array_send',
      values: ints,
      expr: (v) => `'{${v.map((e) => (e === null ? 'NULL' : e)).join(',')}}'`,
    });
    const stamps = sample(
      fc.array(
        fc.option(fc.bigInt({ min: -1_000_000_000_000_000n, max: 1_000_000_000_000_000n })),
        { maxLength: 4 },
      ),
    );
    check({
      oid: Oid._timestamp,
      type: 'timestamp[]',
      send: 'array_send',
      values: stamps,
      expr: (v) =>
        `ARRAY[${v
          .map((e) => {
            if (e === null) return 'NULL::timestamp';
            const [d, us] = splitMicros(e);
            return `(date '2000-01-01' + ${d}) + ${us} * interval '1 microsecond'`;
          })
          .join(',')}]::timestamp[]`,
    });
    const byteas = sample(fc.array(fc.uint8Array({ maxLength: 4 }), { maxLength: 4 }));
    check({
      oid: Oid._bytea,
      type: 'bytea[]',
      send: 'array_send',
      values: byteas,
      expr: (v) =>
        `ARRAY[${v.map((b) => `'\\x${Buffer.from(b).toString('hex')}'::bytea`).join(',')}]::bytea[]`,
    });
    const lits = [
      '[0:1]={1,2}',
      '[-3:-2][1:2]={{1,NULL},{3,4}}',
      '{}',
      '{{1,2},{3,4}}',
      '[5:5]={7}',
    ];
    const arr = codec<unknown>(Oid._int4);
    check({
      oid: Oid._int4,
      type: 'int4[]',
      send: 'array_send',
      values: lits.map((l) => arr.fromText(l)),
      expr: (v) => sqlText(arr.toText(v)),
    });
    check({
      oid: Oid._float8,
      type: 'float8[]',
      send: 'array_send',
      values: sample(fc.array(fc.double(), { maxLength: 5 }), 50),
      expr: (v) =>
        `ARRAY[${v.map((d) => `'${Number.isNaN(d) ? 'NaN' : Object.is(d, -0) ? '-0' : String(d)}'::float8`).join(',')}]::float8[]`,
    });
    check({
      oid: Oid._jsonb,
      type: 'jsonb[]',
      send: 'array_send',
      values: [['{"a": 1}', '[1, 2]', '"x y"', 'null'], []],
      expr: (v) => `ARRAY[${v.map((j) => `${sqlText(j)}::jsonb`).join(',')}]::jsonb[]`,
    });
    check({
      oid: Oid.int2vector,
      type: 'int2vector',
      send: 'int2vectorsend',
      values: [[1, 2, 3], [], [-5]],
      expr: (v) => `'${v.join(' ')}'`,
    });
  });
  it('record', { timeout: 120_000 }, () => {
    type Field = { oid: number; value: unknown };
    const rec = codec<Field[]>(Oid.record);
    const field = fc.oneof(
      fc.integer().map((n) => ({ oid: Oid.int4, value: n, sql: `(${n})::int4` })),
      tricky.map((t) => ({ oid: Oid.text, value: t, sql: sqlText(t) })),
      fc.constant({ oid: Oid.int4, value: null, sql: 'NULL::int4' }),
      fc
        .constantFrom('1.50', '-0.001', 'NaN')
        .map((n) => ({ oid: Oid.numeric, value: n, sql: `'${n}'::numeric` })),
      fc.bigInt({ min: -100_000_000_000_000n, max: 100_000_000_000_000n }).map((us) => {
        const [d, t] = splitMicros(us);
        return {
          oid: Oid.timestamp,
          value: us,
          sql: `((date '2000-01-01' + ${d}) + ${t} * interval '1 microsecond')`,
        };
      }),
      fc.array(fc.option(fc.integer()), { maxLength: 3 }).map((a) => ({
        oid: Oid._int4,
        value: a,
        sql: `'{${a.map((e) => (e === null ? 'NULL' : e)).join(',')}}'::int4[]`,
      })),
    );
    const sqlOf = new Map<Field[], string>();
    const values = sample(fc.array(field, { minLength: 1, maxLength: 5 })).map((r) => {
      const v = r.map(({ oid, value }) => ({ oid, value }));
      sqlOf.set(v, `ROW(${r.map((f) => f.sql).join(', ')})`);
      return v;
    });
    check({
      oid: Oid.record,
      type: 'record',
      send: 'record_send',
      values,
      expr: (v) => sqlOf.get(v)!,
      same: (a, b) => rec.toText(a) === rec.toText(b),
    });
  });
  it('parses array inputs like PostgreSQL', { timeout: 120_000 }, () => {
    const inputs = [
      '{"a"b}',
      '{a"b"}',
      '{a "b"}',
      '{"a" , b}',
      '{a b ,c}',
      '{ "" }',
      '{{},{}}',
      '{{}}',
      '{"a\\"b"}',
      '{\\\\a}',
      '{a\\ }',
      '{NULL,"NULL",null}',
      '[1:2][3:4]={{a,b},{c,d}}',
      '[2]={a,b}',
      '{a,b}  ',
      ' {a}',
      '{a,{b}}',
      '{{a},b}',
      '{{a},{b,c}}',
      '{a,}',
      '{,a}',
      '{a',
      'a}',
      '{}}',
      '[1:3]={a,b}',
      '[0:1]={a,b}',
      '{ a b }',
      '{"a\tb"}',
    ];
    checkInputs(Oid._text, 'text[]', inputs);
    checkInputs(Oid._int4, 'int4[]', [
      '{1,2}',
      '{ 1 , 2 }',
      '{1,x}',
      '{"1"}',
      '{{1},{2}}',
      '{NULL}',
    ]);
  });
});
