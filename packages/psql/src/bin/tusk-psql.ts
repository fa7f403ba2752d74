#!/usr/bin/env node
// tusk-psql: the Tusk terminal, a PostgreSQL 15 psql work-alike.
import { main } from '../app/startup.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(
      `tusk-psql: fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exitCode = 1;
  },
);
