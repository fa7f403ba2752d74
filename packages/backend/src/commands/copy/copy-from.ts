/**
 * COPY FROM: reads text, CSV or binary input as it arrives, converts each field with its column's
 * input (or receive) function, fills in defaults, applies WHERE, NOT NULL and CHECK constraints,
 * and inserts the rows with their index entries. Errors carry PostgreSQL's context line
 * ("COPY t, line 3, column b: "x"").
 */
import { queueInsertChecks } from '../../executor/ri-triggers.js';
import { PgError, asPgError } from '../../utils/errors.js';
import { typeByOid, type Value } from '../../utils/adt/types.js';
import { maybeYield } from '../../utils/interrupts.js';
import type { CopyFromPlan } from '../../parser/analyze-copy.js';
import { compileExpr, compileQual, type Row } from '../../executor/compile-expr.js';
import type { ExecState } from '../../executor/exec-select.js';
import { compileChecks, indexKey } from '../../executor/exec-modify.js';
import { limitPrintout, type CopyRecord, type RecordReader } from './record.js';
import { TextRecordReader } from './text-format.js';
import { CsvRecordReader } from './csv-format.js';
import { BinaryRecordReader } from './binary-format.js';
import { Utf8StreamDecoder } from './utf8.js';

function withContext(err: unknown, where: string): PgError {
  const e = asPgError(err);
  // An error from a batch flush already names its own line.
  if (e.where?.startsWith('COPY ')) return e;
  e.where = e.where ? `${e.where}\n${where}` : where;
  return e;
}

/** Checks the header line against the copied columns (HEADER MATCH). */
function matchHeader(plan: CopyFromPlan, rec: CopyRecord): void {
  const names = plan.columns.map((c) => c.name);
  if (rec.fields.length !== names.length)
    throw new PgError(
      '22P04',
      `wrong number of fields in header line: got ${rec.fields.length}, expected ${names.length}`,
    );
  rec.fields.forEach((f, i) => {
    if (f === null)
      throw new PgError(
        '22P04',
        `column name mismatch in header line field ${i + 1}: got null value ("${plan.options.nullString}"), expected "${names[i]}"`,
      );
    if (f !== names[i])
      throw new PgError(
        '22P04',
        `column name mismatch in header line field ${i + 1}: got "${f}", expected "${names[i]}"`,
      );
  });
}

/** Runs COPY FROM over `input`; returns the number of rows inserted. */
export async function executeCopyFrom(
  plan: CopyFromPlan,
  es: ExecState,
  input: AsyncIterable<Uint8Array>,
): Promise<number> {
  const { rel, options } = plan;
  const fmt = es.ctx.session.format;
  const types = plan.columns.map((c) => typeByOid(c.type));
  const columnFns = plan.columnExprs.map(compileExpr);
  const where = compileQual(plan.where);
  const check = compileChecks(rel, plan.checks);
  let count = 0;
  let line = 0;
  let raw = '';

  // Rows are written in batches: one heap write (one LMDB transaction) per batch instead of per
  // row; index entries follow row by row (unique checks may wait for other transactions).
  const BATCH_ROWS = 4096;
  const batch: Array<{ row: Row; line: number }> = [];
  const flushBatch = async (): Promise<void> => {
    if (batch.length === 0) return;
    const ids = rel.heap.insertMany(
      es.txn,
      batch.map((b) => b.row),
    );
    if (rel.indexes.length > 0) {
      for (let i = 0; i < batch.length; i++) {
        const { row, line: l } = batch[i]!;
        try {
          for (const ix of rel.indexes)
            await ix.btree.insert(es.txn, indexKey(rel, ix.columns, row), ids[i]!);
        } catch (err) {
          // PostgreSQL names only the line for errors raised while inserting index entries.
          throw withContext(err, `COPY ${rel.name}, line ${l}`);
        }
      }
    }
    if (rel.foreignKeys.length > 0)
      for (let i = 0; i < batch.length; i++) queueInsertChecks(rel, batch[i]!.row, ids[i]!, es);
    count += batch.length;
    batch.length = 0;
    await maybeYield();
  };

  const insert = async (src: Value[]): Promise<void> => {
    const row: Value[] = columnFns.map((f) => f(src, es.ctx));
    for (let i = 0; i < row.length; i++) {
      const v = row[i] as unknown;
      if (v instanceof Promise) row[i] = (await v) as Value;
    }
    if (where && !where(row, es.ctx)) return;
    check(row, es);
    batch.push({ row, line });
    if (batch.length >= BATCH_ROWS) await flushBatch();
  };

  const lineContext = (): string =>
    options.format === 'binary'
      ? `COPY ${rel.name}, line ${line}`
      : `COPY ${rel.name}, line ${line}: "${limitPrintout(raw)}"`;

  if (options.format === 'binary') {
    const reader = new BinaryRecordReader(plan.columns.length);
    const handle = async (tuples: Array<Array<Uint8Array | null>>): Promise<void> => {
      for (const fields of tuples) {
        line++;
        const src = fields.map((f, i) => {
          if (f === null) return null;
          try {
            return types[i]!.receive(f, plan.columns[i]!.typmod, fmt);
          } catch (err) {
            throw withContext(
              err,
              `COPY ${rel.name}, line ${line}, column ${plan.columns[i]!.name}`,
            );
          }
        });
        try {
          await insert(src);
        } catch (err) {
          throw withContext(err, lineContext());
        }
      }
    };
    const readerContext = (err: unknown): PgError =>
      withContext(err, `COPY ${rel.name}, line ${reader.lineNumber}`);
    for await (const chunk of input) {
      if (reader.sawEndMarker) continue;
      let tuples;
      try {
        tuples = reader.feed(chunk);
      } catch (err) {
        throw readerContext(err);
      }
      await handle(tuples);
    }
    let rest;
    try {
      rest = reader.sawEndMarker ? [] : reader.finish();
    } catch (err) {
      throw readerContext(err);
    }
    await handle(rest);
    await flushBatch();
    return count;
  }

  const reader: RecordReader & { lineNumber: number } =
    options.format === 'csv'
      ? new CsvRecordReader(options, { forceNotNull: plan.forceNotNull, forceNull: plan.forceNull })
      : new TextRecordReader(options);
  const ncols = plan.columns.length;
  let skipHeader = options.header !== false;

  const handle = async (records: CopyRecord[]): Promise<void> => {
    for (const rec of records) {
      line = rec.line;
      raw = rec.raw;
      if (skipHeader) {
        skipHeader = false;
        if (options.header === 'match') {
          try {
            matchHeader(plan, rec);
          } catch (err) {
            throw withContext(err, lineContext());
          }
        }
        continue;
      }
      const fields = rec.fields;
      // An empty line is one empty field; with no columns to fill it is no data at all.
      if (ncols === 0 && fields.length === 1 && fields[0] === '') fields.length = 0;
      if (fields.length > ncols)
        throw withContext(
          new PgError('22P04', 'extra data after last expected column'),
          lineContext(),
        );
      const src: Value[] = [];
      for (let i = 0; i < ncols; i++) {
        const col = plan.columns[i]!;
        if (i >= fields.length)
          throw withContext(
            new PgError('22P04', `missing data for column "${col.name}"`),
            lineContext(),
          );
        const f = fields[i]!;
        if (f === null) {
          src.push(null);
          continue;
        }
        try {
          src.push(types[i]!.input(f, col.typmod, fmt));
        } catch (err) {
          throw withContext(
            err,
            `COPY ${rel.name}, line ${line}, column ${col.name}: "${limitPrintout(f)}"`,
          );
        }
      }
      try {
        await insert(src);
      } catch (err) {
        throw withContext(err, lineContext());
      }
    }
  };

  const decoder = new Utf8StreamDecoder();
  const readerContext = (err: unknown): PgError => {
    const e = asPgError(err);
    if (e.where) return e;
    const where = `COPY ${rel.name}, line ${Math.max(1, reader.lineNumber)}`;
    const partial = reader.partialRecord;
    return withContext(e, partial === undefined ? where : `${where}: "${limitPrintout(partial)}"`);
  };
  for await (const chunk of input) {
    if (reader.sawEndMarker) continue; // what follows `\.` is ignored
    let records;
    try {
      records = reader.feed(decoder.decode(chunk));
    } catch (err) {
      throw readerContext(err);
    }
    await handle(records);
  }
  let rest;
  try {
    rest = reader.sawEndMarker ? [] : (decoder.end(), reader.finish());
  } catch (err) {
    throw readerContext(err);
  }
  await handle(rest);
  await flushBatch();
  return count;
}
