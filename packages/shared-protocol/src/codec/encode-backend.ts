/**
 * Serialises server → client messages into a MessageWriter (byte layouts per the protocol docs).
 */
import type { BackendMessage, CopyResponseShape, NoticeFields } from '../messages.js';
import type { MessageWriter } from './message-writer.js';
import { NOTICE_FIELD_TABLE } from './notice-fields.js';

const code = (c: string): number => c.charCodeAt(0);

function authentication(w: MessageWriter, kind: number, data?: Uint8Array): void {
  w.startMessage(code('R')).int32(kind);
  if (data) w.bytes(data);
  w.endMessage();
}

function copyResponse(w: MessageWriter, type: string, m: CopyResponseShape): void {
  w.startMessage(code(type)).int8(m.format).int16(m.columnFormats.length);
  for (const f of m.columnFormats) w.int16(f);
  w.endMessage();
}

/** Fields in elog.c's order, then any unknown ones, then the terminating NUL. */
function notice(w: MessageWriter, type: string, m: NoticeFields): void {
  w.startMessage(code(type));
  const record = m as unknown as Record<string, string | number | undefined>;
  for (const [fieldCode, key] of NOTICE_FIELD_TABLE) {
    const v = record[key];
    if (v === undefined) continue;
    w.int8(fieldCode).cstring(typeof v === 'number' ? String(v) : v);
  }
  for (const [fieldCode, value] of m.other ?? []) w.int8(code(fieldCode)).cstring(value);
  w.int8(0).endMessage();
}

export function encodeBackendInto(w: MessageWriter, m: BackendMessage): void {
  switch (m.type) {
    case 'AuthenticationOk':
      return authentication(w, 0);
    case 'AuthenticationKerberosV5':
      return authentication(w, 2);
    case 'AuthenticationCleartextPassword':
      return authentication(w, 3);
    case 'AuthenticationMD5Password':
      if (m.salt.length !== 4) throw new RangeError('MD5 salt must be 4 bytes');
      return authentication(w, 5, m.salt);
    case 'AuthenticationGSS':
      return authentication(w, 7);
    case 'AuthenticationGSSContinue':
      return authentication(w, 8, m.data);
    case 'AuthenticationSSPI':
      return authentication(w, 9);
    case 'AuthenticationSASL':
      w.startMessage(code('R')).int32(10);
      for (const name of m.mechanisms) w.cstring(name);
      w.int8(0).endMessage();
      return;
    case 'AuthenticationSASLContinue':
      return authentication(w, 11, m.data);
    case 'AuthenticationSASLFinal':
      return authentication(w, 12, m.data);
    case 'BackendKeyData':
      w.startMessage(code('K')).int32(m.processId).int32(m.secretKey).endMessage();
      return;
    case 'ParameterStatus':
      w.startMessage(code('S')).cstring(m.name).cstring(m.value).endMessage();
      return;
    case 'ReadyForQuery':
      w.readyForQuery(m.status);
      return;
    case 'NegotiateProtocolVersion':
      w.startMessage(code('v')).int32(m.newestMinorVersion).int32(m.unrecognizedOptions.length);
      for (const option of m.unrecognizedOptions) w.cstring(option);
      w.endMessage();
      return;
    case 'ParseComplete':
      w.startMessage(code('1')).endMessage();
      return;
    case 'BindComplete':
      w.startMessage(code('2')).endMessage();
      return;
    case 'CloseComplete':
      w.startMessage(code('3')).endMessage();
      return;
    case 'NoData':
      w.startMessage(code('n')).endMessage();
      return;
    case 'PortalSuspended':
      w.startMessage(code('s')).endMessage();
      return;
    case 'EmptyQueryResponse':
      w.startMessage(code('I')).endMessage();
      return;
    case 'ParameterDescription':
      w.startMessage(code('t')).int16(m.parameterTypes.length);
      for (const oid of m.parameterTypes) w.int32(oid);
      w.endMessage();
      return;
    case 'RowDescription':
      w.startMessage(code('T')).int16(m.fields.length);
      for (const f of m.fields) {
        w.cstring(f.name)
          .int32(f.tableOid)
          .int16(f.columnNumber)
          .int32(f.typeOid)
          .int16(f.typeSize)
          .int32(f.typeModifier)
          .int16(f.format);
      }
      w.endMessage();
      return;
    case 'DataRow':
      w.dataRow(m.values);
      return;
    case 'CommandComplete':
      w.commandComplete(m.tag);
      return;
    case 'CopyInResponse':
      return copyResponse(w, 'G', m);
    case 'CopyOutResponse':
      return copyResponse(w, 'H', m);
    case 'CopyBothResponse':
      return copyResponse(w, 'W', m);
    case 'CopyData':
      w.startMessage(code('d')).bytes(m.data).endMessage();
      return;
    case 'CopyDone':
      w.startMessage(code('c')).endMessage();
      return;
    case 'NotificationResponse':
      w.startMessage(code('A'))
        .int32(m.processId)
        .cstring(m.channel)
        .cstring(m.payload)
        .endMessage();
      return;
    case 'ErrorResponse':
      return notice(w, 'E', m);
    case 'NoticeResponse':
      return notice(w, 'N', m);
    case 'FunctionCallResponse':
      w.startMessage(code('V')).value(m.result).endMessage();
      return;
  }
}
