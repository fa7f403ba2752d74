export const PACKAGE_NAME = '@tuskdb/backend';
export * from './access/index.js';
