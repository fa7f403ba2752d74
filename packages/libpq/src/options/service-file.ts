/**
 * Connection service files (pg_service.conf): INI-style sections of key=value lines, looked up as
 * libpq does — $PGSERVICEFILE or ~/.pg_service.conf first, then $PGSYSCONFDIR/pg_service.conf.
 * Options from the service only fill in what the connection string left unset.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { optionsError } from '../errors.js';
import type { OptionEnvironment } from './environment.js';
import { optionSpec, type OptionValues } from './keywords.js';

/** libpq reads service files with a 256-byte line buffer. */
const MAX_LINE = 254;

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads `service` from one file into `values` (unset keys only); returns whether the section was
 * found. Throws libpq's errors for syntax problems.
 */
export function readServiceFile(file: string, service: string, values: OptionValues): boolean {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw optionsError(`service file "${file}" not found`);
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let inGroup = false;
  let found = false;
  for (let i = 0; i < lines.length; i++) {
    const lineno = i + 1;
    const raw = lines[i]!;
    if (raw.length > MAX_LINE)
      throw optionsError(`line ${lineno} too long in service file "${file}"`);
    const line = raw.replace(/\s+$/, '').replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      if (inGroup) return true;
      const end = line.indexOf(']');
      const name = line.slice(1, end < 0 ? undefined : end);
      inGroup = name === service;
      if (inGroup) found = true;
      continue;
    }
    if (!inGroup) continue;
    const eq = line.indexOf('=');
    if (eq < 0) throw optionsError(`syntax error in service file "${file}", line ${lineno}`);
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === 'service') {
      throw optionsError(
        `nested service specifications not supported in service file "${file}", line ${lineno}`,
      );
    }
    if (!optionSpec(key))
      throw optionsError(`syntax error in service file "${file}", line ${lineno}`);
    if (!values.has(key)) values.set(key, value);
  }
  return found;
}

/** Applies the named service to `values` from the first service file that defines it. */
export function applyService(service: string, values: OptionValues, envi: OptionEnvironment): void {
  const userFile =
    envi.env['PGSERVICEFILE'] ??
    (envi.homedir !== null ? path.join(envi.homedir, '.pg_service.conf') : null);
  if (userFile !== null && exists(userFile)) {
    if (readServiceFile(userFile, service, values)) return;
  }
  const sysFile = path.join(envi.env['PGSYSCONFDIR'] ?? envi.sysconfdir, 'pg_service.conf');
  if (exists(sysFile) && readServiceFile(sysFile, service, values)) return;
  throw optionsError(`definition of service "${service}" not found`);
}
