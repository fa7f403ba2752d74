/**
 * The client side of authentication during startup: answers the server's Authentication*
 * requests (cleartext, MD5, SCRAM-SHA-256 and SCRAM-SHA-256-PLUS) and enforces `require_auth` and
 * `channel_binding` with libpq's error texts. Pure logic: it returns the messages to send.
 */
import {
  md5AuthResponse,
  ScramClient,
  type BackendMessage,
  type EncodableFrontendMessage,
} from '@tuskdb/shared-protocol';
import type { AuthMethodName, ChannelBinding, RequireAuth } from '../options/resolve.js';

export interface AuthContext {
  user: string;
  password: string | undefined;
  channelBinding: ChannelBinding;
  requireAuth: RequireAuth | null;
  /** Channel binding data when the connection uses TLS (null without TLS). */
  tlsEndPoint: (() => Uint8Array) | null;
}

/** An authentication failure; the message is libpq's. */
export class AuthError extends Error {}

const SCRAM = 'SCRAM-SHA-256';
const SCRAM_PLUS = 'SCRAM-SHA-256-PLUS';

export class Authenticator {
  private scram: ScramClient | null = null;
  private usedChannelBinding = false;
  private saslDone = false;
  /** Which method the server asked for (for require_auth's check at AuthenticationOk). */
  private method: AuthMethodName | null = null;

  constructor(private readonly ctx: AuthContext) {}

  private requireMethod(method: AuthMethodName, reason: string): void {
    this.method = method;
    const ra = this.ctx.requireAuth;
    if (ra && !ra.allowed.has(method)) {
      throw new AuthError(`authentication method requirement "${ra.text}" failed: ${reason}`);
    }
  }

  private password(): string {
    const pw = this.ctx.password;
    if (pw === undefined || pw === '') throw new AuthError('fe_sendauth: no password supplied');
    return pw;
  }

  private noChannelBindingAllowed(): void {
    if (this.ctx.channelBinding === 'require') {
      throw new AuthError(
        "channel binding required but not supported by server's authentication request",
      );
    }
  }

  /** Handles one Authentication* message; returns what to send (possibly nothing). */
  handle(m: BackendMessage): EncodableFrontendMessage | null {
    switch (m.type) {
      case 'AuthenticationOk': {
        if (this.ctx.channelBinding === 'require' && !this.usedChannelBinding) {
          throw new AuthError(
            'channel binding required, but server authenticated client without channel binding',
          );
        }
        if (this.scram && !this.saslDone) {
          throw new AuthError(
            'AuthenticationSASLFinal received from server, but SASL authentication was not completed',
          );
        }
        const ra = this.ctx.requireAuth;
        if (ra && this.method === null && !ra.allowed.has('none')) {
          throw new AuthError(
            `authentication method requirement "${ra.text}" failed: server did not complete authentication`,
          );
        }
        return null;
      }
      case 'AuthenticationCleartextPassword':
        this.requireMethod('password', 'server requested a cleartext password');
        this.noChannelBindingAllowed();
        return { type: 'PasswordMessage', password: this.password() };
      case 'AuthenticationMD5Password':
        this.requireMethod('md5', 'server requested a hashed password');
        this.noChannelBindingAllowed();
        return {
          type: 'PasswordMessage',
          password: md5AuthResponse(this.password(), this.ctx.user, m.salt),
        };
      case 'AuthenticationSASL':
        return this.startSasl(m.mechanisms);
      case 'AuthenticationSASLContinue': {
        if (!this.scram) {
          throw new AuthError(
            'fe_sendauth: invalid authentication request from server: AUTH_REQ_SASL_CONT without AUTH_REQ_SASL',
          );
        }
        let final: string;
        try {
          final = this.scram.handleServerFirst(Buffer.from(m.data).toString('utf8'));
        } catch (e) {
          throw new AuthError((e as Error).message);
        }
        return { type: 'SASLResponse', data: Buffer.from(final) };
      }
      case 'AuthenticationSASLFinal': {
        if (!this.scram) throw new AuthError('fe_sendauth: error in SASL authentication');
        try {
          this.scram.handleServerFinal(Buffer.from(m.data).toString('utf8'));
        } catch (e) {
          throw new AuthError((e as Error).message);
        }
        this.saslDone = true;
        return null;
      }
      case 'AuthenticationGSS':
      case 'AuthenticationGSSContinue':
        this.requireMethod('gss', 'server requested GSSAPI authentication');
        throw new AuthError('GSSAPI authentication not supported');
      case 'AuthenticationSSPI':
        this.requireMethod('sspi', 'server requested SSPI authentication');
        throw new AuthError('SSPI authentication not supported');
      case 'AuthenticationKerberosV5':
        throw new AuthError('Kerberos 5 authentication not supported');
      default:
        throw new AuthError(`expected authentication request from server, but received ${m.type}`);
    }
  }

  private startSasl(mechanisms: string[]): EncodableFrontendMessage {
    this.requireMethod('scram-sha-256', 'server requested SASL authentication');
    if (this.scram) throw new AuthError('duplicate SASL authentication request');
    const tls = this.ctx.tlsEndPoint;
    if (this.ctx.channelBinding === 'require' && !tls) {
      throw new AuthError('channel binding required, but SSL not in use');
    }
    if (mechanisms.includes(SCRAM_PLUS) && !tls) {
      // Without TLS a server cannot mean PLUS: perhaps a proxy stripped the TLS layer.
      throw new AuthError(
        'server offered SCRAM-SHA-256-PLUS authentication over a non-SSL connection',
      );
    }
    let mechanism: string;
    let binding: Uint8Array | undefined;
    if (tls && mechanisms.includes(SCRAM_PLUS) && this.ctx.channelBinding !== 'disable') {
      mechanism = SCRAM_PLUS;
      binding = tls();
      this.usedChannelBinding = true;
    } else if (this.ctx.channelBinding === 'require') {
      throw new AuthError(
        'channel binding is required, but server did not offer an authentication method that supports channel binding',
      );
    } else if (mechanisms.includes(SCRAM)) {
      mechanism = SCRAM;
    } else {
      throw new AuthError("none of the server's SASL authentication mechanisms are supported");
    }
    this.scram = new ScramClient({
      password: this.password(),
      channelBinding: binding
        ? { type: 'tls-server-end-point', data: binding }
        : tls !== null && this.ctx.channelBinding !== 'disable'
          ? 'client-supports-but-not-used'
          : undefined,
    });
    return {
      type: 'SASLInitialResponse',
      mechanism,
      data: Buffer.from(this.scram.clientFirstMessage()),
    };
  }
}
