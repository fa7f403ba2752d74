/*
 * access/tuple.ts — the stored form of one row version (PostgreSQL's heap
 * tuple header + data).
 *
 *   0  xmin   u32   inserting (sub)transaction
 *   4  cmin   u32   command of the insert inside it
 *   8  xmax   u32   updating/deleting (sub)transaction, 0 = none
 *  12  cmax   u32   command of the update/delete
 *  16  next   u64   row id of the newer version (update chain, ctid), 0 = none
 *  24  flags  u16   XMAX_KEY_UPDATE: the update/delete changed a key (FOR UPDATE strength)
 *  26  nlock  u16   number of row-lock entries that follow
 *  28  nlock × (xid u32, mode u8, 3 bytes padding)
 *  …   the row's values, MessagePack (bigint kept as bigint)
 *
 * Row locks (SELECT … FOR SHARE etc.) are a list in the version itself, so
 * several share-lockers need no separate multixact machinery; entries of
 * finished transactions are dropped whenever the version is rewritten.
 * Little-endian: these are values, never compared as keys.
 */
import { Packr } from 'msgpackr';
import type { Row } from './api.js';

export const HEADER_BYTES = 28;
export const XMAX_KEY_UPDATE = 1;

/** Lock strengths, as numbers so they compare: 1 keyShare … 4 update. */
export const LOCK_KEY_SHARE = 1;
export const LOCK_SHARE = 2;
export const LOCK_NO_KEY_UPDATE = 3;
export const LOCK_UPDATE = 4;

/** PostgreSQL's row-lock conflict table. */
export function lockModesConflict(a: number, b: number): boolean {
  const hi = Math.max(a, b);
  const lo = Math.min(a, b);
  if (hi === LOCK_UPDATE) return true;
  if (hi === LOCK_NO_KEY_UPDATE) return lo >= LOCK_SHARE;
  return false; // share/keyShare never conflict with each other
}

const packr = new Packr({
  useRecords: false,
  int64AsType: 'bigint',
  mapsAsObjects: true,
  moreTypes: false,
  bundleStrings: false,
});

export interface RowLock {
  xid: number;
  mode: number;
}

/** Decoded header of a version (the row is decoded separately, only when visible). */
export interface VersionHeader {
  xmin: number;
  cmin: number;
  xmax: number;
  cmax: number;
  next: number;
  flags: number;
  locks: RowLock[];
  /** Offset of the row data in the stored buffer. */
  dataOffset: number;
}

export function readHeader(b: Buffer): VersionHeader {
  const nlock = b.readUInt16LE(26);
  const locks: RowLock[] = [];
  for (let i = 0; i < nlock; i++) {
    const o = HEADER_BYTES + i * 8;
    locks.push({ xid: b.readUInt32LE(o), mode: b[o + 4] ?? 0 });
  }
  return {
    xmin: b.readUInt32LE(0),
    cmin: b.readUInt32LE(4),
    xmax: b.readUInt32LE(8),
    cmax: b.readUInt32LE(12),
    next: b.readUInt32LE(16) + b.readUInt32LE(20) * 0x1_0000_0000,
    flags: b.readUInt16LE(24),
    locks,
    dataOffset: HEADER_BYTES + nlock * 8,
  };
}

/** Fast accessors for the scan path (no allocation). */
export function readXmin(b: Buffer): number {
  return b.readUInt32LE(0);
}
export function readCmin(b: Buffer): number {
  return b.readUInt32LE(4);
}
export function readXmax(b: Buffer): number {
  return b.readUInt32LE(8);
}
export function readCmax(b: Buffer): number {
  return b.readUInt32LE(12);
}
export function dataOffset(b: Buffer): number {
  return HEADER_BYTES + b.readUInt16LE(26) * 8;
}

export function encodeRow(row: Row): Buffer {
  return packr.pack(row);
}

export function decodeRow(b: Buffer, offset: number): Row {
  return packr.unpack(b.subarray(offset)) as Row;
}

/** Builds a stored version from a header and already-encoded row bytes. */
export function buildVersion(h: Omit<VersionHeader, 'dataOffset'>, data: Uint8Array): Buffer {
  const n = h.locks.length;
  const b = Buffer.allocUnsafe(HEADER_BYTES + n * 8 + data.length);
  b.writeUInt32LE(h.xmin >>> 0, 0);
  b.writeUInt32LE(h.cmin >>> 0, 4);
  b.writeUInt32LE(h.xmax >>> 0, 8);
  b.writeUInt32LE(h.cmax >>> 0, 12);
  b.writeUInt32LE(h.next >>> 0, 16);
  b.writeUInt32LE(Math.floor(h.next / 0x1_0000_0000), 20);
  b.writeUInt16LE(h.flags, 24);
  b.writeUInt16LE(n, 26);
  for (let i = 0; i < n; i++) {
    const o = HEADER_BYTES + i * 8;
    const l = h.locks[i];
    b.writeUInt32LE((l?.xid ?? 0) >>> 0, o);
    b.writeUInt32LE(l?.mode ?? 0, o + 4);
  }
  b.set(data, HEADER_BYTES + n * 8);
  return b;
}
