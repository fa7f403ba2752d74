// Where input lines come from: a file, a string (-c), piped stdin, or the interactive terminal.
import { decodeBytes } from '../conn/text-bytes.js';
import fs from 'node:fs';

export interface LineSource {
  /** Reads the next line without its newline; null at end of input. */
  readLine(prompt: string): Promise<string | null>;
  /** Name for "psql:NAME:LINE:" message prefixes (null: no prefix). */
  readonly name: string | null;
  /** The file's path, for \ir. */
  readonly path: string | null;
  readonly interactive: boolean;
  /** Interactive only: true once after Ctrl-C at the prompt (the query buffer is then reset). */
  takeInterrupt?(): boolean;
}

/** Lines of a text already in memory (a file's content or piped stdin). */
export class TextLineSource implements LineSource {
  private readonly lines: string[];
  private index = 0;
  readonly interactive = false;

  constructor(
    text: string,
    readonly name: string | null,
    readonly path: string | null,
  ) {
    this.lines = text.split('\n');
    // A final newline does not start another (empty) line.
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] === '') this.lines.pop();
  }

  readLine(): Promise<string | null> {
    return Promise.resolve(
      this.index < this.lines.length ? (this.lines[this.index++] ?? null) : null,
    );
  }
}

/** Reads a whole file as text, keeping invalid UTF-8 bytes (see conn/text-bytes). */
export function readFileText(path: string): string {
  return decodeBytes(fs.readFileSync(path));
}
