/**
 * The server side of SCRAM-SHA-256 (RFC 5802/7677) as PostgreSQL runs it inside
 * AuthenticationSASL: client-first → server-first → client-final → server-final, with optional
 * tls-server-end-point channel binding (SCRAM-SHA-256-PLUS) over SSL. For a role without a usable
 * verifier the exchange runs to the end against a made-up one and fails there, so a client cannot
 * learn which roles exist (PostgreSQL's "mock authentication").
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ScramVerifier } from './password-check.js';
import { SQLSTATE, StartupError } from './startup-errors.js';

export const SCRAM = 'SCRAM-SHA-256';
export const SCRAM_PLUS = 'SCRAM-SHA-256-PLUS';

function malformed(detail: string): StartupError {
  return new StartupError(SQLSTATE.protocolViolation, 'malformed SCRAM message', { detail });
}

/** Splits "a=1,b=2" attributes; values may contain '='. */
function attributes(text: string): Array<[string, string]> {
  return text.split(',').map((part) => {
    if (part.length < 2 || part[1] !== '=') {
      throw malformed(`Attribute expected, but found invalid character "${part[0] ?? ''}".`);
    }
    return [part[0]!, part.slice(2)];
  });
}

export class ScramExchange {
  private clientFirstBare = '';
  private serverFirst = '';
  private gs2Header = '';
  private nonce = '';
  private readonly verifier: ScramVerifier;
  private readonly mock: boolean;

  /**
   * @param verifier the role's parsed verifier, or undefined for a mock exchange that must fail.
   * @param certificateHash tls-server-end-point data when the connection is SSL (PLUS offered).
   */
  constructor(
    verifier: ScramVerifier | undefined,
    private readonly mechanism: string,
    private readonly certificateHash: Buffer | undefined,
  ) {
    this.mock = verifier === undefined;
    this.verifier = verifier ?? {
      iterations: 4096,
      salt: randomBytes(16),
      storedKey: randomBytes(32),
      serverKey: randomBytes(32),
    };
  }

  /** Handles client-first-message; returns server-first-message. */
  clientFirst(message: string): string {
    // gs2-header: cbind-flag "," [authzid] ","
    const m = /^([npy])(=[^,]*)?,([^,]*),(.*)$/s.exec(message);
    if (!m) throw malformed('Unexpected channel-binding flag.');
    const flag = m[1]!;
    if (m[3] !== '') {
      throw new StartupError(
        SQLSTATE.featureNotSupported,
        'client uses authorization identity, but it is not supported',
      );
    }
    if (flag === 'p') {
      if (this.mechanism !== SCRAM_PLUS) {
        throw new StartupError(
          SQLSTATE.protocolViolation,
          'channel binding not supported by this build',
          {
            detail:
              'The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message includes channel binding data.',
          },
        );
      }
      if (m[2] !== '=tls-server-end-point') {
        throw new StartupError(
          SQLSTATE.protocolViolation,
          `unsupported SCRAM channel-binding type "${(m[2] ?? '').slice(1)}"`,
        );
      }
    } else {
      if (this.mechanism === SCRAM_PLUS) {
        throw malformed(
          'The client selected SCRAM-SHA-256-PLUS, but the SCRAM message does not include channel binding data.',
        );
      }
      if (flag === 'y' && this.certificateHash) {
        throw new StartupError(
          SQLSTATE.protocolViolation,
          'SCRAM channel binding negotiation error',
          {
            detail:
              'The client supports SCRAM channel binding but thinks the server does not.  However, this server does support channel binding.',
          },
        );
      }
    }
    this.gs2Header = message.slice(0, message.length - m[4]!.length);
    this.clientFirstBare = m[4]!;
    const attrs = attributes(this.clientFirstBare);
    if (attrs[0]?.[0] !== 'n') throw malformed('Attribute expected, but found invalid character.');
    const clientNonce = attrs.find(([k]) => k === 'r')?.[1];
    if (!clientNonce || !/^[\x21-\x2b\x2d-\x7e]+$/.test(clientNonce)) {
      throw malformed('Could not parse client nonce.');
    }
    this.nonce = clientNonce + randomBytes(18).toString('base64');
    this.serverFirst = `r=${this.nonce},s=${this.verifier.salt.toString('base64')},i=${this.verifier.iterations}`;
    return this.serverFirst;
  }

  /**
   * Handles client-final-message; returns server-final-message, or undefined when the proof is
   * wrong (the caller reports the authentication failure).
   */
  clientFinal(message: string): string | undefined {
    const proofAt = message.lastIndexOf(',p=');
    if (proofAt < 0) throw malformed('Proof missing.');
    const withoutProof = message.slice(0, proofAt);
    const attrs = attributes(withoutProof);
    const binding = attrs.find(([k]) => k === 'c')?.[1];
    const nonce = attrs.find(([k]) => k === 'r')?.[1];
    if (binding === undefined) throw malformed('Could not find channel binding.');
    const expectedBinding = Buffer.concat([
      Buffer.from(this.gs2Header),
      this.gs2Header.startsWith('p') && this.certificateHash
        ? this.certificateHash
        : Buffer.alloc(0),
    ]).toString('base64');
    if (binding !== expectedBinding) {
      throw new StartupError(SQLSTATE.invalidAuthorization, 'SCRAM channel binding check failed');
    }
    if (nonce !== this.nonce) throw malformed('Nonce does not match.');
    const proof = Buffer.from(message.slice(proofAt + 3), 'base64');
    if (proof.length !== 32) throw malformed('Malformed proof in client-final-message.');
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const signature = createHmac('sha256', this.verifier.storedKey).update(authMessage).digest();
    const clientKey = Buffer.alloc(32);
    for (let i = 0; i < 32; i++) clientKey[i] = proof[i]! ^ signature[i]!;
    const stored = createHash('sha256').update(clientKey).digest();
    if (this.mock || !timingSafeEqual(stored, this.verifier.storedKey)) return undefined;
    const serverSignature = createHmac('sha256', this.verifier.serverKey)
      .update(authMessage)
      .digest('base64');
    return `v=${serverSignature}`;
  }
}

/**
 * tls-server-end-point (RFC 5929): hash of the server certificate with its signature's hash
 * algorithm, SHA-256 for MD5/SHA-1 signed certificates.
 */
export function tlsServerEndPoint(raw: Buffer, signatureAlgorithm: string | undefined): Buffer {
  const alg = (signatureAlgorithm ?? '').toLowerCase();
  const hash = alg.includes('sha512') ? 'sha512' : alg.includes('sha384') ? 'sha384' : 'sha256';
  return createHash(hash).update(raw).digest();
}
