// Built-in type OIDs and the text/binary value codecs of PostgreSQL 15's types.
export * from './oids.js';
export * from './codec.js';
export * from './errors.js';
export * from './settings.js';
export * from './registry.js';
export * from './array.js';
export { boolCodec, parseBool } from './bool.js';
export {
  int2Codec,
  int4Codec,
  int8Codec,
  oidCodec,
  xid8Codec,
  parseInt2,
  parseInt4,
  parseInt8,
  parseOid,
} from './integers.js';
export {
  float4Codec,
  float8Codec,
  formatFloat4,
  formatFloat8,
  parseFloat4,
  parseFloat8,
} from './float.js';
export {
  numericCodec,
  compareNumeric,
  parseNumeric,
  normalizeNumeric,
  numericToBinary,
  numericFromBinary,
} from './numeric.js';
export {
  textCodec,
  varcharCodec,
  bpcharCodec,
  nameCodec,
  charCodec,
  jsonCodec,
  xmlCodec,
  truncateName,
} from './strings.js';
export { byteaCodec, parseBytea, byteaToHex, byteaToEscape } from './bytea.js';
export { uuidCodec, parseUuid, uuidToBytes, uuidFromBytes } from './uuid.js';
export { jsonbCodec, normalizeJsonb, quoteJsonString } from './jsonb.js';
export * from './misc.js';
export { EMPTY_RANGE, formatRange, parseRange, type PgRange } from './range.js';
export { inetCodec, cidrCodec } from './net.js';
export {
  formatRecord,
  parseRecord,
  recordFromBinary,
  recordToBinary,
  type RecordField,
} from './record.js';
export {
  DATE_MIN_DAYS,
  DATE_MAX_DAYS,
  DATE_NEG_INFINITY,
  DATE_POS_INFINITY,
  TIMESTAMP_MIN,
  TIMESTAMP_END,
  TIMESTAMP_NEG_INFINITY,
  TIMESTAMP_POS_INFINITY,
  daysFromCivil,
  civilFromDays,
} from './datetime/calendar.js';
export {
  dateCodec,
  parseDate,
  formatDate,
  pgDateToJsDate,
  jsDateToPgDate,
} from './datetime/date.js';
export {
  timeCodec,
  timetzCodec,
  parseTime,
  formatTime,
  parseTimetz,
  formatTimetz,
  type TimeTz,
} from './datetime/time.js';
export {
  timestampCodec,
  timestamptzCodec,
  parseTimestamp,
  parseTimestamptz,
  formatTimestamp,
  formatTimestamptz,
  timestampToJsDate,
  jsDateToTimestamp,
} from './datetime/timestamp.js';
export {
  intervalCodec,
  parseInterval,
  formatInterval,
  type Interval,
} from './datetime/interval.js';
export { resolveTimeZone, type TimeZone } from './datetime/timezone.js';
