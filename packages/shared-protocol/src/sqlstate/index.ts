// SQLSTATE catalogue of PostgreSQL 15 and lookups over it.
export {
  SQLSTATE_ALIASES,
  SQLSTATE_CLASSES,
  SQLSTATE_ROWS,
  type SqlStateRow,
} from './catalogue.js';
export * from './sqlstate.js';
