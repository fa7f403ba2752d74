/**
 * Incremental UTF-8 decoding for COPY input that rejects what PostgreSQL's UTF8 verification
 * rejects (invalid sequences and NUL bytes) with its message, naming the offending bytes.
 */
import { PgError } from '../../utils/errors.js';

function invalidSequence(bytes: Uint8Array): PgError {
  const shown = [...bytes].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');
  return new PgError('22021', `invalid byte sequence for encoding "UTF8": ${shown}`);
}

/** Length of the UTF-8 sequence a lead byte announces (0 = not a lead byte). */
function sequenceLength(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/** The first invalid sequence in `data` (as PostgreSQL reports it: up to the sequence's length). */
export function firstInvalidSequence(data: Uint8Array): Uint8Array | undefined {
  for (let i = 0; i < data.length;) {
    const b = data[i]!;
    if (b === 0) return data.subarray(i, i + 1);
    const len = sequenceLength(b);
    if (len === 0) return data.subarray(i, i + 1);
    if (len === 1) {
      i++;
      continue;
    }
    const seq = data.subarray(i, i + len);
    const valid = new TextDecoder('utf-8', { fatal: true });
    try {
      if (seq.length < len) return seq;
      valid.decode(seq);
    } catch {
      return seq;
    }
    i += len;
  }
  return undefined;
}

export class Utf8StreamDecoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private pending: Uint8Array = new Uint8Array(0);

  decode(chunk: Uint8Array): string {
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      throw invalidSequence(
        firstInvalidSequence(Buffer.concat([this.pending, chunk])) ?? chunk.subarray(0, 1),
      );
    }
    // Keep the chunk's last bytes so an error straddling chunks can still name its bytes.
    this.pending = chunk.subarray(Math.max(0, chunk.length - 3));
    if (text.includes('\u0000')) throw invalidSequence(Uint8Array.of(0));
    return text;
  }

  end(): void {
    try {
      this.decoder.decode();
    } catch {
      throw invalidSequence(firstInvalidSequence(this.pending) ?? this.pending);
    }
  }
}
