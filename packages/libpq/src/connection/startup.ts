/**
 * The startup exchange as an operation: StartupMessage, authentication, BackendKeyData and the
 * initial ParameterStatus messages, until the first ReadyForQuery.
 */
import type { BackendMessage, MessageWriter } from '@tuskdb/shared-protocol';
import { PROTOCOL_3_0 } from '@tuskdb/shared-protocol';
import { DatabaseError } from '../errors.js';
import { AuthError, Authenticator, type AuthContext } from './authenticator.js';
import type { Operation } from './operation.js';

export interface StartupResult {
  processId: number;
  secretKey: number;
}

export class StartupOperation implements Operation {
  private processId = 0;
  private secretKey = 0;
  private readonly auth: Authenticator;
  private error: Error | null = null;

  constructor(
    private readonly parameters: Map<string, string>,
    authContext: AuthContext,
    private readonly writeNow: (fn: (w: MessageWriter) => void) => void,
    private readonly settle: (err: Error | null, r: StartupResult) => void,
  ) {
    this.auth = new Authenticator(authContext);
  }

  write(w: MessageWriter): void {
    w.frontend({
      type: 'StartupMessage',
      protocolVersion: PROTOCOL_3_0,
      parameters: this.parameters,
    });
  }

  handle(m: BackendMessage): boolean {
    if (this.error) return false;
    switch (m.type) {
      case 'AuthenticationOk':
      case 'AuthenticationCleartextPassword':
      case 'AuthenticationMD5Password':
      case 'AuthenticationSASL':
      case 'AuthenticationSASLContinue':
      case 'AuthenticationSASLFinal':
      case 'AuthenticationGSS':
      case 'AuthenticationGSSContinue':
      case 'AuthenticationSSPI':
      case 'AuthenticationKerberosV5': {
        let reply;
        try {
          reply = this.auth.handle(m);
        } catch (e) {
          // The server waits for our answer: report and let the caller drop the connection.
          this.error =
            e instanceof AuthError ? e : new AuthError(String((e as Error).message ?? e));
          this.settle(this.error, this.result());
          return true;
        }
        if (reply) this.writeNow((w) => w.frontend(reply));
        return false;
      }
      case 'BackendKeyData':
        this.processId = m.processId;
        this.secretKey = m.secretKey;
        return false;
      case 'ErrorResponse':
        this.error = new DatabaseError(m);
        this.settle(this.error, this.result());
        return true;
      case 'ReadyForQuery':
        this.settle(null, this.result());
        return true;
      case 'NegotiateProtocolVersion':
        return false;
      default:
        this.error = new AuthError('unexpected message from server during startup');
        this.settle(this.error, this.result());
        return true;
    }
  }

  private result(): StartupResult {
    return { processId: this.processId, secretKey: this.secretKey };
  }

  fail(err: Error): void {
    if (this.error) return;
    this.error = err;
    this.settle(err, this.result());
  }
}
