import { roundUsd, spendBucketMs, spendBucketRange } from '@genmeta/core/rules';
import type { SpendBucket, SpendStore } from '@genmeta/core/server';
import { integerOption } from '../logger/options.js';
import type { MemorySpendStore, MemorySpendStoreOptions } from './types.js';

interface KeySpend {
  readonly windowMs: number;
  readonly bucketMs: number;
  /** bucket index → its totals (at most about 61 live ones) */
  readonly buckets: Map<number, SpendBucket>;
  /** id → the bucket it was counted in and its amount, in the order first recorded */
  readonly ids: Map<string, { bucket: number; amountUsd: number | null }>;
  newestBucket: number;
}

// Checked on each record: a few keys at the front (least recently recorded) are dropped once
// expired, so expiry costs O(1) per record and never a scan of every key.
const EXPIRY_CHECKS_PER_RECORD = 2;

/**
 * A {@link SpendStore} in process memory, `spendLimit`'s default: spend per key in fixed time
 * buckets, for one instance (use `@genmeta/redis`'s `spend` for several). A check reads at most
 * 61 buckets whatever the key's number of past requests. Bounded: buckets expire with their
 * window, keys with them, at most `maxKeys` keys and `maxIdsPerKey` ids per key are held.
 */
export function createMemorySpendStore(options: MemorySpendStoreOptions = {}): MemorySpendStore {
  const owner = 'createMemorySpendStore';
  const maxKeys = integerOption(owner, 'maxKeys', options.maxKeys, 100_000, 1);
  const maxIdsPerKey = integerOption(owner, 'maxIdsPerKey', options.maxIdsPerKey, 10_000, 1);
  // Map order is recency order: the key recorded least recently comes first
  const keys = new Map<string, KeySpend>();
  let evictedKeys = 0;
  let forgottenIds = 0;

  const mapKey = (key: string, windowMs: number) => `${windowMs}:${key}`;
  const expired = (spend: KeySpend, nowMs: number) =>
    (spend.newestBucket + 1) * spend.bucketMs + spend.windowMs <= nowMs;

  function dropExpiredKeys(nowMs: number): void {
    for (let checked = 0; checked < EXPIRY_CHECKS_PER_RECORD; checked += 1) {
      const first = keys.entries().next().value;
      if (first === undefined || !expired(first[1], nowMs)) return;
      keys.delete(first[0]);
    }
  }

  function prune(spend: KeySpend, nowMs: number): void {
    const { oldest } = spendBucketRange(spend.windowMs, nowMs);
    for (const index of spend.buckets.keys()) if (index < oldest) spend.buckets.delete(index);
    for (const [id, held] of spend.ids) {
      if (held.bucket >= oldest && spend.ids.size <= maxIdsPerKey) break;
      if (held.bucket >= oldest) forgottenIds += 1;
      spend.ids.delete(id);
    }
  }

  function add(bucket: SpendBucket, amountUsd: number | null, sign: 1 | -1): void {
    if (amountUsd === null) bucket.unknownCount += sign;
    else bucket.knownUsd = roundUsd(bucket.knownUsd + sign * amountUsd);
  }

  return {
    record(key, entry, windowMs) {
      const nowMs = Date.now();
      dropExpiredKeys(nowMs);
      const name = mapKey(key, windowMs);
      let spend = keys.get(name);
      if (spend === undefined) {
        const bucketMs = spendBucketMs(windowMs);
        spend = { windowMs, bucketMs, buckets: new Map(), ids: new Map(), newestBucket: 0 };
        if (keys.size >= maxKeys) {
          const leastRecent = keys.keys().next().value;
          if (leastRecent !== undefined) {
            keys.delete(leastRecent);
            evictedKeys += 1;
          }
        }
      } else {
        keys.delete(name);
      }
      keys.set(name, spend);
      const held = spend.ids.get(entry.id);
      const index = held?.bucket ?? Math.floor(entry.atMs / spend.bucketMs);
      let bucket = spend.buckets.get(index);
      if (bucket === undefined) {
        bucket = { startMs: index * spend.bucketMs, knownUsd: 0, unknownCount: 0 };
        spend.buckets.set(index, bucket);
      }
      if (held !== undefined) add(bucket, held.amountUsd, -1);
      add(bucket, entry.amountUsd, 1);
      spend.ids.set(entry.id, { bucket: index, amountUsd: entry.amountUsd });
      spend.newestBucket = Math.max(spend.newestBucket, index);
      prune(spend, nowMs);
    },
    buckets(key, windowMs, nowMs) {
      const { bucketMs, oldest, newest } = spendBucketRange(windowMs, nowMs);
      const spend = keys.get(mapKey(key, windowMs));
      const found: SpendBucket[] = [];
      if (spend !== undefined) {
        for (let index = oldest; index <= newest; index += 1) {
          const bucket = spend.buckets.get(index);
          if (bucket !== undefined) found.push({ ...bucket });
        }
      }
      return { nowMs, bucketMs, buckets: found };
    },
    stats: () => ({ keys: keys.size, evictedKeys, forgottenIds }),
  };
}
