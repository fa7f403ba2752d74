// The SQLSTATE catalogue against PostgreSQL 15: its errcodes.txt (when installed) and a live
// server's PL/pgSQL condition names, plus structural checks that need neither.
import { existsSync, readFileSync } from 'node:fs';
import { startPostgres, type PostgresServer } from '@tuskdb/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLSTATE_ALIASES, SQLSTATE_CLASSES, SQLSTATE_ROWS } from './catalogue.js';
import {
  allSqlStateClasses,
  allSqlStates,
  isValidSqlState,
  SqlState,
  sqlStateClass,
  sqlStateForConditionName,
  sqlStateForMacro,
  sqlStateInfo,
  sqlStatesForConditionName,
} from './sqlstate.js';

const ERRCODES_TXT = '/usr/share/postgresql/15/errcodes.txt';

describe('catalogue structure', () => {
  it('has every PostgreSQL 15 code once, well formed', () => {
    const codes = allSqlStates().map((i) => i.code);
    expect(codes).toHaveLength(260);
    expect(new Set(codes).size).toBe(codes.length);
    expect(Object.values(SQLSTATE_ROWS)).toHaveLength(260);
    for (const code of codes) expect(code).toMatch(/^[0-9A-Z]{5}$/);
    for (const code of Object.values(SQLSTATE_ALIASES)) expect(sqlStateInfo(code)).toBeDefined();
    expect(allSqlStateClasses()).toHaveLength(43);
    expect(new Set(SQLSTATE_CLASSES.map(([c]) => c)).size).toBe(43);
  });

  it('has the expected number of codes per class', () => {
    const counts: Record<string, number> = {};
    for (const i of allSqlStates()) counts[i.classCode] = (counts[i.classCode] ?? 0) + 1;
    // Figures from PostgreSQL 15's errcodes.txt (rows with a condition name, per class).
    expect(counts).toEqual({
      '00': 1, '01': 8, '02': 2, '03': 1, '08': 7, '09': 1, '0A': 1, '0B': 1, '0F': 2,
      '0L': 2, '0P': 1, '0Z': 2, '20': 1, '21': 1, '22': 68, '23': 7, '24': 1, '25': 12,
      '26': 1, '27': 1, '28': 2, '2B': 2, '2D': 1, '2F': 5, '34': 1, '38': 5, '39': 6,
      '3B': 2, '3D': 1, '3F': 1, '40': 5, '42': 44, '44': 1, '53': 5, '54': 4, '55': 5,
      '57': 7, '58': 4, '72': 1, 'F0': 2, 'HV': 27, 'P0': 5, 'XX': 3,
    }); // prettier-ignore
  });

  it('knows well-known codes', () => {
    expect(SqlState.uniqueViolation).toBe('23505');
    expect(SqlState.invalidPassword).toBe('28P01');
    expect(SqlState.protocolViolation).toBe('08P01');
    expect(SqlState.syntaxError).toBe('42601');
    expect(SqlState.undefinedTable).toBe('42P01');
    expect(SqlState.serializationFailure).toBe('40001');
    expect(SqlState.deadlockDetected).toBe('40P01');
    expect(SqlState.sreModifyingSqlDataNotPermitted).toBe('2F002');
    expect(SqlState.ereModifyingSqlDataNotPermitted).toBe('38002');
    expect(SqlState.erieNullValueNotAllowed).toBe('39004');
    expect(SqlState.nullValueNotAllowed).toBe('22004');
    expect(sqlStateForMacro('ERRCODE_UNDEFINED_CURSOR')).toBe('34000');
    expect(sqlStateForMacro('T_R_SERIALIZATION_FAILURE')).toBe('40001');
    expect(SqlState.queryCanceled).toBe('57014');
    expect(SqlState.adminShutdown).toBe('57P01');
    expect(SqlState.divisionByZero).toBe('22012');
    expect(SqlState.warningStringDataRightTruncation).toBe('01004');
    expect(SqlState.stringDataRightTruncation).toBe('22001');
    expect(sqlStateInfo('23505')).toEqual({
      code: '23505',
      name: 'unique_violation',
      key: 'uniqueViolation',
      macro: 'UNIQUE_VIOLATION',
      category: 'E',
      classCode: '23',
      className: 'Integrity Constraint Violation',
    });
    expect(sqlStateInfo('01P01')?.category).toBe('W');
    expect(sqlStateInfo('XX001')?.name).toBe('data_corrupted');
    expect(sqlStateInfo('HV00B')?.name).toBe('fdw_invalid_handle');
    expect(sqlStateInfo('P0004')?.name).toBe('assert_failure');
    expect(sqlStateInfo('99999')).toBeUndefined();
    expect(sqlStateClass('22ZZZ')).toEqual({ classCode: '22', className: 'Data Exception' });
    expect(sqlStateClass('ZZ000')).toBeUndefined();
    expect(sqlStateForConditionName('UNIQUE_VIOLATION')).toBe('23505');
    expect(sqlStateForConditionName('string_data_right_truncation')).toBe('22001');
    expect(sqlStateForConditionName('modifying_sql_data_not_permitted')).toBe('2F002');
    expect(sqlStateForConditionName('warning')).toBe('01000');
    expect(sqlStatesForConditionName('string_data_right_truncation')).toEqual(['01004', '22001']);
    expect(sqlStatesForConditionName('null_value_not_allowed')).toEqual(['22004', '39004']);
    expect(isValidSqlState('2350a')).toBe(false);
    expect(isValidSqlState('P0001')).toBe(true);
  });
});

describe.skipIf(!existsSync(ERRCODES_TXT))('against PostgreSQL 15 errcodes.txt', () => {
  it('matches every class, code, category, macro and condition name', () => {
    const classes: Array<[string, string]> = [];
    const rows: Array<[string, string, string, string]> = [];
    const camel = (s: string): string =>
      s.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const aliases: Array<[string, string]> = [];
    for (const line of readFileSync(ERRCODES_TXT, 'utf8').split('\n')) {
      if (line.startsWith('#') || line.trim() === '') continue;
      const section = /^Section: Class (\w\w) - (.*)$/.exec(line);
      if (section) {
        classes.push([section[1]!, section[2]!]);
        continue;
      }
      const [code, category, errcode, name] = line.trim().split(/\s+/);
      const macro = errcode!.replace(/^ERRCODE_/, '');
      if (name === undefined) aliases.push([macro, code!]);
      else rows.push([code!, category!, name, macro]);
    }
    expect(SQLSTATE_CLASSES).toEqual(classes);
    expect(Object.values(SQLSTATE_ROWS)).toEqual(rows);
    // Keys: the camelCase condition name, except where a shared name gets its macro's prefix.
    const shared = new Set(['string_data_right_truncation', 'modifying_sql_data_not_permitted',
      'prohibited_sql_statement_attempted', 'reading_sql_data_not_permitted',
      'null_value_not_allowed']); // prettier-ignore
    for (const [key, [, , name, macro]] of Object.entries(SQLSTATE_ROWS)) {
      if (shared.has(name) && macro !== name.toUpperCase()) {
        expect(key.toLowerCase()).toBe(macro.replace(/_/g, '').toLowerCase());
      } else {
        expect(key).toBe(camel(name));
      }
    }
    expect(rows.filter(([, , n]) => shared.has(n))).toHaveLength(10);
    expect(Object.entries(SQLSTATE_ALIASES)).toEqual(aliases);
  });
});

describe('against a live PostgreSQL 15', () => {
  let pg: PostgresServer;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await pg?.stop();
  });

  it('every condition name raises its code and catches it', () => {
    // One function, one call: for each code, `RAISE SQLSTATE` must be caught by `WHEN <name>`
    // (PL/pgSQL rejects an unknown name when the function is created) and `RAISE <name>` must
    // produce the code (for the five names two codes share, PostgreSQL raises the first).
    // PL/pgSQL knows only the error codes (category E), not successes and warnings.
    const infos = allSqlStates().filter((i) => i.category === 'E');
    const blocks = infos.map(
      (i) => `
  BEGIN RAISE SQLSTATE '${i.code}'; EXCEPTION WHEN ${i.name} THEN caught := caught + 1; END;
  BEGIN RAISE ${i.name};
  EXCEPTION WHEN others OR query_canceled OR assert_failure THEN out := out || SQLSTATE || ' '; END;`,
    );
    const sql =
      `CREATE FUNCTION pg_temp.check_codes() RETURNS text LANGUAGE plpgsql AS $f$
DECLARE caught int := 0; out text := ''; BEGIN` +
      blocks.join('') +
      `\n  RETURN caught || ':' || out; END $f$; SELECT pg_temp.check_codes();`;
    const result = pg.psql(sql, ['-A', '-t', '-q']).trim();
    const [caught, raised] = result.split(':');
    expect(Number(caught)).toBe(infos.length);
    expect(raised!.trim().split(' ')).toEqual(infos.map((i) => sqlStateForConditionName(i.name)));
  }, 60_000);
});
