/*
 * storage/errors.ts — how the storage layer reports errors.
 *
 * The SQL engine already has one error class carrying a SQLSTATE (PgError in
 * utils/errors.ts); storage throws that same class so the protocol loop can
 * send our errors unchanged. `StorageError` is an alias kept for callers that
 * think in storage terms.
 */
import { PgError } from '../utils/errors.js';
import type { PgErrorFields } from '../utils/errors.js';

export { PgError as StorageError };
export type { PgErrorFields as StorageErrorFields };

/** SQLSTATEs raised by storage and access. */
export const SqlState = {
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  lockNotAvailable: '55P03',
  uniqueViolation: '23505',
  programLimitExceeded: '54000',
  readOnlyTransaction: '25006',
  invalidCatalogName: '3D000',
  sequenceGeneratorLimitExceeded: '2200H',
  numericValueOutOfRange: '22003',
  objectInUse: '55006',
  internalError: 'XX000',
  queryCanceled: '57014',
} as const;

/** Builds the error PostgreSQL would raise with `code` and `message`. */
export function storageError(code: string, message: string, fields?: PgErrorFields): PgError {
  return new PgError(code, message, fields);
}
