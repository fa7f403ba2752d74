import { describe, expect, it } from 'vitest';
import { LruMap } from './lru-map.js';

describe('LruMap', () => {
  it('keeps the most recently used entries up to its limit', () => {
    const m = new LruMap<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    expect(m.get('a')).toBe(1); // a is now the most recent
    m.set('c', 3); // evicts b
    expect(m.get('b')).toBeUndefined();
    expect(m.get('a')).toBe(1);
    expect(m.get('c')).toBe(3);
    m.set('a', 4); // replacing keeps one entry per key
    m.set('d', 5); // evicts c
    expect(m.get('c')).toBeUndefined();
    expect(m.get('a')).toBe(4);
  });
});
