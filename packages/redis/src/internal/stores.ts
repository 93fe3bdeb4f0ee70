import { type Generation, type GenerationCache, generationSchema } from '@genmeta/core';
import { MAX_WINDOW_MS, type SpendBucket, spendBucketMs } from '@genmeta/core/engine';
import type { GenerationRegistry, SpendStore } from '../types.js';
import type { CommandRunner } from './commands.js';
import {
  cacheGetScript,
  claimScript,
  registryAddScript,
  registryHasScript,
  releaseScript,
  spendBucketsScript,
  spendRecordScript,
} from './scripts.js';

/** The largest cache value read back or written, bytes: a bigger one is a miss (a generation is about 1.4 kB). */
export const MAX_CACHE_VALUE_BYTES = 1_048_576;

/** Key names under the app's prefix: one place for the layout the README documents. */
export interface KeyLayout {
  cache(id: string): string;
  /** The claim of the instance asking upstream for `id` now. */
  claim(id: string): string;
  registryBucketPrefix: string;
  /** the prefix of a key's spend buckets for a window; the bucket index ends each name */
  spendBuckets(key: string, windowMs: number): string;
}

export function keyLayout(prefix: string): KeyLayout {
  return {
    cache: (id) => `${prefix}cache:${id}`,
    claim: (id) => `${prefix}claim:${id}`,
    registryBucketPrefix: `${prefix}registry:`,
    spendBuckets: (key, windowMs) => `${prefix}spend:${key}:${windowMs}:`,
  };
}

export interface CacheSettings {
  commands: CommandRunner;
  keys: KeyLayout;
  ttlMs: number;
  /** Told about an entry that is not a generation (written by something else, or too large). */
  onInvalidEntry(id: string, reason: 'invalid' | 'too_large' | 'wrongtype'): void;
  /** This store's claim token: random, one per store, so a release frees only its own claims. */
  token: string;
}

/**
 * Fails open: any failure reads as a miss, a write that fails is dropped, and a claim that
 * fails is granted (the lookup asks upstream, as without Redis). Each read or write is about
 * one entry: its failure (a huge, slow or wrong-typed value) is that entry's miss, and does not
 * make the stores count Redis as away for everyone.
 */
export function createRedisCache(settings: CacheSettings): GenerationCache {
  const { commands, keys, ttlMs, token } = settings;
  return {
    async claim(id, claimMs) {
      const ms = String(Math.max(1, Math.ceil(claimMs)));
      try {
        const reply = await commands.script(
          'cache.claim',
          claimScript,
          [keys.claim(id)],
          [token, ms],
        );
        return reply !== 0;
      } catch {
        return true;
      }
    },
    async release(id) {
      try {
        await commands.script('cache.release', releaseScript, [keys.claim(id)], [token]);
      } catch {
        // the claim expires by itself
      }
    },
    async get(id) {
      let text: unknown;
      try {
        text = await commands.script(
          'cache.get',
          cacheGetScript,
          [keys.cache(id)],
          [String(MAX_CACHE_VALUE_BYTES)],
          { perKey: true },
        );
      } catch {
        return undefined;
      }
      if (Array.isArray(text)) {
        settings.onInvalidEntry(id, text[0] === 'wrongtype' ? 'wrongtype' : 'too_large');
        return undefined;
      }
      if (typeof text !== 'string') return undefined;
      const parsed = (() => {
        try {
          return generationSchema.safeParse(JSON.parse(text));
        } catch {
          return undefined;
        }
      })();
      if (parsed?.success !== true || parsed.data.id !== id) {
        settings.onInvalidEntry(id, 'invalid');
        return undefined;
      }
      return parsed.data as Generation;
    },
    async set(id, generation) {
      try {
        const text = JSON.stringify(generation);
        // never written, as it would never be read back (UTF-16 length is a lower bound of bytes)
        if (text.length > MAX_CACHE_VALUE_BYTES) return;
        await commands.send('cache.set', ['SET', keys.cache(id), text, 'PX', String(ttlMs)], {
          perKey: true,
        });
      } catch {
        // fails open: the next lookup goes upstream
      }
    },
  };
}

export interface RegistrySettings {
  commands: CommandRunner;
  keys: KeyLayout;
  ttlMs: number;
  bucketMs: number;
}

/** `add` and `has` both reject with RedisUnavailableError on failure: the caller must not guess. */
export function createRedisRegistry(settings: RegistrySettings): GenerationRegistry {
  const { commands, keys } = settings;
  const args = (id: string): string[] => [id, String(settings.bucketMs), String(settings.ttlMs)];
  return {
    async add(id) {
      await commands.script(
        'registry.add',
        registryAddScript,
        [keys.registryBucketPrefix],
        args(id),
      );
    },
    async has(id) {
      const reply = await commands.script(
        'registry.has',
        registryHasScript,
        [keys.registryBucketPrefix],
        args(id),
      );
      return reply === 1;
    },
  };
}

export interface SpendSettings {
  commands: CommandRunner;
  keys: KeyLayout;
}

function parseBuckets(reply: unknown, bucketMs: number, fallbackNowMs: number) {
  const rows = Array.isArray(reply) ? reply : [];
  const serverNow = Number(rows[0]);
  const nowMs = Number.isFinite(serverNow) ? serverNow : fallbackNowMs;
  const buckets: SpendBucket[] = [];
  for (let index = 1; index + 2 < rows.length; index += 3) {
    const knownUsd = Number(rows[index + 1]);
    const unknownCount = Number(rows[index + 2]);
    buckets.push({
      startMs: Number(rows[index]) * bucketMs,
      knownUsd: Number.isFinite(knownUsd) ? knownUsd : 0,
      unknownCount: Number.isSafeInteger(unknownCount) ? unknownCount : 0,
    });
  }
  return { nowMs, bucketMs, buckets };
}

function checkSpendInput(operation: string, key: string, windowMs: number, timeMs: number): void {
  if (typeof key !== 'string' || key === '') {
    throw new TypeError(`spend.${operation}: key must be a non-empty string`);
  }
  if (!Number.isSafeInteger(windowMs) || windowMs <= 0 || windowMs > MAX_WINDOW_MS) {
    throw new TypeError(
      `spend.${operation}: windowMs must be an integer from 1 to ${MAX_WINDOW_MS} (got ${windowMs})`,
    );
  }
  if (!Number.isFinite(timeMs)) {
    throw new TypeError(`spend.${operation}: time must be a finite number of ms (got ${timeMs})`);
  }
}

/**
 * Fails open, for availability: a record that fails is not counted, and a window reads as
 * empty, so a spend limit lets requests through while Redis is away (one warning per outage
 * says so). Bucket times come from Redis's clock (`TIME`): `atMs` and `nowMs` are checked but
 * not used, so an instance whose clock is off cannot move the shared window.
 */
export function createRedisSpendStore(settings: SpendSettings): SpendStore {
  const { commands, keys } = settings;
  return {
    async record(key, entry, windowMs) {
      checkSpendInput('record', key, windowMs, entry.atMs);
      if (entry.amountUsd !== null && !(Number.isFinite(entry.amountUsd) && entry.amountUsd >= 0)) {
        throw new TypeError(
          `spend.record: amountUsd must be a finite number from 0, or null (got ${entry.amountUsd})`,
        );
      }
      if (typeof entry.id !== 'string' || entry.id === '') {
        throw new TypeError('spend.record: entry.id must be a non-empty string');
      }
      const amount = entry.amountUsd === null ? '' : String(entry.amountUsd);
      try {
        await commands.script(
          'spend.record',
          spendRecordScript,
          [keys.spendBuckets(key, windowMs)],
          [entry.id, amount, String(windowMs), String(spendBucketMs(windowMs))],
        );
      } catch {
        // fails open: this spend is not counted
      }
    },
    async buckets(key, windowMs, nowMs) {
      checkSpendInput('buckets', key, windowMs, nowMs);
      const bucketMs = spendBucketMs(windowMs);
      try {
        const reply = await commands.script(
          'spend.buckets',
          spendBucketsScript,
          [keys.spendBuckets(key, windowMs)],
          [String(windowMs), String(bucketMs)],
        );
        return parseBuckets(reply, bucketMs, nowMs);
      } catch {
        return { nowMs, bucketMs, buckets: [] };
      }
    },
  };
}
