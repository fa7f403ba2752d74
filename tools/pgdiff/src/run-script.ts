// Runs one script through real psql against one server, with a marker echoed before every unit so
// the output can be compared statement by statement. stdout and stderr share one file, in order.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { normaliseOutput } from './normalise.js';
import type { ScriptUnit } from './statements.js';

export const MARKER = '@@pgdiff-unit ';

export interface Target {
  label: string;
  host: string;
  port: number;
  user: string;
  database: string;
}

/** Writes the marked-up copy of the script (same line numbers as in the original per unit). */
export function markScript(units: ScriptUnit[], file: string): void {
  const body = units.map((u, i) => `\\echo '${MARKER}${i}'\n${u.text}`).join('\n');
  writeFileSync(file, body + '\n');
}

export function runPsql(
  target: Target,
  scriptFile: string,
  outFile: string,
  scriptName: string,
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const out = openSync(outFile, 'w');
    const child = spawn(
      'psql',
      [
        '-X',
        '-h',
        target.host,
        '-p',
        String(target.port),
        '-U',
        target.user,
        '-d',
        target.database,
        '-f',
        scriptFile,
      ],
      {
        stdio: ['ignore', out, out],
        env: { ...process.env, PGTZ: 'UTC', PGDATESTYLE: 'ISO, MDY', LC_ALL: 'C.UTF-8' },
      },
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      closeSync(out);
      const text = normaliseOutput(readFileSync(outFile, 'utf8'), scriptFile, scriptName);
      const blocks: string[] = [];
      let current: string[] | undefined;
      for (const lineText of text.split('\n')) {
        if (lineText.startsWith(MARKER)) {
          current = [];
          blocks.push('');
          continue;
        }
        if (current) current.push(lineText);
        if (blocks.length > 0) blocks[blocks.length - 1] = current!.join('\n');
      }
      if (signal) blocks.push(`psql killed by ${signal}`);
      else blocks.push(`psql exit code ${code}`);
      resolve(blocks);
    });
  });
}

export function scriptLabel(file: string): string {
  return path.basename(file);
}
