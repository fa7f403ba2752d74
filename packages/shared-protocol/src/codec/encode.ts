/**
 * One-off encoding (a fresh Buffer per message) and the precomputed bytes of fixed messages, for
 * code paths where a shared MessageWriter is not at hand. Constant buffers are shared: never
 * modify them.
 */
import type {
  AuthenticationResponse,
  BackendMessage,
  EncodableFrontendMessage,
} from '../messages.js';
import { MessageWriter } from './message-writer.js';

export function encodeFrontendMessage(
  m: EncodableFrontendMessage | AuthenticationResponse,
): Buffer {
  return Buffer.from(new MessageWriter(64).frontend(m).take());
}

export function encodeBackendMessage(m: BackendMessage): Buffer {
  return Buffer.from(new MessageWriter(64).backend(m).take());
}

const fe = encodeFrontendMessage;
const be = encodeBackendMessage;

/* Frontend */
export const SYNC_MESSAGE = fe({ type: 'Sync' });
export const FLUSH_MESSAGE = fe({ type: 'Flush' });
export const TERMINATE_MESSAGE = fe({ type: 'Terminate' });
/** CopyDone is the same bytes in both directions. */
export const COPY_DONE_MESSAGE = fe({ type: 'CopyDone' });
export const SSL_REQUEST_MESSAGE = fe({ type: 'SSLRequest' });
export const GSSENC_REQUEST_MESSAGE = fe({ type: 'GSSENCRequest' });

/* Backend */
export const AUTHENTICATION_OK_MESSAGE = be({ type: 'AuthenticationOk' });
export const AUTHENTICATION_CLEARTEXT_PASSWORD_MESSAGE = be({
  type: 'AuthenticationCleartextPassword',
});
export const PARSE_COMPLETE_MESSAGE = be({ type: 'ParseComplete' });
export const BIND_COMPLETE_MESSAGE = be({ type: 'BindComplete' });
export const CLOSE_COMPLETE_MESSAGE = be({ type: 'CloseComplete' });
export const NO_DATA_MESSAGE = be({ type: 'NoData' });
export const PORTAL_SUSPENDED_MESSAGE = be({ type: 'PortalSuspended' });
export const EMPTY_QUERY_RESPONSE_MESSAGE = be({ type: 'EmptyQueryResponse' });
export const READY_FOR_QUERY_IDLE_MESSAGE = be({ type: 'ReadyForQuery', status: 'I' });
export const READY_FOR_QUERY_IN_TRANSACTION_MESSAGE = be({ type: 'ReadyForQuery', status: 'T' });
export const READY_FOR_QUERY_FAILED_MESSAGE = be({ type: 'ReadyForQuery', status: 'E' });
/** The one-byte answers to SSLRequest / GSSENCRequest (not framed messages). */
export const SSL_ACCEPTED_BYTE = Buffer.from('S');
export const SSL_REJECTED_BYTE = Buffer.from('N');
export const GSSENC_ACCEPTED_BYTE = Buffer.from('G');
export const GSSENC_REJECTED_BYTE = Buffer.from('N');
