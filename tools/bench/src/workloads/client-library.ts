// Workload: client libraries against the same real PostgreSQL — @tuskdb/libpq vs node-postgres
// (`pg`) vs postgres.js: sequential point queries, concurrent queries on one connection, fetching a
// big result, COPY in. The ratio is @tuskdb/libpq against the fastest of the two peers.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { connect as tuskConnect, type Connection } from '@tuskdb/libpq';
import pg from 'pg';
import postgres from 'postgres';
import {
  interleave,
  type BenchContext,
  type Contender,
  type WorkloadOutput,
} from '../lib/context.js';
import { notAvailable, rowVsBestPeer, type ResultRow } from '../lib/result.js';
import { generateCopyText } from './copy-load.js';

export const name = 'client-library';
export const description = '@tuskdb/libpq vs pg vs postgres.js against PostgreSQL 15';

interface Client {
  name: string;
  point(id: number): Promise<string>;
  fetch(sql: string): Promise<number>;
  /** undefined when the library has no COPY FROM STDIN of its own. */
  copyIn?(sql: string, data: Buffer): Promise<void>;
  close(): Promise<void>;
}

async function tuskClient(uri: string): Promise<Client> {
  const conn: Connection = await tuskConnect(uri);
  return {
    name: '@tuskdb/libpq',
    point: async (id) => {
      const { rows } = await conn.query<{ name: string }>(
        'select name from bench_kv where id = $1',
        [id],
      );
      return rows[0]!.name;
    },
    fetch: async (sql) => (await conn.query(sql)).rows.length,
    copyIn: async (sql, data) => {
      await pipeline(Readable.from(chunks(data)), conn.copyFrom(sql));
    },
    close: () => conn.close(),
  };
}

async function pgClient(uri: string): Promise<Client> {
  const client = new pg.Client({ connectionString: uri });
  await client.connect();
  return {
    name: 'pg',
    point: async (id) => {
      const r = await client.query<{ name: string }>({
        name: 'point',
        text: 'select name from bench_kv where id = $1',
        values: [id],
      });
      return r.rows[0]!.name;
    },
    fetch: async (sql) => (await client.query(sql)).rows.length,
    close: () => client.end(),
  };
}

function postgresJsClient(uri: string): Client {
  const sql = postgres(uri, { max: 1, onnotice: () => undefined });
  return {
    name: 'postgres.js',
    point: async (id) => {
      const rows = await sql<Array<{ name: string }>>`select name from bench_kv where id = ${id}`;
      return rows[0]!.name;
    },
    fetch: async (text) => (await sql.unsafe(text)).length,
    copyIn: async (text, data) => {
      const writable = await sql.unsafe(text).writable();
      await pipeline(Readable.from(chunks(data)), writable);
    },
    close: () => sql.end(),
  };
}

function* chunks(data: Buffer): Generator<Buffer> {
  for (let at = 0; at < data.length; at += 65536) yield data.subarray(at, at + 65536);
}

export async function run(ctx: BenchContext): Promise<WorkloadOutput> {
  const { options, progress } = ctx;
  const pgEnd = ctx.postgres;
  const keys = 10_000;
  progress.step(`creating bench_kv (${keys.toLocaleString('en')} rows) on PostgreSQL`);
  pgEnd.psql(
    `drop table if exists bench_kv; create table bench_kv (id int primary key, name text); insert into bench_kv select i, 'name-' || i from generate_series(1, ${keys}) i; analyze bench_kv`,
  );
  const factories: Array<[string, () => Promise<Client>]> = [
    ['@tuskdb/libpq', () => tuskClient(pgEnd.uri)],
    ['pg', () => pgClient(pgEnd.uri)],
    ['postgres.js', () => Promise.resolve(postgresJsClient(pgEnd.uri))],
  ];
  const q = options.queries;
  const big = options.bigRows;
  const fetchSql = `select i, 'name-' || i as name, i * 1.5::float8 as f from generate_series(1, ${big}) i`;
  const copyData = generateCopyText(big);
  const tests: Array<{ label: string; unit: string; run: (c: Client) => Promise<number> }> = [
    {
      label: `${q.toLocaleString('en')} sequential point queries`,
      unit: 'queries/s',
      run: async (c) => {
        const start = performance.now();
        for (let i = 0; i < q; i++) {
          const id = ((i * 7919) % keys) + 1;
          if ((await c.point(id)) !== `name-${id}`) throw new Error('wrong row');
        }
        return (q / (performance.now() - start)) * 1000;
      },
    },
    {
      label: `${q.toLocaleString('en')} concurrent queries, one connection`,
      unit: 'queries/s',
      run: async (c) => {
        const start = performance.now();
        const names = await Promise.all(
          Array.from({ length: q }, (_, i) => c.point((i % keys) + 1)),
        );
        if (names[q - 1] !== `name-${((q - 1) % keys) + 1}`) throw new Error('wrong row');
        return (q / (performance.now() - start)) * 1000;
      },
    },
    {
      label: `fetch ${big.toLocaleString('en')} rows (3 columns)`,
      unit: 'rows/s',
      run: async (c) => {
        const start = performance.now();
        const n = await c.fetch(fetchSql);
        if (n !== big) throw new Error(`fetched ${n} rows`);
        return (big / (performance.now() - start)) * 1000;
      },
    },
    {
      label: `COPY in ${big.toLocaleString('en')} rows`,
      unit: 'rows/s',
      run: async (c) => {
        if (!c.copyIn) throw new Error('no COPY FROM STDIN in the library (needs pg-copy-streams)');
        pgEnd.psql(
          'drop table if exists bench_copy_client; create table bench_copy_client (id int, name text, amount numeric, at timestamptz, flag bool)',
        );
        const start = performance.now();
        await c.copyIn('copy bench_copy_client from stdin', copyData);
        const ms = performance.now() - start;
        const n = Number(pgEnd.psql('select count(*) from bench_copy_client').trim());
        if (n !== big) throw new Error(`copied ${n} rows`);
        return (big / ms) * 1000;
      },
    },
  ];
  const rows: ResultRow[] = [];
  for (const t of tests) {
    const contenders: Contender[] = factories.map(([who, make]) => ({
      name: who,
      measure: async () => {
        const c = await make();
        try {
          return await t.run(c);
        } finally {
          await c.close();
        }
      },
    }));
    const figures = await interleave(ctx, t.label, t.unit, options.rounds, contenders);
    rows.push(
      rowVsBestPeer({
        workload: name,
        name: t.label,
        unit: t.unit,
        better: 'higher',
        tusk: figures.get('@tuskdb/libpq') ?? notAvailable('not run'),
        peers: {
          pg: figures.get('pg') ?? notAvailable('not run'),
          'postgres.js': figures.get('postgres.js') ?? notAvailable('not run'),
        },
      }),
    );
  }
  pgEnd.psql('drop table if exists bench_kv, bench_copy_client');
  return {
    rows,
    notes: [
      'all three libraries against the same PostgreSQL server over TCP loopback; "Tusk" column = @tuskdb/libpq, ratio vs the fastest peer',
      'pg: prepared (named) point query; postgres.js: its default (prepared) tagged template; @tuskdb/libpq: conn.query with parameters',
    ],
  };
}
