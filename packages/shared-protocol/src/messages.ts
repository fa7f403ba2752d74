/**
 * Typed messages of the PostgreSQL frontend/backend protocol 3.0, as PostgreSQL 15 speaks it.
 *
 * Every message is a plain object discriminated by `type` (the message's name in the PostgreSQL docs).
 * Byte payloads are `Uint8Array` (a Node `Buffer` is one); decoders return views into the received
 * chunk where they can, so a consumer that keeps a payload past the callback must copy it.
 */

/** A field value on the wire: bytes, or SQL NULL (length -1). */
export type WireValue = Uint8Array | null;

/** 0 = text, 1 = binary. */
export type FormatCode = 0 | 1;

/** Transaction status carried by ReadyForQuery: idle, in a transaction block, in a failed block. */
export type TransactionStatus = 'I' | 'T' | 'E';

/** Protocol 3.0 as a 32-bit number (major << 16 | minor). */
export const PROTOCOL_3_0 = 196608;
export const SSL_REQUEST_CODE = 80877103;
export const GSSENC_REQUEST_CODE = 80877104;
export const CANCEL_REQUEST_CODE = 80877102;

/* ------------------------------------------------------------------ */
/* Frontend (client → server)                                          */
/* ------------------------------------------------------------------ */

/** First message of a session. `parameters` keeps wire order (user, database, options, _pq_.* …). */
export interface StartupMessage {
  type: 'StartupMessage';
  protocolVersion: number;
  parameters: Map<string, string>;
}
export interface SSLRequest {
  type: 'SSLRequest';
}
export interface GSSENCRequest {
  type: 'GSSENCRequest';
}
export interface CancelRequest {
  type: 'CancelRequest';
  processId: number;
  secretKey: number;
}

/**
 * Type byte 'p': PasswordMessage, SASLInitialResponse and SASLResponse share it, and only the
 * authentication state tells them apart. The frontend decoder yields the raw body; use
 * `parsePasswordMessage`, `parseSASLInitialResponse` or `parseSASLResponse` to read it.
 */
export interface AuthenticationResponse {
  type: 'AuthenticationResponse';
  data: Uint8Array;
}
/** Encoder-side forms of 'p'. */
export interface PasswordMessage {
  type: 'PasswordMessage';
  password: string;
}
export interface SASLInitialResponse {
  type: 'SASLInitialResponse';
  mechanism: string;
  /** null = no initial response (length -1). */
  data: Uint8Array | null;
}
export interface SASLResponse {
  type: 'SASLResponse';
  data: Uint8Array;
}

export interface Query {
  type: 'Query';
  sql: string;
}
export interface Parse {
  type: 'Parse';
  /** '' = the unnamed statement. */
  statement: string;
  sql: string;
  /** 0 = unspecified. */
  parameterTypes: number[];
}
export interface Bind {
  type: 'Bind';
  portal: string;
  statement: string;
  /** Empty = all text; one entry = applies to all; otherwise one per parameter. */
  parameterFormats: FormatCode[];
  parameters: WireValue[];
  /** Same convention as parameterFormats. */
  resultFormats: FormatCode[];
}
export interface Describe {
  type: 'Describe';
  /** 'S' = prepared statement, 'P' = portal. */
  target: 'S' | 'P';
  name: string;
}
export interface Execute {
  type: 'Execute';
  portal: string;
  /** 0 = no limit. */
  maxRows: number;
}
export interface Close {
  type: 'Close';
  target: 'S' | 'P';
  name: string;
}
export interface Sync {
  type: 'Sync';
}
export interface Flush {
  type: 'Flush';
}
export interface CopyData {
  type: 'CopyData';
  data: Uint8Array;
}
export interface CopyDone {
  type: 'CopyDone';
}
export interface CopyFail {
  type: 'CopyFail';
  message: string;
}
export interface FunctionCall {
  type: 'FunctionCall';
  functionOid: number;
  argumentFormats: FormatCode[];
  arguments: WireValue[];
  resultFormat: FormatCode;
}
export interface Terminate {
  type: 'Terminate';
}

/** Messages a client sends (what the backend decodes). */
export type FrontendMessage =
  | StartupMessage
  | SSLRequest
  | GSSENCRequest
  | CancelRequest
  | AuthenticationResponse
  | Query
  | Parse
  | Bind
  | Describe
  | Execute
  | Close
  | Sync
  | Flush
  | CopyData
  | CopyDone
  | CopyFail
  | FunctionCall
  | Terminate;

/** Everything a client can encode (the 'p' variants in their specific forms). */
export type EncodableFrontendMessage =
  | Exclude<FrontendMessage, AuthenticationResponse>
  | PasswordMessage
  | SASLInitialResponse
  | SASLResponse;

/* ------------------------------------------------------------------ */
/* Backend (server → client)                                           */
/* ------------------------------------------------------------------ */

export interface AuthenticationOk {
  type: 'AuthenticationOk';
}
export interface AuthenticationKerberosV5 {
  type: 'AuthenticationKerberosV5';
}
export interface AuthenticationCleartextPassword {
  type: 'AuthenticationCleartextPassword';
}
export interface AuthenticationMD5Password {
  type: 'AuthenticationMD5Password';
  salt: Uint8Array; // 4 bytes
}
export interface AuthenticationGSS {
  type: 'AuthenticationGSS';
}
export interface AuthenticationGSSContinue {
  type: 'AuthenticationGSSContinue';
  data: Uint8Array;
}
export interface AuthenticationSSPI {
  type: 'AuthenticationSSPI';
}
export interface AuthenticationSASL {
  type: 'AuthenticationSASL';
  mechanisms: string[];
}
export interface AuthenticationSASLContinue {
  type: 'AuthenticationSASLContinue';
  data: Uint8Array;
}
export interface AuthenticationSASLFinal {
  type: 'AuthenticationSASLFinal';
  data: Uint8Array;
}
export interface BackendKeyData {
  type: 'BackendKeyData';
  processId: number;
  secretKey: number;
}
export interface ParameterStatus {
  type: 'ParameterStatus';
  name: string;
  value: string;
}
export interface ReadyForQuery {
  type: 'ReadyForQuery';
  status: TransactionStatus;
}
export interface NegotiateProtocolVersion {
  type: 'NegotiateProtocolVersion';
  /**
   * The protocol docs call this the newest minor version the server supports, but PostgreSQL 15
   * sends its whole newest version number (major << 16 | minor: 196608 for 3.0), and libpq reads it
   * that way; the codec carries the Int32 unchanged.
   */
  newestMinorVersion: number;
  /** Protocol options the server did not recognise. */
  unrecognizedOptions: string[];
}
export interface ParseComplete {
  type: 'ParseComplete';
}
export interface BindComplete {
  type: 'BindComplete';
}
export interface CloseComplete {
  type: 'CloseComplete';
}
export interface NoData {
  type: 'NoData';
}
export interface PortalSuspended {
  type: 'PortalSuspended';
}
export interface EmptyQueryResponse {
  type: 'EmptyQueryResponse';
}
export interface ParameterDescription {
  type: 'ParameterDescription';
  parameterTypes: number[];
}
export interface FieldDescription {
  name: string;
  /** 0 if the column is not a simple reference to a table column. */
  tableOid: number;
  columnNumber: number;
  typeOid: number;
  /** pg_type.typlen: negative = variable length. */
  typeSize: number;
  typeModifier: number;
  format: FormatCode;
}
export interface RowDescription {
  type: 'RowDescription';
  fields: FieldDescription[];
}
export interface DataRow {
  type: 'DataRow';
  values: WireValue[];
}
export interface CommandComplete {
  type: 'CommandComplete';
  /** e.g. "SELECT 3", "INSERT 0 1". */
  tag: string;
}
export interface CopyResponseShape {
  /** Overall format: 0 text, 1 binary. */
  format: FormatCode;
  columnFormats: FormatCode[];
}
export interface CopyInResponse extends CopyResponseShape {
  type: 'CopyInResponse';
}
export interface CopyOutResponse extends CopyResponseShape {
  type: 'CopyOutResponse';
}
export interface CopyBothResponse extends CopyResponseShape {
  type: 'CopyBothResponse';
}
export interface NotificationResponse {
  type: 'NotificationResponse';
  processId: number;
  channel: string;
  payload: string;
}
/**
 * Fields of ErrorResponse / NoticeResponse, by the single-byte codes PostgreSQL defines.
 * Unknown codes are kept in `other` so nothing is lost.
 */
export interface NoticeFields {
  /** 'S': localized severity (ERROR, FATAL, PANIC, WARNING, NOTICE, DEBUG, INFO, LOG). */
  severity: string;
  /** 'V': severity, never localized. */
  severityNonLocalized?: string;
  /** 'C': SQLSTATE code. */
  code: string;
  /** 'M' */
  message: string;
  /** 'D' */
  detail?: string;
  /** 'H' */
  hint?: string;
  /** 'P': 1-based character position in the query string. */
  position?: number;
  /** 'p' */
  internalPosition?: number;
  /** 'q' */
  internalQuery?: string;
  /** 'W' */
  where?: string;
  /** 's' */
  schema?: string;
  /** 't' */
  table?: string;
  /** 'c' */
  column?: string;
  /** 'd' */
  dataType?: string;
  /** 'n' */
  constraint?: string;
  /** 'F' */
  file?: string;
  /** 'L' */
  line?: number;
  /** 'R' */
  routine?: string;
  /** Any field code not listed above, in wire order. */
  other?: Array<[code: string, value: string]>;
}
export interface ErrorResponse extends NoticeFields {
  type: 'ErrorResponse';
}
export interface NoticeResponse extends NoticeFields {
  type: 'NoticeResponse';
}
export interface FunctionCallResponse {
  type: 'FunctionCallResponse';
  result: WireValue;
}

/** Messages a server sends (what a client decodes). */
export type BackendMessage =
  | AuthenticationOk
  | AuthenticationKerberosV5
  | AuthenticationCleartextPassword
  | AuthenticationMD5Password
  | AuthenticationGSS
  | AuthenticationGSSContinue
  | AuthenticationSSPI
  | AuthenticationSASL
  | AuthenticationSASLContinue
  | AuthenticationSASLFinal
  | BackendKeyData
  | ParameterStatus
  | ReadyForQuery
  | NegotiateProtocolVersion
  | ParseComplete
  | BindComplete
  | CloseComplete
  | NoData
  | PortalSuspended
  | EmptyQueryResponse
  | ParameterDescription
  | RowDescription
  | DataRow
  | CommandComplete
  | CopyInResponse
  | CopyOutResponse
  | CopyBothResponse
  | CopyData
  | CopyDone
  | NotificationResponse
  | ErrorResponse
  | NoticeResponse
  | FunctionCallResponse;

/* ------------------------------------------------------------------ */
/* Pseudo-messages (not wire messages)                                  */
/* ------------------------------------------------------------------ */

/**
 * NOT a wire message: the single byte a server answers an SSLRequest with ('S' = go ahead with
 * TLS, 'N' = no). BackendDecoder yields it after `expectSSLResponse()`.
 */
export interface SSLResponse {
  type: 'SSLResponse';
  accepted: boolean;
}
/**
 * NOT a wire message: the single byte a server answers a GSSENCRequest with ('G' = go ahead with
 * GSSAPI encryption, 'N' = no). BackendDecoder yields it after `expectGSSENCResponse()`.
 */
export interface GSSENCResponse {
  type: 'GSSENCResponse';
  accepted: boolean;
}

/** What BackendDecoder yields: the backend messages plus the negotiation-answer pseudo-messages. */
export type BackendDecoderMessage = BackendMessage | SSLResponse | GSSENCResponse;
