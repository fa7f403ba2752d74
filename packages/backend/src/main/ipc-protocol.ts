/**
 * The messages the postmaster and its backend processes exchange over the fork IPC channel
 * (JSON-serialised). A backend says `ready` when it can take a connection; the postmaster answers
 * with `assign` plus the client socket as the message's handle. Everything the backend needs to
 * accept the connection travels in `assign`, so a reload in the postmaster applies to the next
 * connection without the backend re-reading any file.
 */
import type { HbaRule } from '../libpq-be/hba-file.js';
import type { IdentEntry } from '../libpq-be/ident-file.js';

/** Connection-acceptance settings, as the postmaster last loaded them. */
export interface ConnectionConfig {
  dataDir: string;
  hbaRules: HbaRule[];
  identEntries: IdentEntry[];
  /** authentication_timeout in milliseconds. */
  authenticationTimeoutMs: number;
  ssl: boolean;
  sslCertFile: string;
  sslKeyFile: string;
  sslCaFile: string;
  /** password_encryption: which verifier md5/password methods expect by default. */
  passwordEncryption: 'scram-sha-256' | 'md5';
  logConnections: boolean;
  logDisconnections: boolean;
  /** The configured max_connections, for messages. */
  maxConnections: number;
  /** Settings from postgresql.conf and -c, as name → value text, for the session's defaults. */
  settings: Record<string, string>;
}

/** How the client reached us (the postmaster knows which listener accepted it). */
export interface ConnectionOrigin {
  local: boolean;
  /** TCP: client address and port as Node reports them. */
  remoteAddress?: string;
  remotePort?: number;
}

export type PostmasterToBackend =
  | {
      type: 'assign';
      origin: ConnectionOrigin;
      config: ConnectionConfig;
      /** The BackendKeyData secret for this session (the postmaster checks CancelRequests with it). */
      secretKey: number;
    }
  /** Result of a `login` request. */
  | { type: 'loginResult'; ok: true }
  | { type: 'loginResult'; ok: false; code: string; message: string }
  | { type: 'cancel' }
  | { type: 'terminate' }
  /** Leave the idle pool and exit (shutdown or pool shrink). */
  | { type: 'exit' };

export type BackendToPostmaster =
  /** Warmed up, or done with a connection or session and reset; give me the next connection. */
  | { type: 'ready' }
  /** A client sent a CancelRequest on this connection: the postmaster checks and routes it. */
  | { type: 'cancelRequest'; processId: number; secretKey: number }
  /**
   * Authentication succeeded: reserve the slot for this role and database (the postmaster knows all
   * sessions, so it applies the reserved-slot and per-role/per-database limits atomically).
   */
  | {
      type: 'login';
      user: string;
      database: string;
      superuser: boolean;
      roleConnectionLimit: number;
      databaseConnectionLimit: number;
    }
  /** The connection is over; the process will now exit. */
  | { type: 'finished' };
