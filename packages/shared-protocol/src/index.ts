// Public entry point of @tuskdb/shared-protocol. Each area re-exports its own index.
export * from './messages.js';
export * from './codec/index.js';
export * from './types/index.js';
export * from './sqlstate/index.js';
export * from './auth/index.js';
