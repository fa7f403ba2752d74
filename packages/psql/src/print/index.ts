// psql's print module: every output format of query results and meta-command tables.
export * from './options.js';
export * from './line-style.js';
export * from './width.js';
export * from './print-table.js';
export { printAligned, horizontalLine } from './aligned.js';
export { printAlignedVertical } from './vertical.js';
