import { expect, it } from 'vitest';
import { createMemorySpendStore } from '../src/index.js';

const sums = (read: { buckets: readonly { knownUsd: number; unknownCount: number }[] }) => ({
  usd: Math.round(read.buckets.reduce((sum, bucket) => sum + bucket.knownUsd, 0) * 1e12) / 1e12,
  unknown: read.buckets.reduce((sum, bucket) => sum + bucket.unknownCount, 0),
});

it("sums a key's buckets in the window; a second record of an id replaces its amount in its first bucket", () => {
  const store = createMemorySpendStore();
  const now = Math.floor(Date.now() / 1_000) * 1_000; // on a bucket's start
  store.record('u', { id: 'gen-2', amountUsd: 0.2, atMs: now - 1_000 }, 60_000);
  store.record('u', { id: 'gen-1', amountUsd: 0.1, atMs: now - 2_000 }, 60_000);
  store.record('u', { id: 'gen-1', amountUsd: null, atMs: now }, 60_000);
  store.record('u', { id: 'gen-old', amountUsd: 5, atMs: now - 62_000 }, 60_000);
  store.record('v', { id: 'gen-3', amountUsd: 0.3, atMs: now }, 60_000);
  const read = store.buckets('u', 60_000, now);
  expect(read.bucketMs).toBe(1_000);
  expect(read.nowMs).toBe(now);
  expect(sums(read)).toEqual({ usd: 0.2, unknown: 1 });
  // gen-1 stayed in the bucket of its first record (2 s ago): it leaves the window first
  expect(sums(store.buckets('u', 60_000, now + 59_001))).toEqual({ usd: 0.2, unknown: 0 });
  expect(sums(store.buckets('u', 60_000, now + 60_001))).toEqual({ usd: 0, unknown: 0 });
  expect(store.buckets('nobody', 60_000, now).buckets).toEqual([]);
  // another window of the same key is kept apart
  expect(store.buckets('u', 120_000, now).buckets).toEqual([]);
});

it('holds at most maxKeys keys, forgetting the least recently recorded first, and counts it', () => {
  const store = createMemorySpendStore({ maxKeys: 2 });
  const now = Date.now();
  for (const key of ['a', 'b', 'a', 'c']) {
    store.record(key, { id: `gen-${key}`, amountUsd: 1, atMs: now }, 60_000);
  }
  expect(sums(store.buckets('a', 60_000, now)).usd).toBe(1);
  expect(store.buckets('b', 60_000, now).buckets).toEqual([]);
  expect(sums(store.buckets('c', 60_000, now)).usd).toBe(1);
  expect(store.stats()).toEqual({ keys: 2, evictedKeys: 1, forgottenIds: 0 });
  expect(() => createMemorySpendStore({ maxKeys: 0 })).toThrow(/"maxKeys" must be an integer/);
  expect(() => createMemorySpendStore({ maxIdsPerKey: 1.5 })).toThrow(/"maxIdsPerKey"/);
});
