/**
 * CancelRequest (PQcancel): a separate, short connection to the same server carrying the backend's
 * process id and secret key. The server answers by closing the connection; it never reports
 * whether anything was cancelled.
 */
import net from 'node:net';
import { encodeFrontendMessage } from '@tuskdb/shared-protocol';
import { ConnectionError } from '../errors.js';
import type { ConnectedTarget } from './connection.js';

export function sendCancelRequest(
  where: ConnectedTarget,
  processId: number,
  secretKey: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = where.target;
    const socket =
      t.type === 'unix'
        ? net.connect({ path: where.address })
        : net.connect({ host: where.address, port: t.port });
    const timer = setTimeout(() => socket.destroy(new Error('timeout expired')), 10_000);
    socket.on('connect', () => {
      socket.end(encodeFrontendMessage({ type: 'CancelRequest', processId, secretKey }));
    });
    socket.on('data', () => {});
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(
        new ConnectionError('connect', `could not send cancel request: ${e.message}`, { cause: e }),
      );
    });
    socket.on('close', (hadError) => {
      clearTimeout(timer);
      if (!hadError) resolve();
    });
  });
}
