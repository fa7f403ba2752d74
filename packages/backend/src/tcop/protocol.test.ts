// Protocol-level differential tests: the same frontend message sequences sent to the engine
// (over a real socket, without the postmaster) and to PostgreSQL 15 must get the same replies —
// extended query (named/unnamed statements and portals, parameter inference, binary formats,
// row-limited Execute), error recovery up to Sync, transaction status, multi-statement Query
// messages and their implicit transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '@tuskdb/testkit';
import type { EncodableFrontendMessage } from '@tuskdb/shared-protocol';
import { startEngine, type EngineServer } from './__tests__/harness.js';
import { normalize, WireClient } from './__tests__/wire-client.js';

type Step = EncodableFrontendMessage[];

/** Runs the steps (each ending with a Sync or a Query) on one connection; returns all replies. */
async function run(port: number, steps: Step[]): Promise<unknown[]> {
  const client = await WireClient.connect(port);
  const out: unknown[] = [];
  try {
    for (const step of steps) {
      client.send(...step);
      out.push(normalize(await client.untilReady()));
    }
  } finally {
    client.close();
  }
  return out;
}

const text = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const int4 = (n: number): Uint8Array => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

describe('wire protocol: engine vs PostgreSQL 15', () => {
  let pg: PostgresServer;
  let engine: EngineServer;
  beforeAll(async () => {
    [pg, engine] = await Promise.all([startPostgres(), startEngine()]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([pg?.stop(), engine?.stop()]);
  });

  const same = async (name: string, steps: Step[]): Promise<void> => {
    const expected = await run(pg.port, steps);
    const actual = await run(engine.port, steps);
    expect(actual, name).toEqual(expected);
  };

  it('simple query: empty, multi-statement, errors, implicit transaction', async () => {
    await same('simple', [
      [{ type: 'Query', sql: '' }],
      [{ type: 'Query', sql: ';' }],
      [{ type: 'Query', sql: 'SELECT 1 AS a, NULL::text AS b; SELECT 2' }],
      [{ type: 'Query', sql: 'CREATE TABLE w (id int PRIMARY KEY, t text)' }],
      // An error ends the multi-statement implicit transaction: the first INSERT is undone too.
      [
        {
          type: 'Query',
          sql: "INSERT INTO w VALUES (1, 'a'); INSERT INTO w VALUES (1, 'b'); SELECT 'not reached'",
        },
      ],
      [{ type: 'Query', sql: 'SELECT count(*) FROM w' }],
      [
        {
          type: 'Query',
          sql: "INSERT INTO w VALUES (1, 'a'); BEGIN; INSERT INTO w VALUES (2, 'b')",
        },
      ],
      [{ type: 'Query', sql: 'SELECT * FROM w ORDER BY id' }],
      [{ type: 'Query', sql: 'ROLLBACK' }],
      [{ type: 'Query', sql: 'SELECT * FROM w ORDER BY id' }],
      [{ type: 'Query', sql: 'SELEC 1' }],
      [{ type: 'Query', sql: "SELECT 'é' AS x FROM nosuch" }],
      [{ type: 'Query', sql: 'BEGIN; SELECT 1/0; SELECT 1' }],
      [{ type: 'Query', sql: 'SELECT 1' }],
      [{ type: 'Query', sql: 'COMMIT' }],
      [{ type: 'Query', sql: 'DROP TABLE w' }],
    ]);
  });

  it('extended query: statements, portals, parameters, formats, row limits', async () => {
    await same('extended', [
      [
        {
          type: 'Query',
          sql: 'CREATE TABLE e (id int PRIMARY KEY, name text, score numeric(6,2))',
        },
      ],
      [
        {
          type: 'Parse',
          statement: 'ins',
          sql: 'INSERT INTO e VALUES ($1, $2, $3) RETURNING id',
          parameterTypes: [],
        },
        { type: 'Describe', target: 'S', name: 'ins' },
        {
          type: 'Bind',
          portal: '',
          statement: 'ins',
          parameterFormats: [],
          parameters: [text('1'), text('one'), text('1.5')],
          resultFormats: [],
        },
        { type: 'Execute', portal: '', maxRows: 0 },
        {
          type: 'Bind',
          portal: '',
          statement: 'ins',
          parameterFormats: [1, 0, 0],
          parameters: [int4(2), text('two'), null],
          resultFormats: [1],
        },
        { type: 'Execute', portal: '', maxRows: 0 },
        { type: 'Sync' },
      ],
      [
        {
          type: 'Parse',
          statement: '',
          sql: 'SELECT id, name, score FROM e WHERE id >= $1 ORDER BY id',
          parameterTypes: [23],
        },
        {
          type: 'Bind',
          portal: 'p',
          statement: '',
          parameterFormats: [],
          parameters: [text('0')],
          resultFormats: [0, 0, 1],
        },
        { type: 'Describe', target: 'P', name: 'p' },
        { type: 'Execute', portal: 'p', maxRows: 1 },
        { type: 'Execute', portal: 'p', maxRows: 1 },
        { type: 'Execute', portal: 'p', maxRows: 1 },
        { type: 'Sync' },
      ],
      // Errors: skip everything up to Sync, then carry on.
      [
        { type: 'Parse', statement: '', sql: 'SELECT $1::int + 1', parameterTypes: [] },
        {
          type: 'Bind',
          portal: '',
          statement: '',
          parameterFormats: [],
          parameters: [text('x')],
          resultFormats: [],
        },
        { type: 'Execute', portal: '', maxRows: 0 },
        { type: 'Parse', statement: 'never', sql: 'SELECT 1', parameterTypes: [] },
        { type: 'Sync' },
      ],
      [{ type: 'Describe', target: 'S', name: 'never' }, { type: 'Sync' }],
      [{ type: 'Parse', statement: 'ins', sql: 'SELECT 1', parameterTypes: [] }, { type: 'Sync' }],
      [
        { type: 'Parse', statement: '', sql: 'SELECT * FROM nosuch', parameterTypes: [] },
        { type: 'Sync' },
      ],
      // Transaction status across Syncs.
      [
        { type: 'Parse', statement: '', sql: 'BEGIN', parameterTypes: [] },
        {
          type: 'Bind',
          portal: '',
          statement: '',
          parameterFormats: [],
          parameters: [],
          resultFormats: [],
        },
        { type: 'Execute', portal: '', maxRows: 0 },
        { type: 'Sync' },
      ],
      [
        { type: 'Parse', statement: '', sql: 'SELECT 1/0', parameterTypes: [] },
        {
          type: 'Bind',
          portal: '',
          statement: '',
          parameterFormats: [],
          parameters: [],
          resultFormats: [],
        },
        { type: 'Execute', portal: '', maxRows: 0 },
        { type: 'Sync' },
      ],
      [{ type: 'Parse', statement: '', sql: 'SELECT 1', parameterTypes: [] }, { type: 'Sync' }],
      [{ type: 'Query', sql: 'ROLLBACK' }],
      [
        { type: 'Parse', statement: '', sql: '', parameterTypes: [] },
        {
          type: 'Bind',
          portal: '',
          statement: '',
          parameterFormats: [],
          parameters: [],
          resultFormats: [],
        },
        { type: 'Describe', target: 'P', name: '' },
        { type: 'Execute', portal: '', maxRows: 0 },
        { type: 'Close', target: 'S', name: 'ins' },
        { type: 'Close', target: 'P', name: 'p' },
        { type: 'Sync' },
      ],
      [{ type: 'Query', sql: 'DROP TABLE e' }],
    ]);
  });

  it('COPY: data, CopyFail, errors mid-stream, extended protocol, binary', async () => {
    const data = (s: string): EncodableFrontendMessage => ({ type: 'CopyData', data: text(s) });
    const bind: EncodableFrontendMessage = {
      type: 'Bind',
      portal: '',
      statement: '',
      parameterFormats: [],
      parameters: [],
      resultFormats: [],
    };
    await same('copy', [
      [{ type: 'Query', sql: 'CREATE TABLE cw (id int PRIMARY KEY, t text)' }],
      // rows split across CopyData messages at arbitrary points
      [
        { type: 'Query', sql: 'COPY cw FROM STDIN' },
        data('1\ton'),
        data('e\n2\t'),
        data('two\n3\t\\N\n'),
        { type: 'CopyDone' },
      ],
      // the client gives up: nothing is inserted
      [
        { type: 'Query', sql: 'COPY cw FROM STDIN' },
        data('4\tfour\n'),
        { type: 'CopyFail', message: 'changed my mind' },
      ],
      // a bad row: the error comes once, the rest of the data is discarded up to CopyDone
      [
        { type: 'Query', sql: 'COPY cw FROM STDIN' },
        data('5\tfive\nnot a number\tx\n'),
        data('6\tsix\n'),
        { type: 'CopyDone' },
      ],
      // a duplicate key in a multi-statement query ends its implicit transaction
      [
        { type: 'Query', sql: 'COPY cw FROM STDIN; SELECT 1' },
        data('1\tagain\n'),
        { type: 'CopyDone' },
      ],
      [{ type: 'Query', sql: 'SELECT * FROM cw ORDER BY id' }],
      // extended protocol: COPY FROM STDIN through Parse/Bind/Execute, then Sync
      [
        {
          type: 'Parse',
          statement: '',
          sql: 'COPY cw FROM STDIN (FORMAT csv)',
          parameterTypes: [],
        },
        bind,
        { type: 'Describe', target: 'P', name: '' },
        { type: 'Execute', portal: '', maxRows: 0 },
        data('7,seven\n8,"ei""ght"\n'),
        { type: 'CopyDone' },
        { type: 'Sync' },
      ],
      [
        {
          type: 'Parse',
          statement: '',
          sql: 'COPY cw TO STDOUT (FORMAT csv, HEADER)',
          parameterTypes: [],
        },
        bind,
        { type: 'Execute', portal: '', maxRows: 0 },
        { type: 'Sync' },
      ],
      [
        {
          type: 'Query',
          sql: 'COPY (SELECT id, t FROM cw WHERE id < 3 ORDER BY id) TO STDOUT (FORMAT binary)',
        },
      ],
      [{ type: 'Query', sql: 'COPY cw (t) TO STDOUT' }],
      [{ type: 'Query', sql: 'DROP TABLE cw' }],
    ]);
  });
});
