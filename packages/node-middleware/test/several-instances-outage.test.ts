// Two instances (separate processes) on one redis-server that is killed mid-run and restarted:
// the app's answers do not change, B's proxy answers 503 with a clear JSON error (never 500,
// never the data), A still emits every record (the cache fails open, lookups go upstream), each
// instance warns once for the outage, and both work again once Redis is back.
import { setupFakeOpenRouter, until } from '@genmeta/fake-openrouter/vitest';
import { type RedisServer, startRedisServer } from '@genmeta/fixture-redis-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Instance, type RedisClientKind, startInstance } from './support/instance.js';

const fake = setupFakeOpenRouter({ statsDelayMs: 200 });
const DURING_OUTAGE = 5;

describe.each<RedisClientKind>(['url', 'node-redis', 'ioredis'])(
  'Redis killed mid-run, client: %s',
  (kind) => {
    let redis: RedisServer;
    let a: Instance;
    let b: Instance;
    beforeAll(async () => {
      redis = await startRedisServer();
      const options = {
        fakeUrl: fake.url,
        fakeKey: fake.apiKey,
        redisUrl: redis.url,
        client: kind,
      };
      [a, b] = await Promise.all([
        startInstance({ ...options, name: 'A' }),
        startInstance({ ...options, name: 'B' }),
      ]);
    });
    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await redis?.close();
    });

    /** The browser's client: asks B's proxy until the stats are served (404 = not ready yet). */
    const viewOnB = async (id: string) => {
      let last = await b.proxy(id);
      await until(
        async () => {
          last = await b.proxy(id);
          return last.status !== 404;
        },
        { timeoutMs: 15_000, intervalMs: 50 },
      );
      return last;
    };

    it('keeps answering, refuses with 503 while Redis is away, and recovers after its restart', async () => {
      const before = await a.chat();
      expect(before.status).toBe(200);
      expect((await viewOnB(before.body.id)).status).toBe(200);
      await until(() => a.records.length === 1, { timeoutMs: 15_000 });

      await redis.kill();

      // The app's own answers are unchanged.
      const during: string[] = [];
      for (let chat = 0; chat < DURING_OUTAGE; chat += 1) {
        const answered = await a.chat();
        expect(answered.status).toBe(200);
        expect(Object.keys(answered.body).sort()).toEqual(Object.keys(before.body).sort());
        expect(answered.body.reply).toBe(before.body.reply);
        during.push(answered.body.id);
      }

      // The proxy fails closed: 503 with a JSON error, for new ids and for one it served before.
      for (const id of [...during, before.body.id]) {
        const refused = await b.proxy(id);
        expect(refused.status).toBe(503);
        expect(refused.body).toEqual({
          error: { code: 503, message: expect.stringMatching(/registry unavailable/i) },
        });
        expect(JSON.stringify(refused.body)).not.toContain('"data"');
      }

      // Records of the chats answered during the outage are emitted, each resolved upstream.
      await until(() => a.records.length === 1 + DURING_OUTAGE, { timeoutMs: 30_000 });
      const outageRecords = a.records.slice(1);
      expect(outageRecords.flatMap((record) => record.generationIds).sort()).toEqual(during.sort());
      for (const record of outageRecords) {
        expect(record.unresolved).toEqual([]);
        expect(typeof record.spendUsd).toBe('number');
      }

      // One warning per instance for the outage, not one per request.
      expect(a.warnings('redis')).toHaveLength(1);
      expect(b.warnings('redis')).toHaveLength(1);
      // costLogger reports its failed registry writes once, not once per tracked id.
      expect(a.warnings('genmeta')).toHaveLength(1);
      expect(a.warnings('genmeta')[0]?.message).toMatch(/registry/);

      await redis.start();

      // Both reconnect: a chat answered by A after the restart is served by B.
      let after: { status: number; body: Record<string, unknown> } | undefined;
      await until(
        async () => {
          const chat = await a.chat();
          after = await viewOnB(chat.body.id);
          return after.status === 200;
        },
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      expect(after?.body).toMatchObject({ data: { id: expect.any(String) } });
      // A Redis without persistence lost what it held: the id tracked before is unknown now.
      expect((await b.proxy(before.body.id)).status).toBe(403);

      // Still one warning each; the recovery is told once through `info`.
      expect(a.warnings('redis')).toHaveLength(1);
      expect(b.warnings('redis')).toHaveLength(1);
      const recovered = (instance: Instance) =>
        instance.logs.filter((line) => line.event === 'info' && line.source === 'redis');
      expect(recovered(a)).toHaveLength(1);
      expect(recovered(b)).toHaveLength(1);
      expect([...a.stray, ...b.stray].filter((line) => /\b500\b|unhandled/i.test(line))).toEqual(
        [],
      );
      // The outage's warnings and errors never carry the API key.
      expect(JSON.stringify([a.logs, b.logs, a.stray, b.stray])).not.toContain(fake.apiKey);
    });
  },
);
