/**
 * Serialises client → server messages into a MessageWriter (byte layouts per the protocol docs).
 */
import type {
  AuthenticationResponse,
  EncodableFrontendMessage,
  FormatCode,
  WireValue,
} from '../messages.js';
import { CANCEL_REQUEST_CODE, GSSENC_REQUEST_CODE, SSL_REQUEST_CODE } from '../messages.js';
import type { MessageWriter } from './message-writer.js';

function formats(w: MessageWriter, list: readonly FormatCode[]): void {
  w.int16(list.length);
  for (const f of list) w.int16(f);
}

function values(w: MessageWriter, list: readonly WireValue[]): void {
  w.int16(list.length);
  for (const v of list) w.value(v);
}

const code = (c: string): number => c.charCodeAt(0);

/** Also takes the decoder's raw AuthenticationResponse, so a proxy can forward what it decoded. */
export function encodeFrontendInto(
  w: MessageWriter,
  m: EncodableFrontendMessage | AuthenticationResponse,
): void {
  switch (m.type) {
    case 'StartupMessage':
      // Int32 length, Int32 version, (name\0value\0)*, \0
      w.startUntypedMessage().int32(m.protocolVersion);
      for (const [name, value] of m.parameters) w.cstring(name).cstring(value);
      w.int8(0).endMessage();
      return;
    case 'SSLRequest':
      w.startUntypedMessage().int32(SSL_REQUEST_CODE).endMessage();
      return;
    case 'GSSENCRequest':
      w.startUntypedMessage().int32(GSSENC_REQUEST_CODE).endMessage();
      return;
    case 'CancelRequest':
      w.startUntypedMessage()
        .int32(CANCEL_REQUEST_CODE)
        .int32(m.processId)
        .int32(m.secretKey)
        .endMessage();
      return;
    case 'PasswordMessage':
      w.startMessage(code('p')).cstring(m.password).endMessage();
      return;
    case 'SASLInitialResponse':
      w.startMessage(code('p')).cstring(m.mechanism).value(m.data).endMessage();
      return;
    case 'SASLResponse':
    case 'AuthenticationResponse':
      w.startMessage(code('p')).bytes(m.data).endMessage();
      return;
    case 'Query':
      w.startMessage(code('Q')).cstring(m.sql).endMessage();
      return;
    case 'Parse':
      w.startMessage(code('P')).cstring(m.statement).cstring(m.sql).int16(m.parameterTypes.length);
      for (const oid of m.parameterTypes) w.int32(oid);
      w.endMessage();
      return;
    case 'Bind':
      w.startMessage(code('B')).cstring(m.portal).cstring(m.statement);
      formats(w, m.parameterFormats);
      values(w, m.parameters);
      formats(w, m.resultFormats);
      w.endMessage();
      return;
    case 'Describe':
      w.startMessage(code('D')).int8(code(m.target)).cstring(m.name).endMessage();
      return;
    case 'Execute':
      w.startMessage(code('E')).cstring(m.portal).int32(m.maxRows).endMessage();
      return;
    case 'Close':
      w.startMessage(code('C')).int8(code(m.target)).cstring(m.name).endMessage();
      return;
    case 'Sync':
      w.startMessage(code('S')).endMessage();
      return;
    case 'Flush':
      w.startMessage(code('H')).endMessage();
      return;
    case 'CopyData':
      w.startMessage(code('d')).bytes(m.data).endMessage();
      return;
    case 'CopyDone':
      w.startMessage(code('c')).endMessage();
      return;
    case 'CopyFail':
      w.startMessage(code('f')).cstring(m.message).endMessage();
      return;
    case 'FunctionCall':
      w.startMessage(code('F')).int32(m.functionOid);
      formats(w, m.argumentFormats);
      values(w, m.arguments);
      w.int16(m.resultFormat).endMessage();
      return;
    case 'Terminate':
      w.startMessage(code('X')).endMessage();
      return;
  }
}
