/**
 * SCRAM-SHA-256 client exchange (RFC 5802 / 7677), with optional tls-server-end-point channel
 * binding. Replace with @tuskdb/shared-protocol's ScramClient once it is published.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

function saslName(s: string): string {
  return s.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

function parseAttributes(msg: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of msg.split(',')) {
    if (part.length < 2 || part[1] !== '=') {
      throw new Error(`malformed SCRAM message (attribute "${part[0] ?? ''}" expected)`);
    }
    out.set(part[0]!, part.slice(2));
  }
  return out;
}

export interface ScramOptions {
  password: string;
  /** Channel binding data (tls-server-end-point) when SCRAM-SHA-256-PLUS is used. */
  channelBinding?: Uint8Array;
  /** The client supports channel binding but the server did not offer it ('y' flag). */
  clientSupportsBinding?: boolean;
}

export class ScramSession {
  private readonly nonce = randomBytes(18).toString('base64');
  private readonly gs2: string;
  private clientFirstBare = '';
  private expectedServerSignature: Buffer | null = null;

  constructor(private readonly opts: ScramOptions) {
    this.gs2 = opts.channelBinding
      ? 'p=tls-server-end-point,,'
      : opts.clientSupportsBinding
        ? 'y,,'
        : 'n,,';
  }

  /** client-first-message (the user name is empty: PostgreSQL takes it from the startup packet). */
  clientFirst(): string {
    this.clientFirstBare = `n=${saslName('')},r=${this.nonce}`;
    return this.gs2 + this.clientFirstBare;
  }

  /** Takes server-first-message, returns client-final-message. */
  clientFinal(serverFirst: string): string {
    const attrs = parseAttributes(serverFirst);
    const nonce = attrs.get('r');
    const salt = attrs.get('s');
    const iterations = Number(attrs.get('i'));
    if (!nonce || !nonce.startsWith(this.nonce))
      throw new Error('invalid SCRAM response (nonce mismatch)');
    if (!salt) throw new Error('malformed SCRAM message (invalid salt)');
    if (!Number.isInteger(iterations) || iterations < 1) {
      throw new Error('malformed SCRAM message (invalid iteration count)');
    }
    const cbindInput = this.opts.channelBinding
      ? Buffer.concat([Buffer.from(this.gs2), Buffer.from(this.opts.channelBinding)])
      : Buffer.from(this.gs2);
    const withoutProof = `c=${cbindInput.toString('base64')},r=${nonce}`;
    // PostgreSQL applies SASLprep to the password; plain ASCII passwords are unchanged by it.
    const salted = pbkdf2Sync(
      this.opts.password.normalize('NFKC'),
      Buffer.from(salt, 'base64'),
      iterations,
      32,
      'sha256',
    );
    const clientKey = createHmac('sha256', salted).update('Client Key').digest();
    const storedKey = createHash('sha256').update(clientKey).digest();
    const authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    const clientSignature = createHmac('sha256', storedKey).update(authMessage).digest();
    const proof = Buffer.alloc(32);
    for (let i = 0; i < 32; i++) proof[i] = clientKey[i]! ^ clientSignature[i]!;
    const serverKey = createHmac('sha256', salted).update('Server Key').digest();
    this.expectedServerSignature = createHmac('sha256', serverKey).update(authMessage).digest();
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  /** Checks server-final-message; throws libpq's texts on failure. */
  verifyServerFinal(serverFinal: string): void {
    const attrs = parseAttributes(serverFinal);
    const err = attrs.get('e');
    if (err !== undefined) throw new Error(`error received from server in SCRAM exchange: ${err}`);
    const v = attrs.get('v');
    if (v === undefined || this.expectedServerSignature === null) {
      throw new Error('malformed SCRAM message (invalid server signature)');
    }
    const got = Buffer.from(v, 'base64');
    if (got.length !== 32 || !timingSafeEqual(got, this.expectedServerSignature)) {
      throw new Error('incorrect server signature');
    }
  }
}

/** The MD5 password response: "md5" + md5(md5(password + user) + salt). */
export function md5Response(user: string, password: string, salt: Uint8Array): string {
  const inner = createHash('md5')
    .update(password + user)
    .digest('hex');
  return 'md5' + createHash('md5').update(inner).update(salt).digest('hex');
}
