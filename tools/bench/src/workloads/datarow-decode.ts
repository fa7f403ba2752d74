// Workload: decode one large stream of DataRow messages (a big SELECT's result as a client receives
// it) with Tusk's BackendDecoder and with node-postgres's pg-protocol Parser, in 64 kB chunks.
import { BackendDecoder, MessageWriter, textOfValue } from '@tuskdb/shared-protocol';
import { Parser } from 'pg-protocol/dist/parser.js';
import { median, settle, table, time, type Timing } from '../measure.js';

const ROWS = Number(process.env['BENCH_ROWS'] ?? 1_000_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7);
const CHUNK = 64 * 1024;

/** RowDescription-less result stream: ROWS DataRows of 4 text columns, CommandComplete, ReadyForQuery. */
function buildStream(): Buffer[] {
  const w = new MessageWriter(1 << 20);
  for (let i = 0; i < ROWS; i++) {
    w.dataRowText([
      String(i),
      `name-${i % 1000}`,
      i % 7 === 0 ? null : '2026-11-23 22:17:32.123+00',
      'lorem ipsum dolor sit amet',
    ]);
  }
  w.commandComplete(`SELECT ${ROWS}`).readyForQuery('I');
  const stream = Buffer.from(w.take());
  const chunks: Buffer[] = [];
  // Each chunk its own allocation, as socket reads deliver them.
  for (let at = 0; at < stream.length; at += CHUNK) {
    chunks.push(Buffer.from(stream.subarray(at, at + CHUNK)));
  }
  return chunks;
}

function tuskViews(chunks: Buffer[], copyDataRows = false): number {
  const d = new BackendDecoder({ copyDataRows });
  let rows = 0;
  let bytes = 0;
  for (const chunk of chunks) {
    d.push(chunk, (m) => {
      if (m.type === 'DataRow') {
        rows++;
        bytes += m.values.length;
      }
    });
  }
  return rows + (bytes & 0);
}

function tuskStrings(chunks: Buffer[]): number {
  const d = new BackendDecoder();
  let rows = 0;
  let chars = 0;
  for (const chunk of chunks) {
    d.push(chunk, (m) => {
      if (m.type !== 'DataRow') return;
      rows++;
      for (const v of m.values) {
        if (v !== null) chars += textOfValue(v).length;
      }
    });
  }
  return rows + (chars & 0);
}

function pgProtocol(chunks: Buffer[]): number {
  const p = new Parser();
  let rows = 0;
  for (const chunk of chunks) {
    p.parse(chunk, (m) => {
      if (m.name === 'dataRow') rows++;
    });
  }
  return rows;
}

export async function run(): Promise<string> {
  const chunks = buildStream();
  const megabytes = chunks.reduce((n, c) => n + c.length, 0) / 1e6;
  const contenders: Array<[string, (c: Buffer[]) => number]> = [
    ['tusk BackendDecoder (values as byte views)', (c) => tuskViews(c)],
    ['tusk BackendDecoder copyDataRows (one copy per row)', (c) => tuskViews(c, true)],
    ['tusk BackendDecoder + textOfValue per value', tuskStrings],
    ['pg-protocol Parser (values as strings)', pgProtocol],
  ];
  const timings: Timing[] = contenders.map(([name]) => ({ name, rounds: [] }));
  // One untimed warm-up round each, so no contender pays for JIT compilation in the figures.
  for (const [, fn] of contenders) fn(chunks);
  for (let round = 0; round < ROUNDS; round++) {
    contenders.forEach(([, fn], i) => {
      settle();
      let rows = 0;
      timings[i]!.rounds.push(time(() => (rows = fn(chunks))));
      if (rows !== ROWS) throw new Error(`${contenders[i]![0]} decoded ${rows} rows`);
    });
  }
  const reference = median(timings[timings.length - 1]!.rounds);
  const rows = timings.map((t) => {
    const ms = median(t.rounds);
    return [
      t.name,
      ms.toFixed(1),
      ((ROWS / ms) * 1e3).toFixed(0),
      (megabytes / (ms / 1e3)).toFixed(0),
      (reference / ms).toFixed(2),
    ];
  });
  await Promise.resolve();
  return [
    `DataRow decode: ${ROWS.toLocaleString('en')} rows x 4 text columns, ${megabytes.toFixed(1)} MB in ${CHUNK / 1024} kB chunks, median of ${ROUNDS} rounds`,
    table(['decoder', 'median ms', 'rows/s', 'MB/s', 'speed vs pg-protocol'], rows),
  ].join('\n');
}
