/**
 * PQencryptPasswordConn: the stored form of a password (SCRAM-SHA-256 verifier or md5 hash), so
 * that `ALTER ROLE … PASSWORD` (psql's \password) never sends the cleartext. The algorithm
 * defaults to the server's password_encryption setting, as libpq does.
 */
import { md5PasswordHash, scramVerifier } from '@tuskdb/shared-protocol';
import { InterfaceError } from '../errors.js';
import type { Connection } from './connection.js';

export type PasswordAlgorithm = 'scram-sha-256' | 'md5';

export async function encryptPassword(
  conn: Connection,
  password: string,
  user: string,
  algorithm?: PasswordAlgorithm,
): Promise<string> {
  let algo: string | undefined = algorithm;
  if (algo === undefined) {
    const r = await conn.exec('show password_encryption');
    const row = r[0];
    if (!row || row.error || row.ntuples !== 1 || row.nfields !== 1) {
      throw new InterfaceError('unexpected shape of result set returned for SHOW');
    }
    algo = row.getvalue(0, 0);
  }
  // "on" and "off" were once aliases of md5.
  if (algo === 'on' || algo === 'off') algo = 'md5';
  if (algo === 'scram-sha-256') return scramVerifier(password);
  if (algo === 'md5') return md5PasswordHash(password, user);
  throw new InterfaceError(`unrecognized password encryption algorithm "${algo}"`);
}
