/*
 * storage/keys.ts — the binary key layout of Tusk's LMDB environments.
 *
 * Every environment has ONE keyspace (LMDB's unnamed root database): opening
 * named sub-databases costs a write transaction in every process that opens
 * them, which design.md links to a lost-commit race. Instead each kind of
 * record gets a one-byte prefix, followed by big-endian ids so LMDB's memcmp
 * order groups a relation's records together and orders them by id.
 *
 *   per environment (base/<db>/ and global/)
 *     'H' relFileId:u32 rowId:u64          -> row version (access/tuple.ts)
 *     'I' relFileId:u32 key… rowId:u64     -> '' (btree entry, access/keycodec.ts)
 *     'U' relFileId:u32 key…               -> claim counter:u32 (unique indexes, access/btree.ts)
 *     'R' relFileId:u32                    -> next row id:u64
 *     'S' relFileId:u32                    -> sequence state
 *     0x00 'h' 'b'                         -> heartbeat (storage/env.ts)
 *     0x00 'p' 'r'                         -> prune counter:u32 (storage/env.ts notePrune)
 *   global/ only
 *     'X'                                  -> next xid:u32
 *     'C' xid:u32                          -> commit status:u8
 *     'O' xid:u32                          -> owner pid:u32, top xid:u32 (running xids)
 *     'P' pid:u32 serial:u32               -> advertised snapshot xmin:u32 (REPEATABLE READ)
 *     'W' pid:u32                          -> xid waited for:u32
 */

export const HEAP = 0x48;
export const INDEX = 0x49;
export const ROW_COUNTER = 0x52;
export const SEQUENCE = 0x53;
export const NEXT_XID = 0x58;
export const CLOG = 0x43;
export const OWNER = 0x4f;
export const PROC = 0x50;
export const WAIT = 0x57;

/** Largest key LMDB accepts with its default page size. */
export const MAX_KEY_BYTES = 1978;

/** [prefix][id:u32] */
export function key32(prefix: number, id: number): Buffer {
  const b = Buffer.allocUnsafe(5);
  b[0] = prefix;
  b.writeUInt32BE(id >>> 0, 1);
  return b;
}

/** [prefix] */
export function key0(prefix: number): Buffer {
  return Buffer.from([prefix]);
}

/** Writes a row id (< 2^48) as 8 big-endian bytes at `offset`. */
export function writeRowId(b: Buffer, rowId: number, offset: number): void {
  b.writeUInt32BE(Math.floor(rowId / 0x1_0000_0000), offset);
  b.writeUInt32BE(rowId >>> 0, offset + 4);
}

/** Reads a row id written by writeRowId. */
export function readRowId(b: Uint8Array, offset: number): number {
  const v = Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return v.readUInt32BE(offset) * 0x1_0000_0000 + v.readUInt32BE(offset + 4);
}

/** [HEAP][rel][rowId] */
export function heapKey(rel: number, rowId: number): Buffer {
  const b = Buffer.allocUnsafe(13);
  b[0] = HEAP;
  b.writeUInt32BE(rel >>> 0, 1);
  writeRowId(b, rowId, 5);
  return b;
}

/** First key after every key starting with `prefix` (for exclusive range ends). */
export function prefixEnd(prefix: Uint8Array): Buffer {
  const b = Buffer.from(prefix);
  for (let i = b.length - 1; i >= 0; i--) {
    if (b[i] !== 0xff) {
      b[i] = (b[i] ?? 0) + 1;
      return b.subarray(0, i + 1);
    }
  }
  // All 0xff: no key can follow; a longer all-0xff key is an upper bound for our layouts.
  return Buffer.concat([b, Buffer.alloc(1, 0xff)]);
}
