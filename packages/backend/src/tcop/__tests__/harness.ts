// Starts the engine harness (serve-harness.mjs) as the unprivileged server account on a free
// loopback port, and runs real psql against it; shared by the integration tests.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { asServerAccount, giveToServerAccount } from '@tuskdb/testkit';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface EngineServer {
  port: number;
  psql(sqlOrFile: { sql: string } | { file: string }, args?: string[]): string;
  stop(): Promise<void>;
}

/** psql against 127.0.0.1:port, merging stderr into the output as a terminal would show it. */
export function runPsql(
  port: number,
  input: { sql: string } | { file: string },
  args: string[] = [],
): string {
  const source = 'sql' in input ? ['-c', input.sql] : ['-f', input.file];
  try {
    return execFileSync(
      'sh',
      [
        '-c',
        'exec psql "$@" 2>&1',
        'psql',
        '-X',
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        'postgres',
        '-d',
        'postgres',
        ...args,
        ...source,
      ],
      {
        encoding: 'utf8',
        env: cleanEnv(),
      },
    );
  } catch (err) {
    const e = err as { stdout?: string };
    return e.stdout ?? String(err);
  }
}

/** The environment for psql without any PG* variable that could change what it sends. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PG')) env[k] = v;
  env.PGSSLMODE = 'disable';
  return env;
}

export async function startEngine(): Promise<EngineServer> {
  const base = mkdtempSync(path.join(tmpdir(), 'tusk-engine-'));
  chmodSync(base, 0o755);
  const dataDir = path.join(base, 'data');
  mkdirSync(dataDir);
  giveToServerAccount(base);
  giveToServerAccount(dataDir);
  const [cmd, args] = asServerAccount(process.execPath, [
    path.join(here, 'serve-harness.mjs'),
    dataDir,
  ]);
  const child: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('engine harness did not start')), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /\{"port":(\d+)\}/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`engine harness exited with ${code}`));
    });
  });
  return {
    port,
    psql: (input, extra) => runPsql(port, input, extra),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        // runuser forwards SIGTERM to the harness.
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
}

export { execFileSync };
