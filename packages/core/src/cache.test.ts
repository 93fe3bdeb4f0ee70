import { describe, expect, it } from 'vitest';
import { createMemoryCache } from './cache.js';
import type { Generation } from './schemas/generation.js';

const generation = (id: string): Generation => ({
  id,
  total_cost: 0,
  created_at: '2026-01-01T00:00:00Z',
  model: 'm',
  origin: '',
  usage: 0,
  is_byok: false,
});

describe('createMemoryCache', () => {
  it('keeps at most maxEntries, evicting the least recently used', async () => {
    const cache = createMemoryCache({ maxEntries: 2 });
    cache.set('a', generation('a'));
    cache.set('b', generation('b'));
    expect((await cache.get('a'))?.id).toBe('a'); // a is now the most recent
    cache.set('c', generation('c'));
    expect(await cache.get('b')).toBeUndefined();
    expect((await cache.get('a'))?.id).toBe('a');
    expect((await cache.get('c'))?.id).toBe('c');
  });

  it('defaults to 1000 entries', async () => {
    const cache = createMemoryCache();
    for (let index = 0; index <= 1000; index++) cache.set(`g${index}`, generation(`g${index}`));
    expect(await cache.get('g0')).toBeUndefined();
    expect((await cache.get('g1'))?.id).toBe('g1');
    expect((await cache.get('g1000'))?.id).toBe('g1000');
  });

  it('rejects a nonsense size', () => {
    expect(() => createMemoryCache({ maxEntries: 0 })).toThrow(RangeError);
    expect(() => createMemoryCache({ maxEntries: 1.5 })).toThrow(RangeError);
  });
});
