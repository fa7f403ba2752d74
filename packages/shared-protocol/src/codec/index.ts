// Streaming codec of the frontend/backend protocol 3.0: decoders for both directions, the writer.
export { ProtocolError } from './protocol-error.js';
export * from './limits.js';
export * from './frontend-decoder.js';
export * from './backend-decoder.js';
export * from './authentication-response.js';
export * from './message-writer.js';
export * from './encode.js';
export type { ChunkInput } from './stream-decoder.js';
export * from './text.js';
