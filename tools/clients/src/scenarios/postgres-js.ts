/** postgres.js: tagged-template queries (always extended protocol), helpers, transactions, COPY. */
import postgres from 'postgres';
import { runSteps } from './run-steps.js';

export async function postgresJsScenario(port: number): Promise<string[]> {
  const sql = postgres({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    database: 'postgres',
    max: 4,
    onnotice: () => undefined,
  });
  const plain = <T>(r: T): T => JSON.parse(JSON.stringify(r)) as T;
  const lines = await runSteps([
    ['drop', () => sql`drop table if exists pj_people`.then(plain)],
    [
      'create',
      () =>
        sql`create table pj_people (id int primary key, name text, age int, born date, score numeric)`.then(
          plain,
        ),
    ],
    [
      'insert helper',
      () =>
        sql`insert into pj_people ${sql([
          { id: 1, name: 'Ann', age: 31, born: '1993-05-01', score: '12.5' },
          { id: 2, name: 'Bob', age: 45, born: '1979-11-30', score: null },
          { id: 3, name: "O'Neil", age: 27, born: null, score: '-0.001' },
        ])} returning id`.then(plain),
    ],
    [
      'select param',
      () => sql`select name, age from pj_people where age > ${30} order by id`.then(plain),
    ],
    [
      'in list',
      () => sql`select id from pj_people where id in ${sql([1, 3])} order by id`.then(plain),
    ],
    ['values()', () => sql`select id, name from pj_people order by id`.values().then(plain)],
    ['count', () => sql`select count(*)::int as n from pj_people`.then(plain)],
    [
      'update helper',
      () =>
        sql`update pj_people set ${sql({ age: 32, name: 'Ann B' })} where id = ${1} returning *`.then(
          plain,
        ),
    ],
    [
      'transaction',
      () =>
        sql
          .begin(async (tx) => {
            await tx`insert into pj_people (id, name) values (10, 'tx')`;
            return tx`select count(*)::int as n from pj_people`;
          })
          .then(plain),
    ],
    [
      'savepoint rollback',
      () =>
        sql
          .begin(async (tx) => {
            await tx
              .savepoint(async (sp) => {
                await sp`insert into pj_people (id, name) values (11, 'gone')`;
                throw new Error('undo');
              })
              .catch(() => undefined);
            return tx`select id from pj_people where id >= 10 order by id`;
          })
          .then(plain),
    ],
    [
      'failed transaction',
      () => sql.begin(async (tx) => tx`insert into pj_people (id) values (1)`),
    ],
    ['unsafe multi', () => sql.unsafe('select 1 as a; select 2 as b').then(plain)],
    [
      'array param',
      () => sql`select ${[1, 2, 3]}::int[] as arr, ${['x', 'y']}::text[] as t`.then(plain),
    ],
    ['json param', () => sql`select ${sql.json({ a: [1, 'b'] })}::json as j`.then(plain)],
    [
      'concurrent',
      async () => {
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            sql`select ${i}::int * 2 as v`.then((r) => r[0]!.v as number),
          ),
        );
        return results;
      },
    ],
    [
      'copy to',
      async () => {
        const chunks: string[] = [];
        const stream =
          await sql`copy (select id, name from pj_people order by id) to stdout`.readable();
        for await (const chunk of stream) chunks.push(String(chunk));
        return chunks.join('');
      },
    ],
    [
      'copy from',
      async () => {
        const stream = await sql`copy pj_people (id, name) from stdin`.writable();
        await new Promise<void>((resolve, reject) => {
          stream.on('error', reject);
          stream.on('finish', resolve);
          stream.write('20\tcopied\n21\t\\N\n');
          stream.end();
        });
        return sql`select id, name from pj_people where id >= 20 order by id`.then(plain);
      },
    ],
    ['error', () => sql`select * from pj_nosuch`],
  ]);
  await sql.end();
  return lines;
}
