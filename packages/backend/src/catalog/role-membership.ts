/**
 * Role membership as pg_auth_members records it: who is (directly or through other roles) a
 * member of whom. SET ROLE, GRANT's cycle check and privilege checks all ask these questions.
 */
import type { Snapshot } from '../access/api.js';
import type { CatalogStore } from './catalog.js';
import { RelOid } from './oids.js';

export interface Membership {
  roleid: number;
  member: number;
  admin: boolean;
}

/** Every pg_auth_members row visible to `snapshot`. */
export function memberships(store: CatalogStore, snapshot: Snapshot): Membership[] {
  const out: Membership[] = [];
  for (const { rec } of store.scan(RelOid.pg_auth_members, snapshot))
    out.push({
      roleid: rec.roleid as number,
      member: rec.member as number,
      admin: rec.admin_option as boolean,
    });
  return out;
}

/**
 * The roles `member` belongs to, itself included, following grants transitively. With
 * `inheritingOnly`, stops at roles that do not inherit (rolinherit false): their memberships
 * give no privileges, though they still allow SET ROLE.
 */
export function rolesOf(
  all: readonly Membership[],
  member: number,
  noInherit: ReadonlySet<number> = new Set(),
): Set<number> {
  const seen = new Set<number>([member]);
  const queue = [member];
  while (queue.length > 0) {
    const m = queue.pop()!;
    if (noInherit.has(m)) continue;
    for (const edge of all) {
      if (edge.member !== m || seen.has(edge.roleid)) continue;
      seen.add(edge.roleid);
      queue.push(edge.roleid);
    }
  }
  return seen;
}

/** Whether `member` is `role` or belongs to it by any chain of grants. */
export function isMemberOf(
  store: CatalogStore,
  snapshot: Snapshot,
  member: number,
  role: number,
): boolean {
  if (member === role) return true;
  return rolesOf(memberships(store, snapshot), member).has(role);
}
