// Queries against a real server: simple and extended protocol, typed results, prepared
// statements, cursors, pipelining, COPY, LISTEN/NOTIFY, notices, status tracking, cancel.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  connect,
  DatabaseError,
  InterfaceError,
  PipelineAbortedError,
  type Connection,
  type Notice,
  type Notification,
} from './index.js';
import { cleanEnvironment, startServer, type TestServer } from './__tests__/server.js';

let server: TestServer;
let conn: Connection;
const open = (extra = ''): Promise<Connection> =>
  connect(`${server.conninfo} ${extra}`, { environment: cleanEnvironment });

beforeAll(async () => {
  server = await startServer();
  conn = await open('application_name=libpq-tests');
}, 120_000);
afterAll(async () => {
  await conn?.close();
  await server?.stop();
});

describe('results', () => {
  test('typed values: int8 → bigint, numeric exact, NULL, bool, json, bytea, arrays as text', async () => {
    const r = await conn.query(
      `select 1::int2 a, 2::int4 b, 9223372036854775807::int8 c, 12345678901234567890.123456789::numeric d,
              null::text e, true f, '{"x":[1,2]}'::jsonb g, '\\x00ff'::bytea h, 1.5::float8 i, 'héllo' j`,
    );
    expect(r.rows).toEqual([
      {
        a: 1,
        b: 2,
        c: 9223372036854775807n,
        d: '12345678901234567890.123456789',
        e: null,
        f: true,
        g: { x: [1, 2] },
        h: Uint8Array.from([0, 255]),
        i: 1.5,
        j: 'héllo',
      },
    ]);
    expect(r.command).toBe('SELECT');
    expect(r.rowCount).toBe(1);
    expect(r.fields.map((f) => [f.name, f.typeOid])).toEqual([
      ['a', 21],
      ['b', 23],
      ['c', 20],
      ['d', 1700],
      ['e', 25],
      ['f', 16],
      ['g', 3802],
      ['h', 17],
      ['i', 701],
      ['j', 25],
    ]);
  });

  test('binary result format gives the same values', async () => {
    const sql =
      'select 42::int4 a, -9000000000::int8 b, 2.25::float8 c, false d, $1::text e, 123.4500::numeric f, ' +
      "'2024-02-29 12:34:56.789012+00'::timestamptz g, '2024-02-29'::date h, '1 day 02:03:04'::interval i, " +
      "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid j, array[1,null,3]::int4[] k, array['x','y z']::text[] l, " +
      "'{\"a\":1}'::jsonb m, '\\x0102'::bytea n";
    const text = await conn.query(sql, ['x']);
    const bin = await conn.query(sql, ['x'], { binary: true });
    expect(bin.rows).toEqual(text.rows);
    expect(bin.fields.every((f) => f.format === 1)).toBe(true);
    expect(text.rows[0]).toMatchObject({
      f: '123.4500',
      k: [1, null, 3],
      l: ['x', 'y z'],
      m: { a: 1 },
    });
    // timestamptz: exact microseconds since 2000-01-01 UTC, as the shared codecs represent it.
    expect(text.rows[0]!['g']).toBe(762525296789012n);
  });

  test('parameters of every JS kind travel separately from the SQL', async () => {
    const r = await conn.query(
      'select $1::text a, $2::int8 b, $3::bool c, $4::timestamptz d, $5::bytea e, $6::int[] f, $7::jsonb g, $8::text h, $9::text[] i',
      [
        "it's; drop table x",
        12345678901234567n,
        false,
        new Date('2020-01-02T03:04:05.678Z'),
        Uint8Array.from([1, 2]),
        [1, null, 3],
        { k: 'v' },
        null,
        ['a"b', 'c\\d', null],
      ],
      { rowMode: 'array' },
    );
    const row = r.rows[0] as unknown as unknown[];
    expect(row.slice(0, 3)).toEqual(["it's; drop table x", 12345678901234567n, false]);
    expect(row[4]).toEqual(Uint8Array.from([1, 2]));
    expect(row[5]).toEqual([1, null, 3]);
    expect(row[6]).toEqual({ k: 'v' });
    expect(row[7]).toBeNull();
    expect(row[8]).toEqual(['a"b', 'c\\d', null]);
    const ts = await conn.query<{ ok: boolean }>(
      "select $1::timestamptz = '2020-01-02 03:04:05.678+00' ok",
      [new Date('2020-01-02T03:04:05.678Z')],
    );
    expect(ts.rows[0]!.ok).toBe(true);
  });

  test('custom type parsers per connection', async () => {
    const c = await open();
    c.types.setTypeParser(1700, (s) => Number(s));
    c.types.setTypeParser(
      23,
      (b) => new DataView(b.buffer, b.byteOffset).getInt32(0) * 10,
      'binary',
    );
    expect((await c.query('select 1.25::numeric n')).rows[0]).toEqual({ n: 1.25 });
    expect((await c.query('select 7::int4 n', [], { binary: true })).rows[0]).toEqual({ n: 70 });
    // Other connections keep the defaults.
    expect((await conn.query('select 1.25::numeric n')).rows[0]).toEqual({ n: '1.25' });
    await c.close();
  });

  test('simple query: several statements, one Result each, libpq accessors', async () => {
    const results = await conn.exec(
      "select 1 as a, 'x' as b union all select 2, null; create temp table t0(i int); insert into t0 values (1),(2)",
    );
    expect(results.map((r) => r.status)).toEqual([
      'PGRES_TUPLES_OK',
      'PGRES_COMMAND_OK',
      'PGRES_COMMAND_OK',
    ]);
    expect((await conn.exec('')).map((r) => r.status)).toEqual(['PGRES_EMPTY_QUERY']);
    const r = results[0]!;
    expect([
      r.ntuples,
      r.nfields,
      r.fname(1),
      r.ftype(0),
      r.getvalue(1, 0),
      r.getvalue(1, 1),
      r.getisnull(1, 1),
    ]).toEqual([2, 2, 'b', 23, '2', '', true]);
    expect([results[2]!.cmdStatus, results[2]!.cmdTuples]).toEqual(['INSERT 0 2', '2']);
  });

  test('simple query errors are results; later statements are not run', async () => {
    const results = await conn.exec('select 1; select 1/0; select 3');
    expect(results.map((r) => r.status)).toEqual(['PGRES_TUPLES_OK', 'PGRES_FATAL_ERROR']);
    expect(results[1]!.errorField('C')).toBe('22012');
    await expect(conn.simpleQuery('select 1/0')).rejects.toThrow('division by zero');
  });

  test('ErrorResponse fields all reach DatabaseError', async () => {
    await conn.exec('create table if not exists uniq(id int constraint uniq_pk primary key)');
    await conn.query('insert into uniq values (1) on conflict do nothing');
    const err = (await conn
      .query('insert into uniq values (1)')
      .catch((e: unknown) => e)) as DatabaseError;
    expect(err).toBeInstanceOf(DatabaseError);
    expect(err).toMatchObject({
      severity: 'ERROR',
      severityNonLocalized: 'ERROR',
      code: '23505',
      message: 'duplicate key value violates unique constraint "uniq_pk"',
      detail: 'Key (id)=(1) already exists.',
      schema: 'public',
      table: 'uniq',
      constraint: 'uniq_pk',
      routine: '_bt_check_unique',
    });
    expect(err.file).toBe('nbtinsert.c');
    expect(typeof err.line).toBe('number');
    const syntax = (await conn.query('select 1 frm x').catch((e: unknown) => e)) as DatabaseError;
    expect([syntax.code, syntax.position, syntax.query]).toEqual(['42601', 14, 'select 1 frm x']);
    const ctx = (await conn
      .query(
        "do $$ begin raise exception 'boom' using hint = 'h', column = 'c', datatype = 'd'; end $$",
      )
      .catch((e: unknown) => e)) as DatabaseError;
    expect([ctx.message, ctx.hint, ctx.column, ctx.dataType, ctx.where]).toEqual([
      'boom',
      'h',
      'c',
      'd',
      'PL/pgSQL function inline_code_block line 1 at RAISE',
    ]);
  });
});

describe('prepared statements and cursors', () => {
  test('prepare, describe, execute, close', async () => {
    const st = await conn.prepare('getsum', 'select $1::int + $2::int as s, $3::text as t');
    expect(st.paramTypes).toEqual([23, 23, 25]);
    expect(st.fields.map((f) => f.name)).toEqual(['s', 't']);
    expect((await st.execute([1, 2, 'x'])).rows).toEqual([{ s: 3, t: 'x' }]);
    expect((await st.execute([10, 20, null])).rows).toEqual([{ s: 30, t: null }]);
    await st.close();
    await expect(st.execute([1, 2, 'x'])).rejects.toMatchObject({ code: '26000' });
    await expect(conn.prepare('bad', 'select from nowhere_at_all')).rejects.toMatchObject({
      code: '42P01',
    });
  });

  test('cursor reads a large result in batches without holding it whole', async () => {
    const cur = conn.cursor<{ i: number }>(
      'select i from generate_series(1, $1::int) i',
      [10_000],
      { batchSize: 1000 },
    );
    const first = await cur.read();
    expect(first.length).toBe(1000);
    expect(first[0]).toEqual({ i: 1 });
    let count = first.length;
    let last = 0;
    for await (const row of cur) {
      count++;
      last = row.i;
    }
    expect([count, last]).toEqual([10_000, 10_000]);
    // The tag of the last Execute, as the server sends it (rows of that batch).
    expect(cur.command).toMatch(/^SELECT \d+$/);
    // The connection is free again.
    expect((await conn.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });

  test('closing a cursor early frees the connection; queries made meanwhile wait their turn', async () => {
    const cur = conn.cursor('select i from generate_series(1, 100000) i', [], { batchSize: 10 });
    const later = conn.query('select 2 as two');
    expect((await cur.read()).length).toBe(10);
    await cur.close();
    expect((await later).rows).toEqual([{ two: 2 }]);
    const bad = conn.cursor('select 1/0');
    await expect(bad.read()).rejects.toMatchObject({ code: '22012' });
    await bad.close();
    expect(conn.transactionStatus).toBe('I');
  });

  test('cursor inside a transaction block', async () => {
    await conn.query('begin');
    const cur = conn.cursor<{ i: number }>('select i from generate_series(1, 25) i', [], {
      batchSize: 10,
    });
    const rows: number[] = [];
    for await (const r of cur) rows.push(r.i);
    expect(rows.length).toBe(25);
    expect(conn.transactionStatus).toBe('T');
    await conn.query('commit');
  });
});

describe('pipelining', () => {
  test('concurrent calls on one connection are pipelined and answered in order', async () => {
    const c = await open();
    const n = 500;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) => c.query<{ v: number }>('select $1::int as v', [i])),
    );
    expect(results.map((r) => r.rows[0]!.v)).toEqual(Array.from({ length: n }, (_, i) => i));
    // An error affects only its own statement.
    const mixed = await Promise.allSettled([
      c.query('select 1 as x'),
      c.query('select 1/0'),
      c.query('select 3 as x'),
    ]);
    expect(mixed.map((m) => m.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    await c.close();
  });

  test('pipeline mode: sync points, an error aborts the rest of its segment only', async () => {
    const c = await open();
    await c.query('create temp table p(i int)');
    c.enterPipelineMode();
    expect(c.isPipelineMode).toBe(true);
    const a = c.query('insert into p values (1) returning i');
    const b = c.query('select 1/0');
    const d = c.query('insert into p values (2)');
    const s1 = c.pipelineSync();
    const e = c.query('insert into p values (3)');
    const s2 = c.pipelineSync();
    const settled = await Promise.allSettled([a, b, d, s1, e, s2]);
    expect(settled.map((x) => x.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(DatabaseError);
    expect((settled[2] as PromiseRejectedResult).reason).toBeInstanceOf(PipelineAbortedError);
    c.exitPipelineMode();
    // The first segment was one implicit transaction: its insert rolled back.
    expect((await c.query<{ i: number }>('select i from p order by i')).rows).toEqual([{ i: 3 }]);
    expect(() => {
      c.enterPipelineMode();
      void c.query('select 1');
      c.exitPipelineMode();
    }).toThrow(InterfaceError);
    await c.pipelineSync();
    c.exitPipelineMode();
    await c.close();
  });

  test('200 connections at once from one process, interleaved queries, clean close', async () => {
    const conns = await Promise.all(Array.from({ length: 200 }, () => open()));
    expect(new Set(conns.map((c) => c.processId)).size).toBe(200);
    const work = conns.flatMap((c, i) =>
      Array.from({ length: 5 }, (_, j) =>
        c
          .query<{ v: string }>('select $1::text || pg_backend_pid() as v', [`${i}:${j}:`])
          .then((r) => {
            expect(r.rows[0]!.v).toBe(`${i}:${j}:${c.processId}`);
          }),
      ),
    );
    await Promise.all(work);
    await Promise.all(conns.map((c) => c.close()));
    expect(conns.every((c) => c.closed)).toBe(true);
    const left = Number(
      server
        .psql("select count(*) from pg_stat_activity where backend_type = 'client backend'")
        .split('\n')[2],
    );
    expect(left).toBeLessThan(10);
  }, 120_000);
});

describe('COPY', () => {
  test('copyFrom (text, CSV, binary) and copyTo round trip with backpressure', async () => {
    const c = await open();
    await c.query('create temp table cp(id int, name text)');
    const rows = 20_000;
    function* lines(): Generator<string> {
      for (let i = 0; i < rows; i++) yield `${i}\tname ${i}\n`;
    }
    const into = c.copyFrom('copy cp from stdin');
    await pipeline(Readable.from(lines()), into);
    expect(into.rowCount).toBe(rows);
    await pipeline(
      Readable.from(['"-1","a,b ""quoted"""\n']),
      c.copyFrom('copy cp from stdin (format csv)'),
    );
    expect((await c.query('select name from cp where id = -1')).rows).toEqual([
      { name: 'a,b "quoted"' },
    ]);

    // A slow consumer: the connection stops reading while the consumer is behind.
    const out = c.copyTo('copy (select * from cp order by id) to stdout (format csv)');
    let received = '';
    await pipeline(
      out,
      new Writable({
        highWaterMark: 1024,
        write(chunk: Buffer, _e, cb) {
          received += chunk.toString();
          setImmediate(cb);
        },
      }),
    );
    expect(out.rowCount).toBe(rows + 1);
    expect(received.split('\n').length).toBe(rows + 2);
    expect(received.startsWith('-1,"a,b ""quoted"""\n0,name 0\n')).toBe(true);

    // Binary: out of one table and into another unchanged.
    await c.query('create temp table cp2 (like cp)');
    const chunks: Buffer[] = [];
    await pipeline(
      c.copyTo('copy cp to stdout (format binary)'),
      new Writable({
        write(ch: Buffer, _e, cb) {
          chunks.push(ch);
          cb();
        },
      }),
    );
    expect(Buffer.concat(chunks).subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
    await pipeline(Readable.from(chunks), c.copyFrom('copy cp2 from stdin (format binary)'));
    expect((await c.query('select count(*)::int n from cp2')).rows).toEqual([{ n: rows + 1 }]);
    await c.close();
  }, 60_000);

  test('COPY errors: bad data, missing table, client abort — the connection stays usable', async () => {
    const c = await open();
    await c.query('create temp table ce(i int)');
    await expect(
      pipeline(Readable.from(['1\n', 'x\n']), c.copyFrom('copy ce from stdin')),
    ).rejects.toMatchObject({
      code: '22P02',
    });
    await expect(
      pipeline(Readable.from(['1\n']), c.copyFrom('copy nope from stdin')),
    ).rejects.toMatchObject({ code: '42P01' });
    const failing = new Readable({
      read() {
        this.push('1\n');
        this.destroy(new Error('producer failed'));
      },
    });
    await expect(pipeline(failing, c.copyFrom('copy ce from stdin'))).rejects.toThrow(
      'producer failed',
    );
    expect((await c.query('select count(*)::int n from ce')).rows).toEqual([{ n: 0 }]);
    await expect(
      pipeline(
        c.copyTo('copy nope to stdout'),
        new Writable({
          write(_c, _e, cb) {
            cb();
          },
        }),
      ),
    ).rejects.toMatchObject({
      code: '42P01',
    });
    expect((await c.query('select 1 as ok')).rows).toEqual([{ ok: 1 }]);
    await c.close();
  });

  test('exec() runs COPY FROM STDIN / TO STDOUT with caller-supplied data (as psql does)', async () => {
    const c = await open();
    await c.query('create temp table ex(i int)');
    const results = await c.exec('copy ex from stdin; copy ex to stdout', {
      copyIn: () => ['1\n2\n', Buffer.from('3\n')],
    });
    expect(results.map((r) => [r.status, r.cmdStatus])).toEqual([
      ['PGRES_COPY_IN', 'COPY 3'],
      ['PGRES_COPY_OUT', 'COPY 3'],
    ]);
    expect(Buffer.concat(results[1]!.copyData!).toString()).toBe('1\n2\n3\n');
    await c.close();
  });
});

describe('asynchronous messages and session state', () => {
  test('LISTEN/NOTIFY across connections', async () => {
    const listener = await open();
    const got: Notification[] = [];
    listener.on('notification', (n) => got.push(n));
    await listener.listen('chan nel');
    await conn.notify('chan nel', 'hello');
    await conn.query("select pg_notify('chan nel', 'second')");
    for (let i = 0; i < 100 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(got.map((n) => [n.channel, n.payload, n.processId])).toEqual([
      ['chan nel', 'hello', conn.processId],
      ['chan nel', 'second', conn.processId],
    ]);
    await listener.close();
  });

  test('notices, ParameterStatus, transaction status', async () => {
    const notices: Notice[] = [];
    const params: Array<[string, string]> = [];
    conn.on('notice', (n) => notices.push(n));
    conn.on('parameter', (k, v) => params.push([k, v]));
    await conn.query("do $$ begin raise notice 'note %', 1; raise warning 'careful'; end $$");
    expect(notices.map((n) => [n.severity, n.message])).toEqual([
      ['NOTICE', 'note 1'],
      ['WARNING', 'careful'],
    ]);
    expect(conn.parameters.get('server_version')).toMatch(/^15\./);
    expect(conn.serverVersion).toBeGreaterThanOrEqual(150000);
    expect(conn.parameters.get('application_name')).toBe('libpq-tests');
    await conn.query("set application_name = 'renamed'");
    expect(params).toContainEqual(['application_name', 'renamed']);
    expect(conn.transactionStatus).toBe('I');
    await conn.query('begin');
    expect([conn.transactionStatus, conn.transactionState]).toEqual(['T', 'intrans']);
    await conn.query('select 1/0').catch(() => {});
    expect([conn.transactionStatus, conn.transactionState]).toEqual(['E', 'inerror']);
    await conn.query('rollback');
    expect(conn.transactionState).toBe('idle');
    conn.removeAllListeners('notice');
    conn.removeAllListeners('parameter');
  });
});

describe('cancellation', () => {
  test('cancel() stops pg_sleep with 57014; the connection stays usable', async () => {
    const c = await open();
    const started = Date.now();
    const sleeping = c.query('select pg_sleep(30)').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    await c.cancel();
    expect(await sleeping).toMatchObject({
      code: '57014',
      message: 'canceling statement due to user request',
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await c.query('select 1 as ok')).rows).toEqual([{ ok: 1 }]);
    await c.close();
  });

  test('AbortSignal and timeout cancel on the server; queued requests behind them still run', async () => {
    const c = await open();
    const ac = new AbortController();
    const sleeping = c.query('select pg_sleep(30)', [], { signal: ac.signal });
    const after = c.query('select 2 as two');
    setTimeout(() => ac.abort(), 100);
    await expect(sleeping).rejects.toMatchObject({ code: '57014' });
    expect((await after).rows).toEqual([{ two: 2 }]);
    await expect(c.query('select pg_sleep(30)', [], { timeout: 150 })).rejects.toMatchObject({
      code: '57014',
    });
    const pre = new AbortController();
    pre.abort(new Error('already aborted'));
    await expect(c.query('select 1', [], { signal: pre.signal })).rejects.toThrow(
      'already aborted',
    );
    await c.close();
  });
});

describe('closing', () => {
  test('close() waits for pending requests; later ones fail; asyncDispose', async () => {
    const c = await open();
    const pending = c.query('select pg_sleep(0.1), 1 as v');
    const closing = c.close();
    await expect(c.query('select 1')).rejects.toBeInstanceOf(InterfaceError);
    expect((await pending).rows[0]).toMatchObject({ v: 1 });
    await closing;
    expect(c.closed).toBe(true);
    {
      await using d = await open();
      expect((await d.query('select 1 as x')).rows).toEqual([{ x: 1 }]);
    }
  });
});

describe('encryptPassword', () => {
  test('a SCRAM verifier the server stores as such, and md5 hashes', async () => {
    const { encryptPassword } = await import('./index.js');
    const verifier = await encryptPassword(conn, 's3cret', 'encuser');
    expect(verifier).toMatch(/^SCRAM-SHA-256\$4096:[^$]+\$[^:]+:.+$/);
    await conn.exec(
      `drop role if exists encuser; create role encuser login password '${verifier}'`,
    );
    expect(
      server.psql(
        "select rolpassword like 'SCRAM-SHA-256$%' from pg_authid where rolname = 'encuser'",
      ),
    ).toContain(' t');
    const { createHash } = await import('node:crypto');
    expect(await encryptPassword(conn, 'pw', 'bob', 'md5')).toBe(
      'md5' + createHash('md5').update('pwbob').digest('hex'),
    );
  });
});
