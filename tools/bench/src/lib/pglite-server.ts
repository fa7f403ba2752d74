// PGlite (PostgreSQL compiled to WASM) served on a loopback port by @electric-sql/pglite-socket,
// in this process, so pgbench can drive it as a peer. It is ONE single-user backend: the socket
// server queues every connection's statements onto the same session, so only one client at a time
// measures something meaningful (concurrent clients would share transactions and prepared names).
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { freePort } from '@tuskdb/testkit';
import type { Endpoint } from './servers.js';

export interface PgliteServer {
  endpoint: Endpoint;
  stop(): Promise<void>;
}

export async function startPgliteServer(): Promise<PgliteServer> {
  const db = await PGlite.create();
  const port = await freePort();
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 64 });
  await server.start();
  return {
    endpoint: {
      label: 'PGlite',
      host: '127.0.0.1',
      port,
      user: 'postgres',
      database: 'postgres',
      uri: `postgresql://postgres@127.0.0.1:${port}/postgres`,
      // A synchronous psql would block this process's event loop, which serves PGlite: deadlock.
      psql: () => {
        throw new Error('PGlite is served in-process: use async clients');
      },
    },
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
