/**
 * The configuration parameters Tusk knows, with PostgreSQL 15's names, types, defaults, ranges and
 * contexts (as `pg_settings` shows them on a server initialised with `--locale=C -E UTF8`).
 */

export type GucContext = 'internal' | 'postmaster' | 'superuser' | 'user';

interface GucBase {
  /** The canonical spelling (SHOW ALL shows it; lookups are case-insensitive). */
  name: string;
  context: GucContext;
  /** Reported to the client in ParameterStatus whenever it changes (PostgreSQL's GUC_REPORT). */
  report?: boolean;
  /** Left alone by RESET ALL (PostgreSQL's GUC_NO_RESET_ALL: role, session_authorization). */
  noResetAll?: boolean;
  description: string;
}
export interface BoolGuc extends GucBase {
  type: 'bool';
  boot: boolean;
}
export interface IntGuc extends GucBase {
  type: 'integer';
  boot: number;
  min: number;
  max: number;
  /** Base unit of the stored number; values are shown in the largest unit that divides exactly. */
  unit?: 'ms' | 's' | 'min' | 'kB';
}
export interface RealGuc extends GucBase {
  type: 'real';
  boot: number;
  min: number;
  max: number;
}
export interface StringGuc extends GucBase {
  type: 'string';
  boot: string;
}
export interface EnumGuc extends GucBase {
  type: 'enum';
  boot: string;
  values: readonly string[];
  /** Accepted spellings that are not shown in the HINT (e.g. "on" for synchronous_commit). */
  aliases?: Readonly<Record<string, string>>;
}
export type GucDefinition = BoolGuc | IntGuc | RealGuc | StringGuc | EnumGuc;

export const SERVER_VERSION = '15.0 (Tusk 0.1.0)';
export const SERVER_VERSION_NUM = 150000;

const INT_MAX = 2147483647;
const isolationLevels = ['serializable', 'repeatable read', 'read committed', 'read uncommitted'];

export const gucDefinitions: readonly GucDefinition[] = [
  {
    name: 'application_name',
    type: 'string',
    boot: '',
    context: 'user',
    report: true,
    description: 'Sets the application name to be reported in statistics and logs.',
  },
  {
    name: 'block_size',
    type: 'integer',
    boot: 8192,
    min: 8192,
    max: 8192,
    context: 'internal',
    description: 'Shows the size of a disk block.',
  },
  {
    name: 'bytea_output',
    type: 'enum',
    boot: 'hex',
    values: ['escape', 'hex'],
    context: 'user',
    description: 'Sets the output format for bytea.',
  },
  {
    name: 'client_encoding',
    type: 'string',
    boot: 'UTF8',
    context: 'user',
    report: true,
    description: "Sets the client's character set encoding.",
  },
  {
    name: 'client_min_messages',
    type: 'enum',
    boot: 'notice',
    values: ['debug5', 'debug4', 'debug3', 'debug2', 'debug1', 'log', 'notice', 'warning', 'error'],
    context: 'user',
    description: 'Sets the message levels that are sent to the client.',
  },
  {
    name: 'DateStyle',
    type: 'string',
    boot: 'ISO, MDY',
    context: 'user',
    report: true,
    description: 'Sets the display format for date and time values.',
  },
  {
    name: 'default_transaction_deferrable',
    type: 'bool',
    boot: false,
    context: 'user',
    description: 'Sets the default deferrable status of new transactions.',
  },
  {
    name: 'default_transaction_isolation',
    type: 'enum',
    boot: 'read committed',
    values: isolationLevels,
    context: 'user',
    description: 'Sets the transaction isolation level of each new transaction.',
  },
  {
    name: 'default_transaction_read_only',
    type: 'bool',
    boot: false,
    context: 'user',
    report: true,
    description: 'Sets the default read-only status of new transactions.',
  },
  {
    name: 'enable_seqscan',
    type: 'bool',
    boot: true,
    context: 'user',
    description: "Enables the planner's use of sequential-scan plans.",
  },
  {
    name: 'enable_indexscan',
    type: 'bool',
    boot: true,
    context: 'user',
    description: "Enables the planner's use of index-scan plans.",
  },
  {
    name: 'escape_string_warning',
    type: 'bool',
    boot: true,
    context: 'user',
    description: 'Warn about backslash escapes in ordinary string literals.',
  },
  {
    name: 'extra_float_digits',
    type: 'integer',
    boot: 1,
    min: -15,
    max: 3,
    context: 'user',
    description: 'Sets the number of digits displayed for floating-point values.',
  },
  {
    name: 'idle_in_transaction_session_timeout',
    type: 'integer',
    boot: 0,
    min: 0,
    max: INT_MAX,
    unit: 'ms',
    context: 'user',
    description: 'Sets the maximum allowed idle time between queries, when in a transaction.',
  },
  {
    name: 'in_hot_standby',
    type: 'bool',
    boot: false,
    context: 'internal',
    report: true,
    description: 'Shows whether hot standby is currently active.',
  },
  {
    name: 'integer_datetimes',
    type: 'bool',
    boot: true,
    context: 'internal',
    report: true,
    description: 'Shows whether datetimes are integer based.',
  },
  {
    name: 'IntervalStyle',
    type: 'enum',
    boot: 'postgres',
    values: ['postgres', 'postgres_verbose', 'sql_standard', 'iso_8601'],
    context: 'user',
    report: true,
    description: 'Sets the display format for interval values.',
  },
  {
    name: 'is_superuser',
    type: 'bool',
    boot: false,
    context: 'internal',
    report: true,
    description: 'Shows whether the current user is a superuser.',
  },
  {
    name: 'lc_collate',
    type: 'string',
    boot: 'C',
    context: 'internal',
    description: 'Shows the collation order locale.',
  },
  {
    name: 'lc_ctype',
    type: 'string',
    boot: 'C',
    context: 'internal',
    description: 'Shows the character classification and case conversion locale.',
  },
  {
    name: 'lc_messages',
    type: 'string',
    boot: 'C',
    context: 'superuser',
    description: 'Sets the language in which messages are displayed.',
  },
  {
    name: 'lock_timeout',
    type: 'integer',
    boot: 0,
    min: 0,
    max: INT_MAX,
    unit: 'ms',
    context: 'user',
    description: 'Sets the maximum allowed duration of any wait for a lock.',
  },
  {
    name: 'max_connections',
    type: 'integer',
    boot: 100,
    min: 1,
    max: 262143,
    context: 'postmaster',
    description: 'Sets the maximum number of concurrent connections.',
  },
  {
    name: 'max_identifier_length',
    type: 'integer',
    boot: 63,
    min: 63,
    max: 63,
    context: 'internal',
    description: 'Shows the maximum identifier length.',
  },
  {
    name: 'check_function_bodies',
    type: 'bool',
    boot: true,
    context: 'user',
    description: 'Check routine bodies during CREATE FUNCTION and CREATE PROCEDURE.',
  },
  {
    name: 'xmloption',
    type: 'enum',
    boot: 'content',
    values: ['content', 'document'],
    context: 'user',
    description:
      'Sets whether XML data in implicit parsing and serialization operations is to be considered as documents or content fragments.',
  },
  {
    name: 'default_tablespace',
    type: 'string',
    boot: '',
    context: 'user',
    description: 'Sets the default tablespace to create tables and indexes in.',
  },
  {
    name: 'default_table_access_method',
    type: 'string',
    boot: 'heap',
    context: 'user',
    description: 'Sets the default table access method for new tables.',
  },
  {
    name: 'synchronize_seqscans',
    type: 'bool',
    boot: true,
    context: 'user',
    description: 'Enable synchronized sequential scans.',
  },
  {
    name: 'quote_all_identifiers',
    type: 'bool',
    boot: false,
    context: 'user',
    description: 'When generating SQL fragments, quote all identifiers.',
  },
  {
    name: 'row_security',
    type: 'bool',
    boot: true,
    context: 'user',
    description: 'Enable row security.',
  },
  {
    name: 'search_path',
    type: 'string',
    boot: '"$user", public',
    context: 'user',
    description: 'Sets the schema search order for names that are not schema-qualified.',
  },
  {
    name: 'server_encoding',
    type: 'string',
    boot: 'UTF8',
    context: 'internal',
    report: true,
    description: 'Shows the server (database) character set encoding.',
  },
  {
    name: 'server_version',
    type: 'string',
    boot: SERVER_VERSION,
    context: 'internal',
    report: true,
    description: 'Shows the server version.',
  },
  {
    name: 'server_version_num',
    type: 'integer',
    boot: SERVER_VERSION_NUM,
    min: SERVER_VERSION_NUM,
    max: SERVER_VERSION_NUM,
    context: 'internal',
    description: 'Shows the server version as an integer.',
  },
  {
    name: 'role',
    type: 'string',
    boot: 'none',
    context: 'user',
    noResetAll: true,
    description: 'Sets the current role.',
  },
  {
    name: 'password_encryption',
    type: 'enum',
    boot: 'scram-sha-256',
    values: ['md5', 'scram-sha-256'],
    context: 'user',
    description: 'Chooses the algorithm for encrypting passwords.',
  },
  {
    name: 'session_authorization',
    type: 'string',
    boot: '',
    context: 'user',
    report: true,
    noResetAll: true,
    description: 'Sets the session user name.',
  },
  {
    name: 'standard_conforming_strings',
    type: 'bool',
    boot: true,
    context: 'user',
    report: true,
    description: "Causes '...' strings to treat backslashes literally.",
  },
  {
    name: 'statement_timeout',
    type: 'integer',
    boot: 0,
    min: 0,
    max: INT_MAX,
    unit: 'ms',
    context: 'user',
    description: 'Sets the maximum allowed duration of any statement.',
  },
  {
    name: 'synchronous_commit',
    type: 'enum',
    boot: 'on',
    values: ['local', 'remote_write', 'remote_apply', 'on', 'off'],
    aliases: { true: 'on', yes: 'on', '1': 'on', false: 'off', no: 'off', '0': 'off' },
    context: 'user',
    description: "Sets the current transaction's synchronization level.",
  },
  {
    name: 'TimeZone',
    type: 'string',
    boot: 'Etc/UTC',
    context: 'user',
    report: true,
    description: 'Sets the time zone for displaying and interpreting time stamps.',
  },
  {
    name: 'timezone_abbreviations',
    type: 'string',
    boot: 'Default',
    context: 'user',
    description: 'Selects a file of time zone abbreviations.',
  },
  {
    name: 'transaction_deferrable',
    type: 'bool',
    boot: false,
    context: 'user',
    description:
      'Whether to defer a read-only serializable transaction until it can be executed with no possible serialization failures.',
  },
  {
    name: 'transaction_isolation',
    type: 'enum',
    boot: 'read committed',
    values: isolationLevels,
    context: 'user',
    description: "Sets the current transaction's isolation level.",
  },
  {
    name: 'transaction_read_only',
    type: 'bool',
    boot: false,
    context: 'user',
    description: "Sets the current transaction's read-only status.",
  },
  {
    name: 'work_mem',
    type: 'integer',
    boot: 4096,
    min: 64,
    max: INT_MAX,
    unit: 'kB',
    context: 'user',
    description: 'Sets the maximum memory to be used for query workspaces.',
  },
];

const byLowerName = new Map(gucDefinitions.map((d) => [d.name.toLowerCase(), d]));

export function findGuc(name: string): GucDefinition | undefined {
  return byLowerName.get(name.toLowerCase());
}
