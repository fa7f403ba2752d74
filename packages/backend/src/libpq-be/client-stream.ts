/**
 * ClientStream: reads the startup-phase conversation (startup packet, SSL/GSS negotiation,
 * authentication responses) one message at a time from a client socket, with the shared
 * FrontendDecoder. It can move to a TLS socket mid-stream and, at hand-over, gives back every byte
 * received past the last message it returned, so nothing the client pipelined is lost.
 */
import type net from 'node:net';
import { FrontendDecoder, ProtocolError, type FrontendMessage } from '@tuskdb/shared-protocol';

/** Thrown from the decoder callback to stop after one message (the rest stays buffered). */
const STOP = new Error('stop after one message');

export class ClientClosedError extends Error {
  constructor() {
    super('client closed the connection');
    this.name = 'ClientClosedError';
  }
}

export class ClientStream {
  private readonly decoder = new FrontendDecoder();
  /** Chunks received but not yet given to the decoder. */
  private raw: Buffer[] = [];
  private waiter: { resolve: () => void } | undefined;
  private failure: unknown;
  private ended = false;
  /** Bytes received at all: an EOF before any byte is not worth a log line (port probes). */
  bytesReceived = 0;
  private socket: net.Socket;

  private readonly onData = (chunk: Buffer) => {
    this.bytesReceived += chunk.length;
    this.raw.push(chunk);
    this.wake();
  };
  private readonly onEnd = () => {
    this.ended = true;
    this.wake();
  };
  private readonly onError = (err: Error) => {
    this.failure ??= err;
    this.ended = true;
    this.wake();
  };

  constructor(socket: net.Socket) {
    this.socket = socket;
    this.attach(socket);
  }

  get current(): net.Socket {
    return this.socket;
  }

  private attach(socket: net.Socket): void {
    this.socket = socket;
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
    socket.resume();
  }

  /** Stops listening to the current socket (it stays open and paused). */
  detach(): net.Socket {
    const socket = this.socket;
    socket.pause();
    socket.off('data', this.onData);
    socket.off('end', this.onEnd);
    socket.off('close', this.onEnd);
    socket.off('error', this.onError);
    return socket;
  }

  /** Continues on another socket (the TLS socket wrapping the old one). */
  switchTo(socket: net.Socket): void {
    this.ended = false;
    this.attach(socket);
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.resolve();
  }

  /** Decodes at most one message from buffered bytes plus `chunk`; the rest stays buffered. */
  private decodeOne(chunk: Uint8Array): FrontendMessage | undefined {
    let got: FrontendMessage | undefined;
    try {
      this.decoder.push(chunk, (m) => {
        got = m;
        throw STOP;
      });
    } catch (err) {
      if (err !== STOP) this.failure ??= err;
    }
    return got;
  }

  /** Bytes received and not yet decoded; at hand-over these go to the session. */
  takeBuffered(): Uint8Array {
    const rest = Buffer.concat([this.decoder.bufferedBytes(), ...this.raw]);
    this.decoder.discardBufferedBytes();
    this.raw = [];
    return rest;
  }

  /** True if bytes arrived past the last message returned (e.g. cleartext after an SSLRequest). */
  hasBufferedBytes(): boolean {
    return this.raw.length > 0 || this.decoder.bufferedBytes().length > 0;
  }

  /** Makes the decoder read the next packet as a startup packet (after SSL/GSS negotiation). */
  expectStartupPacket(): void {
    this.decoder.expectStartupPacket();
  }

  /** The next message; rejects with ProtocolError on malformed input or ClientClosedError on EOF. */
  async next(): Promise<FrontendMessage> {
    for (;;) {
      if (this.failure === undefined) {
        let m = this.decodeOne(new Uint8Array(0));
        while (!m && this.failure === undefined && this.raw.length > 0) {
          m = this.decodeOne(this.raw.shift()!);
        }
        if (m) return m;
      }
      if (this.failure !== undefined) {
        const f = this.failure;
        if (f instanceof ProtocolError) throw f;
        throw new ClientClosedError();
      }
      if (this.ended) throw new ClientClosedError();
      await new Promise<void>((resolve) => {
        this.waiter = { resolve };
      });
    }
  }
}
