/** The OID table must match pg_type of a real PostgreSQL 15, row for row. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '@tuskdb/testkit';
import { Oid, allBuiltinTypes, getTypeInfo, getTypeInfoByName } from './oids.js';

let pg: PostgresServer;
beforeAll(async () => {
  pg = await startPostgres();
}, 120_000);
afterAll(async () => {
  await pg?.stop();
});

describe('built-in type table', () => {
  it('matches pg_type exactly', { timeout: 60_000 }, () => {
    // Base, pseudo, range and multirange types of pg_catalog and their array types (not the
    // catalogs' composite row types).
    const rows = pg
      .psql(
        `SELECT t.oid, t.typname, t.typarray, t.typelem, t.typlen, t.typcategory, t.typdelim, t.typtype, t.typbyval, t.typalign, t.typispreferred
         FROM pg_type t LEFT JOIN pg_type e ON t.typelem = e.oid AND e.typarray = t.oid
         WHERE t.typnamespace = 11 AND (t.typtype IN ('b','p','r','m') AND (e.oid IS NULL OR e.typtype IN ('b','p','r','m')))
         ORDER BY t.oid`,
        ['-At', '-F', '|'],
      )
      .trim()
      .split('\n');
    const ours = [...allBuiltinTypes()].sort((a, b) => a.oid - b.oid);
    const theirs = rows.map((line) => {
      const [oid, name, arrayOid, elemOid, len, category, delim, kind, byval, align, preferred] =
        line.split('|');
      return {
        oid: Number(oid),
        name,
        arrayOid: Number(arrayOid),
        elemOid: Number(elemOid),
        len: Number(len),
        category,
        delim,
        kind,
        byval: byval === 't',
        align,
        preferred: preferred === 't',
      };
    });
    expect(ours).toEqual(theirs);
  });

  it('names and lookups', () => {
    expect(Oid.int4).toBe(23);
    expect(Oid._int4).toBe(1007);
    expect(Oid._text).toBe(1009);
    expect(Oid.jsonb).toBe(3802);
    expect(getTypeInfo(1007)?.elemOid).toBe(23);
    expect(getTypeInfoByName('timestamptz')?.oid).toBe(1184);
    expect(getTypeInfo(999_999)).toBeUndefined();
  });
});
