// Authentication helpers: MD5, SASLprep, SCRAM-SHA-256(-PLUS) client and server, channel binding.
export { AuthenticationError } from './errors.js';
export {
  isMd5PasswordHash,
  md5AuthResponse,
  md5CheckResponse,
  md5PasswordHash,
  type Md5Secret,
} from './md5.js';
export {
  MAX_PASSWORD_LENGTH,
  saslprep,
  scramPasswordBytes,
  type SaslPrepResult,
} from './saslprep.js';
export {
  SCRAM_DEFAULT_ITERATIONS,
  SCRAM_DEFAULT_SALT_LENGTH,
  SCRAM_KEY_LENGTH,
  SCRAM_SHA_256,
  SCRAM_SHA_256_PLUS,
  randomScramNonce,
} from './scram-primitives.js';
export {
  formatScramVerifier,
  isScramVerifier,
  mockScramVerifier,
  parseScramVerifier,
  scramKeys,
  scramVerifier,
  scramVerifyPlainPassword,
  type ScramVerifier,
  type ScramVerifierOptions,
} from './scram-verifier.js';
export {
  certificateSignatureAlgorithm,
  TLS_SERVER_END_POINT,
  tlsServerEndPointData,
} from './channel-binding.js';
export {
  ScramClient,
  type ScramClientChannelBinding,
  type ScramClientOptions,
} from './scram-client.js';
export {
  ScramServer,
  scramMechanisms,
  type ScramServerOptions,
  type ScramServerResult,
} from './scram-server.js';
