/**
 * Result shapes and row encoding for the wire: RowDescription fields from a query's target list
 * and DataRow values in text or binary format, using each type's output/send function with the
 * session's formatting settings.
 */
import type { FieldDescription, FormatCode, WireValue } from '@tuskdb/shared-protocol';
import { PgError } from '../utils/errors.js';
import { typeByOid, type FormatContext, type Value } from '../utils/adt/types.js';

export interface ResultColumn {
  name: string;
  type: number;
  typmod: number;
  tableOid: number;
  attnum: number;
}

export function describeColumns(
  columns: ResultColumn[],
  formats: FormatCode[],
): FieldDescription[] {
  return columns.map((c, i) => ({
    name: c.name,
    tableOid: c.tableOid,
    columnNumber: c.attnum,
    typeOid: c.type,
    typeSize: typeByOid(c.type).len,
    typeModifier: c.typmod,
    format: formats[i] ?? 0,
  }));
}

/** Expands the Bind convention (none = all text, one = all alike, else one per column). */
export function expandFormats(formats: FormatCode[], n: number): FormatCode[] {
  if (formats.length === 0) return new Array<FormatCode>(n).fill(0);
  if (formats.length === 1) return new Array<FormatCode>(n).fill(formats[0]!);
  if (formats.length !== n) {
    throw new PgError(
      '08P01',
      `bind message has ${formats.length} result formats but query has ${n} columns`,
    );
  }
  return formats;
}

export type RowEncoder = (
  row: readonly Value[],
) => { text: Array<string | null> } | { wire: WireValue[] };

/** Builds a function that turns an engine row into wire values. */
export function rowEncoder(
  columns: ResultColumn[],
  formats: FormatCode[],
  format: () => FormatContext,
): RowEncoder {
  const types = columns.map((c) => typeByOid(c.type));
  const allText = formats.every((f) => f === 0);
  if (allText) {
    return (row) => {
      const ctx = format();
      const out = new Array<string | null>(types.length);
      for (let i = 0; i < types.length; i++) {
        const v = row[i] ?? null;
        out[i] = v === null ? null : types[i]!.output(v, ctx);
      }
      return { text: out };
    };
  }
  return (row) => {
    const ctx = format();
    return {
      wire: types.map((t, i) => {
        const v = row[i] ?? null;
        if (v === null) return null;
        return formats[i] === 1 ? t.send(v, ctx) : Buffer.from(t.output(v, ctx), 'utf8');
      }),
    };
  };
}
