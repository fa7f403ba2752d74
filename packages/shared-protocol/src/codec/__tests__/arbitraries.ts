// fast-check arbitraries for every protocol message, in the shapes the decoders produce.
import fc from 'fast-check';
import type {
  BackendMessage,
  EncodableFrontendMessage,
  FieldDescription,
  FormatCode,
  NoticeFields,
  WireValue,
} from '../../messages.js';
import { PROTOCOL_3_0 } from '../../messages.js';

/** Text without NUL (valid Unicode scalar values, so UTF-8 round-trips). */
export const text = (maxLength = 40): fc.Arbitrary<string> =>
  fc.string({ unit: 'binary', maxLength }).filter((s) => !s.includes('\0'));
export const name = (): fc.Arbitrary<string> => text(20);
export const bytes = (maxLength = 64): fc.Arbitrary<Buffer> =>
  fc.uint8Array({ maxLength }).map((u) => Buffer.from(u));
export const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
export const uint32 = fc.integer({ min: 0, max: 0xffffffff });
export const int16 = fc.integer({ min: -0x8000, max: 0x7fff });
export const format: fc.Arbitrary<FormatCode> = fc.constantFrom<FormatCode>(0, 1);
export const formats = fc.array(format, { maxLength: 6 });
export const wireValue: fc.Arbitrary<WireValue> = fc.option(bytes(32), { nil: null });
export const wireValues = fc.array(wireValue, { maxLength: 6 });

const startupMessage = fc.record({
  type: fc.constant('StartupMessage' as const),
  protocolVersion: fc.oneof(
    fc.constant(PROTOCOL_3_0),
    fc.integer({ min: 0, max: 0xffff }).map((minor) => PROTOCOL_3_0 + minor),
  ),
  parameters: fc
    .uniqueArray(
      fc.tuple(
        text(20).filter((s) => s !== ''),
        text(30),
      ),
      {
        selector: ([k]) => k,
        maxLength: 6,
      },
    )
    .map((pairs) => new Map(pairs)),
});

/** Startup-phase packets other than StartupMessage. */
export const negotiationRequest: fc.Arbitrary<EncodableFrontendMessage> = fc.oneof(
  fc.constant({ type: 'SSLRequest' as const }),
  fc.constant({ type: 'GSSENCRequest' as const }),
);
export const cancelRequest: fc.Arbitrary<EncodableFrontendMessage> = fc.record({
  type: fc.constant('CancelRequest' as const),
  processId: int32,
  secretKey: int32,
});
export { startupMessage };

/** Typed client messages (after startup), excluding the 'p' family. */
export const typedFrontendMessage: fc.Arbitrary<EncodableFrontendMessage> = fc.oneof(
  fc.record({ type: fc.constant('Query' as const), sql: text(200) }),
  fc.record({
    type: fc.constant('Parse' as const),
    statement: name(),
    sql: text(100),
    parameterTypes: fc.array(uint32, { maxLength: 8 }),
  }),
  fc.record({
    type: fc.constant('Bind' as const),
    portal: name(),
    statement: name(),
    parameterFormats: formats,
    parameters: wireValues,
    resultFormats: formats,
  }),
  fc.record({
    type: fc.constant('Describe' as const),
    target: fc.constantFrom<'S' | 'P'>('S', 'P'),
    name: name(),
  }),
  fc.record({ type: fc.constant('Execute' as const), portal: name(), maxRows: uint32 }),
  fc.record({
    type: fc.constant('Close' as const),
    target: fc.constantFrom<'S' | 'P'>('S', 'P'),
    name: name(),
  }),
  fc.constant({ type: 'Sync' as const }),
  fc.constant({ type: 'Flush' as const }),
  fc.record({ type: fc.constant('CopyData' as const), data: bytes(200) }),
  fc.constant({ type: 'CopyDone' as const }),
  fc.record({ type: fc.constant('CopyFail' as const), message: text(60) }),
  fc.record({
    type: fc.constant('FunctionCall' as const),
    functionOid: uint32,
    argumentFormats: formats,
    arguments: wireValues,
    resultFormat: format,
  }),
  fc.constant({ type: 'Terminate' as const }),
);

/** The 'p' family, decoded as AuthenticationResponse. */
export const authenticationMessage: fc.Arbitrary<EncodableFrontendMessage> = fc.oneof(
  fc.record({ type: fc.constant('PasswordMessage' as const), password: text(60) }),
  fc.record({
    type: fc.constant('SASLInitialResponse' as const),
    mechanism: name(),
    data: fc.option(bytes(100), { nil: null }),
  }),
  fc.record({ type: fc.constant('SASLResponse' as const), data: bytes(100) }),
);

const fieldDescription: fc.Arbitrary<FieldDescription> = fc.record({
  name: name(),
  tableOid: uint32,
  columnNumber: int16,
  typeOid: uint32,
  typeSize: int16,
  typeModifier: int32,
  format,
});

const position = fc.integer({ min: 0, max: 1_000_000 });
const noticeFields: fc.Arbitrary<NoticeFields> = fc.record(
  {
    severity: fc.constantFrom('ERROR', 'FATAL', 'NOTICE', 'WARNING'),
    severityNonLocalized: fc.constantFrom('ERROR', 'FATAL', 'NOTICE', 'WARNING'),
    code: fc.stringMatching(/^[0-9A-Z]{5}$/),
    message: text(),
    detail: text(),
    hint: text(),
    position,
    internalPosition: position,
    internalQuery: text(),
    where: text(),
    schema: name(),
    table: name(),
    column: name(),
    dataType: name(),
    constraint: name(),
    file: name(),
    line: position,
    routine: name(),
    other: fc.array(fc.tuple(fc.constantFrom('X', 'Y', 'a', 'z', '!'), text(10)), {
      minLength: 1,
      maxLength: 3,
    }),
  },
  { requiredKeys: ['severity', 'code', 'message'] },
);

const copyShape = { format, columnFormats: formats };

export const backendMessage: fc.Arbitrary<BackendMessage> = fc.oneof(
  fc.constantFrom<BackendMessage>(
    { type: 'AuthenticationOk' },
    { type: 'AuthenticationKerberosV5' },
    { type: 'AuthenticationCleartextPassword' },
    { type: 'AuthenticationGSS' },
    { type: 'AuthenticationSSPI' },
    { type: 'ParseComplete' },
    { type: 'BindComplete' },
    { type: 'CloseComplete' },
    { type: 'NoData' },
    { type: 'PortalSuspended' },
    { type: 'EmptyQueryResponse' },
    { type: 'CopyDone' },
  ),
  fc.record({
    type: fc.constant('AuthenticationMD5Password' as const),
    salt: fc.uint8Array({ minLength: 4, maxLength: 4 }).map((u) => Buffer.from(u)),
  }),
  fc.record({ type: fc.constant('AuthenticationGSSContinue' as const), data: bytes() }),
  fc.record({
    type: fc.constant('AuthenticationSASL' as const),
    mechanisms: fc.array(
      name().filter((s) => s !== ''),
      { maxLength: 3 },
    ),
  }),
  fc.record({ type: fc.constant('AuthenticationSASLContinue' as const), data: bytes() }),
  fc.record({ type: fc.constant('AuthenticationSASLFinal' as const), data: bytes() }),
  fc.record({ type: fc.constant('BackendKeyData' as const), processId: int32, secretKey: int32 }),
  fc.record({ type: fc.constant('ParameterStatus' as const), name: name(), value: text() }),
  fc.record({
    type: fc.constant('ReadyForQuery' as const),
    status: fc.constantFrom<'I' | 'T' | 'E'>('I', 'T', 'E'),
  }),
  fc.record({
    type: fc.constant('NegotiateProtocolVersion' as const),
    newestMinorVersion: fc.integer({ min: 0, max: 0xffff }),
    unrecognizedOptions: fc.array(name(), { maxLength: 4 }),
  }),
  fc.record({
    type: fc.constant('ParameterDescription' as const),
    parameterTypes: fc.array(uint32, { maxLength: 8 }),
  }),
  fc.record({
    type: fc.constant('RowDescription' as const),
    fields: fc.array(fieldDescription, { maxLength: 5 }),
  }),
  fc.record({ type: fc.constant('DataRow' as const), values: wireValues }),
  fc.record({ type: fc.constant('CommandComplete' as const), tag: text(30) }),
  fc.record({ type: fc.constant('CopyInResponse' as const), ...copyShape }),
  fc.record({ type: fc.constant('CopyOutResponse' as const), ...copyShape }),
  fc.record({ type: fc.constant('CopyBothResponse' as const), ...copyShape }),
  fc.record({ type: fc.constant('CopyData' as const), data: bytes(200) }),
  fc.record({
    type: fc.constant('NotificationResponse' as const),
    processId: int32,
    channel: name(),
    payload: text(),
  }),
  noticeFields.map((f) => ({ type: 'ErrorResponse' as const, ...f })),
  noticeFields.map((f) => ({ type: 'NoticeResponse' as const, ...f })),
  fc.record({ type: fc.constant('FunctionCallResponse' as const), result: wireValue }),
);

/** Cuts a byte stream into consecutive chunks at the given (unsorted, possibly repeated) points. */
export function splitAt(data: Uint8Array, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    chunks.push(Buffer.from(data.subarray(prev, p)));
    prev = p;
  }
  chunks.push(Buffer.from(data.subarray(prev)));
  return chunks;
}

/**
 * Deep copy with every byte array (Buffer or plain Uint8Array) turned into a number array, so
 * expectations compare contents, not the view's class.
 */
export function plain(x: unknown): unknown {
  if (x instanceof Uint8Array) return Array.from(x);
  if (x instanceof Map) return new Map([...x].map(([k, v]) => [k, plain(v)] as const));
  if (Array.isArray(x)) return x.map(plain);
  if (x !== null && typeof x === 'object') {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)]));
  }
  return x;
}
