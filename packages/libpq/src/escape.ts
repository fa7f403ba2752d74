/**
 * Quoting for the rare places SQL text must be built (identifiers in DDL, psql's \commands), with
 * PQescapeLiteral / PQescapeIdentifier's exact output. Values belong in query parameters instead:
 * nothing in this library concatenates values into SQL.
 */
import { InterfaceError } from './errors.js';

function rejectNul(s: string): void {
  // PostgreSQL text cannot contain NUL; libpq would silently truncate there, which is worse.
  if (s.includes('\0')) throw new InterfaceError('string to escape contains a NUL character');
}

/**
 * A string literal: 'it''s'. When the value contains backslashes the result is an escape string
 * with a leading space, ` E'a\\b'`, so it means the same whatever standard_conforming_strings is.
 */
export function escapeLiteral(value: string): string {
  rejectNul(value);
  const hasBackslash = value.includes('\\');
  const body = value.replace(/['\\]/g, (c) => c + c);
  return (hasBackslash ? " E'" : "'") + body + "'";
}

/** A quoted identifier: "my ""table""". */
export function escapeIdentifier(name: string): string {
  rejectNul(name);
  return '"' + name.replace(/"/g, '""') + '"';
}
