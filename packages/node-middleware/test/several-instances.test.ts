// Two instances of one Express app, each in its own process, behind an imaginary load balancer:
// costLogger + generationProxy on the @genmeta/redis stores of one real redis-server. A chat
// answered by A is asked of B's proxy at once (no 403 while A's registry write lands), and one
// viewed generation costs OpenRouter one successful lookup across both (the shared cache).
import { setupFakeOpenRouter, until } from '@genmeta/fake-openrouter/vitest';
import { type RedisServer, startRedisServer } from '@genmeta/fixture-redis-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Instance, type RedisClientKind, startInstance } from './support/instance.js';

// Stats ready 2 s after each completion: B's first ask (within the proxy's 300 ms re-check of
// the registry) finds them not ready, so the one upstream success of each is A's lookup, and the
// browser's next ask through B is served by the cache A filled. (A browser poll on B reaching
// OpenRouter in the same moment as A's lookup would make two: the bench measures how often.)
const fake = setupFakeOpenRouter({ statsDelayMs: 2_000 });
const CHATS = 200;
const IN_PARALLEL = 8;

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.close();
});

const successes = (id: string) =>
  fake.generationCalls(id).filter((call) => call.status === 200).length;

describe.each<RedisClientKind>(['node-redis', 'ioredis'])('two instances, client: %s', (kind) => {
  let a: Instance;
  let b: Instance;
  beforeAll(async () => {
    const options = { fakeUrl: fake.url, fakeKey: fake.apiKey, redisUrl: redis.url, client: kind };
    [a, b] = await Promise.all([
      startInstance({ ...options, name: 'A' }),
      startInstance({ ...options, name: 'B' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it(`serves on B each of ${CHATS} chats answered by A, asked right after the answer, and looks each up once`, async () => {
    const firstAsks: Array<{ id: string; status: number; body: Record<string, unknown> }> = [];
    const ids: string[] = [];
    for (let batch = 0; batch < CHATS / IN_PARALLEL; batch += 1) {
      await Promise.all(
        Array.from({ length: IN_PARALLEL }, async () => {
          const chat = await a.chat();
          expect(chat.status).toBe(200);
          ids.push(chat.body.id);
          const asked = await b.proxy(chat.body.id); // the browser, through the load balancer
          firstAsks.push({ id: chat.body.id, ...asked });
        }),
      );
    }
    expect(new Set(ids).size).toBe(CHATS);

    // No 403 race: B knew every id A had just answered (not ready yet, or served).
    const statuses = firstAsks.map((asked) => asked.status);
    expect(statuses.filter((status) => status === 403)).toEqual([]);
    for (const asked of firstAsks) {
      expect([200, 404]).toContain(asked.status);
      if (asked.status === 404) expect(asked.body).toMatchObject({ error: { code: 404 } });
    }

    // A emits one record per chat, each resolved; B, which answered no chat, emits none.
    await until(() => a.records.length === CHATS, { timeoutMs: 60_000, intervalMs: 50 });
    for (const record of a.records) {
      expect(record.unresolved).toEqual([]);
      expect(typeof record.spendUsd).toBe('number');
    }
    expect(a.records.flatMap((record) => record.generationIds).sort()).toEqual([...ids].sort());
    expect(b.records).toEqual([]);

    // The browser's next ask through B is served from the shared cache A filled.
    for (const id of ids) {
      const viewed = await b.proxy(id);
      expect(viewed.status).toBe(200);
      expect(viewed.body).toMatchObject({ data: { id } });
    }
    const perGeneration = ids.map(successes);
    expect(perGeneration.filter((count) => count !== 1)).toEqual([]);

    expect(a.warnings('redis')).toEqual([]);
    expect(b.warnings('redis')).toEqual([]);
    expect(a.warnings('genmeta')).toEqual([]);
    // no cache read skipped as too slow, no retry: each would be a lookup more
    expect(a.warnings('client')).toEqual([]);
    expect(b.warnings('client')).toEqual([]);
    // 600 requests through two processes and Redis: a loaded 2-core machine needs more than
    // the suite's 20 s; this only bounds a hang (the wait for records above allows 60 s).
  }, 120_000);

  it('still refuses on B an id no instance tracked', async () => {
    const { id } = fake.addGeneration();
    const refused = await b.proxy(id);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 403 } });
    expect(fake.generationCalls(id)).toEqual([]);
  });
});
