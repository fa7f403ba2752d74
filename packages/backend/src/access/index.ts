/*
 * access/index.ts — public surface of the storage and transaction layer.
 */
export type * from './api.js';
export { StorageError } from './api.js';
export { createCluster, openCluster } from './cluster.js';
export { lmdbBuild, type LmdbBuild } from '../storage/lmdb-build.js';
