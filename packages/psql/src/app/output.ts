// Where psql's output goes: stdout, a file (\o FILE, -o) or a pipe to a shell command (\o |cmd).
// Writes are synchronous for stdout/stderr and files so output interleaves exactly as written.
import { encodeText } from '../conn/text-bytes.js';
import fs from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';

export interface OutputTarget {
  write(text: string | Buffer): void;
  close(): Promise<void>;
  readonly isStdout: boolean;
  readonly isTerminal: boolean;
}

function writeAllSync(fd: number, data: Buffer): void {
  let off = 0;
  while (off < data.length) {
    try {
      off += fs.writeSync(fd, data, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') return;
      throw e;
    }
  }
}

export class FdOutput implements OutputTarget {
  constructor(
    private readonly fd: number,
    readonly isStdout: boolean,
    private readonly owned: boolean,
  ) {}
  get isTerminal(): boolean {
    try {
      return this.isStdout && process.stdout.isTTY === true;
    } catch {
      return false;
    }
  }
  write(text: string | Buffer): void {
    writeAllSync(this.fd, typeof text === 'string' ? encodeText(text) : text);
  }
  close(): Promise<void> {
    if (this.owned) fs.closeSync(this.fd);
    return Promise.resolve();
  }
}

export class PipeOutput implements OutputTarget {
  readonly isStdout = false;
  readonly isTerminal = false;
  private readonly child: ChildProcess;
  private readonly done: Promise<void>;
  constructor(command: string) {
    this.child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'inherit', 'inherit'] });
    this.child.stdin?.on('error', () => undefined);
    this.done = new Promise((resolve) => {
      this.child.on('close', () => resolve());
      this.child.on('error', () => resolve());
    });
  }
  write(text: string | Buffer): void {
    this.child.stdin?.write(text);
  }
  async close(): Promise<void> {
    this.child.stdin?.end();
    await this.done;
  }
}

export const stdoutTarget = new FdOutput(1, true, false);

export function writeStderr(text: string): void {
  writeAllSync(2, encodeText(text));
}

/** Opens "\o"-style targets: a file name, or "|command". Throws with psql's message text. */
export function openOutput(spec: string): OutputTarget {
  if (spec.startsWith('|')) return new PipeOutput(spec.slice(1));
  try {
    return new FdOutput(fs.openSync(spec, 'w'), false, true);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new Error(`${spec}: ${describeErrno(err)}`, { cause: e });
  }
}

export function describeErrno(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'EACCES':
      return 'Permission denied';
    case 'EISDIR':
      return 'Is a directory';
    case 'ENOTDIR':
      return 'Not a directory';
    default:
      return err.message;
  }
}
