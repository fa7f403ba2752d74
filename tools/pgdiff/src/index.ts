// The differential runner's API, for package test suites that keep their own corpus.
export * from './compare.js';
export * from './databases.js';
export * from './normalise.js';
export * from './run-script.js';
export * from './statements.js';
