/**
 * Access control lists as PostgreSQL shows them (acl.c): each aclitem is
 * "grantee=privileges/grantor", an empty grantee meaning PUBLIC and a `*` after a privilege
 * letter marking the grant option. A NULL ACL means the object's default (owner has everything).
 */

export type AclObjectKind = 'table' | 'sequence' | 'schema' | 'database';

/** Every privilege an object kind knows, in PostgreSQL's letter order. */
export const allPrivileges: Record<AclObjectKind, string> = {
  table: 'arwdDxt',
  sequence: 'rwU',
  schema: 'UC',
  database: 'CTc',
};

/** GRANT's privilege keywords and their letters. */
export const privilegeLetters: Record<string, string> = {
  select: 'r',
  insert: 'a',
  update: 'w',
  delete: 'd',
  truncate: 'D',
  references: 'x',
  trigger: 't',
  usage: 'U',
  create: 'C',
  temporary: 'T',
  temp: 'T',
  connect: 'c',
};

export interface AclItem {
  /** '' for PUBLIC. */
  grantee: string;
  grantor: string;
  /** Privilege letters held. */
  privileges: string;
  /** Of those, the letters held WITH GRANT OPTION. */
  grantable: string;
}

/** A role name as aclitem text shows it: double-quoted unless plain letters, digits, _. */
function putName(name: string): string {
  return /^[A-Za-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function takeName(text: string, start: number): [string, number] {
  if (text[start] !== '"') {
    let end = start;
    while (end < text.length && text[end] !== '=' && text[end] !== '/') end++;
    return [text.slice(start, end), end];
  }
  let out = '';
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === '"') {
      if (text[i + 1] === '"') {
        out += '"';
        i += 2;
        continue;
      }
      return [out, i + 1];
    }
    out += text[i++];
  }
  return [out, i];
}

export function parseAclItem(text: string): AclItem {
  const [grantee, eq] = takeName(text, 0);
  const slash = text.indexOf('/', eq + 1);
  const privText = text.slice(eq + 1, slash < 0 ? undefined : slash);
  const grantor = slash < 0 ? '' : takeName(text, slash + 1)[0];
  let privileges = '';
  let grantable = '';
  for (let i = 0; i < privText.length; i++) {
    const c = privText[i]!;
    if (c === '*') continue;
    privileges += c;
    if (privText[i + 1] === '*') grantable += c;
  }
  return { grantee, grantor, privileges, grantable };
}

export function formatAclItem(item: AclItem, kind: AclObjectKind): string {
  let privs = '';
  for (const c of allPrivileges[kind]) {
    if (!item.privileges.includes(c)) continue;
    privs += c + (item.grantable.includes(c) ? '*' : '');
  }
  return `${item.grantee === '' ? '' : putName(item.grantee)}=${privs}/${putName(item.grantor)}`;
}

/** The ACL an object has while its ACL column is NULL (PostgreSQL's acldefault). */
export function defaultAcl(kind: AclObjectKind, owner: string): string[] {
  const own = formatAclItem(
    { grantee: owner, grantor: owner, privileges: allPrivileges[kind], grantable: '' },
    kind,
  );
  if (kind === 'database')
    return [
      formatAclItem({ grantee: '', grantor: owner, privileges: 'Tc', grantable: '' }, kind),
      own,
    ];
  return [own];
}

/**
 * Whether any of `roles` (role names; PUBLIC always applies) holds privilege `letter` (with
 * `grantOption`: holds it WITH GRANT OPTION).
 */
export function aclAllows(
  acl: readonly string[],
  roles: ReadonlySet<string>,
  letter: string,
  grantOption = false,
): boolean {
  return acl.some((text) => {
    const item = parseAclItem(text);
    const held = grantOption ? item.grantable : item.privileges;
    return (item.grantee === '' || roles.has(item.grantee)) && held.includes(letter);
  });
}

/** GRANT: adds `letters` for each grantee in the items granted by `grantor`. */
export function aclGrant(
  acl: readonly string[],
  kind: AclObjectKind,
  grantees: readonly string[],
  grantor: string,
  letters: string,
  withGrantOption: boolean,
): string[] {
  const items = acl.map(parseAclItem);
  for (const grantee of grantees) {
    let item = items.find((i) => i.grantee === grantee && i.grantor === grantor);
    if (!item) {
      item = { grantee, grantor, privileges: '', grantable: '' };
      items.push(item);
    }
    for (const c of letters) {
      if (!item.privileges.includes(c)) item.privileges += c;
      if (withGrantOption && !item.grantable.includes(c)) item.grantable += c;
    }
  }
  return items.map((i) => formatAclItem(i, kind));
}

/** REVOKE: removes `letters` (or only their grant option) from the grantees' items. */
export function aclRevoke(
  acl: readonly string[],
  kind: AclObjectKind,
  grantees: readonly string[],
  grantor: string,
  letters: string,
  grantOptionOnly: boolean,
): string[] {
  const out: string[] = [];
  for (const text of acl) {
    const item = parseAclItem(text);
    if (grantees.includes(item.grantee) && item.grantor === grantor) {
      const drop = (s: string) => [...s].filter((c) => !letters.includes(c)).join('');
      item.grantable = drop(item.grantable);
      if (!grantOptionOnly) item.privileges = drop(item.privileges);
      if (item.privileges === '') continue;
    }
    out.push(formatAclItem(item, kind));
  }
  return out;
}

/** The ACL with every item naming role `from` renamed to `to` (grantee or grantor). */
export function aclRenameRole(
  acl: readonly string[],
  kind: AclObjectKind,
  from: string,
  to: string,
): string[] {
  return acl.map((text) => {
    const item = parseAclItem(text);
    if (item.grantee === from) item.grantee = to;
    if (item.grantor === from) item.grantor = to;
    return formatAclItem(item, kind);
  });
}
