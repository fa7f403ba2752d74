// utils: errors, configuration parameters and interrupts shared by the whole engine.
export { PgError, asPgError, type PgErrorFields, type Severity } from './errors.js';
export { interrupts, checkForInterrupts } from './interrupts.js';
export { SERVER_VERSION, SERVER_VERSION_NUM } from './guc-tables.js';
