// Test harness: runs the SQL engine WITHOUT the postmaster. Bootstraps a cluster in the given data
// directory, listens on 127.0.0.1:0, answers each connection's startup packet with
// AuthenticationOk (trust) and hands the socket to runSession. Started by the integration tests
// as the unprivileged server account; prints {"port": N} once listening. Uses the built package.
import net from 'node:net';

const [dataDir] = process.argv.slice(2);
const engine = await import('../../../dist/index.js');
const { openCluster } = await import('../../../dist/access/cluster.js');

await engine.bootstrapCluster({
  dataDir,
  superuser: 'postgres',
  encoding: 'UTF8',
  locale: 'C',
  fsync: false,
});
await engine.warmUpEngine();
const cluster = openCluster(dataDir, { fsync: false });

let nextPid = 40000;
const server = net.createServer((socket) => {
  let buf = Buffer.alloc(0);
  const onData = (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (buf.length < 8) return;
      const len = buf.readInt32BE(0);
      if (buf.length < len) return;
      const code = buf.readInt32BE(4);
      if (code === 80877103 || code === 80877104) {
        // SSLRequest / GSSENCRequest: not offered here.
        socket.write('N');
        buf = buf.subarray(len);
        continue;
      }
      socket.off('data', onData);
      const params = new Map();
      const words = buf.subarray(8, len).toString('utf8').split('\0');
      for (let i = 0; i + 1 < words.length; i += 2)
        if (words[i]) params.set(words[i], words[i + 1]);
      const pendingBytes = buf.subarray(len);
      const user = params.get('user') ?? 'postgres';
      socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 0]));
      engine
        .runSession({
          socket,
          pendingBytes,
          user,
          database: params.get('database') ?? user,
          startupParameters: params,
          processId: ++nextPid,
          secretKey: 12345,
          dataDir,
          cluster,
        })
        .catch((err) => console.error('session failed', err));
      return;
    }
  };
  socket.on('data', onData);
  socket.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});
process.on('SIGTERM', () => {
  server.close();
  void cluster.close().finally(() => process.exit(0));
});
