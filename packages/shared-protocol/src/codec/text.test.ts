// textOfValue decodes views as Buffer#toString would, including offsets into a larger buffer.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { textOfValue } from './text.js';

it('decodes any bytes like Buffer#toString, through a view at any offset', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(16), (bytes, pad) => {
      const big = Buffer.concat([Buffer.alloc(pad, 0x41), bytes, Buffer.alloc(3, 0x42)]);
      const view = new Uint8Array(big.buffer, big.byteOffset + pad, bytes.length);
      expect(textOfValue(view)).toBe(Buffer.from(bytes).toString('utf8'));
    }),
  );
});
