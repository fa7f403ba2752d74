export const PACKAGE_NAME = '@tuskdb/libpq';
export * from './errors.js';
export * from './escape.js';
export * from './options/index.js';
export * from './types/index.js';
export * from './query/index.js';
export * from './connection/index.js';
export * from './pool/index.js';
