// A raw protocol connection for tests: a net.Socket driven only by this package's codec.
import net from 'node:net';
import type { BackendDecoderMessage, EncodableFrontendMessage } from '../../messages.js';
import { BackendDecoder } from '../backend-decoder.js';
import { MessageWriter } from '../message-writer.js';

export class WireConnection {
  readonly decoder = new BackendDecoder();
  private readonly writer = new MessageWriter();
  private readonly inbox: BackendDecoderMessage[] = [];
  private waiter: (() => void) | null = null;
  private failure: Error | null = null;
  private ended = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      try {
        this.decoder.push(chunk, (m) => this.inbox.push(m));
      } catch (err) {
        this.failure = err as Error;
      }
      this.wake();
    });
    socket.on('error', (err) => {
      this.failure = err;
      this.wake();
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
  }

  static connect(port: number): Promise<WireConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.off('error', reject);
        resolve(new WireConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  /** Encodes the messages back to back and sends them in one write. */
  send(...messages: EncodableFrontendMessage[]): void {
    for (const m of messages) this.writer.frontend(m);
    this.socket.write(this.writer.take());
  }

  sendRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** The next decoded message (rejects on a decode error, on close, or after 10 s). */
  async next(): Promise<BackendDecoderMessage> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const m = this.inbox.shift();
      if (m) return m;
      if (this.failure) throw this.failure;
      if (this.ended) throw new Error('connection closed');
      if (Date.now() > deadline) throw new Error('timed out waiting for a message');
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 200);
      });
    }
  }

  /** Messages up to and including the first of the given type. */
  async until(type: BackendDecoderMessage['type']): Promise<BackendDecoderMessage[]> {
    const out: BackendDecoderMessage[] = [];
    for (;;) {
      const m = await this.next();
      out.push(m);
      if (m.type === type) return out;
    }
  }

  /** Resolves when the server has closed the connection. */
  async closed(): Promise<void> {
    while (!this.ended) {
      if (this.inbox.length > 0) this.inbox.length = 0;
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 200);
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
