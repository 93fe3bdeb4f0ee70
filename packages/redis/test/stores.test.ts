// What each store keeps and answers, over every kind of client an app can hand in.

import { createClient as createGenmetaClient, type Generation } from '@genmeta/core';
import { startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { type RedisServer, startRedisServer } from '@genmeta/fixture-redis-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientKinds,
  ioRedis6Kind,
  type Opened,
  recordingLogger,
  totals,
  urlKind,
} from './clients.ts';
import { rawClient } from './raw.ts';

let server: RedisServer;
let raw: Awaited<ReturnType<typeof rawClient>>;

beforeAll(async () => {
  server = await startRedisServer();
  raw = await rawClient(server.url);
});

afterAll(async () => {
  raw?.destroy();
  await server?.close();
});

let fakeCount = 0;
function generation(id: string, extra: Record<string, unknown> = {}): Generation {
  fakeCount += 1;
  return {
    id,
    total_cost: 0.00042,
    created_at: '2026-12-01T12:00:00Z',
    model: 'openai/gpt-4o-mini',
    origin: 'https://example.test',
    usage: 0.00042,
    is_byok: false,
    provider_name: 'OpenAI',
    unknown_future_field: { nested: [1, 2, fakeCount] },
    ...extra,
  } as Generation;
}

describe.each(clientKinds)('over $name', (kind) => {
  let opened: Opened;
  let prefix: string;

  beforeAll(async () => {
    prefix = `t${Math.random().toString(36).slice(2, 8)}:`;
    opened = await kind.open(server.url, { prefix, logger: recordingLogger() });
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('cache: a set generation reads back whole, unknown fields kept; an unknown id misses', async () => {
    const { cache } = opened.stores;
    const stored = generation('gen-cache-1');
    await cache.set(stored.id, stored);
    expect(await cache.get('gen-cache-1')).toEqual(stored);
    expect(await cache.get('gen-cache-missing')).toBeUndefined();
  });

  it('cache: the entry is JSON under <prefix>cache:<id> with the default 30-day TTL', async () => {
    await opened.stores.cache.set('gen-cache-ttl', generation('gen-cache-ttl'));
    const key = `${prefix}cache:gen-cache-ttl`;
    expect(JSON.parse((await raw.get(key)) ?? 'null')).toMatchObject({ id: 'gen-cache-ttl' });
    const ttl = await raw.pTTL(key);
    expect(ttl).toBeGreaterThan(2_592_000_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(2_592_000_000);
  });

  it('registry: has is true only for added ids', async () => {
    const { registry } = opened.stores;
    await registry.add('gen-reg-1');
    expect(await registry.has('gen-reg-1')).toBe(true);
    expect(await registry.has('gen-reg-2')).toBe(false);
  });

  it('spend: a window reads as bucket sums, unknown counted apart; a repeated id replaces its amount', async () => {
    const { spend } = opened.stores;
    const windowMs = 60_000;
    const now = Date.now();
    await spend.record('user-a', { id: 'gen-s2', amountUsd: 0.2, atMs: now }, windowMs);
    await spend.record('user-a', { id: 'gen-s1', amountUsd: 0.1, atMs: now }, windowMs);
    await spend.record('user-a', { id: 'gen-s3', amountUsd: null, atMs: now }, windowMs);
    await spend.record('user-a', { id: 'gen-s1', amountUsd: 0.15, atMs: now }, windowMs);
    await spend.record('user-a', { id: 'gen-s3', amountUsd: 0.05, atMs: now }, windowMs);
    await spend.record('user-a', { id: 'gen-s4', amountUsd: null, atMs: now }, windowMs);
    const read = await spend.buckets('user-a', windowMs, now);
    expect(totals(read)).toEqual({ usd: 0.4, unknown: 1 });
    // 60 s read from buckets of 1 s (spendBucketMs), stamped on Redis's clock
    expect(read.bucketMs).toBe(1_000);
    expect(Math.abs(read.nowMs - Date.now())).toBeLessThan(5_000);
    for (const bucket of read.buckets) expect(bucket.startMs % 1_000).toBe(0);
    expect((await spend.buckets('user-b', windowMs, now)).buckets).toEqual([]);
    // another window of the same key is kept apart
    expect((await spend.buckets('user-a', 120_000, now)).buckets).toEqual([]);
  });
});

describe('registry TTL', () => {
  it('an id stays at least registryTtlMs (at most 1/8 longer), then is gone', async () => {
    const opened = await urlKind.open(server.url, { prefix: 'ttl:', registryTtlMs: 800 });
    try {
      await opened.stores.registry.add('gen-ttl');
      const [key] = await raw.keys('ttl:registry:*');
      expect(key).toBeDefined();
      expect(await raw.sMembers(key!)).toEqual(['gen-ttl']);
      const ttl = await raw.pTTL(key!);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(800 + 100);
      expect(await opened.stores.registry.has('gen-ttl')).toBe(true);
      // Redis expires the bucket itself; wait for it rather than for a fixed time.
      for (
        let attempt = 0;
        attempt < 100 && (await opened.stores.registry.has('gen-ttl'));
        attempt += 1
      ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await opened.stores.registry.has('gen-ttl')).toBe(false);
      expect(await raw.exists(key!)).toBe(0);
    } finally {
      await opened.close();
    }
  });

  it('by default, an add lands in a 3 h bucket of the Redis server clock, expiring 24 h after it ends', async () => {
    const ttlMs = 24 * 3_600_000;
    const opened = await urlKind.open(server.url, { prefix: 'bucket:' });
    try {
      await opened.stores.registry.add('gen-bucket');
      const [seconds] = await raw.time();
      const bucketMs = ttlMs / 8;
      const bucket = Math.floor((Number(seconds) * 1000) / bucketMs);
      const key = `bucket:registry:${bucket}`;
      expect(await raw.sIsMember(key, 'gen-bucket')).toBe(1);
      expect(await raw.pExpireTime(key)).toBe((bucket + 1) * bucketMs + ttlMs);
    } finally {
      await opened.close();
    }
  });
});

describe('two instances on one Redis', () => {
  it('an id added on A is seen by B as soon as the add has resolved (200 of 200)', async () => {
    const instanceA = await urlKind.open(server.url, { prefix: 'pair:' });
    const instanceB = await ioRedis6Kind.open(server.url, { prefix: 'pair:' });
    try {
      const seen: boolean[] = [];
      for (let index = 0; index < 200; index += 1) {
        await instanceA.stores.registry.add(`gen-pair-${index}`);
        seen.push(await instanceB.stores.registry.has(`gen-pair-${index}`));
      }
      expect(seen.filter(Boolean)).toHaveLength(200);
      expect(await instanceB.stores.registry.has('gen-pair-never-added')).toBe(false);
    } finally {
      await instanceA.close();
      await instanceB.close();
    }
  });
});

describe('spend store keys', () => {
  it('keeps one hash per time bucket, on Redis clock, expiring windowMs after the bucket ends', async () => {
    const opened = await urlKind.open(server.url, { prefix: 'layout:' });
    try {
      const { spend } = opened.stores;
      const windowMs = 10_000; // buckets of 200 ms
      // atMs far in the past: the store stamps with Redis's TIME instead
      await spend.record('u:1', { id: 'gen-a', amountUsd: 1, atMs: 1_000 }, windowMs);
      await spend.record('u:1', { id: 'gen-b', amountUsd: null, atMs: 1_000 }, windowMs);
      const keys = await raw.keys('layout:*');
      expect(keys).toHaveLength(1);
      const [key] = keys as [string];
      expect(key).toMatch(/^layout:spend:u:1:10000:\d+$/);
      const index = Number(key.split(':').pop());
      const [seconds] = (await raw.sendCommand(['TIME'])) as [string, string];
      expect(Math.abs(index * 200 - Number(seconds) * 1000)).toBeLessThan(5_000);
      expect(await raw.hGetAll(key)).toEqual({
        's:usd': '1',
        's:unknown': '1',
        'i:gen-a': '1',
        'i:gen-b': '',
      });
      const ttl = await raw.pTTL(key);
      expect(ttl).toBeGreaterThan(windowMs - 1_000);
      expect(ttl).toBeLessThanOrEqual(windowMs + 200);
    } finally {
      await opened.close();
    }
  });

  it('concurrent records of one key are all kept (one script each, atomic)', async () => {
    const opened = await urlKind.open(server.url, { prefix: 'concurrent:' });
    try {
      const now = Date.now();
      await Promise.all(
        Array.from({ length: 200 }, (_, index) =>
          opened.stores.spend.record(
            'u',
            { id: `gen-${index}`, amountUsd: 0.01, atMs: now + index },
            60_000,
          ),
        ),
      );
      const read = await opened.stores.spend.buckets('u', 60_000, now + 200);
      expect(totals(read)).toEqual({ usd: 2, unknown: 0 });
    } finally {
      await opened.close();
    }
  });
});

describe('prefix isolation', () => {
  it('stores with different prefixes on one Redis share nothing', async () => {
    const a = await urlKind.open(server.url, { prefix: 'app-a:' });
    const b = await urlKind.open(server.url, { prefix: 'app-b:' });
    try {
      await a.stores.registry.add('gen-shared-name');
      await a.stores.cache.set('gen-shared-name', generation('gen-shared-name'));
      await a.stores.spend.record('user', { id: 'gen-x', amountUsd: 1, atMs: Date.now() }, 60_000);
      expect(await b.stores.registry.has('gen-shared-name')).toBe(false);
      expect(await b.stores.cache.get('gen-shared-name')).toBeUndefined();
      expect((await b.stores.spend.buckets('user', 60_000, Date.now())).buckets).toEqual([]);
      expect(await a.stores.registry.has('gen-shared-name')).toBe(true);
      const keys = await raw.keys('app-*');
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.every((key) => key.startsWith('app-a:'))).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('the default prefix is genmeta:', async () => {
    const opened = await urlKind.open(server.url);
    try {
      await opened.stores.cache.set('gen-default-prefix', generation('gen-default-prefix'));
      expect(await raw.exists('genmeta:cache:gen-default-prefix')).toBe(1);
    } finally {
      await opened.close();
    }
  });
});

describe('cache entries written by something else', () => {
  it('a value that is not the generation asked for is a miss, with a warning naming the id', async () => {
    const logger = recordingLogger();
    const opened = await urlKind.open(server.url, { prefix: 'junk:', logger });
    try {
      await raw.set('junk:cache:gen-not-json', '{not json');
      await raw.set('junk:cache:gen-wrong-shape', JSON.stringify({ id: 'gen-wrong-shape' }));
      await raw.set('junk:cache:gen-other', JSON.stringify(generation('gen-someone-else')));
      for (const id of ['gen-not-json', 'gen-wrong-shape', 'gen-other']) {
        expect(await opened.stores.cache.get(id)).toBeUndefined();
      }
      expect(logger.lines.map((line) => (line.object as { id?: string }).id)).toEqual([
        'gen-not-json',
        'gen-wrong-shape',
        'gen-other',
      ]);
    } finally {
      await opened.close();
    }
  });
});

describe('with @genmeta/core', () => {
  it('two clients (two app instances) sharing the Redis cache cost the upstream one lookup', async () => {
    const fake = await startFakeOpenRouter();
    const instanceA = await urlKind.open(server.url, { prefix: 'core:' });
    const instanceB = await urlKind.open(server.url, { prefix: 'core:' });
    try {
      const { id } = fake.addGeneration();
      const clientOf = (cache: typeof instanceA.stores.cache) =>
        createGenmetaClient({ apiKey: fake.apiKey, baseUrl: fake.url, cache, retryDelayMs: 5 });
      const fromA = await clientOf(instanceA.stores.cache).getGeneration(id);
      const fromB = await clientOf(instanceB.stores.cache).getGeneration(id);
      expect(fromB).toEqual(fromA);
      const lookups = fake.calls.filter(
        (call) => call.path === '/api/v1/generation' && call.id === id,
      );
      expect(lookups.map((call) => call.status)).toEqual([200]);
    } finally {
      await instanceA.close();
      await instanceB.close();
      await fake.close();
    }
  });

  it('two instances looking ids up at once, stats not ready yet: one upstream success per generation', async () => {
    const fake = await startFakeOpenRouter();
    const instanceA = await urlKind.open(server.url, { prefix: 'claims:' });
    const instanceB = await urlKind.open(server.url, { prefix: 'claims:' });
    const warnings: string[] = [];
    try {
      const clientOf = (cache: typeof instanceA.stores.cache) =>
        createGenmetaClient({
          apiKey: fake.apiKey,
          baseUrl: fake.url,
          cache,
          retryDelayMs: 20,
          // Redis answers within a loaded machine's time: a read skipped as slow would be a
          // second upstream lookup by design (the cache fails open), not what this test is about.
          cacheTimeoutMs: 5_000,
          logger: {
            warn: (object: object, message?: string) =>
              warnings.push(`${message} ${JSON.stringify(object)}`),
          },
        });
      const clientA = clientOf(instanceA.stores.cache);
      const clientB = clientOf(instanceB.stores.cache);
      const ids = Array.from(
        { length: 12 },
        (_, index) => fake.addGeneration({}, { readyInMs: 60 + index * 15 }).id,
      );
      // Each generation viewed on both instances at the same moment, as chat on A and the
      // browser asking B's proxy do.
      const found = await Promise.all(
        ids.flatMap((id) => [clientA.getGeneration(id), clientB.getGeneration(id)]),
      );
      expect(found.map((generation) => generation.id)).toEqual(ids.flatMap((id) => [id, id]));
      expect(warnings).toEqual([]);
      for (const id of ids) {
        const successes = fake.calls.filter(
          (call) => call.path === '/api/v1/generation' && call.id === id && call.status === 200,
        );
        expect(successes, id).toHaveLength(1);
      }
      // Claims are given back once the generation is stored (the release is not waited for).
      let left = await raw.keys('claims:claim:*');
      for (let tries = 0; left.length > 0 && tries < 50; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        left = await raw.keys('claims:claim:*');
      }
      expect(left).toEqual([]);
    } finally {
      await instanceA.close();
      await instanceB.close();
      await fake.close();
    }
  });

  it('a claim is granted to its holder again, refused to another store, and freed only by its holder', async () => {
    const instanceA = await urlKind.open(server.url, { prefix: 'claim2:' });
    const instanceB = await urlKind.open(server.url, { prefix: 'claim2:' });
    try {
      const a = instanceA.stores.cache;
      const b = instanceB.stores.cache;
      expect(await a.claim?.('gen-claimed', 5_000)).toBe(true);
      expect(await a.claim?.('gen-claimed', 5_000)).toBe(true);
      expect(await b.claim?.('gen-claimed', 5_000)).toBe(false);
      await b.release?.('gen-claimed');
      expect(await b.claim?.('gen-claimed', 5_000)).toBe(false);
      await a.release?.('gen-claimed');
      expect(await b.claim?.('gen-claimed', 5_000)).toBe(true);
      // A claim expires by itself (an instance that died holding it does not block the id).
      expect(await a.claim?.('gen-short', 30)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(await b.claim?.('gen-short', 5_000)).toBe(true);
    } finally {
      await instanceA.close();
      await instanceB.close();
    }
  });
});
