/**
 * Turning wire values into JS values: a registry of parsers by type OID and format.
 *
 * Defaults come from @tuskdb/shared-protocol's exact codecs where one exists (int8 → bigint,
 * numeric → exact decimal string, …); types without a codec stay strings (text format) or bytes
 * (binary format). Programs register their own parsers per OID, per connection or per pool —
 * e.g. to turn numeric into a decimal library's type, or to parse a custom enum.
 */
import { textOfValue, type FormatCode, type TypeSettings } from '@tuskdb/shared-protocol';
import { defaultBinaryParser, defaultTextParser } from './defaults.js';

export type TextParser = (text: string) => unknown;
export type BinaryParser = (bytes: Uint8Array) => unknown;
/** Parses one wire value (never called for SQL NULL). */
export type ValueParser = (value: Uint8Array) => unknown;

export class TypeParsers {
  private readonly text = new Map<number, TextParser>();
  private readonly binary = new Map<number, BinaryParser>();
  private readonly cache = new Map<number, ValueParser>();

  /**
   * `settings` gives the session's DateStyle / IntervalStyle / TimeZone for text input of date
   * and time types (a connection passes its ParameterStatus values).
   */
  constructor(
    private readonly parent?: TypeParsers,
    private readonly settings: () => TypeSettings = () => ({}),
  ) {}

  /** Registers a parser for one type OID (text format by default). */
  setTypeParser(oid: number, parser: TextParser, format?: 'text'): void;
  setTypeParser(oid: number, parser: BinaryParser, format: 'binary'): void;
  setTypeParser(
    oid: number,
    parser: TextParser | BinaryParser,
    format: 'text' | 'binary' = 'text',
  ): void {
    if (format === 'binary') this.binary.set(oid, parser as BinaryParser);
    else this.text.set(oid, parser as TextParser);
    this.cache.clear();
  }

  private textParser(oid: number): TextParser | undefined {
    return this.text.get(oid) ?? this.parent?.textParser(oid);
  }

  private binaryParser(oid: number): BinaryParser | undefined {
    return this.binary.get(oid) ?? this.parent?.binaryParser(oid);
  }

  /** The parser for values of `oid` in `format` (cached; cleared when parsers change). */
  parserFor(oid: number, format: FormatCode): ValueParser {
    const key = oid * 2 + format;
    let p = this.cache.get(key);
    if (p) return p;
    if (format === 0) {
      const t = this.textParser(oid) ?? defaultTextParser(oid, this.settings);
      p = t ? (bytes) => t(textOfValue(bytes)) : textOfValue;
    } else {
      const b = this.binaryParser(oid) ?? defaultBinaryParser(oid);
      p = b ?? ((bytes) => Uint8Array.prototype.slice.call(bytes));
    }
    this.cache.set(key, p);
    return p;
  }
}

/** The process-wide defaults every connection's registry falls back to. */
export const globalTypeParsers = new TypeParsers();
