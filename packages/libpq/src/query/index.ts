// Queries and their results: parameters, libpq-style Results, cursors, COPY streams.
export * from './params.js';
export * from './result.js';
export * from './simple-query.js';
export { Cursor } from './cursor.js';
export { CopyFromStream, CopyToStream } from './copy.js';
