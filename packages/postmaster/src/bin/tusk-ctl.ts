#!/usr/bin/env node
/**
 * tusk-ctl: start, stop, restart, reload or check a Tusk server, like pg_ctl.
 *   tusk-ctl start   -D DATADIR [-l LOGFILE] [-w|-W] [-t SECS] [-o "OPTIONS"] [--user ACCOUNT]
 *   tusk-ctl stop    -D DATADIR [-m smart|fast|immediate] [-w|-W] [-t SECS]
 *   tusk-ctl restart -D DATADIR [-m MODE] [-l LOGFILE] [-o "OPTIONS"]
 *   tusk-ctl reload  -D DATADIR
 *   tusk-ctl status  -D DATADIR
 */
import path from 'node:path';
import { last, parseArgs, UsageError, type OptionSpec } from '../cli-args.js';
import {
  previousOpts,
  readPidFile,
  reload,
  splitOpts,
  start,
  status,
  stop,
  type CtlIo,
} from '../ctl/server-control.js';

const specs: OptionSpec[] = [
  { short: 'D', long: 'pgdata', value: true, key: 'D' },
  { short: 'l', long: 'log', value: true, key: 'l' },
  { short: 'm', long: 'mode', value: true, key: 'm' },
  { short: 'o', long: 'options', value: true, key: 'o' },
  { short: 't', long: 'timeout', value: true, key: 't' },
  { short: 'w', long: 'wait', value: false, key: 'w' },
  { short: 'W', long: 'no-wait', value: false, key: 'W' },
  { short: 's', long: 'silent', value: false, key: 's' },
  { long: 'user', value: true, key: 'user' },
  { long: 'help', value: false, key: 'help' },
  { short: 'V', long: 'version', value: false, key: 'version' },
];

const usage = `tusk-ctl is a utility to initialize, start, stop, or control a Tusk server.

Usage:
  tusk-ctl start   [-D DATADIR] [-l FILENAME] [-W] [-t SECS] [-o OPTIONS] [--user ACCOUNT]
  tusk-ctl stop    [-D DATADIR] [-m SHUTDOWN-MODE] [-W] [-t SECS]
  tusk-ctl restart [-D DATADIR] [-m SHUTDOWN-MODE] [-W] [-t SECS] [-o OPTIONS]
  tusk-ctl reload  [-D DATADIR]
  tusk-ctl status  [-D DATADIR]

Shutdown modes are:
  smart       quit after all clients have disconnected
  fast        quit directly, with proper shutdown (default)
  immediate   quit without complete shutdown
`;

const io: CtlIo = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
};

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2), specs);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`tusk-ctl: ${e.message}\nTry "tusk-ctl --help" for more information.\n`);
      return 1;
    }
    throw e;
  }
  if (args.options.has('help')) {
    io.out(usage);
    return 0;
  }
  if (args.options.has('version')) {
    io.out('tusk-ctl (Tusk) 0.1.0 (PostgreSQL 15 compatible)\n');
    return 0;
  }
  const command = args.positional[0];
  const account = last(args, 'user') ?? process.env.TUSK_USER;
  if (process.geteuid?.() === 0 && !(command === 'start' || command === 'restart')) {
    // Signalling a server as root is harmless; starting one needs an account to switch to.
  } else if (process.geteuid?.() === 0 && !account) {
    io.err(
      'tusk-ctl: cannot be run as root\nPlease log in (using, e.g., "su") as the (unprivileged) user that will\nown the server process, or name it with --user or TUSK_USER.\n',
    );
    return 1;
  }
  const dataDirArg = last(args, 'D') ?? process.env.PGDATA;
  if (!command) {
    io.err('tusk-ctl: no operation specified\nTry "tusk-ctl --help" for more information.\n');
    return 1;
  }
  if (!dataDirArg) {
    io.err(
      'tusk-ctl: no database directory specified and environment variable PGDATA unset\nTry "tusk-ctl --help" for more information.\n',
    );
    return 1;
  }
  const dataDir = path.resolve(dataDirArg);
  const wait = !args.options.has('W');
  const timeoutSec = Number(last(args, 't') ?? 60);
  const modeArg = last(args, 'm') ?? 'fast';
  const mode = (['smart', 'fast', 'immediate'] as const).find(
    (m) => m.startsWith(modeArg) && modeArg !== '',
  );
  if (!mode) {
    io.err(
      `tusk-ctl: unrecognized shutdown mode "${modeArg}"\nTry "tusk-ctl --help" for more information.\n`,
    );
    return 1;
  }
  const startOpts = (opts: string[]) => ({
    dataDir,
    ...(last(args, 'l') !== undefined ? { logFile: path.resolve(last(args, 'l')!) } : {}),
    wait,
    timeoutSec,
    opts,
    ...(account ? { user: account } : {}),
    silent: args.options.has('s'),
  });
  const o = (args.options.get('o') ?? []).flatMap(splitOpts);
  switch (command) {
    case 'start':
      return start(startOpts(o), io);
    case 'stop':
      return stop(dataDir, mode, wait, timeoutSec, io);
    case 'restart': {
      const previous = previousOpts(dataDir);
      if (readPidFile(dataDir)) {
        const code = await stop(dataDir, mode, true, timeoutSec, io);
        if (code !== 0) return code;
      } else {
        io.err('tusk-ctl: PID file does not exist\ntrying to start server anyway\n');
      }
      return start(startOpts(o.length > 0 ? o : previous), io);
    }
    case 'reload':
      return reload(dataDir, io);
    case 'status':
      return status(dataDir, io);
    default:
      io.err(
        `tusk-ctl: unrecognized operation mode "${command}"\nTry "tusk-ctl --help" for more information.\n`,
      );
      return 1;
  }
}

process.exitCode = await main();
