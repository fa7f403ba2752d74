export const PACKAGE_NAME = '@tuskdb/backend';
export * from './main/index.js';
export * from './libpq-be/index.js';
export * from './access/index.js';
export * from './tcop/index.js';
export * from './catalog/index.js';
export * from './utils/index.js';
