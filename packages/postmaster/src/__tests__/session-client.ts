// A minimal session over the raw protocol for tests: connect, authenticate (trust), remember the
// BackendKeyData, run simple queries and collect their results.
import type net from 'node:net';
import { MessageWriter, type BackendMessage } from '@tuskdb/shared-protocol';
import { codePacket, connect, readMessages, startupPacket } from './raw-client.js';

export interface RawSession {
  socket: net.Socket;
  processId: number;
  secretKey: number;
  query(sql: string, ms?: number): Promise<BackendMessage[]>;
  close(): void;
}

export async function openSession(
  port: number,
  user = 'postgres',
  database = 'postgres',
): Promise<RawSession> {
  const socket = await connect(port);
  socket.write(startupPacket({ user, database }));
  const msgs = await readMessages(
    socket,
    (m) => m.type === 'ReadyForQuery' || m.type === 'ErrorResponse',
  );
  const err = msgs.find((m) => m.type === 'ErrorResponse');
  if (err && err.type === 'ErrorResponse') throw new Error(`${err.code} ${err.message}`);
  const key = msgs.find((m) => m.type === 'BackendKeyData');
  if (!key || key.type !== 'BackendKeyData') throw new Error('no BackendKeyData');
  return {
    socket,
    processId: key.processId,
    secretKey: key.secretKey,
    async query(sql, ms = 10_000) {
      const done = readMessages(socket, (m) => m.type === 'ReadyForQuery', ms);
      socket.write(new MessageWriter().frontend({ type: 'Query', sql }).take());
      return done;
    },
    close() {
      socket.end(new MessageWriter().frontend({ type: 'Terminate' }).take());
    },
  };
}

export async function sendCancel(
  port: number,
  processId: number,
  secretKey: number,
): Promise<void> {
  const s = await connect(port);
  s.end(codePacket(80877102, [processId, secretKey]));
  await new Promise((r) => s.once('close', r));
}
