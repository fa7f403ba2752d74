/**
 * The shape every value codec has: text (typinput/typoutput) and binary (typreceive/typsend)
 * conversions between PostgreSQL's wire forms and one JS representation per type.
 */
import type { TypeSettings } from './settings.js';

export interface TypeCodec<T = unknown> {
  readonly oid: number;
  readonly name: string;
  /** OID of the array type whose elements use this codec, 0 if none. */
  readonly arrayOid: number;
  /** Parses the text form as PostgreSQL's input function does; throws TypeInputError when PostgreSQL would. */
  fromText(text: string, settings?: TypeSettings): T;
  /** Formats exactly as PostgreSQL's output function does under `settings`. */
  toText(value: T, settings?: TypeSettings): string;
  /** Reads the binary (send) form. */
  fromBinary(bytes: Uint8Array): T;
  /** Writes the binary (send) form. */
  toBinary(value: T): Uint8Array;
}
