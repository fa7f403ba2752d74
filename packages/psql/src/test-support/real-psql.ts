// Test helper: runs the real psql 15 binary against a test server and captures everything it does.
import { spawnSync } from 'node:child_process';

export interface RunResult {
  stdout: string;
  stderr: string;
  status: number;
}

export interface ServerAddress {
  host: string;
  port: number;
}

export function serverEnv(server: ServerAddress): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('PG') || k === 'PSQLRC') delete env[k];
  return {
    ...env,
    PGHOST: server.host,
    PGPORT: String(server.port),
    PGUSER: 'postgres',
    PGDATABASE: 'postgres',
    PGCLIENTENCODING: 'UTF8',
    LC_ALL: 'C.UTF-8',
    COLUMNS: '',
  };
}

export function runProgram(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  input = '',
  cwd?: string,
): RunResult {
  const r = spawnSync(command, args, { env, input, encoding: 'utf8', cwd, timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}
