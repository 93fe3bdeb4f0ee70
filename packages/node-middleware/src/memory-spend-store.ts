import type { SpendEntry, SpendStore } from '@genmeta/core/engine';
import { integerOption } from './internal/options.js';

/** Options of {@link createMemorySpendStore}. */
export interface MemorySpendStoreOptions {
  /**
   * Keys held at most. Keys also expire with their window (no entry younger than `windowMs`
   * left); past this, the key recorded least recently is forgotten first.
   * @default 100_000
   */
  maxKeys?: number;
}

interface Bucket {
  /** by generation id: a second record of an id replaces its amount, keeps its time */
  readonly entries: Map<string, SpendEntry>;
  windowMs: number;
  newestAtMs: number;
}

/** How often, at most, every key is checked for expiry (on a `record` call). */
const SWEEP_INTERVAL_MS = 1_000;

/**
 * A {@link SpendStore} in process memory, `spendLimit`'s default: spend per key in a sliding
 * window, for one instance (use `@genmeta/redis`'s `spend` for several). Bounded: entries are
 * dropped once older than their window, keys with them, and at most `maxKeys` keys are held.
 */
export function createMemorySpendStore(options: MemorySpendStoreOptions = {}): SpendStore {
  const maxKeys = integerOption('createMemorySpendStore', 'maxKeys', options.maxKeys, 100_000, 1);
  const buckets = new Map<string, Bucket>();
  let lastSweep = 0;

  // Entries are kept in the order first recorded (about their time order): expired ones are at
  // the front, so pruning stops at the first live one (amortized O(1) per record).
  function prune(bucket: Bucket, nowMs: number): void {
    const oldest = nowMs - bucket.windowMs;
    for (const [id, entry] of bucket.entries) {
      if (entry.atMs > oldest) return;
      bucket.entries.delete(id);
    }
  }

  function sweep(nowMs: number): void {
    lastSweep = nowMs;
    for (const [key, bucket] of buckets) {
      if (bucket.newestAtMs <= nowMs - bucket.windowMs) buckets.delete(key);
    }
  }

  return {
    record(key, entry, windowMs) {
      const nowMs = Date.now();
      if (nowMs - lastSweep >= SWEEP_INTERVAL_MS) sweep(nowMs);
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        bucket = { entries: new Map(), windowMs, newestAtMs: entry.atMs };
        if (buckets.size >= maxKeys) {
          const leastRecent = buckets.keys().next().value;
          if (leastRecent !== undefined) buckets.delete(leastRecent);
        }
      } else {
        // Map order is recency order: the least recently recorded key comes first
        buckets.delete(key);
      }
      buckets.set(key, bucket);
      bucket.windowMs = Math.max(bucket.windowMs, windowMs);
      bucket.newestAtMs = Math.max(bucket.newestAtMs, entry.atMs);
      const known = bucket.entries.get(entry.id);
      bucket.entries.set(entry.id, {
        id: entry.id,
        amountUsd: entry.amountUsd,
        atMs: known?.atMs ?? entry.atMs,
      });
      prune(bucket, nowMs);
    },
    entries(key, windowMs, nowMs) {
      const bucket = buckets.get(key);
      if (bucket === undefined) return [];
      const oldest = nowMs - windowMs;
      const found: SpendEntry[] = [];
      for (const entry of bucket.entries.values()) {
        if (entry.atMs > oldest) found.push({ ...entry });
      }
      return found.sort((a, b) => a.atMs - b.atMs);
    },
  };
}
