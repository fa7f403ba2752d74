/*
 * access/visibility.ts — is a row version visible to a snapshot?
 * (PostgreSQL's HeapTupleSatisfiesMVCC, without hint bits.)
 *
 * Own writes: visible if made by an earlier command of this transaction (so a
 * statement never sees the rows it inserts itself — no Halloween problem),
 * unless made by a rolled-back subtransaction. Others' writes: visible if
 * their transaction committed before the snapshot was taken.
 */
import type { SnapshotImpl } from './snapshot.js';
import { readCmax, readCmin, readXmax, readXmin } from './tuple.js';

export function versionVisible(v: Buffer, s: SnapshotImpl): boolean {
  const xmin = readXmin(v);
  const owner = s.owner;
  if (owner.isCurrentXid(xmin)) {
    if (readCmin(v) >= s.curcid) return false; // inserted by this or a later command
  } else if (owner.isAbortedXid(xmin) || !s.committedBefore(xmin)) {
    return false;
  }
  const xmax = readXmax(v);
  if (xmax === 0) return true;
  if (owner.isCurrentXid(xmax)) return readCmax(v) >= s.curcid; // deleted by a later command
  if (owner.isAbortedXid(xmax)) return true;
  return !s.committedBefore(xmax);
}
