/**
 * The settings the postmaster itself acts on, with PostgreSQL's names, types, units, ranges and
 * defaults, and the value parsing PostgreSQL applies (booleans by prefix, integers with memory or
 * time units, octal for unix_socket_permissions). Every other setting is passed to the backends
 * as text for the session's own configuration.
 */
import path from 'node:path';
import { loadConfFile, type ConfEntry } from './conf-file.js';

type IntUnit = 's' | 'ms' | 'min' | 'kB';

interface IntSpec {
  type: 'int';
  boot: number;
  min: number;
  max: number;
  unit?: IntUnit;
}
interface BoolSpec {
  type: 'bool';
  boot: boolean;
}
interface StringSpec {
  type: 'string';
  boot: string;
}
interface EnumSpec {
  type: 'enum';
  boot: string;
  values: readonly string[];
}
type Spec = IntSpec | BoolSpec | StringSpec | EnumSpec;

const specs = {
  port: { type: 'int', boot: 5432, min: 1, max: 65535 },
  listen_addresses: { type: 'string', boot: 'localhost' },
  unix_socket_directories: { type: 'string', boot: '/tmp' },
  unix_socket_permissions: { type: 'int', boot: 0o777, min: 0, max: 0o777 },
  unix_socket_group: { type: 'string', boot: '' },
  max_connections: { type: 'int', boot: 100, min: 1, max: 262143 },
  superuser_reserved_connections: { type: 'int', boot: 3, min: 0, max: 262143 },
  authentication_timeout: { type: 'int', boot: 60, min: 1, max: 600, unit: 's' },
  ssl: { type: 'bool', boot: false },
  ssl_cert_file: { type: 'string', boot: 'server.crt' },
  ssl_key_file: { type: 'string', boot: 'server.key' },
  ssl_ca_file: { type: 'string', boot: '' },
  password_encryption: { type: 'enum', boot: 'scram-sha-256', values: ['md5', 'scram-sha-256'] },
  log_connections: { type: 'bool', boot: false },
  log_disconnections: { type: 'bool', boot: false },
  hba_file: { type: 'string', boot: '' },
  ident_file: { type: 'string', boot: '' },
  /** Tusk's own: how many warmed-up backend processes wait for connections. */
  'tusk.idle_backends': { type: 'int', boot: 2, min: 0, max: 64 },
  /** Tusk's own: how many backends that finished a session may stay for the next one. */
  'tusk.max_idle_backends': { type: 'int', boot: 8, min: 0, max: 1024 },
} as const satisfies Record<string, Spec>;

export type SettingName = keyof typeof specs;

export interface ServerSettings {
  port: number;
  listen_addresses: string;
  unix_socket_directories: string;
  unix_socket_permissions: number;
  unix_socket_group: string;
  max_connections: number;
  superuser_reserved_connections: number;
  /** Seconds. */
  authentication_timeout: number;
  ssl: boolean;
  ssl_cert_file: string;
  ssl_key_file: string;
  ssl_ca_file: string;
  password_encryption: 'md5' | 'scram-sha-256';
  log_connections: boolean;
  log_disconnections: boolean;
  hba_file: string;
  ident_file: string;
  'tusk.idle_backends': number;
  'tusk.max_idle_backends': number;
  /** Every setting given (file and command line), as text, for the backends. */
  raw: Record<string, string>;
}

export class SettingError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'SettingError';
  }
}

/** PostgreSQL's parse_bool: unique prefixes of true/false/yes/no, on/off, 1/0. */
export function parseBool(text: string): boolean | undefined {
  const v = text.trim().toLowerCase();
  if (v === '') return undefined;
  if ('true'.startsWith(v) || 'yes'.startsWith(v) || v === 'on' || v === '1') return true;
  if ('false'.startsWith(v) || 'no'.startsWith(v) || v === 'off' || v === 'of' || v === '0') {
    return v === 'o' ? undefined : false;
  }
  return undefined;
}

const timeUnits: Record<string, number> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  min: 60000,
  h: 3600000,
  d: 86400000,
};
const memoryUnits: Record<string, number> = {
  B: 1 / 1024,
  kB: 1,
  MB: 1024,
  GB: 1024 ** 2,
  TB: 1024 ** 3,
};

function parseInt_(name: string, spec: IntSpec, text: string): number {
  const m = /^\s*([-+]?(?:0x[0-9a-fA-F]+|0[0-7]*|\d+(?:\.\d+)?))\s*([A-Za-z]+)?\s*$/.exec(text);
  const invalid = () => new SettingError(`invalid value for parameter "${name}": "${text}"`);
  if (!m) throw invalid();
  const numText = m[1]!;
  let value = /^[-+]?0x/i.test(numText)
    ? parseInt(numText, 16)
    : /^[-+]?0[0-7]+$/.test(numText)
      ? parseInt(numText, 8)
      : Number(numText);
  const unit = m[2];
  if (unit !== undefined) {
    if (spec.unit === undefined) throw invalid();
    const isTime = spec.unit !== 'kB';
    const table = isTime ? timeUnits : memoryUnits;
    const factor = table[unit];
    if (factor === undefined) {
      throw new SettingError(
        `invalid value for parameter "${name}": "${text}"`,
        isTime
          ? 'Valid units for this parameter are "us", "ms", "s", "min", "h", and "d".'
          : 'Valid units for this parameter are "B", "kB", "MB", "GB", and "TB".',
      );
    }
    value = Math.round((value * factor) / table[spec.unit]!);
  }
  if (!Number.isInteger(value)) throw invalid();
  if (value < spec.min || value > spec.max) {
    throw new SettingError(
      `${value} is outside the valid range for parameter "${name}" (${spec.min} .. ${spec.max})`,
    );
  }
  return value;
}

function parseValue(name: string, spec: Spec, text: string): number | boolean | string {
  switch (spec.type) {
    case 'int':
      return parseInt_(name, spec, text);
    case 'bool': {
      const b = parseBool(text);
      if (b === undefined) {
        throw new SettingError(`parameter "${name}" requires a Boolean value`);
      }
      return b;
    }
    case 'enum': {
      const v = text.toLowerCase();
      if (!spec.values.includes(v)) {
        throw new SettingError(
          `invalid value for parameter "${name}": "${text}"`,
          `Available values: ${spec.values.join(', ')}.`,
        );
      }
      return v;
    }
    case 'string':
      return text;
  }
}

export interface SettingSource {
  name: string;
  value: string;
  /** "file line N" context for errors; absent for command-line settings. */
  file?: string;
  line?: number;
}

export interface SettingsResult {
  settings: ServerSettings;
  /** Errors in file entries (PostgreSQL logs each, then refuses the whole file). */
  errors: Array<{ message: string; hint?: string }>;
}

/** Applies entries over the defaults; errors in entries are collected, not thrown. */
export function buildSettings(entries: SettingSource[]): SettingsResult {
  const values: Record<string, number | boolean | string> = {};
  for (const [name, spec] of Object.entries(specs)) values[name] = spec.boot;
  const raw: Record<string, string> = {};
  const errors: Array<{ message: string; hint?: string }> = [];
  for (const entry of entries) {
    const name = entry.name.toLowerCase();
    const spec = (specs as Record<string, Spec>)[name];
    raw[name] = entry.value;
    if (!spec) continue;
    try {
      values[name] = parseValue(name, spec, entry.value);
    } catch (err) {
      if (!(err instanceof SettingError)) throw err;
      const where = entry.file !== undefined ? ` (file "${entry.file}", line ${entry.line})` : '';
      errors.push({ message: err.message + where, ...(err.hint ? { hint: err.hint } : {}) });
    }
  }
  return { settings: { ...(values as unknown as ServerSettings), raw }, errors };
}

/** Reads postgresql.conf (with includes) and applies -c overrides on top. */
export function loadSettings(
  dataDir: string,
  overrides: Array<[string, string]>,
  configFile = path.join(dataDir, 'postgresql.conf'),
): SettingsResult & { fileEntries: ConfEntry[] } {
  const fileEntries = loadConfFile(configFile);
  const result = buildSettings([
    ...fileEntries,
    ...overrides.map(([name, value]) => ({ name, value })),
  ]);
  const s = result.settings;
  if (s.hba_file === '') s.hba_file = path.join(dataDir, 'pg_hba.conf');
  if (s.ident_file === '') s.ident_file = path.join(dataDir, 'pg_ident.conf');
  return { ...result, fileEntries };
}
