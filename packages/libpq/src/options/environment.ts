/**
 * The outside world option resolution looks at — environment variables, the home directory, the
 * OS user name, the system config directory — gathered in one injectable object so that tests (and
 * programs that want a clean slate) can resolve options without touching process state.
 */
import os from 'node:os';

export interface OptionEnvironment {
  /** Environment variables (PGHOST, PGPORT, …). */
  env: Readonly<Record<string, string | undefined>>;
  /** Home directory for ~/.pgpass and ~/.pg_service.conf; null if unknown. */
  homedir: string | null;
  /** OS user name: the default for `user`. */
  osUser: string;
  /** Where pg_service.conf lives when PGSYSCONFDIR is unset (Debian: /etc/postgresql-common). */
  sysconfdir: string;
  /** Unix socket directory used when no host is given (Debian: /var/run/postgresql). */
  defaultSocketDir: string;
  /** Where warnings go (libpq prints them to stderr), e.g. a pgpass file with loose permissions. */
  warn: (message: string) => void;
}

export const DEFAULT_SOCKET_DIR = '/var/run/postgresql';
export const DEFAULT_SYSCONFDIR = '/etc/postgresql-common';

function osUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env['USER'] ?? process.env['LOGNAME'] ?? '';
  }
}

function homeDirectory(env: Readonly<Record<string, string | undefined>>): string | null {
  // libpq asks the password database, not $HOME; os.userInfo() does the same.
  try {
    return os.userInfo().homedir;
  } catch {
    return env['HOME'] ?? null;
  }
}

/** The real process environment. */
export function processEnvironment(): OptionEnvironment {
  return {
    env: process.env,
    homedir: homeDirectory(process.env),
    osUser: osUserName(),
    sysconfdir: DEFAULT_SYSCONFDIR,
    defaultSocketDir: DEFAULT_SOCKET_DIR,
    warn: (m) => process.stderr.write(m + '\n'),
  };
}

/** A copy of `base` (default: the process environment) with some fields replaced. */
export function optionEnvironment(overrides: Partial<OptionEnvironment> = {}): OptionEnvironment {
  return { ...processEnvironment(), ...overrides };
}
