/**
 * tusk-initdb's work: validate options as PostgreSQL's initdb does, create the data directory
 * (0700, owned by the running account, refusing a non-empty one), write PG_VERSION and the
 * configuration files, then run the catalog bootstrap of @tuskdb/backend. On failure the directory
 * (or its contents, if it existed) is removed again unless --no-clean.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import * as backend from '@tuskdb/backend';
import { scramVerifier, md5Verifier } from '@tuskdb/backend';
import { pgHbaConf, pgIdentConf, postgresqlConf } from './config-templates.js';

export class InitdbError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'InitdbError';
  }
}

export interface InitdbOptions {
  dataDir: string;
  superuser: string;
  authLocal: string;
  authHost: string;
  /** Whether the methods were chosen (no "trust" warning then). */
  authGiven: boolean;
  pwfile?: string;
  encoding: string;
  locale: string;
  noClean: boolean;
  sync: boolean;
  out: (line: string) => void;
  warn: (line: string) => void;
}

const methods = ['trust', 'reject', 'password', 'md5', 'scram-sha-256', 'peer'];
const passwordMethods = ['password', 'md5', 'scram-sha-256'];

type BootstrapFn = (opts: {
  dataDir: string;
  superuser: string;
  passwordVerifier?: string;
  encoding: 'UTF8';
  locale: 'C';
  fsync?: boolean;
}) => Promise<void>;

export async function runInitdb(o: InitdbOptions): Promise<void> {
  for (const [kind, m] of [
    ['local', o.authLocal],
    ['host', o.authHost],
  ] as const) {
    if (!methods.includes(m)) {
      throw new InitdbError(`invalid authentication method "${m}" for "${kind}" connections`);
    }
  }
  if (
    (passwordMethods.includes(o.authLocal) || passwordMethods.includes(o.authHost)) &&
    !o.pwfile
  ) {
    throw new InitdbError(
      'must specify a password for the superuser to enable password authentication',
    );
  }
  const encoding = o.encoding.toUpperCase().replace(/[-_]/g, '');
  if (encoding !== 'UTF8') {
    throw new InitdbError(
      `encoding "${o.encoding}" is not supported by Tusk`,
      'Tusk stores text as UTF8; use -E UTF8.',
    );
  }
  if (o.locale !== 'C' && o.locale !== 'POSIX') {
    throw new InitdbError(
      `invalid locale name "${o.locale}"`,
      'Tusk supports only the C locale; use --locale=C.',
    );
  }
  if (o.superuser.startsWith('pg_')) {
    throw new InitdbError(
      `superuser name "${o.superuser}" is disallowed; role names cannot begin with "pg_"`,
    );
  }
  let password: string | undefined;
  if (o.pwfile) {
    let text: string;
    try {
      text = readFileSync(o.pwfile, 'utf8');
    } catch (err) {
      throw new InitdbError(
        `could not open file "${o.pwfile}" for reading: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (err as Error).message}`,
      );
    }
    password = text.split('\n')[0]!.replace(/\r$/, '');
    if (password === '') throw new InitdbError(`password file "${o.pwfile}" is empty`);
  }
  const bootstrap = (backend as Record<string, unknown>).bootstrapCluster;
  if (typeof bootstrap !== 'function') {
    throw new InitdbError(
      'this build of @tuskdb/backend has no catalog bootstrap (bootstrapCluster)',
    );
  }

  const user = process.env.USER ?? process.env.LOGNAME ?? String(process.getuid?.());
  o.out(`The files belonging to this database system will be owned by user "${user}".`);
  o.out('This user must also own the server process.\n');
  o.out(`The database cluster will be initialized with locale "${o.locale}".`);
  o.out('The default database encoding has accordingly been set to "UTF8".\n');

  const dir = o.dataDir;
  const existed = existsSync(dir);
  if (existed) {
    if (readdirSync(dir).length > 0) {
      throw new InitdbError(
        `directory "${dir}" exists but is not empty`,
        `If you want to create a new database system, either remove or empty the directory "${dir}" or run initdb with an argument other than "${dir}".`,
      );
    }
    o.out(`fixing permissions on existing directory ${dir} ... ok`);
    chmodSync(dir, 0o700);
  } else {
    o.out(`creating directory ${dir} ... ok`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  }
  try {
    o.out(`selecting default max_connections ... 100`);
    o.out('creating configuration files ... ok');
    writeFileSync(path.join(dir, 'PG_VERSION'), '15\n', { mode: 0o600 });
    writeFileSync(path.join(dir, 'postgresql.conf'), postgresqlConf(100), { mode: 0o600 });
    writeFileSync(path.join(dir, 'pg_hba.conf'), pgHbaConf(o.authLocal, o.authHost), {
      mode: 0o600,
    });
    writeFileSync(path.join(dir, 'pg_ident.conf'), pgIdentConf, { mode: 0o600 });
    o.out('running bootstrap script ... ');
    const verifier =
      password === undefined
        ? undefined
        : o.authLocal === 'md5' && o.authHost === 'md5'
          ? md5Verifier(password, o.superuser)
          : scramVerifier(password);
    await (bootstrap as BootstrapFn)({
      dataDir: dir,
      superuser: o.superuser,
      ...(verifier !== undefined ? { passwordVerifier: verifier } : {}),
      encoding: 'UTF8',
      locale: 'C',
      ...(o.sync ? {} : { fsync: false }),
    });
    o.out('ok');
  } catch (err) {
    if (!o.noClean) {
      if (existed) {
        o.warn(`removing contents of data directory "${dir}"`);
        for (const f of readdirSync(dir))
          rmSync(path.join(dir, f), { recursive: true, force: true });
      } else {
        o.warn(`removing data directory "${dir}"`);
        rmSync(dir, { recursive: true, force: true });
      }
    } else {
      o.warn(`data directory "${dir}" not removed at user's request`);
    }
    throw err;
  }
  if (!o.authGiven) {
    o.warn('warning: enabling "trust" authentication for local connections');
    o.warn(
      'hint: You can change this by editing pg_hba.conf or using the option -A, or --auth-local and --auth-host, the next time you run initdb.',
    );
  }
  o.out('\nSuccess. You can now start the database server using:\n');
  o.out(`    tusk-ctl -D ${dir} -l logfile start\n`);
}
