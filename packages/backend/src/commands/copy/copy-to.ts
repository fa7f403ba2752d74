/**
 * COPY TO: runs the table scan or query and formats each row as text, CSV or binary, handing
 * each formatted row to `sink` (one CopyData message per row, as PostgreSQL sends them; the sink's
 * promise is the back-pressure).
 */
import { typeByOid, type Value } from '../../utils/adt/types.js';
import { checkForInterrupts } from '../../utils/interrupts.js';
import type { CopyToPlan } from '../../parser/analyze-copy.js';
import { runSelect, type ExecState } from '../../executor/exec-select.js';
import { formatTextRecord } from './text-format.js';
import { formatCsvRecord } from './csv-format.js';
import { binaryHeader, binaryTrailer, formatBinaryRecord } from './binary-format.js';

export type CopySink = (data: Uint8Array) => void | Promise<void>;

/** Runs COPY TO into `sink`; returns the number of rows copied. */
export async function executeCopyTo(
  plan: CopyToPlan,
  es: ExecState,
  sink: CopySink,
): Promise<number> {
  const { options } = plan;
  const fmt = es.ctx.session.format;
  const types = plan.columns.map((c) => typeByOid(c.type));
  const binary = options.format === 'binary';
  const csv = options.format === 'csv';
  const text = (fields: Array<string | null>, forceQuote = plan.forceQuote): Uint8Array =>
    Buffer.from(
      csv ? formatCsvRecord(fields, options, forceQuote) : formatTextRecord(fields, options),
      'utf8',
    );

  // PostgreSQL sends the binary header in the same CopyData message as what follows it.
  let pending: Uint8Array | undefined = binary ? binaryHeader() : undefined;
  const send = async (data: Uint8Array): Promise<void> => {
    if (pending) {
      data = Buffer.concat([pending, data]);
      pending = undefined;
    }
    await sink(data);
  };
  if (!binary && options.header === true) {
    const names = plan.columns.map((c) => c.name);
    await sink(text(names, [])); // FORCE_QUOTE doesn't apply to the header
  }
  let count = 0;
  for (let row of runSelect(plan.query, es)) {
    if (row.some((v) => (v as unknown) instanceof Promise))
      row = (await Promise.all(row.map((v) => v as unknown))) as Value[];
    const width = plan.columns.length;
    if (binary) {
      const fields: Array<Uint8Array | null> = [];
      for (let i = 0; i < width; i++) {
        const v = row[i] ?? null;
        fields.push(v === null ? null : types[i]!.send(v, fmt));
      }
      await send(formatBinaryRecord(fields));
    } else {
      const fields: Array<string | null> = [];
      for (let i = 0; i < width; i++) {
        const v = row[i] ?? null;
        fields.push(v === null ? null : types[i]!.output(v, fmt));
      }
      await sink(text(fields));
    }
    count++;
    if ((count & 255) === 0) checkForInterrupts();
  }
  if (binary) await send(binaryTrailer());
  return count;
}
