// stores.alerts over every kind of client: shared counters with their top contributors, and
// once-only claims; every key expires; a down Redis rejects (costAlerts then goes per process).
import { type RedisServer, startRedisServer } from '@genmeta/fixture-redis-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientKinds, recordingLogger } from './clients.ts';
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

describe.each(clientKinds)('stores.alerts over $name', (kind) => {
  it('sums a counter across two instances and ranks its contributors', async () => {
    const prefix = `alerts-${kind.name.replace(/\W+/g, '-')}:`;
    const [a, b] = await Promise.all([
      kind.open(server.url, { prefix }),
      kind.open(server.url, { prefix }),
    ]);
    try {
      const key = 'budget:0:user=u-1:month:2026-12';
      expect(
        await a.stores.alerts.add(key, 0.25, 60_000, [
          { dimension: 'models', name: 'm-1', amountUsd: 0.25 },
        ]),
      ).toBe(0.25);
      expect(
        await b.stores.alerts.add(key, 0.5, 60_000, [
          { dimension: 'models', name: 'm-2', amountUsd: 0.5 },
        ]),
      ).toBe(0.75);
      expect(
        await a.stores.alerts.add(key, 0.1, 60_000, [
          { dimension: 'models', name: 'm-1', amountUsd: 0.1 },
        ]),
      ).toBe(0.85);
      expect(await b.stores.alerts.top(key, ['models', 'users'], 3)).toEqual({
        models: [
          { name: 'm-2', amountUsd: 0.5 },
          { name: 'm-1', amountUsd: 0.35 },
        ],
        users: [],
      });
      // one claim in the fleet
      const claims = await Promise.all([
        a.stores.alerts.claim(`${key}:0.5`, 60_000),
        b.stores.alerts.claim(`${key}:0.5`, 60_000),
        a.stores.alerts.claim(`${key}:0.5`, 60_000),
      ]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      // every key it wrote expires
      const keys = (await raw.sendCommand(['KEYS', `${prefix}alerts:*`])) as string[];
      expect(keys.length).toBe(3);
      for (const written of keys) {
        const ttl = Number(await raw.sendCommand(['PTTL', written]));
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(60_000);
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('keeps at most 32 contributors per tally, the largest', async () => {
    const opened = await kind.open(server.url, {
      prefix: `tally-${kind.name.replace(/\W+/g, '-')}:`,
    });
    try {
      for (let index = 1; index <= 40; index += 1) {
        await opened.stores.alerts.add('k', index, 60_000, [
          { dimension: 'requests', name: `r-${index}`, amountUsd: index },
        ]);
      }
      const top = await opened.stores.alerts.top('k', ['requests'], 100);
      expect(top.requests).toHaveLength(32);
      expect(top.requests![0]).toEqual({ name: 'r-40', amountUsd: 40 });
      expect(top.requests!.at(-1)).toEqual({ name: 'r-9', amountUsd: 9 });
    } finally {
      await opened.close();
    }
  });
});

describe('stores.alerts when Redis is away', () => {
  it('rejects, so that costAlerts falls back to its own process', async () => {
    const away = await startRedisServer();
    const logger = recordingLogger();
    const [kind] = clientKinds;
    const opened = await kind!.open(away.url, { logger, operationTimeoutMs: 300 });
    try {
      await away.kill();
      await expect(opened.stores.alerts.add('k', 1, 1000)).rejects.toThrow();
      await expect(opened.stores.alerts.claim('c', 1000)).rejects.toThrow();
    } finally {
      await opened.close();
      await away.close();
    }
  });
});
