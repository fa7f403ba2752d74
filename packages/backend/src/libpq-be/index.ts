/**
 * libpq-be: the backend's side of connection startup (PostgreSQL's src/backend/libpq): startup
 * packet and SSL negotiation, pg_hba.conf / pg_ident.conf, client authentication.
 */
export { AuthFileError, tokenizeAuthFile } from './auth-file-tokens.js';
export type { AuthLine, AuthToken } from './auth-file-tokens.js';
export { loadHbaFile, parseHba } from './hba-file.js';
export type { HbaAddress, HbaConnType, HbaMethod, HbaRule } from './hba-file.js';
export { findHbaRule } from './hba-match.js';
export type { HbaConnection, MembershipCheck } from './hba-match.js';
export { identMapAllows, loadIdentFile, parseIdent } from './ident-file.js';
export type { IdentEntry } from './ident-file.js';
export { acceptConnection, clipIdentifier } from './backend-startup.js';
export type {
  AcceptedConnection,
  StartupDatabase,
  StartupHooks,
  StartupOutcome,
  StartupRole,
} from './backend-startup.js';
export { refuseConnection } from './refuse-connection.js';
export {
  cleartextMatches,
  md5ResponseMatches,
  md5Verifier,
  scramVerifier,
  verifierKind,
} from './password-check.js';
export { StartupError } from './startup-errors.js';
