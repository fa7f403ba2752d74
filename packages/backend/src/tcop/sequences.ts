/**
 * nextval / currval / setval for a session: resolves the sequence name (as regclass input does:
 * optionally schema-qualified, unquoted parts folded to lower case), calls the storage's
 * non-transactional counters and remembers each sequence's last value for currval.
 */
import type { Snapshot } from '../access/api.js';
import type { CatalogStore } from '../catalog/catalog.js';
import type { RelationCache, RelationInfo } from '../catalog/relcache.js';
import { effectiveRoles, holds, type CheckingUser } from '../catalog/aclchk.js';
import { PgError } from '../utils/errors.js';
import { parseQualifiedName } from '../parser/qualified-name.js';

export interface SequenceDeps {
  relcache: RelationCache;
  store: CatalogStore;
  snapshot: () => Snapshot;
  searchPath: () => string[];
  /** Last value per sequence OID (currval). */
  state: Map<string, bigint>;
  /** Whose privileges the calls need. */
  user: () => CheckingUser;
}

export function sequenceFunctions(deps: SequenceDeps): {
  nextval(name: string | number): bigint;
  currval(name: string | number): bigint;
  setval(name: string | number, value: bigint, isCalled: boolean): bigint;
  sequenceRow(oid: number): [bigint, bigint, boolean];
} {
  const resolve = (ref: string | number): RelationInfo => {
    // A regclass argument arrives as the relation's OID, a text one as its name.
    if (typeof ref === 'number') {
      const rel = deps.relcache.byRelOid(ref, deps.snapshot());
      if (!rel) throw new PgError('42P01', `relation with OID ${ref} does not exist`);
      return checkSequence(rel);
    }
    const text = ref;
    const parts = parseQualifiedName(text);
    const name = parts[parts.length - 1] ?? '';
    const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
    const rel = deps.relcache.resolve(schema, name, deps.searchPath(), deps.snapshot());
    if (!rel) throw new PgError('42P01', `relation "${text}" does not exist`);
    return checkSequence(rel);
  };
  const checkSequence = (rel: RelationInfo): RelationInfo => {
    if (rel.kind !== 'S' || !rel.sequence)
      throw new PgError('42809', `"${rel.name}" is not a sequence`);
    return rel;
  };
  /** PostgreSQL's rule: any one of `letters` (U usage, r select, w update) on the sequence. */
  const requireAny = (rel: RelationInfo, letters: string): void => {
    const user = deps.user();
    if (user.superuser) return;
    const roles = effectiveRoles(deps.store, deps.snapshot(), user.oid);
    if (![...letters].some((l) => holds(roles, rel.acl, 'sequence', rel.owner, l)))
      throw new PgError('42501', `permission denied for sequence ${rel.name}`);
  };
  return {
    sequenceRow(oid) {
      const rel = resolve(oid);
      const state = deps.store.db.sequences.read(rel.relfilenode);
      return [state?.lastValue ?? rel.sequence!.start, 0n, state?.isCalled ?? false];
    },
    nextval(text) {
      const rel = resolve(text);
      requireAny(rel, 'Uw');
      const v = deps.store.db.sequences.nextval(rel.relfilenode, rel.sequence!, rel.name);
      deps.state.set(String(rel.oid), v);
      return v;
    },
    currval(text) {
      const rel = resolve(text);
      requireAny(rel, 'rU');
      const v = deps.state.get(String(rel.oid));
      if (v === undefined)
        throw new PgError(
          '55000',
          `currval of sequence "${rel.name}" is not yet defined in this session`,
        );
      return v;
    },
    setval(text, value, isCalled) {
      const rel = resolve(text);
      requireAny(rel, 'w');
      deps.store.db.sequences.setval(rel.relfilenode, rel.sequence!, rel.name, value, isCalled);
      if (isCalled) deps.state.set(String(rel.oid), value);
      return value;
    },
  };
}
