/**
 * Checks PostgreSQL makes of a data directory before using it: it exists, is a directory, is owned
 * by the account the server runs as, is not accessible to others (0700 or 0750), and holds a
 * PG_VERSION file. Failures carry PostgreSQL's messages.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

export class FatalError extends Error {
  constructor(
    message: string,
    readonly extras: { detail?: string; hint?: string } = {},
  ) {
    super(message);
    this.name = 'FatalError';
  }
}

export function checkDataDir(dataDir: string): void {
  let st;
  try {
    st = statSync(dataDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new FatalError(`data directory "${dataDir}" does not exist`);
    }
    throw new FatalError(
      `could not read permissions of directory "${dataDir}": ${(err as Error).message}`,
    );
  }
  if (!st.isDirectory()) {
    throw new FatalError(`specified data directory "${dataDir}" is not a directory`);
  }
  if (process.geteuid && st.uid !== process.geteuid()) {
    throw new FatalError(`data directory "${dataDir}" has wrong ownership`, {
      hint: 'The server must be started by the user that owns the data directory.',
    });
  }
  if ((st.mode & 0o027) !== 0) {
    throw new FatalError(`data directory "${dataDir}" has invalid permissions`, {
      detail: 'Permissions should be u=rwx (0700) or u=rwx,g=rx (0750).',
    });
  }
  const versionFile = path.join(dataDir, 'PG_VERSION');
  if (!existsSync(versionFile)) {
    throw new FatalError(`"${dataDir}" is not a valid data directory`, {
      detail: `File "${versionFile}" is missing.`,
    });
  }
}
