// Connection options: parsing (URI, key=value), service files, password file, defaults, conninfo().
export * from './keywords.js';
export * from './keyvalue.js';
export * from './uri.js';
export * from './environment.js';
export * from './service-file.js';
export * from './pgpass.js';
export * from './resolve.js';
export * from './conninfo.js';
