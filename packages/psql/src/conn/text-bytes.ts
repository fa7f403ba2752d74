// Byte-faithful text: psql passes input bytes to the server unchanged, even invalid UTF-8 (the
// server then reports "invalid byte sequence"). Input is decoded with each invalid byte kept as
// a lone surrogate U+DC80+byte, and encoded back to the same bytes when sent or printed.

const LONE_ESCAPE = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;

function sequenceLength(buf: Uint8Array, i: number): number {
  const b0 = buf[i] ?? 0;
  const cont = (k: number): boolean => ((buf[i + k] ?? 0) & 0xc0) === 0x80;
  if (b0 < 0x80) return 1;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const b1 = buf[i + 1] ?? 0;
    if (b0 === 0xe0 && b1 < 0xa0) return 0;
    if (b0 === 0xed && b1 >= 0xa0) return 0;
    return cont(1) && cont(2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const b1 = buf[i + 1] ?? 0;
    if (b0 === 0xf0 && b1 < 0x90) return 0;
    if (b0 === 0xf4 && b1 >= 0x90) return 0;
    return cont(1) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

export function decodeBytes(buf: Uint8Array): string {
  let out = '';
  let start = 0;
  let i = 0;
  const decoder = new TextDecoder('utf-8');
  while (i < buf.length) {
    const n = sequenceLength(buf, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += decoder.decode(buf.subarray(start, i)) + String.fromCharCode(0xdc00 + (buf[i] ?? 0));
    i++;
    start = i;
  }
  return out + decoder.decode(buf.subarray(start));
}

export function encodeText(s: string): Buffer {
  if (!LONE_ESCAPE.test(s)) return Buffer.from(s, 'utf8');
  const parts: Buffer[] = [];
  let run = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const prev = i > 0 ? s.charCodeAt(i - 1) : 0;
    if (c >= 0xdc80 && c <= 0xdcff && !(prev >= 0xd800 && prev <= 0xdbff)) {
      parts.push(Buffer.from(run, 'utf8'), Buffer.from([c - 0xdc00]));
      run = '';
    } else run += s.charAt(i);
  }
  parts.push(Buffer.from(run, 'utf8'));
  return Buffer.concat(parts);
}
