/**
 * COPY's ends: the client (CopyInResponse / CopyOutResponse and the CopyData stream over the
 * protocol), a server-side file, or a server-side program run through the shell — with
 * PostgreSQL's privilege rule (files and programs are for superusers) and its error messages.
 */
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { BackendMessage, FrontendMessage } from '@tuskdb/shared-protocol';
import { PgError } from '../utils/errors.js';
import type { CopyEndpoint, CopyPlan } from '../parser/analyze-copy.js';
import type { ExecState } from '../executor/exec-select.js';
import { executeCopyFrom } from '../commands/copy/copy-from.js';
import { executeCopyTo } from '../commands/copy/copy-to.js';

/** What COPY needs from the session's protocol loop. */
export interface CopyWire {
  next(): Promise<FrontendMessage | undefined>;
  send(m: BackendMessage): void;
  /** Flushes when enough output is buffered (waiting for the socket to drain). */
  maybeFlush(): Promise<void>;
  flush(): Promise<void>;
}

export interface CopyContext {
  superuser: boolean;
  dataDir: string;
}

const CLIENT_HINT =
  "Anyone can COPY to stdout or from stdin. psql's \\copy command also works for anyone.";

/** Server files and programs are for superusers (checked before the table's privileges). */
export function checkCopyEndpoint(plan: CopyPlan, ctx: CopyContext): void {
  checkPrivilege(plan.endpoint, plan.direction === 'from', ctx);
}

function checkPrivilege(endpoint: CopyEndpoint, from: boolean, ctx: CopyContext): void {
  if (endpoint.kind === 'client' || ctx.superuser) return;
  if (endpoint.kind === 'program')
    throw new PgError(
      '42501',
      'must be superuser or have privileges of the pg_execute_server_program role to COPY to or from an external program',
      { hint: CLIENT_HINT },
    );
  throw new PgError(
    '42501',
    from
      ? 'must be superuser or have privileges of the pg_read_server_files role to COPY from a file'
      : 'must be superuser or have privileges of the pg_write_server_files role to COPY to a file',
    { hint: CLIENT_HINT },
  );
}

function fileError(err: unknown, file: string, reading: boolean): PgError {
  const e = err as NodeJS.ErrnoException;
  const reasons: Record<string, [string, string]> = {
    ENOENT: ['58P01', 'No such file or directory'],
    EACCES: ['42501', 'Permission denied'],
    EISDIR: ['42809', 'Is a directory'],
    ENOTDIR: ['58P01', 'Not a directory'],
  };
  const [code, reason] = reasons[e.code ?? ''] ?? ['58030', e.message];
  if (e.code === 'EISDIR' && reading) return new PgError('42809', `"${file}" is a directory`);
  return new PgError(
    code,
    `could not open file "${file}" for ${reading ? 'reading' : 'writing'}: ${reason}`,
    reading
      ? {
          hint: "COPY FROM instructs the PostgreSQL server process to read a file. You may want a client-side facility such as psql's \\copy.",
        }
      : {
          hint: "COPY TO instructs the PostgreSQL server process to write a file. You may want a client-side facility such as psql's \\copy.",
        },
  );
}

/** The client's CopyData messages, until CopyDone (or an error for CopyFail / a stray message). */
async function* fromClient(wire: CopyWire, state: { ended: boolean }): AsyncGenerator<Uint8Array> {
  for (;;) {
    const m = await wire.next();
    if (!m) {
      state.ended = true;
      throw new PgError('08P01', 'unexpected EOF on client connection with an open transaction', {
        severity: 'FATAL',
      });
    }
    switch (m.type) {
      case 'CopyData':
        yield m.data;
        continue;
      case 'CopyDone':
        state.ended = true;
        return;
      case 'CopyFail': {
        state.ended = true;
        const protocol = /^\u0000protocol:([0-9A-Z]{5}):([\s\S]*)$/.exec(m.message);
        if (protocol) throw new PgError(protocol[1]!, protocol[2]!);
        throw new PgError('57014', `COPY from stdin failed: ${m.message}`);
      }
      case 'Flush':
      case 'Sync':
        // PostgreSQL ignores these during COPY IN (clients may send them early).
        continue;
      default:
        state.ended = true;
        throw new PgError(
          '08P01',
          `unexpected message type 0x${frontendCode(m.type)} during COPY from stdin`,
          { severity: 'FATAL' },
        );
    }
  }
}

const FRONTEND_CODES: Record<string, string> = {
  Query: 'Q',
  Parse: 'P',
  Bind: 'B',
  Execute: 'E',
  Describe: 'D',
  Close: 'C',
  FunctionCall: 'F',
  Terminate: 'X',
  PasswordMessage: 'p',
};

function frontendCode(type: string): string {
  const c = FRONTEND_CODES[type] ?? '?';
  return c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
}

async function* readFile(file: string): AsyncGenerator<Uint8Array> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    throw fileError(err, file, true);
  }
  try {
    const st = await handle.stat();
    if (st.isDirectory()) throw new PgError('42809', `"${file}" is a directory`);
    for await (const chunk of handle.createReadStream({ highWaterMark: 64 * 1024 }))
      yield chunk as Buffer;
  } catch (err) {
    if (err instanceof PgError) throw err;
    throw new PgError('58030', `could not read from COPY file: ${(err as Error).message}`);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function programFailed(command: string, code: number | null, signal: string | null): PgError {
  return new PgError('38000', `program "${command}" failed`, {
    detail:
      signal !== null
        ? `child process was terminated by signal ${signal}`
        : `child process exited with exit code ${code}`,
  });
}

async function* readProgram(command: string): AsyncGenerator<Uint8Array> {
  const child = spawn('/bin/sh', ['-c', command], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<[number | null, string | null]>((resolve) =>
    child.on('close', (code, signal) => resolve([code, signal])),
  );
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
  } finally {
    if (child.exitCode === null) child.kill();
  }
  const [code, signal] = await exited;
  if (code !== 0) throw programFailed(command, code, signal);
}

/** Runs a planned COPY; returns its row count (for the "COPY n" tag). */
export async function runCopy(
  plan: CopyPlan,
  es: ExecState,
  wire: CopyWire,
  ctx: CopyContext,
): Promise<number> {
  const from = plan.direction === 'from';
  checkPrivilege(plan.endpoint, from, ctx);
  const endpoint = plan.endpoint;
  const format = plan.options.format === 'binary' ? 1 : 0;
  const columnFormats = plan.columns.map(() => format);

  if (plan.direction === 'from') {
    if (endpoint.kind === 'client') {
      wire.send({ type: 'CopyInResponse', format, columnFormats });
      await wire.flush();
      const state = { ended: false };
      try {
        return await executeCopyFrom(plan, es, fromClient(wire, state));
      } catch (err) {
        // Discard the rest of the client's data: it keeps sending until CopyDone/CopyFail.
        if (!state.ended) {
          try {
            for await (const _ of fromClient(wire, state)) void _;
          } catch {
            // CopyFail or a broken connection after our own error: ours is the one to report.
          }
        }
        throw err;
      }
    }
    if (endpoint.kind === 'file')
      return executeCopyFrom(plan, es, readFile(path.resolve(ctx.dataDir, endpoint.path)));
    return executeCopyFrom(plan, es, readProgram(endpoint.command));
  }

  if (endpoint.kind === 'client') {
    wire.send({ type: 'CopyOutResponse', format, columnFormats });
    const n = await executeCopyTo(plan, es, async (data) => {
      wire.send({ type: 'CopyData', data });
      await wire.maybeFlush();
    });
    wire.send({ type: 'CopyDone' });
    return n;
  }
  if (endpoint.kind === 'file') {
    if (!path.isAbsolute(endpoint.path))
      throw new PgError('42602', 'relative path not allowed for COPY to file');
    let handle;
    try {
      handle = await open(endpoint.path, 'w', 0o644);
    } catch (err) {
      throw fileError(err, endpoint.path, false);
    }
    try {
      const buffered: Uint8Array[] = [];
      let size = 0;
      const n = await executeCopyTo(plan, es, async (data) => {
        buffered.push(data);
        size += data.length;
        if (size >= 64 * 1024) {
          await handle.write(Buffer.concat(buffered));
          buffered.length = 0;
          size = 0;
        }
      });
      if (size > 0) await handle.write(Buffer.concat(buffered));
      return n;
    } catch (err) {
      if (err instanceof PgError) throw err;
      throw new PgError('58030', `could not write to COPY file: ${(err as Error).message}`);
    } finally {
      await handle.close().catch(() => undefined);
    }
  }
  const child = spawn('/bin/sh', ['-c', endpoint.command], {
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  const exited = new Promise<[number | null, string | null]>((resolve) =>
    child.on('close', (code, signal) => resolve([code, signal])),
  );
  child.stdin.on('error', () => undefined); // EPIPE shows up as the program's exit status
  const n = await executeCopyTo(plan, es, async (data) => {
    if (!child.stdin.write(data)) await new Promise((r) => child.stdin.once('drain', r));
  });
  child.stdin.end();
  const [code, signal] = await exited;
  if (code !== 0) throw programFailed(endpoint.command, code, signal);
  return n;
}
