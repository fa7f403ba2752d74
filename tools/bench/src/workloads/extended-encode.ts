// Workload: a client encoding pgbench-style extended-protocol round trips (Bind with three text
// parameters, Execute, Sync) — Tusk's MessageWriter (one buffer per round trip) against
// pg-protocol's serialize (one buffer per message, as node-postgres writes them).
import { MessageWriter, SYNC_MESSAGE, type WireValue } from '@tuskdb/shared-protocol';
import { serialize } from 'pg-protocol';
import { median, settle, table, time, type Timing } from '../measure.js';

const BATCHES = Number(process.env['BENCH_BATCHES'] ?? 500_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7);

function tusk(): number {
  const w = new MessageWriter();
  let bytes = 0;
  for (let i = 0; i < BATCHES; i++) {
    // The same bytes node-postgres sends: a format code per parameter, one result format.
    w.startMessage(0x42).cstring('').cstring('P0_1').int16(3).int16(0).int16(0).int16(0).int16(3);
    w.textValue(String(i % 100000))
      .textValue(String(i % 10))
      .textValue(String((i % 5000) - 2500));
    w.int16(1).int16(0).endMessage();
    w.frontend({ type: 'Execute', portal: '', maxRows: 0 }).raw(SYNC_MESSAGE);
    bytes += w.take().length;
  }
  return bytes;
}

function tuskObjects(): number {
  const w = new MessageWriter();
  let bytes = 0;
  for (let i = 0; i < BATCHES; i++) {
    const parameters: WireValue[] = [
      Buffer.from(String(i % 100000)),
      Buffer.from(String(i % 10)),
      Buffer.from(String((i % 5000) - 2500)),
    ];
    w.frontend({
      type: 'Bind',
      portal: '',
      statement: 'P0_1',
      parameterFormats: [0, 0, 0],
      parameters,
      resultFormats: [0],
    })
      .frontend({ type: 'Execute', portal: '', maxRows: 0 })
      .raw(SYNC_MESSAGE);
    bytes += w.take().length;
  }
  return bytes;
}

function pgProtocol(): number {
  let bytes = 0;
  for (let i = 0; i < BATCHES; i++) {
    bytes += serialize.bind({
      portal: '',
      statement: 'P0_1',
      values: [String(i % 100000), String(i % 10), String((i % 5000) - 2500)],
    }).length;
    bytes += serialize.execute({ portal: '', rows: 0 }).length;
    bytes += serialize.sync().length;
  }
  return bytes;
}

export async function run(): Promise<string> {
  const contenders: Array<[string, () => number]> = [
    ['tusk MessageWriter primitives', tusk],
    ['tusk MessageWriter.frontend(Bind object)', tuskObjects],
    ['pg-protocol serialize', pgProtocol],
  ];
  const timings: Timing[] = contenders.map(([name]) => ({ name, rounds: [] }));
  // The untimed first run of each is the JIT warm-up and checks that all encode the same bytes.
  const sizes = contenders.map(([, fn]) => fn());
  if (new Set(sizes).size !== 1) throw new Error(`encoders disagree on sizes: ${sizes.join(', ')}`);
  for (let round = 0; round < ROUNDS; round++) {
    contenders.forEach(([, fn], i) => {
      settle();
      timings[i]!.rounds.push(time(fn));
    });
  }
  const reference = median(timings[2]!.rounds);
  await Promise.resolve();
  return [
    `Extended-protocol encode: ${BATCHES.toLocaleString('en')} x (Bind 3 text params + Execute + Sync), median of ${ROUNDS} rounds`,
    table(
      ['encoder', 'median ms', 'round trips/s', 'speed vs pg-protocol'],
      timings.map((t) => {
        const ms = median(t.rounds);
        return [
          t.name,
          ms.toFixed(1),
          ((BATCHES / ms) * 1e3).toFixed(0),
          (reference / ms).toFixed(2),
        ];
      }),
    ),
  ].join('\n');
}
