/** node-postgres (`pg`): simple and extended queries, named statements, types, errors, a pool. */
import pg from 'pg';
import { runSteps } from './run-steps.js';

export async function nodePostgresScenario(port: number): Promise<string[]> {
  const config = { host: '127.0.0.1', port, user: 'postgres', database: 'postgres' };
  const c = new pg.Client(config);
  await c.connect();
  const rows = (r: pg.QueryResult) => ({ command: r.command, rowCount: r.rowCount, rows: r.rows });
  const lines = await runSteps([
    ['drop', () => c.query('drop table if exists np_items').then(rows)],
    [
      'create',
      () =>
        c
          .query(
            `create table np_items (id serial primary key, name text not null, price numeric(10,2),
             qty int8, seen date, at timestamptz, ok bool, raw bytea, tags text[])`,
          )
          .then(rows),
    ],
    [
      'insert returning',
      () =>
        c
          .query(
            `insert into np_items (name, price, qty, seen, at, ok, raw, tags)
             values ($1, $2, $3, $4, $5, $6, $7, $8) returning id, name`,
            [
              'widget',
              '19.99',
              '9007199254740993',
              '2024-02-29',
              new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
              true,
              Buffer.from([0, 1, 254, 255]),
              ['a', 'b c', 'd"e'],
            ],
          )
          .then(rows),
    ],
    [
      'insert many',
      () =>
        c
          .query(
            `insert into np_items (name, price, qty, ok)
             select 'item ' || g, g * 1.5, g, g % 2 = 0 from generate_series(1, 20) g`,
          )
          .then(rows),
    ],
    ['select one', () => c.query('select * from np_items where id = $1', [1]).then(rows)],
    [
      'array mode',
      () =>
        c
          .query({ text: 'select id, name from np_items order by id limit 3', rowMode: 'array' })
          .then(rows),
    ],
    [
      'named statement',
      async () => {
        const out = [];
        for (const id of [2, 3, 4])
          out.push(
            (
              await c.query({
                name: 'by-id',
                text: 'select name from np_items where id = $1',
                values: [id],
              })
            ).rows,
          );
        return out;
      },
    ],
    [
      'fields',
      () =>
        c
          .query('select id, name, price, qty from np_items limit 1')
          .then((r) =>
            r.fields.map((f) => [f.name, f.dataTypeID, f.dataTypeSize, f.dataTypeModifier]),
          ),
    ],
    [
      'aggregates',
      () =>
        c
          .query('select count(*), sum(price), avg(qty)::numeric(10,3), max(name) from np_items')
          .then(rows),
    ],
    [
      'update',
      () => c.query("update np_items set ok = not ok where name like 'item 1%'").then(rows),
    ],
    ['delete', () => c.query('delete from np_items where id > $1', [18]).then(rows)],
    [
      'transaction rollback',
      async () => {
        await c.query('begin');
        await c.query("insert into np_items (name) values ('temp')");
        const inside = (await c.query('select count(*) from np_items')).rows;
        await c.query('rollback');
        return [inside, (await c.query('select count(*) from np_items')).rows];
      },
    ],
    [
      'error in transaction',
      async () => {
        await c.query('begin');
        const errs: string[] = [];
        for (const sql of ['select 1/0', 'select 1'])
          await c.query(sql).catch((e: { code: string }) => errs.push(e.code));
        await c.query('rollback');
        return errs;
      },
    ],
    ['unique violation', () => c.query("insert into np_items (id, name) values (1, 'dup')")],
    ['not null violation', () => c.query('insert into np_items (name) values (null)')],
    ['syntax error', () => c.query('selec 1')],
    ['undefined column', () => c.query('select nosuch from np_items')],
    [
      'types',
      () =>
        c
          .query(
            `select 1::int2 as a, 2::int4 as b, 3::int8 as c, 1.5::float4 as d, 2.25::float8 as e,
             'x'::varchar(3) as f, 'y'::char(2) as g, true as h, null::text as i,
             '2024-01-02'::date as j, '12:34:56.5'::time as k, '2024-01-02 03:04:05'::timestamp as l,
             '1 year 2 mons 3 days 04:05:06.5'::interval as t,
             '{1,2,3}'::int[] as m, '\\x0a0b'::bytea as n, '{"k": [1, 2]}'::json as o,
             '{"k": 1}'::jsonb as p, 12345678901234567890.123::numeric as q, 'ab'::name as r,
             1::oid as s`,
          )
          .then(rows),
    ],
    [
      'multi statement',
      () =>
        c
          .query('select 1 as x; select 2 as y')
          .then((r) => (r as unknown as pg.QueryResult[]).map(rows)),
    ],
    [
      'pool concurrency',
      async () => {
        const pool = new pg.Pool({ ...config, max: 4 });
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            pool.query('insert into np_items (name, qty) values ($1, $2)', [`pool ${i}`, i]),
          ),
        );
        const r = await pool.query(
          "select count(*), sum(qty) from np_items where name like 'pool %'",
        );
        await pool.end();
        return r.rows as unknown[];
      },
    ],
  ]);
  await c.end();
  return lines;
}
