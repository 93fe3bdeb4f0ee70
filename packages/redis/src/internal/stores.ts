import { type Generation, type GenerationCache, generationSchema } from '@genmeta/core';
import type { GenerationRegistry, SpendEntry, SpendStore } from '../types.js';
import type { CommandRunner } from './commands.js';
import {
  claimScript,
  registryAddScript,
  registryHasScript,
  releaseScript,
  spendEntriesScript,
  spendRecordScript,
} from './scripts.js';

/** Key names under the app's prefix: one place for the layout the README documents. */
export interface KeyLayout {
  cache(id: string): string;
  /** The claim of the instance asking upstream for `id` now. */
  claim(id: string): string;
  registryBucketPrefix: string;
  spendTimes(key: string): string;
  spendAmounts(key: string): string;
}

export function keyLayout(prefix: string): KeyLayout {
  return {
    cache: (id) => `${prefix}cache:${id}`,
    claim: (id) => `${prefix}claim:${id}`,
    registryBucketPrefix: `${prefix}registry:`,
    spendTimes: (key) => `${prefix}spend:${key}:at`,
    spendAmounts: (key) => `${prefix}spend:${key}:usd`,
  };
}

export interface CacheSettings {
  commands: CommandRunner;
  keys: KeyLayout;
  ttlMs: number;
  /** Told about an entry that is not a generation (written by something else). */
  onInvalidEntry(id: string): void;
  /** This store's claim token: random, one per store, so a release frees only its own claims. */
  token: string;
}

/**
 * Fails open: any failure reads as a miss, a write that fails is dropped, and a claim that
 * fails is granted (the lookup asks upstream, as without Redis).
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
        text = await commands.send('cache.get', ['GET', keys.cache(id)]);
      } catch {
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
        settings.onInvalidEntry(id);
        return undefined;
      }
      return parsed.data as Generation;
    },
    async set(id, generation) {
      try {
        await commands.send('cache.set', [
          'SET',
          keys.cache(id),
          JSON.stringify(generation),
          'PX',
          String(ttlMs),
        ]);
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

function parseEntries(reply: unknown): SpendEntry[] {
  if (!Array.isArray(reply)) return [];
  const entries: SpendEntry[] = [];
  for (let index = 0; index + 2 < reply.length; index += 3) {
    const [id, at, amount] = [reply[index], reply[index + 1], reply[index + 2]];
    const amountUsd = amount === '' || amount === null ? null : Number(amount);
    entries.push({
      id: String(id),
      atMs: Number(at),
      amountUsd: amountUsd !== null && Number.isFinite(amountUsd) ? amountUsd : null,
    });
  }
  return entries;
}

function checkSpendInput(operation: string, key: string, windowMs: number, timeMs: number): void {
  if (typeof key !== 'string' || key === '') {
    throw new TypeError(`spend.${operation}: key must be a non-empty string`);
  }
  if (!Number.isSafeInteger(windowMs) || windowMs <= 0) {
    throw new TypeError(
      `spend.${operation}: windowMs must be a positive integer (got ${windowMs})`,
    );
  }
  if (!Number.isFinite(timeMs)) {
    throw new TypeError(`spend.${operation}: time must be a finite number of ms (got ${timeMs})`);
  }
}

/**
 * Fails open, for availability: a record that fails is not counted, and entries read as none,
 * so a spend limit lets requests through while Redis is away (one warning per outage says so).
 */
export function createRedisSpendStore(settings: SpendSettings): SpendStore {
  const { commands, keys } = settings;
  return {
    async record(key, entry, windowMs) {
      checkSpendInput('record', key, windowMs, entry.atMs);
      if (entry.amountUsd !== null && !Number.isFinite(entry.amountUsd)) {
        throw new TypeError(
          `spend.record: amountUsd must be a finite number or null (got ${entry.amountUsd})`,
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
          [keys.spendTimes(key), keys.spendAmounts(key)],
          [entry.id, amount, String(entry.atMs), String(windowMs)],
        );
      } catch {
        // fails open: this spend is not counted
      }
    },
    async entries(key, windowMs, nowMs) {
      checkSpendInput('entries', key, windowMs, nowMs);
      try {
        const reply = await commands.script(
          'spend.entries',
          spendEntriesScript,
          [keys.spendTimes(key), keys.spendAmounts(key)],
          [String(nowMs - windowMs)],
        );
        return parseEntries(reply);
      } catch {
        return [];
      }
    },
  };
}
