/**
 * Refusing a connection the way PostgreSQL's postmaster-forked child does when the server cannot
 * take it (starting up, shutting down, too many clients): read the startup packet first — answering
 * 'N' to SSL/GSS requests — so the client is listening for a reply, then send the FATAL message.
 * A CancelRequest arriving this way is handed to `onCancel` instead. The postmaster runs this
 * itself, so a refusal costs no backend process.
 */
import type net from 'node:net';
import { ClientStream } from './client-stream.js';
import { writeFatal } from './startup-wire.js';

export async function refuseConnection(
  socket: net.Socket,
  code: string,
  message: string,
  timeoutMs: number,
  onCancel: (processId: number, secretKey: number) => void,
): Promise<void> {
  const stream = new ClientStream(socket);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    for (;;) {
      const m = await Promise.race([stream.next(), timeout]);
      if (m === 'timeout') break;
      if (m.type === 'SSLRequest' || m.type === 'GSSENCRequest') {
        stream.current.write('N');
        stream.expectStartupPacket();
        continue;
      }
      if (m.type === 'CancelRequest') {
        onCancel(m.processId, m.secretKey);
        break;
      }
      writeFatal(stream.detach(), code, message);
      return;
    }
  } catch {
    // a malformed packet or a client that went away: nothing to answer
  } finally {
    clearTimeout(timer);
  }
  stream.detach().destroy();
}
