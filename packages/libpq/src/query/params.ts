/**
 * Query parameters: JS values to their text wire form (always sent as separate Bind values,
 * never spliced into SQL). null/undefined → SQL NULL; bigint and number → decimal text;
 * boolean → t/f; Date → ISO 8601 (UTC); Uint8Array → bytea hex; arrays → array literals;
 * other objects → JSON.
 */
import { InterfaceError } from '../errors.js';

export type QueryParam =
  | string
  | number
  | bigint
  | boolean
  | Date
  | Uint8Array
  | null
  | undefined
  | readonly QueryParam[]
  | { readonly [key: string]: unknown };

function arrayElement(v: QueryParam): string {
  if (v === null || v === undefined) return 'NULL';
  if (Array.isArray(v)) return arrayLiteral(v as readonly QueryParam[]);
  const s = toText(v);
  return '"' + s.replace(/[\\"]/g, (c) => '\\' + c) + '"';
}

function arrayLiteral(values: readonly QueryParam[]): string {
  return '{' + values.map(arrayElement).join(',') + '}';
}

function toText(v: Exclude<QueryParam, null | undefined>): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime()))
      throw new InterfaceError('invalid Date given as a query parameter');
    return v.toISOString();
  }
  if (v instanceof Uint8Array)
    return '\\x' + Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  if (Array.isArray(v)) return arrayLiteral(v as readonly QueryParam[]);
  return JSON.stringify(v);
}

/** The text form of a parameter, or null for SQL NULL. */
export function serializeParam(v: QueryParam): string | null {
  if (v === null || v === undefined) return null;
  return toText(v);
}
