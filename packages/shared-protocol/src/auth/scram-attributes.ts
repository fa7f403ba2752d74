/**
 * Reading SCRAM attribute lists ("a=value,b=value") with PostgreSQL's error texts: the server's
 * reader raises "malformed SCRAM message" with the backend's DETAIL lines, the client's reader
 * raises libpq's messages. Both consume from a cursor over the message text.
 */
import type { AuthenticationError } from './errors.js';
import { malformedScram, scramClientError } from './errors.js';

/** The backend shows a character quoted ('x') when printable ASCII, else as 0x%02x. */
export function sanitizeChar(c: string | undefined): string {
  const code = c === undefined ? 0 : c.charCodeAt(0);
  return code >= 0x21 && code <= 0x7e ? `'${c!}'` : `0x${code.toString(16).padStart(2, '0')}`;
}

/** A cursor over a SCRAM message; `side` picks whose error texts to use. */
export class ScramReader {
  pos = 0;
  constructor(
    readonly text: string,
    private readonly side: 'server' | 'client',
  ) {}

  get atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string | undefined {
    return this.text[this.pos];
  }

  rest(): string {
    return this.text.slice(this.pos);
  }

  private error(serverDetail: string, clientMessage: string): AuthenticationError {
    return this.side === 'server' ? malformedScram(serverDetail) : scramClientError(clientMessage);
  }

  /** Reads `attr=value` up to the next comma (consumed) or the end. */
  attr(attr: string): string {
    const c = this.text[this.pos];
    if (c !== attr) {
      throw this.error(
        `Expected attribute "${attr}" but found "${sanitizeChar(c)}".`,
        `malformed SCRAM message (attribute "${attr}" expected)`,
      );
    }
    return this.valueAfterName(attr);
  }

  /** Reads any `x=value` (x a letter); returns both. */
  anyAttr(): { name: string; value: string } {
    const c = this.text[this.pos];
    if (c === undefined) {
      throw this.error('Attribute expected, but found end of string.', 'malformed SCRAM message');
    }
    if (!/[A-Za-z]/.test(c)) {
      throw this.error(
        `Attribute expected, but found invalid character "${sanitizeChar(c)}".`,
        'malformed SCRAM message',
      );
    }
    return { name: c, value: this.valueAfterName(c) };
  }

  private valueAfterName(attr: string): string {
    this.pos++;
    if (this.text[this.pos] !== '=') {
      throw this.error(
        `Expected character "=" for attribute "${attr}".`,
        `malformed SCRAM message (expected character "=" for attribute "${attr}")`,
      );
    }
    this.pos++;
    const comma = this.text.indexOf(',', this.pos);
    const end = comma === -1 ? this.text.length : comma;
    const value = this.text.slice(this.pos, end);
    this.pos = comma === -1 ? end : end + 1;
    return value;
  }
}
