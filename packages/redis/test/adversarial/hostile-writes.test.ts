// What a hostile client (or a bug elsewhere) writes straight into Redis under the stores' keys:
// 300,000 entries under one spend key, values of another type, a 5 MB cache entry. Each is that
// key's problem: the stores answer within bounded work, and Redis is never counted as away.
import { type RedisServer, startRedisServer } from '@genmeta/fixture-redis-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStores, type RedisStores } from '../../src/index.ts';
import { type LogLine, recordingLogger, totals } from '../clients.ts';
import { rawClient } from '../raw.ts';

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

async function open(prefix: string): Promise<{ stores: RedisStores; lines: LogLine[] }> {
  const logger = recordingLogger();
  const stores = createRedisStores({ url: server.url }, { prefix, logger, localCacheEntries: 0 });
  return { stores, lines: logger.lines };
}

async function redisSeconds(): Promise<number> {
  const [seconds] = (await raw.sendCommand(['TIME'])) as [string, string];
  return Number(seconds);
}

describe('spend: 300,000 entries under one key', () => {
  it('a record and a read touch at most 61 buckets, whatever one bucket holds', async () => {
    const { stores, lines } = await open('hostile-spend:');
    try {
      const bucket = `hostile-spend:spend:heavy:60000:${await redisSeconds()}`;
      for (let start = 0; start < 300_000; start += 20_000) {
        const fields: string[] = [];
        for (let index = start; index < start + 20_000; index += 1) {
          fields.push(`i:gen-${index}`, '0.00001');
        }
        await raw.sendCommand(['HSET', bucket, ...fields]);
      }
      await raw.sendCommand(['HSET', bucket, 's:usd', '3']);
      // 300,000 more bucket keys of this user, far outside any window
      for (let start = 0; start < 300_000; start += 50_000) {
        const pairs: string[] = [];
        for (let index = start; index < start + 50_000; index += 1) {
          pairs.push(`hostile-spend:spend:heavy:60000:${index}`, 'x');
        }
        await raw.sendCommand(['MSET', ...pairs]);
      }

      await stores.spend.record('heavy', { id: 'gen-new', amountUsd: 0.5, atMs: 0 }, 60_000);
      await stores.spend.record('heavy', { id: 'gen-5', amountUsd: 0.25, atMs: 0 }, 60_000);
      const read = await stores.spend.buckets('heavy', 60_000, Date.now());
      expect(read.buckets.length).toBeLessThanOrEqual(61);
      // 3 + 0.5, and gen-5's hostile amount replaced by 0.25
      expect(totals(read).usd).toBeCloseTo(3.5 + 0.25 - 0.00001, 9);
      expect(lines).toEqual([]);
    } finally {
      await stores.close();
    }
  });

  it('a bucket key of another type is replaced on record and skipped on read, without an outage', async () => {
    const { stores, lines } = await open('hostile-type:');
    try {
      const seconds = await redisSeconds();
      for (let offset = -1; offset <= 2; offset += 1) {
        await raw.set(`hostile-type:spend:u:60000:${seconds + offset}`, 'not a hash');
      }
      expect((await stores.spend.buckets('u', 60_000, Date.now())).buckets).toEqual([]);
      await stores.spend.record('u', { id: 'gen-1', amountUsd: 0.4, atMs: 0 }, 60_000);
      expect(totals(await stores.spend.buckets('u', 60_000, Date.now())).usd).toBe(0.4);
      expect(lines).toEqual([]);
    } finally {
      await stores.close();
    }
  });
});

describe('one clock for the shared window', () => {
  it('an instance 61 s ahead neither trims nor hides what the others recorded', async () => {
    const a = await open('clock:');
    const b = await open('clock:');
    try {
      const now = Date.now();
      await b.stores.spend.record('u', { id: 'gen-b', amountUsd: 0.7, atMs: now }, 60_000);
      await a.stores.spend.record('u', { id: 'gen-a', amountUsd: 0.2, atMs: now + 61_000 }, 60_000);
      expect(totals(await a.stores.spend.buckets('u', 60_000, now + 61_000)).usd).toBe(0.9);
      expect(totals(await b.stores.spend.buckets('u', 60_000, now)).usd).toBe(0.9);
      // answered on Redis's clock, whatever nowMs was passed
      const read = await a.stores.spend.buckets('u', 60_000, now + 61_000);
      expect(Math.abs(read.nowMs - Date.now())).toBeLessThan(5_000);
    } finally {
      await a.stores.close();
      await b.stores.close();
    }
  });
});

describe('cache: a huge or wrong-typed value is the miss of that entry alone', () => {
  it('a 5 MB value and a hash read as misses; the registry and other entries keep working; no outage', async () => {
    const { stores, lines } = await open('hostile-cache:');
    try {
      await raw.set('hostile-cache:cache:gen-huge', 'x'.repeat(5 * 1024 * 1024));
      await raw.hSet('hostile-cache:cache:gen-hash', 'id', 'gen-hash');
      await stores.registry.add('gen-other');
      const generation = {
        id: 'gen-other',
        total_cost: 0.1,
        created_at: '2026-12-01T12:00:00Z',
        model: 'openai/gpt-4o-mini',
        origin: 'https://example.test',
        usage: 0.1,
        is_byok: false,
        provider_name: 'OpenAI',
      };
      await stores.cache.set('gen-other', generation as never);
      for (let attempt = 0; attempt < 3; attempt += 1) {
        expect(await stores.cache.get('gen-huge')).toBeUndefined();
        expect(await stores.cache.get('gen-hash')).toBeUndefined();
        expect(await stores.registry.has('gen-other')).toBe(true);
        expect(await stores.cache.get('gen-other')).toMatchObject({ id: 'gen-other' });
      }
      // each bad read is named (no outage warning, no "available again")
      expect(lines.every((line) => line.level === 'warn')).toBe(true);
      expect(lines.map((line) => line.message)).toEqual(
        expect.arrayContaining([
          'genmeta redis: a cache entry is over 1 MB; read as a miss',
          'genmeta redis: a cache entry is not a string; read as a miss',
        ]),
      );
      expect(lines.some((line) => line.message?.includes('unavailable'))).toBe(false);
    } finally {
      await stores.close();
    }
  });

  it('a generation over 1 MB is not written (it could never be read back)', async () => {
    const { stores } = await open('hostile-write:');
    try {
      const huge = { id: 'gen-big', total_cost: 0.1, notes: 'y'.repeat(1_100_000) };
      await stores.cache.set('gen-big', huge as never);
      expect(await raw.exists('hostile-write:cache:gen-big')).toBe(0);
    } finally {
      await stores.close();
    }
  });
});
