/* global performance */
// Commit throughput with 1, 2, 4 processes (each committing single-row
// inserts, durable) — run after building: node src/access/test-support/bench-commit.mjs [count]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCluster } from '../../../dist/access/index.js';

const count = Number(process.argv[2] ?? 500);
const worker = fileURLToPath(new URL('./worker.mjs', import.meta.url));

function run(dir, w) {
  return new Promise((resolve, reject) => {
    const child = fork(worker, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (m) => {
      if (m.hello) child.send({ scenario: 'commitLoop', args: { dir, worker: w, count } });
      else if (m.result) resolve(m.result);
      else if (m.error) reject(new Error(m.error.message));
    });
  });
}

for (const n of [1, 2, 4]) {
  const dir = mkdtempSync(join(tmpdir(), 'tusk-bench-'));
  const c = createCluster(dir);
  c.createDatabaseStorage(5);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, (_, i) => run(dir, i + 1)));
  const s = (performance.now() - t0) / 1000;
  console.log(
    `${n} process(es): ${Math.round((n * count) / s)} commits/s (${n * count} commits in ${s.toFixed(2)} s)`,
  );
  await c.close();
  rmSync(dir, { recursive: true, force: true });
}
