// Shared test fixtures for Tusk's packages.
export * from './accounts.js';
export * from './free-port.js';
export * from './postgres.js';
export * from './tusk.js';
