// Gives each script a fresh database on a server, so scripts cannot see each other's leftovers.
import { execFileSync } from 'node:child_process';
import type { Target } from './run-script.js';

export function freshDatabase(target: Target, name: string): Promise<Target> {
  const run = (sql: string): void => {
    execFileSync(
      'psql',
      [
        '-X',
        '-q',
        '-h',
        target.host,
        '-p',
        String(target.port),
        '-U',
        target.user,
        '-d',
        target.database,
        '-c',
        sql,
      ],
      { stdio: 'pipe' },
    );
  };
  run(`DROP DATABASE IF EXISTS ${name}`);
  run(`CREATE DATABASE ${name}`);
  return Promise.resolve({ ...target, database: name });
}
