/**
 * The client side of SCRAM-SHA-256(-PLUS) as libpq speaks it: client-first with an empty user
 * name (PostgreSQL takes the user from the startup packet), then client-final with the proof,
 * then a check of the server's signature — which is what proves the server knew the secret.
 */
import { AuthenticationError, scramClientError } from './errors.js';
import { TLS_SERVER_END_POINT } from './channel-binding.js';
import { scramPasswordBytes } from './saslprep.js';
import { ScramReader } from './scram-attributes.js';
import {
  clientKey,
  decodeBase64Strict,
  hmacSha256,
  randomScramNonce,
  SCRAM_KEY_LENGTH,
  SCRAM_SHA_256,
  SCRAM_SHA_256_PLUS,
  saltedPassword,
  serverKey,
  sha256,
  xorBytes,
} from './scram-primitives.js';
import { SqlState } from '../sqlstate/index.js';

/**
 * - undefined: no channel binding ('n,,'), mechanism SCRAM-SHA-256;
 * - 'client-supports-but-not-used': we could bind but the server did not offer PLUS ('y,,');
 * - { type: 'tls-server-end-point', data }: bind to the TLS session, mechanism SCRAM-SHA-256-PLUS;
 *   `data` is tlsServerEndPointData(server certificate).
 */
export type ScramClientChannelBinding =
  undefined | 'client-supports-but-not-used' | { type: 'tls-server-end-point'; data: Uint8Array };

export interface ScramClientOptions {
  password: string | Uint8Array;
  channelBinding?: ScramClientChannelBinding;
  /** The client nonce (printable, no comma); default 18 random bytes in base64 as libpq. */
  nonce?: string;
  /** User name for client-first; PostgreSQL ignores it and libpq sends none. Default ''. */
  username?: string;
}

type ClientState = 'initial' | 'sent-first' | 'sent-final' | 'done';

/** RFC 5802 saslname: ',' and '=' escaped. */
function saslName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

export class ScramClient {
  readonly mechanism: typeof SCRAM_SHA_256 | typeof SCRAM_SHA_256_PLUS;
  private readonly gs2Header: string;
  private readonly cbindData: Buffer;
  private readonly password: string | Uint8Array;
  private readonly clientNonce: string;
  private readonly username: string;
  private state: ClientState = 'initial';
  private clientFirstBare = '';
  private expectedServerSignature: Buffer | null = null;

  constructor(options: ScramClientOptions) {
    const cb = options.channelBinding;
    if (cb === undefined) {
      this.gs2Header = 'n,,';
      this.cbindData = Buffer.alloc(0);
      this.mechanism = SCRAM_SHA_256;
    } else if (cb === 'client-supports-but-not-used') {
      this.gs2Header = 'y,,';
      this.cbindData = Buffer.alloc(0);
      this.mechanism = SCRAM_SHA_256;
    } else {
      if (cb.type !== TLS_SERVER_END_POINT) throw new TypeError('unsupported channel binding type');
      this.gs2Header = `p=${TLS_SERVER_END_POINT},,`;
      this.cbindData = Buffer.from(cb.data);
      this.mechanism = SCRAM_SHA_256_PLUS;
    }
    this.password = options.password;
    this.clientNonce = options.nonce ?? randomScramNonce();
    if (this.clientNonce === '' || !/^[\x21-\x2b\x2d-\x7e]+$/.test(this.clientNonce)) {
      throw new TypeError('SCRAM nonce must be printable ASCII without commas');
    }
    this.username = options.username ?? '';
  }

  /** The SASLInitialResponse data. */
  clientFirstMessage(): string {
    if (this.state !== 'initial') throw invalidState();
    this.clientFirstBare = `n=${saslName(this.username)},r=${this.clientNonce}`;
    this.state = 'sent-first';
    return this.gs2Header + this.clientFirstBare;
  }

  /** Takes AuthenticationSASLContinue's data, returns the SASLResponse data (client-final). */
  handleServerFirst(message: string): string {
    if (this.state !== 'sent-first') throw invalidState();
    checkMessage(message);
    const r = new ScramReader(message, 'client');
    const nonce = r.attr('r');
    if (nonce.length <= this.clientNonce.length || !nonce.startsWith(this.clientNonce)) {
      throw scramClientError('invalid SCRAM response (nonce mismatch)');
    }
    const saltText = r.attr('s');
    const salt = decodeBase64Strict(saltText);
    if (!salt || saltText === '') throw scramClientError('malformed SCRAM message (invalid salt)');
    const iterText = r.attr('i');
    const iterations = /^[0-9]+$/.test(iterText) ? Number(iterText) : NaN;
    if (!(iterations >= 1 && iterations <= 0x7fffffff)) {
      throw scramClientError('malformed SCRAM message (invalid iteration count)');
    }
    if (!r.atEnd) {
      throw scramClientError('malformed SCRAM message (garbage at end of server-first-message)');
    }

    const cbind = Buffer.concat([Buffer.from(this.gs2Header), this.cbindData]).toString('base64');
    const finalWithoutProof = `c=${cbind},r=${nonce}`;
    const authMessage = `${this.clientFirstBare},${message},${finalWithoutProof}`;
    const salted = saltedPassword(scramPasswordBytes(this.password), salt, iterations);
    const ck = clientKey(salted);
    const clientSignature = hmacSha256(sha256(ck), authMessage);
    const proof = xorBytes(ck, clientSignature);
    this.expectedServerSignature = hmacSha256(serverKey(salted), authMessage);
    this.state = 'sent-final';
    return `${finalWithoutProof},p=${proof.toString('base64')}`;
  }

  /**
   * Takes AuthenticationSASLFinal's data and checks the server signature. Throws
   * AuthenticationError: "incorrect server signature" (28P01-class failure: the server does not
   * know the password), or libpq's malformed-message texts.
   */
  handleServerFinal(message: string): void {
    if (this.state !== 'sent-final' || !this.expectedServerSignature) throw invalidState();
    checkMessage(message);
    const r = new ScramReader(message, 'client');
    if (r.peek() === 'e') {
      throw scramClientError(`error received from server in SCRAM exchange: ${r.attr('e')}`);
    }
    const sigText = r.attr('v');
    if (!r.atEnd) {
      throw scramClientError('malformed SCRAM message (garbage at end of server-final-message)');
    }
    const sig = decodeBase64Strict(sigText);
    if (!sig || sig.length !== SCRAM_KEY_LENGTH) {
      throw scramClientError('malformed SCRAM message (invalid server signature)');
    }
    if (!sig.equals(this.expectedServerSignature)) {
      throw new AuthenticationError(SqlState.invalidPassword, 'incorrect server signature');
    }
    this.state = 'done';
  }

  /** True once the server's signature has been verified. */
  get done(): boolean {
    return this.state === 'done';
  }
}

function checkMessage(message: string): void {
  if (message.length === 0) throw scramClientError('malformed SCRAM message (empty message)');
  if (message.includes('\0')) throw scramClientError('malformed SCRAM message (length mismatch)');
}

function invalidState(): AuthenticationError {
  return scramClientError('invalid SCRAM exchange state');
}
