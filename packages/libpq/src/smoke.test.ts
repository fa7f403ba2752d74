import { afterAll, beforeAll, expect, test } from 'vitest';
import { connect } from './index.js';
import { cleanEnvironment, startServer, type TestServer } from './__tests__/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

test('smoke', async () => {
  const conn = await connect(server.conninfo, { environment: cleanEnvironment });
  const r = await conn.query<{ id: number; big: bigint; n: string }>(
    'select $1::int as id, 9007199254740993::int8 as big, 1.50::numeric as n',
    [1],
  );
  expect(r.rows).toEqual([{ id: 1, big: 9007199254740993n, n: '1.50' }]);
  const results = await conn.exec('select 1 as a; select 2 as b');
  expect(results.map((x) => x.getvalue(0, 0))).toEqual(['1', '2']);
  await conn.close();
});
