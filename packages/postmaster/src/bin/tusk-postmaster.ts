#!/usr/bin/env node
/**
 * tusk-postmaster: runs the server in the foreground, as PostgreSQL's `postgres` does.
 *   tusk-postmaster -D DATADIR [-p PORT] [-h listen_addresses] [-k socket_dirs] [-c name=value]…
 *                   [--name=value]… [--user ACCOUNT]
 * Started as root it requires --user (or TUSK_USER) naming an unprivileged account and switches
 * to it before touching anything; otherwise root is refused with PostgreSQL's message.
 */
import path from 'node:path';
import { serverLog } from '@tuskdb/backend';
import { last, parseArgs, UsageError, type OptionSpec } from '../cli-args.js';
import { FatalError } from '../data-dir.js';
import { Postmaster } from '../postmaster.js';
import { dropPrivileges, rootRefusal } from '../privileges.js';

const specs: OptionSpec[] = [
  { short: 'D', long: 'pgdata', value: true, key: 'D' },
  { short: 'p', value: true, key: 'p' },
  { short: 'h', value: true, key: 'h' },
  { short: 'k', value: true, key: 'k' },
  { short: 'c', value: true, key: '--setting' },
  { short: 'N', value: true, key: 'N' },
  { long: 'user', value: true, key: 'user' },
  { long: 'help', value: false, key: 'help' },
  { short: 'V', long: 'version', value: false, key: 'version' },
  { key: '--setting', value: true },
];

const usage = `tusk-postmaster is the Tusk server.

Usage:
  tusk-postmaster [OPTION]...

Options:
  -c NAME=VALUE      set run-time parameter
  -D DATADIR         database directory
  -h HOSTNAME        host name or IP address to listen on
  -k DIRECTORY       Unix-domain socket location
  -N MAX-CONNECT     maximum number of allowed connections
  -p PORT            port number to listen on
  --NAME=VALUE       set run-time parameter
  --user=ACCOUNT     when started as root, run as this unprivileged account (or TUSK_USER)
  -V, --version      output version information, then exit
  --help             show this help, then exit
`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2), specs);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(
        `tusk-postmaster: ${err.message}\nTry "tusk-postmaster --help" for more information.\n`,
      );
      return 1;
    }
    throw err;
  }
  if (args.options.has('help')) {
    process.stdout.write(usage);
    return 0;
  }
  if (args.options.has('version')) {
    process.stdout.write('tusk-postmaster (Tusk) 0.1.0 (PostgreSQL 15 compatible)\n');
    return 0;
  }
  const account = last(args, 'user') ?? process.env.TUSK_USER;
  if (dropPrivileges(account) === 'refuse') {
    process.stderr.write(rootRefusal);
    return 1;
  }
  const dataDirArg = last(args, 'D') ?? process.env.PGDATA;
  if (!dataDirArg) {
    process.stderr.write(
      'tusk-postmaster does not know where to find the server configuration file.\n' +
        'You must specify the -D invocation option or set the PGDATA environment variable.\n',
    );
    return 2;
  }
  const dataDir = path.resolve(dataDirArg);
  const overrides: Array<[string, string]> = [];
  if (process.env.PGPORT) overrides.push(['port', process.env.PGPORT]);
  // Settings in command-line order, -p/-h/-k/-N as their parameters.
  const ordered: Array<[string, string]> = [];
  for (const [key, values] of args.options) {
    for (const v of values) ordered.push([key, v]);
  }
  for (const [key, v] of ordered) {
    if (key === 'p') overrides.push(['port', v]);
    else if (key === 'h') overrides.push(['listen_addresses', v]);
    else if (key === 'k') overrides.push(['unix_socket_directories', v]);
    else if (key === 'N') overrides.push(['max_connections', v]);
    else if (key === '--setting') {
      const eq = v.indexOf('=');
      if (eq <= 0) {
        process.stderr.write(`tusk-postmaster: -c ${v} requires a value\n`);
        return 1;
      }
      overrides.push([v.slice(0, eq).replace(/-/g, '_'), v.slice(eq + 1)]);
    }
  }
  process.umask(0o077);
  const postmaster = new Postmaster({ dataDir, overrides });
  try {
    return await postmaster.run();
  } catch (err) {
    if (err instanceof FatalError) {
      serverLog('FATAL', err.message, err.extras);
      return 1;
    }
    serverLog('FATAL', err instanceof Error ? (err.stack ?? err.message) : String(err));
    return 1;
  }
}

process.exitCode = await main();
// Whatever still holds the event loop (a closing server) must not keep a stopped server alive.
setTimeout(() => process.exit(), 100);
