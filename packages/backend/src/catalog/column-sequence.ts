/**
 * The sequence behind a serial or identity column: the pg_class row that depends on the column
 * (automatically for a serial's OWNED BY, internally for an identity column's), with its schema.
 */
import type { Snapshot } from '../access/api.js';
import type { CatalogStore } from './catalog.js';
import { RelOid } from './oids.js';

export function columnSequence(
  store: CatalogStore,
  snapshot: Snapshot,
  relOid: number,
  attnum: number,
  deptypes: readonly string[],
): { schema: string; name: string } | undefined {
  const dep = store.find(
    RelOid.pg_depend,
    snapshot,
    (r) =>
      r.classid === RelOid.pg_class &&
      r.refclassid === RelOid.pg_class &&
      r.refobjid === relOid &&
      r.refobjsubid === attnum &&
      deptypes.includes(r.deptype as string),
  );
  if (!dep) return undefined;
  const seq = store.find(RelOid.pg_class, snapshot, (r) => r.oid === dep.rec.objid);
  if (!seq) return undefined;
  const ns = store.find(RelOid.pg_namespace, snapshot, (r) => r.oid === seq.rec.relnamespace);
  if (!ns) return undefined;
  return { schema: ns.rec.nspname as string, name: seq.rec.relname as string };
}
