import { describe, expect, it } from 'vitest';
import { createMemoryRegistry } from './registry.js';

describe('createMemoryRegistry', () => {
  it('remembers added ids and forgets the least recently added past maxEntries', () => {
    const registry = createMemoryRegistry({ maxEntries: 2 });
    registry.add('a');
    registry.add('b');
    registry.add('a'); // re-adding makes "a" the youngest
    registry.add('c');
    expect(registry.has('a')).toBe(true);
    expect(registry.has('b')).toBe(false);
    expect(registry.has('c')).toBe(true);
    expect(registry.size).toBe(2);
  });

  it('defaults to 10 000 ids', () => {
    const registry = createMemoryRegistry();
    for (let index = 0; index <= 10_000; index++) registry.add(`gen-${index}`);
    expect(registry.size).toBe(10_000);
    expect(registry.has('gen-0')).toBe(false);
    expect(registry.has('gen-10000')).toBe(true);
  });

  it('rejects a maxEntries that is not a positive integer', () => {
    expect(() => createMemoryRegistry({ maxEntries: 0 })).toThrow(RangeError);
  });
});
