export const PACKAGE_NAME = '@tuskdb/psql';
export * from './print/index.js';
export { main } from './app/startup.js';
