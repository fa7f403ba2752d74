/**
 * Default value parsers by type OID: @tuskdb/shared-protocol's exact codecs (int8 → bigint,
 * numeric → exact decimal text, timestamps → bigint microseconds, arrays → JS arrays, …), except
 * json/jsonb, which are parsed into JS values since that is what programs want from them.
 * Text-format input depends on session settings (DateStyle, IntervalStyle, TimeZone), which the
 * connection supplies from the server's ParameterStatus reports.
 */
import { getTypeCodec, textOfValue, type TypeSettings } from '@tuskdb/shared-protocol';
import type { BinaryParser, TextParser } from './parsers.js';

const JSON_OID = 114;
const JSONB_OID = 3802;

export function defaultTextParser(
  oid: number,
  settings: () => TypeSettings,
): TextParser | undefined {
  if (oid === JSON_OID || oid === JSONB_OID) return (s) => JSON.parse(s) as unknown;
  const codec = getTypeCodec(oid);
  if (!codec) return undefined;
  return (s) => codec.fromText(s, settings());
}

export function defaultBinaryParser(oid: number): BinaryParser | undefined {
  if (oid === JSON_OID) return (b) => JSON.parse(textOfValue(b)) as unknown;
  // jsonb's binary form is a version byte (1) and then the text.
  if (oid === JSONB_OID) return (b) => JSON.parse(textOfValue(b.subarray(1))) as unknown;
  const codec = getTypeCodec(oid);
  if (!codec) return undefined;
  return (b) => codec.fromBinary(b);
}
