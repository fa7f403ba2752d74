/**
 * The field list of ErrorResponse / NoticeResponse: (code byte, NUL-terminated string)* then a NUL.
 * One table maps PostgreSQL's field codes to NoticeFields properties, for both directions; the
 * encoder writes fields in the order PostgreSQL's elog.c sends them.
 */
import type { NoticeFields } from '../messages.js';

type StringKey = Exclude<keyof NoticeFields, 'position' | 'internalPosition' | 'line' | 'other'>;
type NumberKey = 'position' | 'internalPosition' | 'line';

/** [field code, property, kind] in the order elog.c's send_message_to_frontend emits them. */
export const NOTICE_FIELD_TABLE: ReadonlyArray<
  | readonly [code: number, key: StringKey, kind: 's']
  | readonly [code: number, key: NumberKey, kind: 'n']
> = [
  [0x53, 'severity', 's'], // S
  [0x56, 'severityNonLocalized', 's'], // V
  [0x43, 'code', 's'], // C
  [0x4d, 'message', 's'], // M
  [0x44, 'detail', 's'], // D
  [0x48, 'hint', 's'], // H
  [0x50, 'position', 'n'], // P
  [0x70, 'internalPosition', 'n'], // p
  [0x71, 'internalQuery', 's'], // q
  [0x57, 'where', 's'], // W
  [0x73, 'schema', 's'], // s
  [0x74, 'table', 's'], // t
  [0x63, 'column', 's'], // c
  [0x64, 'dataType', 's'], // d
  [0x6e, 'constraint', 's'], // n
  [0x46, 'file', 's'], // F
  [0x4c, 'line', 'n'], // L
  [0x52, 'routine', 's'], // R
];

/** Field code → table index + 1 (0 = not a known code). */
export const NOTICE_FIELD_INDEX = (() => {
  const index = new Uint8Array(256);
  NOTICE_FIELD_TABLE.forEach(([code], i) => (index[code] = i + 1));
  return index;
})();

/** Parses a decimal field value the way it is sent ("42"); undefined if it is not one. */
export function parseFieldNumber(text: string): number | undefined {
  if (!/^-?\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}
