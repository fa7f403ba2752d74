/**
 * The error a value codec throws for input PostgreSQL would reject, carrying the SQLSTATE and the
 * message text PostgreSQL 15 uses, so the server can report it unchanged.
 */
export class TypeInputError extends Error {
  override readonly name = 'TypeInputError';
  constructor(
    /** Five-character SQLSTATE, e.g. 22P02 (invalid_text_representation). */
    readonly code: string,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** 22P02 `invalid input syntax for type <type>: "<input>"`. */
export function invalidSyntax(typeName: string, input: string, code = '22P02'): TypeInputError {
  return new TypeInputError(code, `invalid input syntax for type ${typeName}: "${input}"`);
}

/** 22003 `value "<input>" is out of range for type <type>` (integers, oid). */
export function valueOutOfRange(typeName: string, input: string): TypeInputError {
  return new TypeInputError('22003', `value "${input}" is out of range for type ${typeName}`);
}

/** 08P01-style failure for a malformed binary value (PostgreSQL: insufficient data / incorrect binary data format). */
export function badBinary(message = 'incorrect binary data format'): TypeInputError {
  return new TypeInputError('22P03', message);
}
