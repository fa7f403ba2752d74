/**
 * Size limits the decoders enforce, as PostgreSQL 15's server does (pqcomm.h, libpq-be.h, auth.h).
 * Lengths here count the 4-byte length word itself, as the wire does.
 */

/** PQ_LARGE_MESSAGE_LIMIT: Query, Parse, Bind, FunctionCall, CopyData (1 GiB - 1). */
export const LARGE_MESSAGE_LIMIT = 0x3fffffff;
/** PQ_SMALL_MESSAGE_LIMIT: fixed-shape messages (Sync, Execute, Describe, …). */
export const SMALL_MESSAGE_LIMIT = 10000;
/** PG_MAX_AUTH_TOKEN_LENGTH: authentication messages ('p'). */
export const AUTH_MESSAGE_LIMIT = 65535;
/** MAX_STARTUP_PACKET_LENGTH: the body of a startup packet, after the length word. */
export const STARTUP_PACKET_LIMIT = 10000;
