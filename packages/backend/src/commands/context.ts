/**
 * What utility commands (DDL, SET, …) get from the session: the open transaction and snapshot,
 * catalog access, the analyzer environment, and hooks to send notices and to run work after
 * commit.
 */
import type { Snapshot, Transaction } from '../access/api.js';
import type { CatalogStore } from '../catalog/catalog.js';
import type { RelationCache } from '../catalog/relcache.js';
import type { AnalyzeEnv } from '../parser/parse-state.js';
import type { SessionSettings } from '../utils/guc.js';

export interface UtilityContext {
  txn: Transaction;
  snapshot: Snapshot;
  store: CatalogStore;
  relcache: RelationCache;
  env: AnalyzeEnv;
  settings: SessionSettings;
  /** The current user (changed by SET ROLE) and whether it is a superuser. */
  userOid: number;
  superuser: boolean;
  /** The session user (changed only by SET SESSION AUTHORIZATION). */
  sessionUserOid: number;
  /** Sends a NOTICE to the client. */
  notice(message: string, code?: string, detail?: string): void;
  /** Sends a WARNING to the client. */
  warn(message: string, code: string): void;
  /** Runs after the current transaction commits (dropped if it aborts). */
  onCommit(fn: () => void): void;
  /** Marks the transaction as having changed the catalogs (cache invalidation, version bump). */
  catalogChanged(): void;
}

/** The current user as privilege checks take it. */
export function currentUser(ctx: UtilityContext): { oid: number; superuser: boolean } {
  return { oid: ctx.userOid, superuser: ctx.superuser };
}
