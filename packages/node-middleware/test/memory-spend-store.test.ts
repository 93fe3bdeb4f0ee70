import { expect, it } from 'vitest';
import { createMemorySpendStore } from '../src/index.js';

it('keeps entries per key in the window, oldest first; a second record of an id replaces its amount', () => {
  const store = createMemorySpendStore();
  const now = Date.now();
  store.record('u', { id: 'gen-2', amountUsd: 0.2, atMs: now - 1_000 }, 60_000);
  store.record('u', { id: 'gen-1', amountUsd: 0.1, atMs: now - 2_000 }, 60_000);
  store.record('u', { id: 'gen-1', amountUsd: null, atMs: now }, 60_000);
  store.record('u', { id: 'gen-old', amountUsd: 5, atMs: now - 61_000 }, 60_000);
  store.record('v', { id: 'gen-3', amountUsd: 0.3, atMs: now }, 60_000);
  expect(store.entries('u', 60_000, now)).toEqual([
    { id: 'gen-1', amountUsd: null, atMs: now - 2_000 },
    { id: 'gen-2', amountUsd: 0.2, atMs: now - 1_000 },
  ]);
  expect(store.entries('u', 1_500, now)).toEqual([
    { id: 'gen-2', amountUsd: 0.2, atMs: now - 1_000 },
  ]);
  expect(store.entries('nobody', 60_000, now)).toEqual([]);
});

it('holds at most maxKeys keys, forgetting the least recently recorded first', () => {
  const store = createMemorySpendStore({ maxKeys: 2 });
  const now = Date.now();
  for (const key of ['a', 'b', 'a', 'c']) {
    store.record(key, { id: `gen-${key}`, amountUsd: 1, atMs: now }, 60_000);
  }
  expect(store.entries('a', 60_000, now)).toHaveLength(1);
  expect(store.entries('b', 60_000, now)).toEqual([]);
  expect(store.entries('c', 60_000, now)).toHaveLength(1);
  expect(() => createMemorySpendStore({ maxKeys: 0 })).toThrow(/"maxKeys" must be an integer/);
});
