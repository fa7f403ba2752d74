/**
 * Session settings (GUCs) that change how values are written and read as text: DateStyle,
 * IntervalStyle, TimeZone, extra_float_digits and bytea_output, with PostgreSQL 15's defaults.
 */

export type IntervalStyle = 'postgres' | 'postgres_verbose' | 'sql_standard' | 'iso_8601';
export type ByteaOutput = 'hex' | 'escape';

export interface TypeSettings {
  /** DateStyle, e.g. 'ISO, MDY' (default). Output style ISO/SQL/Postgres/German, field order MDY/DMY/YMD. */
  dateStyle?: string;
  /** IntervalStyle (default 'postgres'). */
  intervalStyle?: IntervalStyle;
  /** TimeZone: 'UTC', an IANA name ('Europe/Paris'), or a POSIX-style offset ('UTC+5', '+05:30' = west of UTC as in PostgreSQL). Default 'UTC'. */
  timeZone?: string;
  /** extra_float_digits, -15..3 (default 1: shortest exact output). */
  extraFloatDigits?: number;
  /** bytea_output (default 'hex'). */
  byteaOutput?: ByteaOutput;
  /**
   * The transaction start time (µs since 2000-01-01 UTC) that the inputs 'now', 'today',
   * 'tomorrow' and 'yesterday' refer to; the current clock when absent.
   */
  now?: bigint;
}

export type DateOutputStyle = 'ISO' | 'SQL' | 'Postgres' | 'German';
export type DateFieldOrder = 'MDY' | 'DMY' | 'YMD';

export interface ParsedDateStyle {
  style: DateOutputStyle;
  order: DateFieldOrder;
}

const DEFAULT_DATESTYLE: ParsedDateStyle = { style: 'ISO', order: 'MDY' };
let lastDateStyle = 'ISO, MDY';
let lastParsed: ParsedDateStyle = DEFAULT_DATESTYLE;

/**
 * Reads DateStyle as PostgreSQL's check_datestyle does: a comma-separated list of an output style
 * and/or a field order ('European'/'US' are aliases of DMY/MDY). Cached: sessions rarely change it.
 */
export function parseDateStyle(value: string | undefined): ParsedDateStyle {
  if (value === undefined) return DEFAULT_DATESTYLE;
  if (value === lastDateStyle) return lastParsed;
  let style: DateOutputStyle = 'ISO';
  let order: DateFieldOrder = 'MDY';
  let orderSeen = false;
  for (const raw of value.split(',')) {
    const word = raw.trim().toLowerCase();
    if (word === 'iso') style = 'ISO';
    else if (word === 'sql') style = 'SQL';
    else if (word === 'postgres') style = 'Postgres';
    else if (word === 'german') {
      style = 'German';
      // German implies DMY unless an order was given explicitly.
      if (!orderSeen) order = 'DMY';
    } else if (word === 'ymd') {
      order = 'YMD';
      orderSeen = true;
    } else if (word === 'dmy' || word === 'euro' || word === 'european') {
      order = 'DMY';
      orderSeen = true;
    } else if (word === 'mdy' || word === 'us' || word === 'noneuropean' || word === 'noneuro') {
      order = 'MDY';
      orderSeen = true;
    } else if (word !== 'default') {
      throw new Error(`invalid value for parameter "DateStyle": "${value}"`);
    }
  }
  lastDateStyle = value;
  lastParsed = { style, order };
  return lastParsed;
}
