// Interop with a real PostgreSQL 15: every exchange goes over a raw socket through this codec only,
// and every message PostgreSQL sends back is decoded and checked.
import { createHash } from 'node:crypto';
import net from 'node:net';
import { startPostgres, type PostgresServer } from '@tuskdb/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendDecoderMessage, BackendKeyData, ErrorResponse } from '../messages.js';
import { ScramClient } from '../auth/index.js';
import { PROTOCOL_3_0 } from '../messages.js';
import { WireConnection } from './__tests__/wire-connection.js';
import { encodeFrontendMessage, GSSENC_REQUEST_MESSAGE, SSL_REQUEST_MESSAGE } from './encode.js';
import { FrontendDecoder } from './frontend-decoder.js';
import { MessageWriter } from './message-writer.js';
import { ProtocolError } from './protocol-error.js';
import { textOfValue } from './text.js';

let pg: PostgresServer;

beforeAll(async () => {
  pg = await startPostgres({
    hba: [
      'local all all trust',
      'host all clear_user 127.0.0.1/32 password',
      'host all md5_user 127.0.0.1/32 md5',
      'host all scram_user 127.0.0.1/32 scram-sha-256',
      'host all all 127.0.0.1/32 trust',
    ],
  });
  pg.psql(
    "CREATE ROLE clear_user LOGIN PASSWORD 'clear pw';" +
      "SET password_encryption = 'md5'; CREATE ROLE md5_user LOGIN PASSWORD 'md5 pw';" +
      "RESET password_encryption; CREATE ROLE scram_user LOGIN PASSWORD 'scram pw';" +
      'CREATE TABLE copy_t (a int, b text); CREATE TABLE uniq_t (id int PRIMARY KEY)',
  );
}, 60_000);

afterAll(async () => {
  await pg?.stop();
});

const int4 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

const types = (ms: BackendDecoderMessage[]): string[] => ms.map((m) => m.type);

function find<T extends BackendDecoderMessage['type']>(
  ms: BackendDecoderMessage[],
  type: T,
): Extract<BackendDecoderMessage, { type: T }> {
  const m = ms.find((x) => x.type === type);
  if (!m) throw new Error(`no ${type} in ${types(ms).join(', ')}`);
  return m as Extract<BackendDecoderMessage, { type: T }>;
}

function startup(user: string, extra: Array<[string, string]> = [], version = PROTOCOL_3_0) {
  return {
    type: 'StartupMessage' as const,
    protocolVersion: version,
    parameters: new Map([['user', user], ['database', 'postgres'], ...extra]),
  };
}

/** Checks the tail of a successful login: ParameterStatus*, BackendKeyData, ReadyForQuery 'I'. */
function checkLoginTail(ms: BackendDecoderMessage[]): BackendKeyData {
  const statuses = new Map(
    ms.flatMap((m) => (m.type === 'ParameterStatus' ? [[m.name, m.value] as const] : [])),
  );
  expect(statuses.get('server_version')).toMatch(/^15\./);
  expect(statuses.get('client_encoding')).toBe('UTF8');
  expect(statuses.get('integer_datetimes')).toBe('on');
  const key = find(ms, 'BackendKeyData');
  expect(key.processId).toBeGreaterThan(0);
  expect(ms.at(-1)).toEqual({ type: 'ReadyForQuery', status: 'I' });
  return key;
}

async function login(user = 'postgres'): Promise<{ conn: WireConnection; key: BackendKeyData }> {
  const conn = await WireConnection.connect(pg.port);
  conn.send(startup(user));
  const ms = await conn.until('ReadyForQuery');
  expect(ms[0]).toEqual({ type: 'AuthenticationOk' });
  return { conn, key: checkLoginTail(ms) };
}

async function query(conn: WireConnection, sql: string): Promise<BackendDecoderMessage[]> {
  conn.send({ type: 'Query', sql });
  return conn.until('ReadyForQuery');
}

describe('startup and authentication against PostgreSQL 15', () => {
  it('logs in with trust', async () => {
    const { conn } = await login();
    conn.send({ type: 'Terminate' });
    await conn.closed();
  });

  it('logs in with a cleartext password', async () => {
    const conn = await WireConnection.connect(pg.port);
    conn.send(startup('clear_user'));
    expect(await conn.next()).toEqual({ type: 'AuthenticationCleartextPassword' });
    conn.send({ type: 'PasswordMessage', password: 'clear pw' });
    const ms = await conn.until('ReadyForQuery');
    expect(ms[0]).toEqual({ type: 'AuthenticationOk' });
    checkLoginTail(ms);
    conn.close();
  });

  it('reports a wrong password as PostgreSQL’s FATAL', async () => {
    const conn = await WireConnection.connect(pg.port);
    conn.send(startup('clear_user'));
    await conn.next();
    conn.send({ type: 'PasswordMessage', password: 'wrong' });
    const e = (await conn.next()) as ErrorResponse;
    expect(e).toMatchObject({
      type: 'ErrorResponse',
      severity: 'FATAL',
      severityNonLocalized: 'FATAL',
      code: '28P01',
      message: 'password authentication failed for user "clear_user"',
      routine: 'auth_failed',
    });
    await conn.closed();
  });

  it('logs in with MD5', async () => {
    const conn = await WireConnection.connect(pg.port);
    conn.send(startup('md5_user'));
    const req = await conn.next();
    if (req.type !== 'AuthenticationMD5Password') throw new Error(`got ${req.type}`);
    expect(req.salt.length).toBe(4);
    const md5 = (data: Buffer | string): string => createHash('md5').update(data).digest('hex');
    const inner = md5('md5 pw' + 'md5_user');
    const password = 'md5' + md5(Buffer.concat([Buffer.from(inner), req.salt]));
    conn.send({ type: 'PasswordMessage', password });
    const ms = await conn.until('ReadyForQuery');
    expect(ms[0]).toEqual({ type: 'AuthenticationOk' });
    checkLoginTail(ms);
    conn.close();
  });

  it('logs in with SCRAM-SHA-256 (ScramClient from src/auth)', async () => {
    const conn = await WireConnection.connect(pg.port);
    conn.send(startup('scram_user'));
    expect(await conn.next()).toEqual({
      type: 'AuthenticationSASL',
      mechanisms: ['SCRAM-SHA-256'],
    });
    const scram = new ScramClient({ password: 'scram pw' });
    conn.send({
      type: 'SASLInitialResponse',
      mechanism: scram.mechanism,
      data: Buffer.from(scram.clientFirstMessage()),
    });
    const cont = await conn.next();
    if (cont.type !== 'AuthenticationSASLContinue') throw new Error(`got ${cont.type}`);
    expect(textOfValue(cont.data)).toMatch(/^r=[^,]+,s=[^,]+,i=4096$/);
    conn.send({
      type: 'SASLResponse',
      data: Buffer.from(scram.handleServerFirst(textOfValue(cont.data))),
    });
    const final = await conn.next();
    if (final.type !== 'AuthenticationSASLFinal') throw new Error(`got ${final.type}`);
    scram.handleServerFinal(textOfValue(final.data)); // throws unless the server proved the secret
    const ms = await conn.until('ReadyForQuery');
    expect(ms[0]).toEqual({ type: 'AuthenticationOk' });
    checkLoginTail(ms);
    conn.close();
  });

  it('fails SCRAM with a wrong password as PostgreSQL’s FATAL', async () => {
    const conn = await WireConnection.connect(pg.port);
    conn.send(startup('scram_user'));
    await conn.next();
    const scram = new ScramClient({ password: 'not it' });
    conn.send({
      type: 'SASLInitialResponse',
      mechanism: scram.mechanism,
      data: Buffer.from(scram.clientFirstMessage()),
    });
    const cont = await conn.next();
    if (cont.type !== 'AuthenticationSASLContinue') throw new Error(`got ${cont.type}`);
    conn.send({
      type: 'SASLResponse',
      data: Buffer.from(scram.handleServerFirst(textOfValue(cont.data))),
    });
    expect(await conn.next()).toMatchObject({
      type: 'ErrorResponse',
      severity: 'FATAL',
      code: '28P01',
      message: 'password authentication failed for user "scram_user"',
    });
    await conn.closed();
  });

  it('answers SSLRequest with N (no TLS configured), then accepts a startup packet', async () => {
    const conn = await WireConnection.connect(pg.port);
    conn.decoder.expectSSLResponse();
    conn.sendRaw(SSL_REQUEST_MESSAGE);
    expect(await conn.next()).toEqual({ type: 'SSLResponse', accepted: false });
    conn.send(startup('postgres'));
    checkLoginTail(await conn.until('ReadyForQuery'));
    conn.close();
  });

  it('answers GSSENCRequest with one byte (G on a GSSAPI-enabled build over TCP)', async () => {
    const conn = await WireConnection.connect(pg.port);
    conn.decoder.expectGSSENCResponse();
    conn.sendRaw(GSSENC_REQUEST_MESSAGE);
    const answer = await conn.next();
    expect(answer.type).toBe('GSSENCResponse');
    if (answer.type === 'GSSENCResponse' && !answer.accepted) {
      conn.send(startup('postgres'));
      checkLoginTail(await conn.until('ReadyForQuery'));
    }
    expect(conn.decoder.bufferedBytes().length).toBe(0);
    conn.close();
  });

  it('negotiates the protocol version for 3.1 and _pq_ options', async () => {
    const conn = await WireConnection.connect(pg.port);
    conn.send(startup('postgres', [['_pq_.foo', 'bar']], PROTOCOL_3_0 + 1));
    expect(await conn.next()).toEqual({
      type: 'NegotiateProtocolVersion',
      // PostgreSQL 15 sends its whole newest version (3.0 = 196608) here, not just the minor.
      newestMinorVersion: PROTOCOL_3_0,
      unrecognizedOptions: ['_pq_.foo'],
    });
    const ms = await conn.until('ReadyForQuery');
    expect(ms[0]).toEqual({ type: 'AuthenticationOk' });
    checkLoginTail(ms);
    conn.close();
  });

  it('rejects protocol 4.0 and 2.0 with the text FrontendDecoder uses', async () => {
    const ours = (packet: Buffer): ProtocolError => {
      try {
        new FrontendDecoder().push(packet, () => {});
      } catch (err) {
        return err as ProtocolError;
      }
      throw new Error('FrontendDecoder accepted it');
    };
    const v4 = encodeFrontendMessage(startup('postgres', [], 4 << 16));
    const conn = await WireConnection.connect(pg.port);
    conn.sendRaw(v4);
    const e = (await conn.next()) as ErrorResponse;
    expect(e).toMatchObject({ type: 'ErrorResponse', severity: 'FATAL', code: '0A000' });
    expect([ours(v4).code, ours(v4).message]).toEqual([e.code, e.message]);
    await conn.closed();

    // A 2.0 client gets the error in the old protocol's format ('E', text, NUL): read it raw.
    const v2 = encodeFrontendMessage(startup('postgres', [], 2 << 16));
    const raw = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const socket = net.connect({ host: '127.0.0.1', port: pg.port }, () => socket.write(v2));
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('close', () => resolve(Buffer.concat(chunks)));
      socket.on('error', reject);
    });
    expect(raw.toString('utf8')).toBe(`EFATAL:  ${ours(v2).message}\n\0`);
  });
});

describe('queries against PostgreSQL 15', () => {
  it('runs a simple query returning rows', async () => {
    const { conn } = await login();
    const ms = await query(
      conn,
      "SELECT g AS n, 'row ' || g AS label, NULL::text AS nothing FROM generate_series(1, 3) g",
    );
    expect(types(ms)).toEqual([
      'RowDescription',
      'DataRow',
      'DataRow',
      'DataRow',
      'CommandComplete',
      'ReadyForQuery',
    ]);
    expect(find(ms, 'RowDescription').fields).toEqual([
      {
        name: 'n',
        tableOid: 0,
        columnNumber: 0,
        typeOid: 23,
        typeSize: 4,
        typeModifier: -1,
        format: 0,
      },
      {
        name: 'label',
        tableOid: 0,
        columnNumber: 0,
        typeOid: 25,
        typeSize: -1,
        typeModifier: -1,
        format: 0,
      },
      {
        name: 'nothing',
        tableOid: 0,
        columnNumber: 0,
        typeOid: 25,
        typeSize: -1,
        typeModifier: -1,
        format: 0,
      },
    ]);
    const rows = ms.flatMap((m) =>
      m.type === 'DataRow' ? [m.values.map((v) => (v === null ? null : textOfValue(v)))] : [],
    );
    expect(rows).toEqual([
      ['1', 'row 1', null],
      ['2', 'row 2', null],
      ['3', 'row 3', null],
    ]);
    expect(find(ms, 'CommandComplete').tag).toBe('SELECT 3');
    expect(await query(conn, '')).toEqual([
      { type: 'EmptyQueryResponse' },
      { type: 'ReadyForQuery', status: 'I' },
    ]);
    const set = await query(conn, "SET application_name = 'codec test'");
    expect(set).toEqual([
      { type: 'CommandComplete', tag: 'SET' },
      { type: 'ParameterStatus', name: 'application_name', value: 'codec test' },
      { type: 'ReadyForQuery', status: 'I' },
    ]);
    expect(types(await query(conn, 'BEGIN'))).toEqual(['CommandComplete', 'ReadyForQuery']);
    expect(
      (await query(conn, 'SELECT 1/0')).map((m) => m.type === 'ReadyForQuery' && m.status),
    ).toContain('E');
    expect(await query(conn, 'ROLLBACK')).toEqual([
      { type: 'CommandComplete', tag: 'ROLLBACK' },
      { type: 'ReadyForQuery', status: 'I' },
    ]);
    conn.close();
  });

  it('runs the extended protocol: binary and text parameters, binary results, maxRows', async () => {
    const { conn } = await login();
    conn.send(
      {
        type: 'Parse',
        statement: 's1',
        sql: 'SELECT $1::int4 + g AS a, $2::text AS b FROM generate_series(1, 5) g',
        parameterTypes: [23, 25],
      },
      { type: 'Describe', target: 'S', name: 's1' },
      {
        type: 'Bind',
        portal: 'p1',
        statement: 's1',
        parameterFormats: [1, 0],
        parameters: [int4(41), Buffer.from('héllo')],
        resultFormats: [1],
      },
      { type: 'Describe', target: 'P', name: 'p1' },
      { type: 'Execute', portal: 'p1', maxRows: 2 },
      { type: 'Execute', portal: 'p1', maxRows: 0 },
      { type: 'Close', target: 'S', name: 's1' },
      { type: 'Parse', statement: '', sql: 'SET search_path = public', parameterTypes: [] },
      { type: 'Describe', target: 'S', name: '' },
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
    );
    const ms = await conn.until('ReadyForQuery');
    expect(types(ms)).toEqual([
      'ParseComplete',
      'ParameterDescription',
      'RowDescription',
      'BindComplete',
      'RowDescription',
      'DataRow',
      'DataRow',
      'PortalSuspended',
      'DataRow',
      'DataRow',
      'DataRow',
      'CommandComplete',
      'CloseComplete',
      'ParseComplete',
      'ParameterDescription',
      'NoData',
      'BindComplete',
      'CommandComplete',
      'ReadyForQuery',
    ]);
    expect(ms[1]).toEqual({ type: 'ParameterDescription', parameterTypes: [23, 25] });
    const [stmtDesc, portalDesc] = ms.filter((m) => m.type === 'RowDescription');
    expect(stmtDesc?.fields.map((f) => [f.name, f.typeOid, f.format])).toEqual([
      ['a', 23, 0],
      ['b', 25, 0],
    ]);
    expect(portalDesc?.fields.map((f) => [f.name, f.typeOid, f.format])).toEqual([
      ['a', 23, 1],
      ['b', 25, 1],
    ]);
    const rows = ms.flatMap((m) =>
      m.type === 'DataRow'
        ? [[Buffer.from(m.values[0]!).readInt32BE(), textOfValue(m.values[1]!)]]
        : [],
    );
    expect(rows).toEqual([
      [42, 'héllo'],
      [43, 'héllo'],
      [44, 'héllo'],
      [45, 'héllo'],
      [46, 'héllo'],
    ]);
    expect(ms.filter((m) => m.type === 'CommandComplete')).toEqual([
      { type: 'CommandComplete', tag: 'SELECT 3' },
      { type: 'CommandComplete', tag: 'SET' },
    ]);
    expect(ms[13]).toEqual({ type: 'ParseComplete' });
    expect(ms[14]).toEqual({ type: 'ParameterDescription', parameterTypes: [] });
    conn.close();
  });

  it('calls a function with FunctionCall', async () => {
    const { conn } = await login();
    conn.send({
      type: 'FunctionCall',
      functionOid: 177, // int4pl
      argumentFormats: [1],
      arguments: [int4(2), int4(3)],
      resultFormat: 1,
    });
    const ms = await conn.until('ReadyForQuery');
    expect(types(ms)).toEqual(['FunctionCallResponse', 'ReadyForQuery']);
    const result = find(ms, 'FunctionCallResponse').result;
    expect(result && Buffer.from(result).readInt32BE()).toBe(5);
    conn.close();
  });

  it('runs COPY FROM STDIN, COPY TO STDOUT and a failed COPY', async () => {
    const { conn } = await login();
    conn.send({ type: 'Query', sql: 'COPY copy_t FROM STDIN' });
    expect(await conn.next()).toEqual({ type: 'CopyInResponse', format: 0, columnFormats: [0, 0] });
    conn.send(
      { type: 'CopyData', data: Buffer.from('1\tone\n') },
      { type: 'CopyData', data: Buffer.from('2\t\\N\n3\tthré') },
      { type: 'CopyData', data: Buffer.from('e\n') },
      { type: 'CopyDone' },
    );
    expect(await conn.until('ReadyForQuery')).toEqual([
      { type: 'CommandComplete', tag: 'COPY 3' },
      { type: 'ReadyForQuery', status: 'I' },
    ]);

    const out = await query(conn, 'COPY (SELECT * FROM copy_t ORDER BY a) TO STDOUT');
    expect(types(out)).toEqual([
      'CopyOutResponse',
      'CopyData',
      'CopyData',
      'CopyData',
      'CopyDone',
      'CommandComplete',
      'ReadyForQuery',
    ]);
    expect(out[0]).toEqual({ type: 'CopyOutResponse', format: 0, columnFormats: [0, 0] });
    expect(out.flatMap((m) => (m.type === 'CopyData' ? [textOfValue(m.data)] : []))).toEqual([
      '1\tone\n',
      '2\t\\N\n',
      '3\tthrée\n',
    ]);
    expect(find(out, 'CommandComplete').tag).toBe('COPY 3');

    const binary = await query(conn, 'COPY copy_t TO STDOUT (FORMAT binary)');
    expect(binary[0]).toEqual({ type: 'CopyOutResponse', format: 1, columnFormats: [1, 1] });
    const first = binary[1];
    expect(first?.type === 'CopyData' && Buffer.from(first.data).subarray(0, 11)).toEqual(
      Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'),
    );

    conn.send({ type: 'Query', sql: 'COPY copy_t FROM STDIN' });
    expect((await conn.next()).type).toBe('CopyInResponse');
    conn.send({ type: 'CopyFail', message: 'changed my mind' });
    const failed = await conn.until('ReadyForQuery');
    expect(failed[0]).toMatchObject({
      type: 'ErrorResponse',
      severity: 'ERROR',
      code: '57014',
      message: 'COPY from stdin failed: changed my mind',
    });
    conn.close();
  });

  it('decodes ErrorResponse fields: code, message, position, detail, schema, table, constraint', async () => {
    const { conn } = await login();
    const missing = await query(conn, 'SELECT * FROM nosuchtable');
    expect(types(missing)).toEqual(['ErrorResponse', 'ReadyForQuery']);
    const e = find(missing, 'ErrorResponse');
    expect(e).toMatchObject({
      severity: 'ERROR',
      severityNonLocalized: 'ERROR',
      code: '42P01',
      message: 'relation "nosuchtable" does not exist',
      position: 15,
      file: 'parse_relation.c',
      routine: 'parserOpenTable',
    });
    expect(e.line).toBeGreaterThan(0);
    expect(e.other).toBeUndefined();

    const dup = await query(conn, 'INSERT INTO uniq_t VALUES (1), (1)');
    expect(find(dup, 'ErrorResponse')).toMatchObject({
      code: '23505',
      message: 'duplicate key value violates unique constraint "uniq_t_pkey"',
      detail: 'Key (id)=(1) already exists.',
      schema: 'public',
      table: 'uniq_t',
      constraint: 'uniq_t_pkey',
    });

    const cast = await query(conn, "SELECT 'x'::int");
    expect(find(cast, 'ErrorResponse')).toMatchObject({
      code: '22P02',
      message: 'invalid input syntax for type integer: "x"',
      position: 8,
    });

    const inner = await query(conn, "DO $$ BEGIN EXECUTE 'SELECT nope FROM nosuchtable2'; END $$");
    expect(find(inner, 'ErrorResponse')).toMatchObject({
      code: '42P01',
      internalPosition: 18,
      internalQuery: 'SELECT nope FROM nosuchtable2',
      where: 'PL/pgSQL function inline_code_block line 1 at EXECUTE',
    });
    conn.close();
  });

  it('decodes NoticeResponse', async () => {
    const { conn } = await login();
    const ms = await query(conn, "DO $$ BEGIN RAISE NOTICE 'x' USING HINT = 'h'; END $$");
    expect(types(ms)).toEqual(['NoticeResponse', 'CommandComplete', 'ReadyForQuery']);
    expect(ms[0]).toMatchObject({
      type: 'NoticeResponse',
      severity: 'NOTICE',
      severityNonLocalized: 'NOTICE',
      code: '00000',
      message: 'x',
      hint: 'h',
      where: 'PL/pgSQL function inline_code_block line 1 at RAISE',
    });
    conn.close();
  });

  it('decodes NotificationResponse (LISTEN and NOTIFY on one connection)', async () => {
    const { conn, key } = await login();
    expect(await query(conn, 'LISTEN codec_channel')).toEqual([
      { type: 'CommandComplete', tag: 'LISTEN' },
      { type: 'ReadyForQuery', status: 'I' },
    ]);
    expect(await query(conn, "NOTIFY codec_channel, 'héllo'")).toEqual([
      { type: 'CommandComplete', tag: 'NOTIFY' },
      {
        type: 'NotificationResponse',
        processId: key.processId,
        channel: 'codec_channel',
        payload: 'héllo',
      },
      { type: 'ReadyForQuery', status: 'I' },
    ]);
    conn.close();
  });

  it('cancels a running query with CancelRequest', async () => {
    const { conn, key } = await login();
    conn.send({ type: 'Query', sql: 'SELECT pg_sleep(30)' });
    await new Promise((r) => setTimeout(r, 300));
    const canceller = await WireConnection.connect(pg.port);
    canceller.send({ type: 'CancelRequest', processId: key.processId, secretKey: key.secretKey });
    await canceller.closed();
    const ms = await conn.until('ReadyForQuery');
    expect(find(ms, 'ErrorResponse')).toMatchObject({
      code: '57014',
      message: 'canceling statement due to user request',
    });
    conn.close();
  });

  it('reports invalid UTF-8 and an unknown message type with the texts FrontendDecoder uses', async () => {
    const ourError = (bytes: Buffer): ProtocolError => {
      const d = new FrontendDecoder();
      d.expectTypedMessages();
      try {
        d.push(bytes, () => {});
      } catch (err) {
        return err as ProtocolError;
      }
      throw new Error('FrontendDecoder accepted it');
    };
    const { conn } = await login();
    const w = new MessageWriter();
    w.startMessage(0x51)
      .bytes(Buffer.from([0x53, 0x45, 0x4c, 0xc3, 0x28, 0]))
      .endMessage();
    const badUtf8 = w.take();
    conn.sendRaw(badUtf8);
    const ms = await conn.until('ReadyForQuery');
    const e = find(ms, 'ErrorResponse');
    const ours = ourError(badUtf8);
    expect([ours.code, ours.message]).toEqual([e.code, e.message]);

    const unknown = Buffer.from([0x7a, 0, 0, 0, 4]);
    conn.sendRaw(unknown);
    const fatal = (await conn.next()) as ErrorResponse;
    expect(fatal.severity).toBe('FATAL');
    const ours2 = ourError(unknown);
    expect([ours2.code, ours2.message]).toEqual([fatal.code, fatal.message]);
    await conn.closed();
  });
});
