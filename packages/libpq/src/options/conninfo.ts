/**
 * conninfo(): the effective connection options, as PQconninfo / PQconndefaults report them — one
 * entry per option libpq knows, in libpq's order, with the value connection would use (null =
 * unset), where it may come from (environment variable, compiled default) and its display hints.
 */
import { processEnvironment, type OptionEnvironment } from './environment.js';
import { OPTION_SPECS, type OptionValues } from './keywords.js';
import { formatKeyValueString } from './keyvalue.js';
import { parseOptions, withDefaults, type ConnectionOptionsInput } from './resolve.js';

export interface ConninfoOption {
  keyword: string;
  envvar: string | null;
  compiled: string | null;
  /** Effective value, or null when unset. */
  value: string | null;
  label: string;
  /** '' normal, '*' hide the value (passwords), 'D' debug option. */
  dispchar: '' | '*' | 'D';
}

export function conninfoFromValues(values: OptionValues): ConninfoOption[] {
  return OPTION_SPECS.map((s) => ({
    keyword: s.keyword,
    envvar: s.envvar,
    compiled: s.compiled,
    value: values.get(s.keyword) ?? null,
    label: s.label,
    dispchar: s.dispchar,
  }));
}

/**
 * The effective options for `input` (default: none given, i.e. PQconndefaults) after service
 * file, environment and defaults are applied.
 */
export function conninfo(
  input: ConnectionOptionsInput = {},
  envi: OptionEnvironment = processEnvironment(),
): ConninfoOption[] {
  return conninfoFromValues(withDefaults(parseOptions(input), envi));
}

/** The set options as a key=value connection string (passwords included only if asked). */
export function conninfoString(
  options: readonly ConninfoOption[],
  { includePasswords = false }: { includePasswords?: boolean } = {},
): string {
  const pairs: Array<[string, string]> = [];
  for (const o of options) {
    if (o.value === null) continue;
    if (o.dispchar === '*' && !includePasswords) continue;
    pairs.push([o.keyword, o.value]);
  }
  return formatKeyValueString(pairs);
}
