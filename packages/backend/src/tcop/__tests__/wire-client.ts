// A minimal protocol-3.0 client for tests: connects, logs in (trust), sends raw frontend messages
// and collects the backend's replies up to ReadyForQuery — so the same message sequence can be
// sent to the engine and to PostgreSQL and the replies compared.
import net from 'node:net';
import {
  BackendDecoder,
  encodeFrontendMessage,
  PROTOCOL_3_0,
  type BackendMessage,
  type EncodableFrontendMessage,
} from '@tuskdb/shared-protocol';

export class WireClient {
  private readonly decoder = new BackendDecoder();
  private readonly inbox: BackendMessage[] = [];
  private waiter: (() => void) | undefined;
  private closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.decoder.push(chunk, (m) => {
        if (m.type !== 'SSLResponse') this.inbox.push(m as BackendMessage);
      });
      this.waiter?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
  }

  static async connect(port: number): Promise<WireClient> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new WireClient(socket);
    socket.write(
      encodeFrontendMessage({
        type: 'StartupMessage',
        protocolVersion: PROTOCOL_3_0,
        parameters: new Map([
          ['user', 'postgres'],
          ['database', 'postgres'],
          ['client_encoding', 'UTF8'],
        ]),
      }),
    );
    await client.untilReady();
    return client;
  }

  send(...messages: EncodableFrontendMessage[]): void {
    this.socket.write(Buffer.concat(messages.map((m) => encodeFrontendMessage(m))));
  }

  private async next(): Promise<BackendMessage | undefined> {
    for (;;) {
      const m = this.inbox.shift();
      if (m) return m;
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
      this.waiter = undefined;
    }
  }

  /** Messages up to and including the next ReadyForQuery (or until the connection closes). */
  async untilReady(): Promise<BackendMessage[]> {
    const out: BackendMessage[] = [];
    for (;;) {
      const m = await this.next();
      if (!m) return out;
      out.push(m);
      if (m.type === 'ReadyForQuery') return out;
    }
  }

  /** Messages until the server closes the connection. */
  async untilClosed(): Promise<BackendMessage[]> {
    const out: BackendMessage[] = [];
    for (;;) {
      const m = await this.next();
      if (!m) return out;
      out.push(m);
    }
  }

  close(): void {
    this.socket.end();
  }
}

/** A comparable form of backend messages: fields that legitimately differ are dropped. */
export function normalize(messages: BackendMessage[]): unknown[] {
  return messages
    .filter((m) => m.type !== 'ParameterStatus' && m.type !== 'BackendKeyData')
    .map((m) => {
      if (m.type === 'ErrorResponse' || m.type === 'NoticeResponse') {
        // Source file/line/routine are PostgreSQL implementation details.
        return {
          type: m.type,
          severity: m.severity,
          code: m.code,
          message: m.message,
          detail: m.detail,
          hint: m.hint,
          position: m.position,
        };
      }
      if (m.type === 'RowDescription') {
        // Table OIDs differ between installations; keep whether the column is a table column.
        return {
          type: m.type,
          fields: m.fields.map((f) => ({ ...f, tableOid: f.tableOid === 0 ? 0 : 'table' })),
        };
      }
      if (m.type === 'DataRow') {
        return {
          type: m.type,
          values: m.values.map((v) => (v === null ? null : Buffer.from(v).toString('hex'))),
        };
      }
      return m;
    });
}
