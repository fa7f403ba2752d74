/**
 * SQLSTATE lookups over the catalogue: the `SqlState` name → code constant, and code → condition
 * name / class information for error reporting (PL/pgSQL condition names, psql's VERBOSITY, logs).
 */
import { SQLSTATE_ALIASES, SQLSTATE_CLASSES, SQLSTATE_ROWS } from './catalogue.js';

type Rows = typeof SQLSTATE_ROWS;

/** Every key of `SqlState` (camelCase condition names, see catalogue.ts for the five exceptions). */
export type SqlStateName = keyof Rows;

/** The code of every known SQLSTATE, as a string literal union. */
export type SqlStateCode = Rows[keyof Rows][0];

/**
 * Name → code, e.g. `SqlState.uniqueViolation === '23505'`,
 * `SqlState.warningStringDataRightTruncation === '01004'`.
 */
export const SqlState: { readonly [K in keyof Rows]: Rows[K][0] } = Object.freeze(
  Object.fromEntries(Object.entries(SQLSTATE_ROWS).map(([key, row]) => [key, row[0]])) as {
    readonly [K in keyof Rows]: Rows[K][0];
  },
);

/** 'S' successful completion, 'W' warning, 'E' error — as errcodes.txt classifies each code. */
export type SqlStateCategory = 'S' | 'W' | 'E';

export interface SqlStateClassInfo {
  /** The first two characters, e.g. '23'. */
  classCode: string;
  /** The class title from the manual, e.g. 'Integrity Constraint Violation'. */
  className: string;
}

export interface SqlStateInfo extends SqlStateClassInfo {
  code: string;
  /** The PL/pgSQL condition name, e.g. 'unique_violation'. */
  name: string;
  /** The key in `SqlState` (PostgreSQL's macro name), e.g. 'uniqueViolation'. */
  key: keyof Rows;
  /** PostgreSQL's macro name without ERRCODE_, e.g. 'UNIQUE_VIOLATION'. */
  macro: string;
  category: SqlStateCategory;
}

const classByCode = new Map<string, SqlStateClassInfo>(
  SQLSTATE_CLASSES.map(([classCode, className]) => [classCode, { classCode, className }]),
);

const infoByCode = new Map<string, SqlStateInfo>();
for (const [key, [code, category, name, macro]] of Object.entries(SQLSTATE_ROWS) as Array<
  [keyof Rows, Rows[keyof Rows]]
>) {
  const cls = classByCode.get(code.slice(0, 2));
  if (!cls) throw new Error(`SQLSTATE ${code} has no class`);
  infoByCode.set(code, Object.freeze({ code, name, key, macro, category, ...cls }));
}

/**
 * Condition name → code as PL/pgSQL resolves `RAISE <name>`: it knows only the error codes, and
 * for a name two error codes share it takes the first in the catalogue. Success and warning names
 * (which PL/pgSQL rejects) fall back to their own code.
 */
const codeByName = new Map<string, string>();
for (const info of infoByCode.values()) {
  if (info.category === 'E' && !codeByName.has(info.name)) codeByName.set(info.name, info.code);
}
for (const info of infoByCode.values()) {
  if (!codeByName.has(info.name)) codeByName.set(info.name, info.code);
}

const SQLSTATE_SHAPE = /^[0-9A-Z]{5}$/;

/** True for a syntactically valid SQLSTATE: five characters from [0-9A-Z]. */
export function isValidSqlState(code: string): boolean {
  return SQLSTATE_SHAPE.test(code);
}

/** Everything known about a code, or undefined if PostgreSQL 15 does not define it. */
export function sqlStateInfo(code: string): SqlStateInfo | undefined {
  return infoByCode.get(code);
}

/**
 * The class of a code (or of a two-character class code). Codes PostgreSQL does not define still
 * have a class when their first two characters name one — as the standard intends, a client can
 * treat '22ZZZ' as a data exception.
 */
export function sqlStateClass(code: string): SqlStateClassInfo | undefined {
  return classByCode.get(code.slice(0, 2));
}

/**
 * The code for a condition name ('unique_violation' → '23505'), resolved as PL/pgSQL's
 * `RAISE <name>` does (string_data_right_truncation → '22001', not the warning 01004). An
 * exception handler `WHEN <name>` matches every error code of that name: see
 * `sqlStatesForConditionName`.
 */
export function sqlStateForConditionName(name: string): string | undefined {
  return codeByName.get(name.toLowerCase());
}

/** All codes that carry a condition name (one, or two for the five shared names). */
export function sqlStatesForConditionName(name: string): string[] {
  const lower = name.toLowerCase();
  return [...infoByCode.values()].filter((i) => i.name === lower).map((i) => i.code);
}

const codeByMacro = new Map<string, string>([
  ...[...infoByCode.values()].map((i): [string, string] => [i.macro, i.code]),
  ...Object.entries(SQLSTATE_ALIASES),
]);

/** The code of a PostgreSQL ERRCODE_* macro name, with or without the prefix (aliases included). */
export function sqlStateForMacro(macro: string): string | undefined {
  return codeByMacro.get(macro.replace(/^ERRCODE_/, ''));
}

/** Every defined code, in catalogue order. */
export function allSqlStates(): SqlStateInfo[] {
  return [...infoByCode.values()];
}

/** Every class, in catalogue order. */
export function allSqlStateClasses(): SqlStateClassInfo[] {
  return [...classByCode.values()];
}
