// A spend limit under attack: a key with 300,000 past requests (in memory, and written straight
// into Redis by a hostile client), and an instance whose clock runs 61 s ahead. Real Express
// apps, a real redis-server, the fake OpenRouter.
import type { SpendBuckets, SpendStore } from '@genmeta/core/server';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { type RedisServer, startRedisServer } from '@genmeta/fixture-redis-server';
import { createRedisStores, type RedisStoresLogger } from '@genmeta/redis';
import express from 'express';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySpendStore } from '../../src/index.js';
import type { ExpressModule } from '../helpers.js';
import { startLimitedApp } from '../spend-app.js';
import { startGuardedApp } from './guarded-app.js';

const PAST_REQUESTS = 300_000;

let fake: FakeOpenRouter;
let redis: RedisServer;
let raw: ReturnType<typeof createClient>;
beforeAll(async () => {
  fake = await startFakeOpenRouter();
  redis = await startRedisServer();
  raw = createClient({ url: redis.url });
  raw.on('error', () => {});
  await raw.connect();
});
afterAll(async () => {
  raw?.destroy();
  await fake?.close();
  await redis?.close();
});

function recordingLogger(): RedisStoresLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    warn: (_object, message) => lines.push(`warn ${message}`),
    info: (_object, message) => lines.push(`info ${message}`),
  };
}

describe('a key with 300,000 past requests', () => {
  it('memory store: the heavy key is still refused, others pass, and the store stays bounded', async () => {
    const store = createMemorySpendStore();
    const now = Date.now();
    for (let index = 0; index < PAST_REQUESTS; index += 1) {
      // 300,000 requests of 0.00001 USD over the last 50 s: 3 USD
      store.record(
        'heavy',
        { id: `gen-${index}`, amountUsd: 0.00001, atMs: now - 50_000 + (index % 50_000) },
        60_000,
      );
    }
    // a check reads the window's buckets, never the requests
    const read = store.buckets('heavy', 60_000, Date.now());
    expect(read.buckets.length).toBeLessThanOrEqual(61);
    expect(read.buckets.reduce((sum, bucket) => sum + bucket.knownUsd, 0)).toBeCloseTo(3, 9);
    // ids are remembered up to maxIdsPerKey (for replacement), the rest counted as forgotten
    expect(store.stats()).toEqual({
      keys: 1,
      evictedKeys: 0,
      forgottenIds: PAST_REQUESTS - 10_000,
    });

    const app = await startLimitedApp(express as unknown as ExpressModule, fake, { store });
    try {
      const refused = await app.spend('heavy', 'cost=0.1');
      expect(refused.status).toBe(429);
      expect(await app.limiter.status('heavy')).toMatchObject({ spentUsd: 3, limited: true });
      expect((await app.spend('light', 'cost=0.1')).status).toBe(200);
      expect(app.warnings).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('Redis: 300,000 entries written into one key by a hostile client slow no check, and the key stays refused', async () => {
    const prefix = 'heavy:';
    const logger = recordingLogger();
    const stores = createRedisStores({ url: redis.url }, { prefix, logger });
    const app = await startGuardedApp(fake, stores);
    try {
      // The hostile client fills the current bucket of the heavy key (windows of 60 s use 1 s
      // buckets) with 300,000 ids, claims 3 USD there, and leaves 300,000 entries under the
      // layout of earlier versions too.
      const [seconds] = (await raw.sendCommand(['TIME'])) as [string, string];
      const bucket = `${prefix}spend:heavy:60000:${seconds}`;
      for (let start = 0; start < PAST_REQUESTS; start += 20_000) {
        const fields: string[] = [];
        for (let index = start; index < start + 20_000; index += 1)
          fields.push(`i:gen-${index}`, '0.00001');
        await raw.sendCommand(['HSET', bucket, ...fields]);
        const scored: string[] = [];
        for (let index = start; index < start + 20_000; index += 1)
          scored.push(String(Date.now()), `gen-${index}`);
        await raw.sendCommand(['ZADD', `${prefix}spend:heavy:at`, ...scored]);
      }
      await raw.sendCommand(['HSET', bucket, 's:usd', '3', 's:unknown', '0']);
      await raw.sendCommand(['PEXPIRE', bucket, '120000']);
      expect(await raw.hLen(bucket)).toBe(PAST_REQUESTS + 2);

      // The heavy key is refused (its check did not time out and fail open) ...
      for (let attempt = 0; attempt < 3; attempt += 1) {
        expect((await app.spend('heavy', 0.1)).status).toBe(429);
      }
      expect(await app.limiter.status('heavy')).toMatchObject({ spentUsd: 3, limited: true });
      // ... while other users spend, and their generations are served by the proxy
      const ids: string[] = [];
      for (const user of ['ana', 'ben', 'cy']) {
        const answered = await app.spend(user, 0.2);
        expect(answered.status).toBe(200);
        ids.push(((await answered.json()) as { id: string }).id);
      }
      for (const id of ids) expect((await app.proxy(id)).status).toBe(200);
      expect(await app.limiter.status('ana')).toMatchObject({ spentUsd: 0.2, limited: false });
      // a record into the heavy bucket touches its own id, not the 300,000
      await stores.spend.record(
        'heavy',
        { id: 'gen-more', amountUsd: 0.5, atMs: Date.now() },
        60_000,
      );
      expect((await app.limiter.status('heavy')).spentUsd).toBe(3.5);
      // Redis never counted as away, the limiter never failed open
      expect(logger.lines).toEqual([]);
      expect(app.warnings).toEqual([]);
    } finally {
      await app.close();
      await stores.close();
    }
  });
});

/** What an instance whose clock is `skewMs` ahead hands its store. */
function clockAhead(store: SpendStore, skewMs: number): SpendStore {
  return {
    record: (key, entry, windowMs) =>
      store.record(key, { ...entry, atMs: entry.atMs + skewMs }, windowMs),
    buckets: (key, windowMs, nowMs): Promise<SpendBuckets> =>
      Promise.resolve(store.buckets(key, windowMs, nowMs + skewMs)),
  };
}

describe('one clock for the shared window', () => {
  it('an instance 61 s ahead (60 s window) does not erase the spend of the others', async () => {
    const storesA = createRedisStores({ url: redis.url }, { prefix: 'clock:' });
    const storesB = createRedisStores({ url: redis.url }, { prefix: 'clock:' });
    const ahead = await startLimitedApp(express as unknown as ExpressModule, fake, {
      store: clockAhead(storesA.spend, 61_000),
    });
    const onTime = await startLimitedApp(express as unknown as ExpressModule, fake, {
      store: storesB.spend,
    });
    try {
      expect((await onTime.spend('olga', 'cost=0.7')).status).toBe(200);
      expect((await ahead.spend('olga', 'cost=0.2')).status).toBe(200);
      // both instances see both spends (the ahead one neither trimmed nor hid the other's)
      expect((await onTime.limiter.status('olga')).spentUsd).toBe(0.9);
      expect((await ahead.limiter.status('olga')).spentUsd).toBe(0.9);
      expect((await ahead.spend('olga', 'cost=0.2')).status).toBe(200);
      expect((await onTime.spend('olga', 'cost=0.1')).status).toBe(429);
      expect((await ahead.spend('olga', 'cost=0.1')).status).toBe(429);
    } finally {
      await ahead.close();
      await onTime.close();
      await storesA.close();
      await storesB.close();
    }
  });
});
