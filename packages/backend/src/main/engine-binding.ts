/**
 * The parts of the backend this process entry drives — storage (`openCluster`) and the SQL engine
 * (`warmUpEngine`, `lookupRole`, `lookupDatabase`, `runSession`) — looked up on the package's own
 * entry module at run time. The engine and storage are built in parallel with this entry; looking
 * them up here keeps the entry compiling while they land, and a build that lacks one fails loudly
 * at process start (the backend then refuses connections with that reason), never silently.
 */
import type net from 'node:net';

export interface RoleRecord {
  oid: number;
  name: string;
  superuser: boolean;
  canLogin: boolean;
  passwordVerifier: string | null;
  validUntil: Date | null;
  connectionLimit: number;
}

export interface DatabaseRecord {
  oid: number;
  name: string;
  allowConnections: boolean;
  connectionLimit: number;
}

/** Storage handle; only `close` is used here, the rest is the engine's business. */
export interface ClusterHandle {
  close(): Promise<void>;
}

export interface SessionStartArgs {
  socket: net.Socket;
  pendingBytes: Uint8Array;
  user: string;
  database: string;
  startupParameters: Map<string, string>;
  processId: number;
  secretKey: number;
  dataDir: string;
  cluster: ClusterHandle;
}

export interface EngineBinding {
  openCluster(dataDir: string): ClusterHandle;
  warmUpEngine(): Promise<void>;
  lookupRole(cluster: ClusterHandle, name: string): RoleRecord | undefined;
  lookupDatabase(cluster: ClusterHandle, name: string): DatabaseRecord | undefined;
  runSession(start: SessionStartArgs): Promise<void>;
}

const required = [
  'openCluster',
  'warmUpEngine',
  'lookupRole',
  'lookupDatabase',
  'runSession',
] as const;

export async function loadEngine(): Promise<EngineBinding> {
  const mod = (await import('../index.js')) as Record<string, unknown>;
  const missing = required.filter((name) => typeof mod[name] !== 'function');
  if (missing.length > 0) {
    throw new Error(`this build of @tuskdb/backend lacks ${missing.join(', ')}`);
  }
  return mod as unknown as EngineBinding;
}
