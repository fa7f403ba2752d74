#!/usr/bin/env node
/**
 * tusk-initdb: creates a new Tusk installation (data directory), like PostgreSQL's initdb.
 *   tusk-initdb -D DATADIR [-U superuser] [-A|--auth=METHOD] [--auth-host=M] [--auth-local=M]
 *               [--pwfile=FILE] [-E UTF8] [--locale=C] [-n|--no-clean] [-N|--no-sync]
 */
import path from 'node:path';
import { last, parseArgs, UsageError, type OptionSpec } from '../cli-args.js';
import { InitdbError, runInitdb } from '../initdb/initdb.js';

const specs: OptionSpec[] = [
  { short: 'D', long: 'pgdata', value: true, key: 'D' },
  { short: 'U', long: 'username', value: true, key: 'U' },
  { short: 'A', long: 'auth', value: true, key: 'auth' },
  { long: 'auth-host', value: true, key: 'auth-host' },
  { long: 'auth-local', value: true, key: 'auth-local' },
  { long: 'pwfile', value: true, key: 'pwfile' },
  { short: 'E', long: 'encoding', value: true, key: 'E' },
  { long: 'locale', value: true, key: 'locale' },
  { long: 'no-locale', value: false, key: 'no-locale' },
  { short: 'n', long: 'no-clean', value: false, key: 'no-clean' },
  { short: 'N', long: 'no-sync', value: false, key: 'no-sync' },
  { long: 'no-instructions', value: false, key: 'no-instructions' },
  { short: 'V', long: 'version', value: false, key: 'version' },
  { long: 'help', value: false, key: 'help' },
];

const usage = `tusk-initdb initializes a Tusk database cluster.

Usage:
  tusk-initdb [OPTION]... [DATADIR]

Options:
  -A, --auth=METHOD         default authentication method for local connections
      --auth-host=METHOD    default authentication method for local TCP/IP connections
      --auth-local=METHOD   default authentication method for local-socket connections
 [-D, --pgdata=]DATADIR     location for this database cluster
  -E, --encoding=ENCODING   set default encoding for new databases (UTF8 only)
      --locale=LOCALE       set default locale for new databases (C only)
      --pwfile=FILE         read password for the new superuser from file
  -U, --username=NAME       database superuser name
  -n, --no-clean            do not clean up after errors
  -N, --no-sync             do not wait for changes to be written safely to disk
  -V, --version             output version information, then exit
      --help                show this help, then exit

If the data directory is not specified, the environment variable PGDATA
is used.
`;

const err = (line: string) => process.stderr.write(`tusk-initdb: ${line}\n`);

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2), specs);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`error: ${e.message}`);
      err('hint: Try "tusk-initdb --help" for more information.');
      return 1;
    }
    throw e;
  }
  if (args.options.has('help')) {
    process.stdout.write(usage);
    return 0;
  }
  if (args.options.has('version')) {
    process.stdout.write('tusk-initdb (Tusk) 0.1.0 (PostgreSQL 15 compatible)\n');
    return 0;
  }
  // Like initdb, --help and --version answer even for root; anything else refuses root.
  if (process.geteuid?.() === 0) {
    err('error: cannot be run as root');
    err(
      'hint: Please log in (using, e.g., "su") as the (unprivileged) user that will own the server process.',
    );
    return 1;
  }
  const dataDirArg = last(args, 'D') ?? args.positional[0] ?? process.env.PGDATA;
  if (!dataDirArg) {
    err('error: no data directory specified');
    err(
      'hint: You must identify the directory where the data for this database system will reside.  Do this with either the invocation option -D or the environment variable PGDATA.',
    );
    return 1;
  }
  const auth = last(args, 'auth');
  const superuser = last(args, 'U') ?? process.env.USER ?? process.env.LOGNAME ?? 'postgres';
  const quiet = args.options.has('no-instructions');
  try {
    await runInitdb({
      dataDir: path.resolve(dataDirArg),
      superuser,
      authLocal: last(args, 'auth-local') ?? auth ?? 'trust',
      authHost: last(args, 'auth-host') ?? auth ?? 'trust',
      authGiven:
        auth !== undefined || (args.options.has('auth-local') && args.options.has('auth-host')),
      ...(last(args, 'pwfile') !== undefined ? { pwfile: last(args, 'pwfile')! } : {}),
      encoding: last(args, 'E') ?? 'UTF8',
      locale: args.options.has('no-locale') ? 'C' : (last(args, 'locale') ?? 'C'),
      noClean: args.options.has('no-clean'),
      sync: !args.options.has('no-sync'),
      out: (line) => {
        if (!quiet || !/Success|tusk-ctl/.test(line))
          process.stdout.write(line.endsWith(' ') ? line : line + '\n');
      },
      warn: (line) => err(line),
    });
    return 0;
  } catch (e) {
    if (e instanceof InitdbError) {
      err(`error: ${e.message}`);
      if (e.hint) err(`hint: ${e.hint}`);
      return 1;
    }
    err(`error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

process.exitCode = await main();
