// catalog: system catalogs, bootstrap (initdb) and the lookups authentication needs.
export { bootstrapCluster, type BootstrapOptions } from './bootstrap.js';
export { lookupRole, lookupDatabase, type RoleInfo, type DatabaseInfo } from './roles.js';
