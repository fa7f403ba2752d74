// The startup phase over real sockets against a real tusk-postmaster: SSL/GSS negotiation, protocol
// version checks and negotiation, missing user, pg_hba.conf decisions, max_connections,
// authentication_timeout, and a fuzz run of broken startup packets after which the server still works.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codePacket,
  connect,
  connectUnix,
  decodeAll,
  readUntilClose,
  startupPacket,
} from './raw-client.js';
import { startServer, type Server } from './server-fixture.js';

const fatal = (bytes: Buffer) => {
  const m = decodeAll(bytes).find((x) => x.type === 'ErrorResponse');
  return m && m.type === 'ErrorResponse'
    ? { code: m.code, message: m.message, severity: m.severity }
    : undefined;
};

describe('startup phase', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer({
      hba: [
        'local all all trust',
        'host all rejected 127.0.0.1/32 reject',
        'host nodb all 127.0.0.1/32 trust',
        'host all all 127.0.0.1/32 trust',
      ],
      settings: {
        authentication_timeout: 1,
        max_connections: 6,
        superuser_reserved_connections: 0,
      },
    });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("answers 'N' to SSLRequest and GSSENCRequest when SSL is off, then reads the startup packet", async () => {
    const s = await connect(server.port);
    const read = readUntilClose(s);
    s.write(codePacket(80877104));
    s.write(codePacket(80877103));
    s.write(startupPacket({ database: 'x' }, 196608));
    const { bytes } = await read;
    expect(bytes.subarray(0, 2).toString()).toBe('NN');
    expect(fatal(bytes.subarray(2))).toEqual({
      severity: 'FATAL',
      code: '28000',
      message: 'no PostgreSQL user name specified in startup packet',
    });
  });

  it('refuses protocol 2.0 and 4.0 with 0A000', async () => {
    for (const [version, text] of [
      [0x20000, '2.0'],
      [0x40000, '4.0'],
    ] as const) {
      const s = await connect(server.port);
      const read = readUntilClose(s);
      s.write(startupPacket({ user: 'postgres' }, version));
      expect(fatal((await read).bytes)).toEqual({
        severity: 'FATAL',
        code: '0A000',
        message: `unsupported frontend protocol ${text}: server supports 3.0 to 3.0`,
      });
    }
  });

  it('rejects a startup packet without its terminator (08P01)', async () => {
    const s = await connect(server.port);
    const read = readUntilClose(s);
    const p = startupPacket({ user: 'postgres' });
    const broken = Buffer.from(p.subarray(0, p.length - 1));
    broken.writeInt32BE(broken.length, 0);
    s.write(broken);
    expect(fatal((await read).bytes)).toEqual({
      severity: 'FATAL',
      code: '08P01',
      message: 'invalid startup packet layout: expected terminator as last byte',
    });
  });

  it('closes silently on an invalid packet length', async () => {
    const s = await connect(server.port);
    const read = readUntilClose(s);
    s.write(Buffer.from([0, 0, 0, 2, 1, 2, 3, 4]));
    const { bytes, closed } = await read;
    expect(closed).toBe(true);
    expect(bytes.length).toBe(0);
  });

  it('applies pg_hba.conf: reject, and no entry at all', async () => {
    let s = await connect(server.port);
    let read = readUntilClose(s);
    s.write(startupPacket({ user: 'rejected', database: 'postgres' }));
    expect(fatal((await read).bytes)).toEqual({
      severity: 'FATAL',
      code: '28000',
      message:
        'pg_hba.conf rejects connection for host "127.0.0.1", user "rejected", database "postgres", no encryption',
    });
    server.log();
    // Startup parameters are checked before pg_hba.conf, as in PostgreSQL.
    s = await connectUnix(path.join(server.socketDir, `.s.PGSQL.${server.port}`));
    read = readUntilClose(s);
    s.write(startupPacket({ user: 'rejected', database: 'postgres', replication: 'maybe' }));
    expect(fatal((await read).bytes)).toEqual({
      severity: 'FATAL',
      code: '22023',
      message: 'invalid value for parameter "replication": "maybe"',
    });
  });

  it('sends NegotiateProtocolVersion for 3.1 and _pq_ options', async () => {
    const s = await connect(server.port);
    const read = readUntilClose(s, 5000);
    s.write(startupPacket({ user: 'rejected', database: 'postgres', '_pq_.magic': 'x' }, 196609));
    const msgs = decodeAll((await read).bytes);
    expect(msgs[0]).toEqual({
      type: 'NegotiateProtocolVersion',
      newestMinorVersion: 0,
      unrecognizedOptions: ['_pq_.magic'],
    });
    expect(msgs[1]?.type).toBe('ErrorResponse');
  });

  it('routes a CancelRequest with a wrong key nowhere and closes it', async () => {
    const s = await connect(server.port);
    const read = readUntilClose(s);
    s.write(codePacket(80877102, [server.pid, 12345]));
    const { bytes, closed } = await read;
    expect(closed).toBe(true);
    expect(bytes.length).toBe(0);
  });

  it('closes a silent client after authentication_timeout', async () => {
    const s = await connect(server.port);
    const started = Date.now();
    const { closed, bytes } = await readUntilClose(s, 8000);
    expect(closed).toBe(true);
    expect(bytes.length).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('refuses the connection past max_connections with 53300', async () => {
    // Silent clients hold their slots until authentication_timeout (1 s) ends them.
    const holders = await Promise.all(Array.from({ length: 6 }, () => connect(server.port)));
    const reads = holders.map((h) => readUntilClose(h));
    await new Promise((r) => setTimeout(r, 200));
    const s = await connect(server.port);
    const read = readUntilClose(s);
    s.write(startupPacket({ user: 'postgres', database: 'postgres' }));
    expect(fatal((await read).bytes)).toEqual({
      severity: 'FATAL',
      code: '53300',
      message: 'sorry, too many clients already',
    });
    await Promise.all(reads);
  });

  it('survives a few hundred broken, truncated, oversized or silent clients', async () => {
    const rnd = (n: number) => Math.floor(Math.random() * n);
    const kinds = [
      () => Buffer.from(Array.from({ length: rnd(64) }, () => rnd(256))),
      () => startupPacket({ user: 'postgres' }).subarray(0, rnd(20)),
      () => {
        const b = Buffer.alloc(12);
        b.writeInt32BE(10_000_000, 0);
        return b;
      },
      () => Buffer.alloc(0),
      () => Buffer.concat([codePacket(80877103), Buffer.from('garbage after ssl request')]),
      () => {
        const p = startupPacket({ user: 'u'.repeat(rnd(200)), database: 'd', [`x${rnd(9)}`]: 'y' });
        const cut = Buffer.from(p);
        cut[rnd(cut.length)] = rnd(256);
        return cut;
      },
    ];
    const one = async () => {
      const s = await connect(server.port);
      const read = readUntilClose(s, 8000);
      const payload = kinds[rnd(kinds.length)]!();
      if (payload.length > 0) s.write(payload);
      if (rnd(2) === 0) s.end();
      await read;
    };
    for (let batch = 0; batch < 12; batch++) {
      await Promise.all(Array.from({ length: 25 }, one));
    }
    // The postmaster is alive and a well-formed connection still gets its answer.
    expect(() => process.kill(server.pid, 0)).not.toThrow();
    const s = await connect(server.port);
    const read = readUntilClose(s);
    s.write(startupPacket({ user: 'rejected', database: 'postgres' }));
    expect(fatal((await read).bytes)?.code).toBe('28000');
  }, 120_000);
});
