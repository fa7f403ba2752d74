// A small PostgreSQL v3 protocol client that implements the Session interface: startup and
// authentication (trust, cleartext, MD5, SCRAM-SHA-256), simple query with COPY in/out, a
// Parse/Describe round trip for \gdesc, notices, ParameterStatus and cancel requests.
// It exists so tusk-psql can work while @tuskdb/libpq is being written; it is self-contained.
import { encodeText } from './text-bytes.js';
import net from 'node:net';
import crypto from 'node:crypto';
import type {
  ConnectParams,
  Field,
  NoticeFields,
  QueryHandlers,
  QueryOutcome,
  Session,
  StatementResult,
  TransactionStatus,
} from './session.js';
import { ConnectError } from './session.js';

interface Message {
  type: string;
  body: Buffer;
}

function cstrings(fields: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(k + '\0' + v + '\0'));
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

function frame(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

function untyped(body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeInt32BE(body.length + 4, 0);
  return Buffer.concat([head, body]);
}

const NOTICE_KEYS: Record<string, keyof NoticeFields> = {
  S: 'severity',
  C: 'code',
  M: 'message',
  D: 'detail',
  H: 'hint',
  P: 'position',
  p: 'internalPosition',
  q: 'internalQuery',
  W: 'where',
  s: 'schema',
  t: 'table',
  c: 'column',
  d: 'dataType',
  n: 'constraint',
  F: 'file',
  L: 'line',
  R: 'routine',
};

export function parseNotice(body: Buffer): NoticeFields {
  const out: Record<string, string | number> = { severity: '', code: '', message: '' };
  let i = 0;
  while (i < body.length && body[i] !== 0) {
    const code = String.fromCharCode(body[i] ?? 0);
    const end = body.indexOf(0, i + 1);
    const value = body.toString('utf8', i + 1, end);
    const key = NOTICE_KEYS[code];
    if (key !== undefined) {
      out[key] = key === 'position' || key === 'internalPosition' ? Number(value) : value;
    }
    i = end + 1;
  }
  return out as unknown as NoticeFields;
}

function parseRowDescription(body: Buffer): Field[] {
  const n = body.readInt16BE(0);
  const fields: Field[] = [];
  let p = 2;
  for (let i = 0; i < n; i++) {
    const end = body.indexOf(0, p);
    const name = body.toString('utf8', p, end);
    p = end + 1;
    fields.push({
      name,
      tableOid: body.readUInt32BE(p),
      columnNumber: body.readInt16BE(p + 4),
      typeOid: body.readUInt32BE(p + 6),
      typeSize: body.readInt16BE(p + 10),
      typeModifier: body.readInt32BE(p + 12),
      format: body.readInt16BE(p + 16),
    });
    p += 18;
  }
  return fields;
}

function parseDataRow(body: Buffer): (string | null)[] {
  const n = body.readInt16BE(0);
  const row: (string | null)[] = [];
  let p = 2;
  for (let i = 0; i < n; i++) {
    const len = body.readInt32BE(p);
    p += 4;
    if (len < 0) row.push(null);
    else {
      row.push(body.toString('utf8', p, p + len));
      p += len;
    }
  }
  return row;
}

/** Reads framed backend messages from a socket, one at a time. */
class MessageReader {
  private buffer: Buffer = Buffer.alloc(0);
  private waiters: ((m: Message | null) => void)[] = [];
  private queue: Message[] = [];
  private ended = false;

  constructor(socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    const end = (): void => {
      this.ended = true;
      for (const w of this.waiters.splice(0)) w(null);
    };
    socket.on('close', end);
    socket.on('error', end);
  }

  private drain(): void {
    while (this.buffer.length >= 5) {
      const len = this.buffer.readInt32BE(1);
      if (this.buffer.length < len + 1) break;
      const msg = {
        type: String.fromCharCode(this.buffer[0] ?? 0),
        body: this.buffer.subarray(5, len + 1),
      };
      this.buffer = this.buffer.subarray(len + 1);
      const w = this.waiters.shift();
      if (w) w(msg);
      else this.queue.push(msg);
    }
  }

  next(): Promise<Message | null> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

function openSocket(host: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = host.startsWith('/')
      ? net.connect({ path: `${host}/.s.PGSQL.${port}` })
      : net.connect({ host, port });
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

function md5Password(user: string, password: string, salt: Buffer): string {
  const inner = crypto
    .createHash('md5')
    .update(password + user)
    .digest('hex');
  return (
    'md5' +
    crypto
      .createHash('md5')
      .update(Buffer.concat([Buffer.from(inner), salt]))
      .digest('hex')
  );
}

class WireSession implements Session {
  backendPid = 0;
  private secretKey = 0;
  private status: TransactionStatus = 'unknown';
  private readonly settings = new Map<string, string>();
  private readonly noticeListeners: ((n: NoticeFields) => void)[] = [];
  private alive = true;
  private busy: Promise<unknown> = Promise.resolve();

  constructor(
    readonly params: ConnectParams,
    private readonly socket: net.Socket,
    private readonly reader: MessageReader,
  ) {
    socket.on('close', () => {
      this.alive = false;
    });
  }

  parameterStatus(name: string): string | undefined {
    return this.settings.get(name);
  }

  transactionStatus(): TransactionStatus {
    return this.alive ? this.status : 'unknown';
  }

  isAlive(): boolean {
    return this.alive;
  }

  onNotice(listener: (n: NoticeFields) => void): void {
    this.noticeListeners.push(listener);
  }

  /** Handles messages that may arrive at any time; returns true if consumed. */
  private async nextMessage(): Promise<Message> {
    for (;;) {
      const m = await this.reader.next();
      if (m === null) {
        this.alive = false;
        throw new ConnectError('server closed the connection unexpectedly');
      }
      if (m.type === 'N') {
        const n = parseNotice(m.body);
        for (const l of this.noticeListeners) l(n);
        continue;
      }
      if (m.type === 'S') {
        const end = m.body.indexOf(0);
        this.settings.set(
          m.body.toString('utf8', 0, end),
          m.body.toString('utf8', end + 1, m.body.length - 1),
        );
        continue;
      }
      if (m.type === 'A') continue; // NOTIFY: psql prints these between commands; not yet
      return m;
    }
  }

  async startup(): Promise<void> {
    const p = this.params;
    const fields: Record<string, string> = { user: p.user, database: p.database };
    if (p.applicationName) fields.application_name = p.applicationName;
    if (p.clientEncoding) fields.client_encoding = p.clientEncoding;
    if (p.options) fields.options = p.options;
    const version = Buffer.alloc(4);
    version.writeInt32BE(196608, 0);
    this.socket.write(untyped(Buffer.concat([version, cstrings(fields)])));
    let scram: { nonce: string; first: string; serverSignature?: Buffer } | null = null;
    for (;;) {
      const m = await this.nextMessage();
      if (m.type === 'E') throw new ConnectError(parseNotice(m.body).message);
      if (m.type === 'R') {
        const code = m.body.readInt32BE(0);
        if (code === 0) continue;
        if (code === 3 || code === 5 || code === 10) {
          if (p.password === undefined)
            throw new ConnectError('fe_sendauth: no password supplied', true);
        }
        if (code === 3) this.socket.write(frame('p', Buffer.from(p.password + '\0')));
        else if (code === 5)
          this.socket.write(
            frame(
              'p',
              Buffer.from(md5Password(p.user, p.password ?? '', m.body.subarray(4, 8)) + '\0'),
            ),
          );
        else if (code === 10) {
          const nonce = crypto.randomBytes(18).toString('base64');
          const first = `n=,r=${nonce}`;
          scram = { nonce, first };
          const mech = Buffer.from('SCRAM-SHA-256\0');
          const data = Buffer.from('n,,' + first);
          const len = Buffer.alloc(4);
          len.writeInt32BE(data.length, 0);
          this.socket.write(frame('p', Buffer.concat([mech, len, data])));
        } else if (code === 11 && scram) {
          const serverFirst = m.body.toString('utf8', 4);
          const attrs: Record<string, string> = Object.fromEntries(
            serverFirst.split(',').map((kv): [string, string] => [kv.charAt(0), kv.slice(2)]),
          );
          const salted = crypto.pbkdf2Sync(
            (p.password ?? '').normalize('NFKC'),
            Buffer.from(attrs.s ?? '', 'base64'),
            Number(attrs.i),
            32,
            'sha256',
          );
          const clientKey = crypto.createHmac('sha256', salted).update('Client Key').digest();
          const storedKey = crypto.createHash('sha256').update(clientKey).digest();
          const without = `c=biws,r=${attrs.r ?? ''}`;
          const authMessage = `${scram.first},${serverFirst},${without}`;
          const sig = crypto.createHmac('sha256', storedKey).update(authMessage).digest();
          const proof = Buffer.from(clientKey.map((b, i) => b ^ (sig[i] ?? 0)));
          const serverKey = crypto.createHmac('sha256', salted).update('Server Key').digest();
          scram.serverSignature = crypto
            .createHmac('sha256', serverKey)
            .update(authMessage)
            .digest();
          this.socket.write(frame('p', Buffer.from(`${without},p=${proof.toString('base64')}`)));
        } else if (code === 12) {
          continue;
        } else throw new ConnectError(`authentication method ${code} not supported`);
        continue;
      }
      if (m.type === 'K') {
        this.backendPid = m.body.readInt32BE(0);
        this.secretKey = m.body.readInt32BE(4);
        continue;
      }
      if (m.type === 'Z') {
        this.status = String.fromCharCode(m.body[0] ?? 73) as TransactionStatus;
        return;
      }
    }
  }

  query(sql: string, handlers: QueryHandlers = {}): Promise<QueryOutcome> {
    const run = this.busy.then(() => this.runQuery(sql, handlers));
    this.busy = run.catch(() => undefined);
    return run;
  }

  private async runQuery(sql: string, handlers: QueryHandlers): Promise<QueryOutcome> {
    this.socket.write(frame('Q', Buffer.concat([encodeText(sql), Buffer.from([0])])));
    const results: StatementResult[] = [];
    let current: StatementResult | null = null;
    let error: NoticeFields | null = null;
    const finish = (r: StatementResult): void => {
      results.push(r);
      handlers.onResult?.(r);
      current = null;
    };
    for (;;) {
      const m = await this.nextMessage();
      switch (m.type) {
        case 'T':
          current = { fields: parseRowDescription(m.body), rows: [], commandTag: null };
          break;
        case 'D':
          current?.rows.push(parseDataRow(m.body));
          break;
        case 'C': {
          const tag = m.body.toString('utf8', 0, m.body.length - 1);
          const r: StatementResult = current ?? { fields: null, rows: [], commandTag: null };
          r.commandTag = tag;
          finish(r);
          break;
        }
        case 'I':
          finish({ fields: null, rows: [], commandTag: null });
          break;
        case 'E':
          error = parseNotice(m.body);
          current = null;
          break;
        case 'H':
          current = { fields: null, rows: [], commandTag: null, copy: 'out' };
          break;
        case 'd':
          handlers.onCopyData?.(Buffer.from(m.body));
          break;
        case 'c':
          break;
        case 'G': {
          current = { fields: null, rows: [], commandTag: null, copy: 'in' };
          await this.sendCopyData(handlers);
          break;
        }
        case 'Z':
          this.status = String.fromCharCode(m.body[0] ?? 73) as TransactionStatus;
          return { results, error };
        default:
          break;
      }
    }
  }

  private async sendCopyData(handlers: QueryHandlers): Promise<void> {
    try {
      if (handlers.copyInSource) {
        for await (const chunk of handlers.copyInSource()) this.socket.write(frame('d', chunk));
      }
      this.socket.write(frame('c', Buffer.alloc(0)));
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.socket.write(frame('f', Buffer.from(msg + '\0')));
    }
  }

  describe(sql: string): Promise<{ fields: Field[] | null; error: NoticeFields | null }> {
    const run = this.busy.then(async () => {
      const parse = Buffer.concat([
        Buffer.concat([Buffer.from([0]), encodeText(sql), Buffer.from([0])]),
        Buffer.from([0, 0]),
      ]);
      this.socket.write(
        Buffer.concat([
          frame('P', parse),
          frame('D', Buffer.from('S\0')),
          frame('S', Buffer.alloc(0)),
        ]),
      );
      let fields: Field[] | null = null;
      let error: NoticeFields | null = null;
      for (;;) {
        const m = await this.nextMessage();
        if (m.type === 'T') fields = parseRowDescription(m.body);
        else if (m.type === 'E') error = parseNotice(m.body);
        else if (m.type === 'Z') {
          this.status = String.fromCharCode(m.body[0] ?? 73) as TransactionStatus;
          return { fields, error };
        }
      }
    });
    this.busy = run.catch(() => undefined);
    return run;
  }

  async cancel(): Promise<void> {
    const socket = await openSocket(this.params.host, this.params.port);
    const body = Buffer.alloc(12);
    body.writeInt32BE(80877102, 0);
    body.writeInt32BE(this.backendPid, 4);
    body.writeInt32BE(this.secretKey, 8);
    socket.end(untyped(body));
  }

  async close(): Promise<void> {
    if (!this.alive) return;
    await new Promise<void>((resolve) => {
      this.socket.end(frame('X', Buffer.alloc(0)), () => resolve());
    });
    this.alive = false;
  }
}

/** Connects and authenticates; rejects with ConnectError carrying psql-style text. */
export async function connectWire(params: ConnectParams): Promise<Session> {
  let socket: net.Socket;
  try {
    socket = await openSocket(params.host, params.port);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reason =
      err.code === 'ECONNREFUSED'
        ? 'Connection refused'
        : err.code === 'ENOENT'
          ? 'No such file or directory'
          : err.message;
    throw new ConnectError(reason);
  }
  const session = new WireSession(params, socket, new MessageReader(socket));
  try {
    await session.startup();
  } catch (e) {
    socket.destroy();
    throw e;
  }
  return session;
}
