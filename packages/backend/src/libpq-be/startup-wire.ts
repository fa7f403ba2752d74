/**
 * Writing the few backend messages of connection startup: a batch of messages in one write, and
 * the FATAL ErrorResponse that ends a refused connection.
 */
import type net from 'node:net';
import { MessageWriter, type BackendMessage } from '@tuskdb/shared-protocol';

export function send(socket: net.Socket, ...messages: BackendMessage[]): void {
  const w = new MessageWriter();
  for (const m of messages) w.backend(m);
  socket.write(w.take());
}

export function fatalMessage(
  code: string,
  message: string,
  detail?: string,
  hint?: string,
): BackendMessage {
  return {
    type: 'ErrorResponse',
    severity: 'FATAL',
    severityNonLocalized: 'FATAL',
    code,
    message,
    ...(detail !== undefined ? { detail } : {}),
    ...(hint !== undefined ? { hint } : {}),
  };
}

/** Sends a FATAL ErrorResponse and closes the connection once it is flushed. */
export function writeFatal(
  socket: net.Socket,
  code: string,
  message: string,
  detail?: string,
  hint?: string,
): void {
  if (socket.destroyed) return;
  socket.resume();
  const w = new MessageWriter();
  w.backend(fatalMessage(code, message, detail, hint));
  socket.end(w.take());
  // A client that never reads must not keep the process: drop the socket after a grace period.
  setTimeout(() => socket.destroy(), 2000).unref();
}
