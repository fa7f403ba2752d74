// Runs the system libpq's PQconninfoParse on many strings at once (compiled on first use from
// conninfo-oracle.c); undefined when no C compiler or libpq headers are available.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type OracleAnswer = { ok: true; values: Map<string, string> } | { ok: false; error: string };

let binary: string | null | undefined;

function build(): string | null {
  if (binary !== undefined) return binary;
  binary = null;
  const source = path.join(path.dirname(fileURLToPath(import.meta.url)), 'conninfo-oracle.c');
  if (!existsSync('/usr/include/postgresql/libpq-fe.h')) return null;
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'libpq-oracle-')), 'oracle');
  try {
    execFileSync('cc', ['-o', out, source, '-I/usr/include/postgresql', '-lpq'], {
      stdio: 'ignore',
    });
    binary = out;
  } catch {
    binary = null;
  }
  return binary;
}

export function oracleAvailable(): boolean {
  return build() !== null;
}

/** Parses each input with libpq (inputs must not contain newlines or NULs). */
export function libpqParse(inputs: string[]): OracleAnswer[] {
  const bin = build();
  if (!bin) throw new Error('oracle not available');
  const out = execFileSync(bin, [], {
    input: inputs.join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((line): OracleAnswer => {
      const [head, ...rest] = line.split(' ');
      if (head === 'ERR')
        return { ok: false, error: Buffer.from(rest[0] ?? '', 'hex').toString('utf8') };
      const values = new Map<string, string>();
      for (const kv of rest) {
        const i = kv.indexOf('=');
        values.set(kv.slice(0, i), Buffer.from(kv.slice(i + 1), 'hex').toString('utf8'));
      }
      return { ok: true, values };
    });
}
