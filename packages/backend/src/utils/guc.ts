/**
 * Per-session configuration state (PostgreSQL's GUC): typed values, SET / SET LOCAL / RESET / SHOW
 * with PostgreSQL's parsing, formatting and errors, and transactional behaviour — a SET inside a
 * transaction that aborts is undone, SET LOCAL lasts until the end of the transaction, and
 * ROLLBACK TO SAVEPOINT restores the values the savepoint saw.
 */
import { PgError } from './errors.js';
import { findGuc, gucDefinitions, type GucDefinition, type IntGuc } from './guc-tables.js';

export type GucValue = string | number | boolean;

interface Frame {
  values: Map<string, GucValue>;
  sessionValues: Map<string, GucValue>;
  custom: Map<string, string>;
}

const timeUnits: Array<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['min', 60_000],
  ['s', 1000],
  ['ms', 1],
];
const memoryUnits: Array<[string, number]> = [
  ['TB', 1024 ** 3],
  ['GB', 1024 ** 2],
  ['MB', 1024],
  ['kB', 1],
];

function invalidValue(name: string, value: string, hint?: string): PgError {
  return new PgError(
    '22023',
    `invalid value for parameter "${name}": "${value}"`,
    hint ? { hint } : {},
  );
}

/** PostgreSQL's parse_bool: on/off/true/false/yes/no/1/0 and unambiguous prefixes. */
export function parseBoolText(text: string): boolean | undefined {
  const v = text.trim().toLowerCase();
  if (v.length === 0) return undefined;
  const matches = (word: string, minLen: number): boolean =>
    v.length >= minLen && word.startsWith(v);
  if (matches('true', 1) || matches('yes', 1) || v === 'on' || v === '1') return true;
  if (matches('false', 1) || matches('no', 1) || matches('off', 2) || v === '0') return false;
  return undefined;
}

function parseIntSetting(def: IntGuc, given: string, text: string): number {
  const m = /^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!m) throw invalidValue(given, text);
  let num = Number(m[1]);
  const unit = m[2] ?? '';
  if (unit !== '') {
    const table =
      def.unit === 'kB'
        ? memoryUnits
        : def.unit
          ? [...timeUnits, ['us', 0.001] as [string, number]]
          : [];
    const found = table.find(([u]) => u === unit);
    if (!found || !def.unit) {
      const hint =
        def.unit === 'kB'
          ? 'Valid units for this parameter are "B", "kB", "MB", "GB", and "TB".'
          : def.unit
            ? 'Valid units for this parameter are "us", "ms", "s", "min", "h", and "d".'
            : undefined;
      throw invalidValue(given, text, hint);
    }
    const base = def.unit === 'kB' ? 1 : (timeUnits.find(([u]) => u === def.unit)?.[1] ?? 1);
    num = (num * found[1]) / base;
  }
  num = Math.round(num);
  if (num < def.min || num > def.max) {
    const shown = def.unit ? `${num} ${def.unit}` : String(num);
    throw new PgError(
      '22023',
      `${shown} is outside the valid range for parameter "${given}" (${def.min} .. ${def.max})`,
    );
  }
  return num;
}

function formatInt(def: IntGuc, value: number): string {
  if (!def.unit || value === 0) return String(value);
  const table = def.unit === 'kB' ? memoryUnits : timeUnits;
  const base = def.unit === 'kB' ? 1 : (timeUnits.find(([u]) => u === def.unit)?.[1] ?? 1);
  const scaled = value * base;
  for (const [unit, size] of table) {
    if (scaled % size === 0) return `${scaled / size}${unit}`;
  }
  return `${value}${def.unit}`;
}

function canonicalTimeZone(given: string, text: string): string {
  const t = text.trim();
  if (/^[-+]?\d+(\.\d+)?$/.test(t)) return t;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: t }).resolvedOptions().timeZone;
  } catch {
    throw invalidValue(given, text);
  }
}

function canonicalDateStyle(given: string, text: string): string {
  let style: string | undefined;
  let order: string | undefined;
  for (const raw of text.split(/[\s,]+/)) {
    const w = raw.toLowerCase();
    if (w === '') continue;
    if (w === 'iso') style = 'ISO';
    else if (w === 'sql') style = 'SQL';
    else if (w === 'postgres') style = 'Postgres';
    else if (w === 'german') style = 'German';
    else if (w === 'ymd') order = 'YMD';
    else if (w === 'dmy' || w === 'euro' || w === 'european') order = 'DMY';
    else if (w === 'mdy' || w === 'us' || w === 'noneuro' || w === 'noneuropean') order = 'MDY';
    else if (w === 'default') {
      style = 'ISO';
      order = 'MDY';
    } else throw invalidValue(given, text);
  }
  const s = style ?? 'ISO';
  const o = order ?? (style === 'German' ? 'DMY' : 'MDY');
  return `${s}, ${o}`;
}

function canonicalEncoding(given: string, text: string): string {
  const v = text.trim().toUpperCase().replace(/[-_]/g, '');
  if (v === 'UTF8' || v === 'UNICODE') return 'UTF8';
  throw invalidValue(given, text);
}

/** Parses a textual setting into its stored form, raising PostgreSQL's errors. */
function parseValue(def: GucDefinition, given: string, text: string): GucValue {
  switch (def.type) {
    case 'bool': {
      const b = parseBoolText(text);
      if (b === undefined)
        throw new PgError('22023', `parameter "${given}" requires a Boolean value`);
      return b;
    }
    case 'integer':
      return parseIntSetting(def, given, text);
    case 'real': {
      const n = Number(text);
      if (text.trim() === '' || Number.isNaN(n)) throw invalidValue(given, text);
      if (n < def.min || n > def.max) {
        throw new PgError(
          '22023',
          `${n} is outside the valid range for parameter "${given}" (${def.min} .. ${def.max})`,
        );
      }
      return n;
    }
    case 'enum': {
      const v = text.trim().toLowerCase();
      const hit = def.values.find((x) => x.toLowerCase() === v) ?? def.aliases?.[v];
      if (hit === undefined) {
        throw invalidValue(given, text, `Available values: ${def.values.join(', ')}.`);
      }
      return hit;
    }
    case 'string':
      switch (def.name) {
        case 'TimeZone':
          return canonicalTimeZone(given, text);
        case 'DateStyle':
          return canonicalDateStyle(given, text);
        case 'client_encoding':
          return canonicalEncoding(given, text);
        default:
          return text;
      }
  }
}

export function formatValue(def: GucDefinition, value: GucValue): string {
  if (def.type === 'bool') return value ? 'on' : 'off';
  if (def.type === 'integer') return formatInt(def, value as number);
  return String(value);
}

export interface SetOptions {
  /** SET LOCAL: lasts until the end of the current transaction. */
  local?: boolean;
  /** Startup packet / connection options may set anything but internal parameters. */
  source?: 'session' | 'startup';
  /** The name as the user wrote it (PostgreSQL's messages quote it so). */
  givenName?: string;
  superuser?: boolean;
}

/**
 * Extra rules for a parameter whose valid values depend on session state (role,
 * session_authorization): `check` sees the new value first and may refuse it; `assigned` runs
 * after, with the same SET LOCAL-ness, to adjust dependent parameters.
 */
export interface SetHook {
  check(value: string): void;
  assigned(value: string, local: boolean): void;
}

export class SessionSettings {
  private readonly hooks = new Map<string, SetHook>();
  private values = new Map<string, GucValue>();
  private sessionValues = new Map<string, GucValue>();
  /** Values established at connection start: RESET goes back to these. */
  private resetValues = new Map<string, GucValue>();
  /** Placeholder parameters with a dot in their name (extension settings). */
  private custom = new Map<string, string>();
  /**
   * The values to return to at each open transaction / savepoint level. null: nothing changed
   * since that level began (the current values are its values). Frames are taken lazily, at the
   * first change, because almost every transaction changes no setting and copying ~300 values
   * per statement showed in pgbench -S profiles.
   */
  private frames: Array<Frame | null> = [];
  /** Reported parameters changed since the last drain (name → shown value). */
  private pendingReports = new Map<string, string>();

  constructor() {
    for (const def of gucDefinitions) {
      this.values.set(def.name, def.boot);
      this.sessionValues.set(def.name, def.boot);
      this.resetValues.set(def.name, def.boot);
    }
  }

  /** Sets a value at connection start that also becomes its RESET value (no ParameterStatus). */
  initialize(name: string, text: string): void {
    if (name.includes('.') && !findGuc(name)) {
      // A placeholder (extension) setting, as SET would make it.
      this.custom.set(name.toLowerCase(), text);
      return;
    }
    const def = this.definition(name, name);
    this.materializeFrames();
    const value = parseValue(def, def.name, text);
    this.values.set(def.name, value);
    this.sessionValues.set(def.name, value);
    this.resetValues.set(def.name, value);
  }

  /** Installs the SetHook of parameter `name`. */
  setHook(name: string, hook: SetHook): void {
    this.hooks.set(this.definition(name, name).name, hook);
  }

  /** Assigns a parameter without checks (for values derived from another SET). */
  assignDerived(name: string, text: string, local: boolean): void {
    const def = this.definition(name, name);
    this.assign(def, parseValue(def, def.name, text), local);
  }

  private definition(name: string, given: string): GucDefinition {
    const def = findGuc(name);
    if (!def) throw new PgError('42704', `unrecognized configuration parameter "${given}"`);
    return def;
  }

  /** SHOW name. */
  show(name: string): string {
    const custom = this.custom.get(name.toLowerCase());
    if (custom !== undefined) return custom;
    const def = this.definition(name, name);
    return formatValue(def, this.values.get(def.name) ?? def.boot);
  }

  /** The canonical spelling of a known parameter (for SHOW's column name). */
  canonicalName(name: string): string {
    if (this.custom.has(name.toLowerCase())) return name.toLowerCase();
    return this.definition(name, name).name;
  }

  getBool(name: string): boolean {
    return this.values.get(name) === true;
  }
  getInt(name: string): number {
    const v = this.values.get(name);
    return typeof v === 'number' ? v : 0;
  }
  getString(name: string): string {
    return String(this.values.get(name) ?? '');
  }

  /** SET name = text, or SET name TO DEFAULT / RESET name when text is null. */
  set(name: string, text: string | null, options: SetOptions = {}): void {
    const given = options.givenName ?? name;
    if (name.includes('.') && !findGuc(name)) {
      const key = name.toLowerCase();
      this.materializeFrames();
      this.custom.set(key, text ?? '');
      return;
    }
    const def = this.definition(name, given);
    if (def.context === 'internal' || def.context === 'postmaster') {
      const msg =
        def.context === 'internal'
          ? `parameter "${given}" cannot be changed`
          : `parameter "${given}" cannot be changed without restarting the server`;
      throw new PgError('55P02', msg);
    }
    if (def.context === 'superuser' && options.superuser === false) {
      throw new PgError('42501', `permission denied to set parameter "${given}"`);
    }
    const value =
      text === null ? (this.resetValues.get(def.name) ?? def.boot) : parseValue(def, given, text);
    const hook = this.hooks.get(def.name);
    hook?.check(formatValue(def, value));
    this.assign(def, value, options.local === true);
    hook?.assigned(formatValue(def, value), options.local === true);
  }

  /** Assigns an already-typed value (used for transaction-scoped settings). */
  assign(def: GucDefinition, value: GucValue, local: boolean): void {
    this.materializeFrames();
    const before = this.values.get(def.name);
    this.values.set(def.name, value);
    // Outside a transaction block there is no transaction to scope to: SET LOCAL is a no-op there,
    // which PostgreSQL implements the same way (the value is dropped at the implicit commit).
    if (!local) this.sessionValues.set(def.name, value);
    if (def.report && before !== value) this.pendingReports.set(def.name, formatValue(def, value));
  }

  resetAll(): void {
    for (const def of gucDefinitions) {
      if ((def.context === 'user' || def.context === 'superuser') && !def.noResetAll) {
        const value = this.resetValues.get(def.name) ?? def.boot;
        this.assign(def, value, false);
      }
    }
  }

  /** Every parameter with its shown value, for SHOW ALL (sorted as PostgreSQL sorts them). */
  all(): Array<{ name: string; setting: string; description: string }> {
    return [...gucDefinitions]
      .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))
      .map((def) => ({
        name: def.name,
        setting: formatValue(def, this.values.get(def.name) ?? def.boot),
        description: def.description,
      }));
  }

  /**
   * pg_settings rows (PostgreSQL's pg_show_all_settings() columns): numbers in their base unit,
   * booleans as on/off; `source` is "default" until something changed the value.
   */
  settingsRows(): Array<Array<string | boolean | number | null>> {
    const raw = (def: GucDefinition, v: GucValue): string =>
      def.type === 'bool'
        ? v
          ? 'on'
          : 'off'
        : def.type === 'integer' || def.type === 'real'
          ? String(v)
          : formatValue(def, v);
    return [...gucDefinitions]
      .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))
      .map((def) => {
        const value = this.values.get(def.name) ?? def.boot;
        const numeric = def.type === 'integer' || def.type === 'real';
        return [
          def.name,
          raw(def, value),
          def.type === 'integer' ? (def.unit ?? null) : null,
          'Ungrouped',
          def.description,
          null,
          def.context,
          def.type,
          value === def.boot ? 'default' : 'session',
          numeric ? String(def.min) : null,
          numeric ? String(def.max) : null,
          def.type === 'enum' ? `{${def.values.join(',')}}` : null,
          raw(def, def.boot),
          raw(def, this.resetValues.get(def.name) ?? def.boot),
          null,
          null,
          false,
        ];
      });
  }

  /** The reported parameters and their values (for the ParameterStatus burst at startup). */
  reported(): Array<[string, string]> {
    return gucDefinitions
      .filter((d) => d.report)
      .map((d) => [d.name, formatValue(d, this.values.get(d.name) ?? d.boot)]);
  }

  /** Drains the reported parameters changed since the last call. */
  takeReports(): Array<[string, string]> {
    const out = [...this.pendingReports];
    this.pendingReports.clear();
    return out;
  }

  /* Transaction hooks ---------------------------------------------------------------------- */

  private snapshot(): Frame {
    return {
      values: new Map(this.values),
      sessionValues: new Map(this.sessionValues),
      custom: new Map(this.custom),
    };
  }

  /** Before a change: the levels that saw none so far keep the values as they are now. */
  private materializeFrames(): void {
    let now: Frame | undefined;
    for (let i = this.frames.length - 1; i >= 0 && this.frames[i] === null; i--) {
      now ??= this.snapshot();
      this.frames[i] = now;
    }
  }

  private restore(frame: Frame): void {
    for (const def of gucDefinitions) {
      const v = frame.values.get(def.name);
      if (v !== undefined && this.values.get(def.name) !== v) this.assign(def, v, true);
    }
    this.sessionValues = new Map(frame.sessionValues);
    this.custom = new Map(frame.custom);
  }

  /** A transaction (or savepoint) begins: remember the values to return to on abort. */
  pushFrame(): void {
    this.frames.push(null);
  }

  /** The transaction committed: keep session-level SETs, drop SET LOCALs. */
  commitTransaction(): void {
    const untouched = this.frames.length > 0 && this.frames[0] === null;
    this.frames = [];
    // Nothing was set in the transaction, so no SET LOCAL value is there to drop.
    if (untouched) return;
    for (const def of gucDefinitions) {
      const v = this.sessionValues.get(def.name);
      if (v !== undefined && this.values.get(def.name) !== v) this.assign(def, v, false);
    }
  }

  /** The transaction aborted: everything goes back to how it was when it began. */
  abortTransaction(): void {
    const first = this.frames[0];
    if (first === null) {
      this.frames = [];
      return;
    }
    this.frames = [];
    if (first) this.restore(first);
    else this.commitTransaction();
  }

  /** RELEASE SAVEPOINT: the savepoint's frame merges into its parent. */
  releaseFrames(depth: number): void {
    this.frames.length = Math.min(this.frames.length, depth);
  }

  /** ROLLBACK TO SAVEPOINT: restore the values at the savepoint (which stays). */
  rollbackToFrame(depth: number): void {
    const frame = this.frames[depth];
    if (frame === undefined) return;
    this.frames.length = depth + 1;
    if (frame !== null) this.restore(frame);
  }

  get frameDepth(): number {
    return this.frames.length;
  }
}
