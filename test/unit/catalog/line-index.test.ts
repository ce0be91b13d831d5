import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../../server/catalog/line-index.ts';

describe('LineIndex', () => {
  const feedInChunks = (text: string, size: number): LineIndex => {
    const index = new LineIndex();
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += size) index.feed(bytes.subarray(i, i + size));
    return index;
  };

  it.each([1, 2, 3, 100])('maps offsets to lines and finds blank lines, in %i-byte chunks', (size) => {
    const text = 'ab\r\n\r\n\ncd\nef';
    const index = feedInChunks(text, size);
    expect(index.bytes).toBe(Buffer.byteLength(text));
    expect([0, 3, 4, 6, 7, 9, 10, 12].map((o) => index.lineAt(o))).toEqual([1, 1, 2, 3, 4, 4, 5, 5]);
    // Out-of-order lookups are fine.
    expect(index.lineAt(0)).toBe(1);
    expect(index.nonBlankFrom(2)).toBe(4);
    expect(index.nonBlankFrom(1)).toBe(1);
    expect(index.nonBlankFrom(5)).toBe(5);
  });

  it('grows past its initial capacity', () => {
    const index = feedInChunks('x\n'.repeat(5000), 64);
    expect(index.lineAt(2 * 4999)).toBe(5000);
  });
});
