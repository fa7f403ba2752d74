// A bounded connection pool.
export * from './pool.js';
