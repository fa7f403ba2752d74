/**
 * The server side of SCRAM-SHA-256(-PLUS) as PostgreSQL's backend runs it. Malformed messages,
 * channel-binding and nonce mismatches raise AuthenticationError with the backend's own texts
 * (sent to the client as ErrorResponse); a wrong proof, or a doomed exchange for an unknown user,
 * ends with { ok: false } and the backend reports `password authentication failed for user "…"`.
 */
import { timingSafeEqual } from 'node:crypto';
import { SqlState } from '../sqlstate/index.js';
import { TLS_SERVER_END_POINT } from './channel-binding.js';
import { AuthenticationError, malformedScram, scramProtocolViolation } from './errors.js';
import { sanitizeChar, ScramReader } from './scram-attributes.js';
import {
  decodeBase64Strict,
  hmacSha256,
  isScramPrintable,
  randomScramNonce,
  SCRAM_KEY_LENGTH,
  SCRAM_SHA_256,
  SCRAM_SHA_256_PLUS,
  sha256,
  xorBytes,
} from './scram-primitives.js';
import { mockScramVerifier, parseScramVerifier, type ScramVerifier } from './scram-verifier.js';

export interface ScramServerOptions {
  /**
   * The user's stored secret. When missing or not a valid SCRAM secret the exchange is doomed:
   * it runs to the end with a mock salt (from `mock`) and then fails, as PostgreSQL does so that
   * a client cannot find out which users exist.
   */
  verifier?: ScramVerifier | string | undefined;
  /** For doomed exchanges: the user name and a per-installation secret to derive the mock salt. */
  mock?: { username: string; serverSecret: Uint8Array };
  /** The mechanism the client chose; PLUS requires `channelBinding`. Default SCRAM-SHA-256. */
  mechanism?: typeof SCRAM_SHA_256 | typeof SCRAM_SHA_256_PLUS;
  /**
   * Present when the connection uses TLS and the server can bind to it: the
   * tls-server-end-point data (hash of our certificate). Its presence also makes a client's
   * 'y' flag ("I could bind but you did not offer it") an error, as in PostgreSQL.
   */
  channelBinding?: { data: Uint8Array };
  /** The server's part of the nonce; default 18 random bytes in base64 as PostgreSQL. */
  nonce?: string;
}

export type ScramServerResult =
  { ok: true; serverFinal: string } | { ok: false; reason: 'invalid-proof' | 'no-valid-secret' };

type ServerState = 'initial' | 'sent-first' | 'done';

/** The mechanisms to list in AuthenticationSASL: PLUS first when the connection can bind. */
export function scramMechanisms(canBindChannel: boolean): string[] {
  return canBindChannel ? [SCRAM_SHA_256_PLUS, SCRAM_SHA_256] : [SCRAM_SHA_256];
}

export class ScramServer {
  private readonly verifier: ScramVerifier;
  private readonly doomed: boolean;
  private readonly channelBindingInUse: boolean;
  private readonly cbindData: Buffer | null;
  private readonly serverNonce: string;
  private state: ServerState = 'initial';
  private cbindFlag = '';
  private clientFirstBare = '';
  private serverFirst = '';
  private combinedNonce = '';

  constructor(options: ScramServerOptions) {
    const parsed =
      typeof options.verifier === 'string'
        ? parseScramVerifier(options.verifier)
        : options.verifier;
    if (parsed) {
      this.verifier = parsed;
      this.doomed = false;
    } else {
      if (!options.mock) throw new TypeError('ScramServer needs a verifier or mock settings');
      this.verifier = mockScramVerifier(options.mock.username, options.mock.serverSecret);
      this.doomed = true;
    }
    this.channelBindingInUse = options.mechanism === SCRAM_SHA_256_PLUS;
    this.cbindData = options.channelBinding ? Buffer.from(options.channelBinding.data) : null;
    if (this.channelBindingInUse && !this.cbindData) {
      throw new TypeError('SCRAM-SHA-256-PLUS needs channel binding data');
    }
    this.serverNonce = options.nonce ?? randomScramNonce();
    if (this.serverNonce === '' || !isScramPrintable(this.serverNonce)) {
      throw new TypeError('SCRAM nonce must be printable ASCII without commas');
    }
  }

  /** True when the exchange can only fail (unknown user or no SCRAM secret). */
  get isDoomed(): boolean {
    return this.doomed;
  }

  /**
   * Takes SASLInitialResponse's data, returns AuthenticationSASLContinue's data. `null` (the
   * client sent no initial response) yields an empty challenge, and the next SASLResponse is
   * then taken as client-first.
   */
  handleClientFirst(message: string | null): string {
    if (this.state !== 'initial') throw invalidState();
    if (message === null) return '';
    checkMessage(message);
    const r = new ScramReader(message, 'server');
    const flag = r.peek();
    switch (flag) {
      case 'n':
      case 'y':
        if (this.channelBindingInUse) {
          throw malformedScram(
            'The client selected SCRAM-SHA-256-PLUS, but the SCRAM message does not include channel binding data.',
          );
        }
        if (flag === 'y' && this.cbindData) {
          throw new AuthenticationError(
            SqlState.invalidAuthorizationSpecification,
            'SCRAM channel binding negotiation error',
            'The client supports SCRAM channel binding but thinks the server does not.  However, this server does support channel binding.',
          );
        }
        r.pos++;
        if (r.peek() !== ',') {
          throw malformedScram(`Comma expected, but found character "${sanitizeChar(r.peek())}".`);
        }
        r.pos++;
        break;
      case 'p': {
        if (!this.channelBindingInUse) {
          throw malformedScram(
            'The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message includes channel binding data.',
          );
        }
        const type = r.attr('p');
        if (type !== TLS_SERVER_END_POINT) {
          throw scramProtocolViolation(
            `unsupported SCRAM channel-binding type "${sanitizeString(type)}"`,
          );
        }
        break;
      }
      default:
        throw malformedScram(`Unexpected channel-binding flag "${sanitizeChar(flag)}".`);
    }
    this.cbindFlag = flag;
    if (r.peek() === 'a') {
      throw new AuthenticationError(
        SqlState.featureNotSupported,
        'client uses authorization identity, but it is not supported',
      );
    }
    if (r.peek() !== ',') {
      throw malformedScram(
        `Unexpected attribute "${sanitizeChar(r.peek())}" in client-first-message.`,
      );
    }
    r.pos++;
    this.clientFirstBare = r.rest();
    if (r.peek() === 'm') {
      throw new AuthenticationError(
        SqlState.featureNotSupported,
        'client requires an unsupported SCRAM extension',
      );
    }
    r.attr('n'); // the user name: ignored, PostgreSQL uses the startup packet's
    const clientNonce = r.attr('r');
    if (!isScramPrintable(clientNonce)) {
      throw scramProtocolViolation('non-printable characters in SCRAM nonce');
    }
    while (!r.atEnd) r.anyAttr(); // extensions are ignored

    this.combinedNonce = clientNonce + this.serverNonce;
    this.serverFirst =
      `r=${this.combinedNonce},s=${this.verifier.salt.toString('base64')},` +
      `i=${this.verifier.iterations}`;
    this.state = 'sent-first';
    return this.serverFirst;
  }

  /** Takes the SASLResponse with client-final; on success returns AuthenticationSASLFinal's data. */
  handleClientFinal(message: string): ScramServerResult {
    if (this.state !== 'sent-first') throw invalidState();
    checkMessage(message);
    const r = new ScramReader(message, 'server');
    const cbind = r.attr('c');
    if (this.channelBindingInUse) {
      const expected = Buffer.concat([
        Buffer.from(`p=${TLS_SERVER_END_POINT},,`),
        this.cbindData!,
      ]).toString('base64');
      if (cbind !== expected) {
        throw new AuthenticationError(
          SqlState.invalidAuthorizationSpecification,
          'SCRAM channel binding check failed',
        );
      }
    } else if (
      !(cbind === 'biws' && this.cbindFlag === 'n') &&
      !(cbind === 'eSws' && this.cbindFlag === 'y')
    ) {
      throw scramProtocolViolation(
        'unexpected SCRAM channel-binding attribute in client-final-message',
      );
    }
    const finalNonce = r.attr('r');
    let proofStart: number;
    let proofText: string;
    for (;;) {
      proofStart = r.pos - 1;
      const { name, value } = r.anyAttr();
      if (name === 'p') {
        proofText = value;
        break;
      }
    }
    const proof = decodeBase64Strict(proofText);
    if (!proof || proof.length !== SCRAM_KEY_LENGTH) {
      throw malformedScram('Malformed proof in client-final-message.');
    }
    if (!r.atEnd) throw malformedScram('Garbage found at the end of client-final-message.');
    if (finalNonce !== this.combinedNonce) {
      throw scramProtocolViolation('invalid SCRAM response', 'Nonce does not match.');
    }
    this.state = 'done';

    const finalWithoutProof = message.slice(0, proofStart);
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${finalWithoutProof}`;
    const clientSignature = hmacSha256(this.verifier.storedKey, authMessage);
    const clientKey = xorBytes(proof, clientSignature);
    const proofOk = timingSafeEqual(sha256(clientKey), this.verifier.storedKey);
    if (this.doomed) return { ok: false, reason: 'no-valid-secret' };
    if (!proofOk) return { ok: false, reason: 'invalid-proof' };
    const serverSignature = hmacSha256(this.verifier.serverKey, authMessage);
    return { ok: true, serverFinal: `v=${serverSignature.toString('base64')}` };
  }
}

function checkMessage(message: string): void {
  if (message.length === 0) throw malformedScram('The message is empty.');
  if (message.includes('\0')) throw malformedScram('Message length does not match input length.');
}

/** The backend prints a string only when it is all printable ASCII. */
function sanitizeString(s: string): string {
  return /^[\x21-\x7e]*$/.test(s) ? s : '?';
}

function invalidState(): AuthenticationError {
  return scramProtocolViolation('invalid SCRAM exchange state');
}
