// A hostile client writes huge and wrong-typed values over generations in the shared Redis
// cache: the proxy of a real Express app answers every user 200 (those entries read as misses
// and are looked up again), and Redis is never counted as away.
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { type RedisServer, startRedisServer } from '@genmeta/fixture-redis-server';
import { createRedisStores } from '@genmeta/redis';
import { createClient } from 'redis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGuardedApp } from './guarded-app.js';

let fake: FakeOpenRouter;
let redis: RedisServer;
beforeAll(async () => {
  fake = await startFakeOpenRouter();
  redis = await startRedisServer();
});
afterAll(async () => {
  await fake?.close();
  await redis?.close();
});

it('huge and wrong-typed cache values: every proxy answer stays 200, no outage', async () => {
  const lines: string[] = [];
  const stores = createRedisStores(
    { url: redis.url },
    {
      prefix: 'cache-attack:',
      localCacheEntries: 0,
      logger: {
        warn: (_o, message) => lines.push(`warn ${message}`),
        info: (_o, message) => lines.push(`info ${message}`),
      },
    },
  );
  const raw = createClient({ url: redis.url });
  raw.on('error', () => {});
  await raw.connect();
  const app = await startGuardedApp(fake, stores);
  try {
    const ids: string[] = [];
    for (const user of ['ana', 'ben', 'cy', 'dan']) {
      const answered = await app.spend(user, 0.01);
      expect(answered.status).toBe(200);
      ids.push(((await answered.json()) as { id: string }).id);
    }
    const [huge, hash] = ids as [string, string, ...string[]];
    await app.logger.flush();
    await raw.set(`cache-attack:cache:${huge}`, 'x'.repeat(5 * 1024 * 1024));
    await raw.del(`cache-attack:cache:${hash}`);
    await raw.hSet(`cache-attack:cache:${hash}`, 'id', hash);
    for (let round = 0; round < 3; round += 1) {
      for (const id of ids) {
        const answer = await app.proxy(id);
        expect(answer.status).toBe(200);
        expect(((await answer.json()) as { data: { id: string } }).data.id).toBe(id);
      }
    }
    expect(lines.some((line) => line.includes('unavailable'))).toBe(false);
    expect(lines.some((line) => line.startsWith('info'))).toBe(false);
    expect(lines).toEqual(
      expect.arrayContaining([
        'warn genmeta redis: a cache entry is over 1 MB; read as a miss',
        'warn genmeta redis: a cache entry is not a string; read as a miss',
      ]),
    );
  } finally {
    await app.close();
    raw.destroy();
    await stores.close();
  }
});
