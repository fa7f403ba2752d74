#!/usr/bin/env node
// pgdiff DIR [--no-fresh] [--quiet]: starts a throwaway PostgreSQL 15 and a throwaway Tusk, runs every
// DIR/*.sql through real psql against both, prints per-file verdicts, the statement match rate, diffs of
// failures and `pgdiff: N passed, M failed`; exits 1 when anything unexpected failed.
import path from 'node:path';
import { startPostgres, startTusk } from '@tuskdb/testkit';
import { compareDirectory, formatReport } from './compare.js';
import { freshDatabase } from './databases.js';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--'));
  if (!dir || args.includes('--help')) {
    console.log('usage: pgdiff DIR [--no-fresh] [--quiet]');
    return dir ? 0 : 2;
  }
  const pg = await startPostgres();
  try {
    const tusk = await startTusk();
    try {
      const target = (s: { host: string; port: number; superuser: string }, label: string) => ({
        label,
        host: s.host,
        port: s.port,
        user: s.superuser,
        database: 'postgres',
      });
      const report = await compareDirectory(
        path.resolve(dir),
        target(pg, 'postgresql'),
        target(tusk, 'tusk'),
        args.includes('--no-fresh') ? undefined : freshDatabase,
      );
      console.log(formatReport(report, !args.includes('--quiet')));
      return report.failed + report.unexpectedPasses === 0 ? 0 : 1;
    } finally {
      await tusk.stop();
    }
  } finally {
    await pg.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
