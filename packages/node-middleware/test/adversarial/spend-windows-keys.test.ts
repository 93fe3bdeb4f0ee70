// Calendar and long windows, and keys that are not strings, over real Express apps.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { DAY_MS, windowOf } from '@genmeta/core/rules';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { type RedisServer, startRedisServer } from '@genmeta/fixture-redis-server';
import { createRedisStores } from '@genmeta/redis';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  costLogger,
  createMemorySpendStore,
  spendLimit,
  trackGeneration,
} from '../../src/index.js';
import { closeServer, type ExpressModule, listen } from '../helpers.js';
import { startLimitedApp } from '../spend-app.js';

const express5 = express as unknown as ExpressModule;
const MONTH_SPAN_MS = 31 * DAY_MS;

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

interface RefusalBody {
  error: { code: number; message: string; metadata: Record<string, unknown> };
}

describe('calendar windows (UTC)', () => {
  it("'month': last month's spend does not count; the refusal lasts until the next month starts", async () => {
    const store = createMemorySpendStore();
    const { startMs, endMs } = windowOf('month', Date.now());
    // one hour before this month began, and in its first second
    store.record(
      'mona',
      { id: 'gen-last', amountUsd: 5, atMs: startMs - 3_600_000 },
      MONTH_SPAN_MS,
    );
    store.record('mona', { id: 'gen-this', amountUsd: 0.9, atMs: startMs }, MONTH_SPAN_MS);
    const app = await startLimitedApp(express5, fake, {
      store,
      windowMs: undefined,
      window: 'month',
    });
    try {
      expect(await app.limiter.status('mona')).toMatchObject({
        spentUsd: 0.9,
        limited: false,
        window: 'month',
        windowMs: endMs - startMs,
      });
      expect((await app.spend('mona', 'cost=0.2')).status).toBe(200);
      const refused = await app.spend('mona', 'cost=0.1');
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      const untilNextMonth = Math.ceil((endMs - Date.now()) / 1000);
      expect(Math.abs(retryAfter - untilNextMonth)).toBeLessThanOrEqual(2);
      const body = (await refused.json()) as RefusalBody;
      expect(body.error.message).toBe(
        `Spend limit reached: 1.1 of 1 USD this month (UTC). Retry after ${retryAfter} s.`,
      );
      expect(body.error.metadata).toMatchObject({ window: 'month', window_ms: endMs - startMs });
    } finally {
      await app.close();
    }
  });

  it("'week' starts Monday 00:00 UTC and 'day' at midnight UTC", async () => {
    const store = createMemorySpendStore();
    const week = windowOf('week', Date.now());
    const day = windowOf('day', Date.now());
    expect(new Date(week.startMs).getUTCDay()).toBe(1);
    store.record('wes', { id: 'gen-sunday', amountUsd: 5, atMs: week.startMs - 1 }, 7 * DAY_MS);
    store.record('wes', { id: 'gen-monday', amountUsd: 0.3, atMs: week.startMs }, 7 * DAY_MS);
    store.record('dee', { id: 'gen-yesterday', amountUsd: 5, atMs: day.startMs - 1 }, DAY_MS);
    store.record('dee', { id: 'gen-today', amountUsd: 0.4, atMs: day.startMs }, DAY_MS);
    const weekly = await startLimitedApp(express5, fake, {
      store,
      windowMs: undefined,
      window: 'week',
    });
    const daily = await startLimitedApp(express5, fake, {
      store,
      windowMs: undefined,
      window: 'day',
    });
    try {
      expect((await weekly.limiter.status('wes')).spentUsd).toBe(0.3);
      expect((await daily.limiter.status('dee')).spentUsd).toBe(0.4);
      expect((await weekly.spend('wes', 'cost=0.1')).status).toBe(200);
      expect((await daily.spend('dee', 'cost=0.1')).status).toBe(200);
    } finally {
      await weekly.close();
      await daily.close();
    }
  });

  it('a sliding window of 90 days (past the 24.8-day timer limit) counts spend of 60 days ago', async () => {
    const store = createMemorySpendStore();
    const windowMs = 90 * DAY_MS;
    store.record(
      'quinn',
      { id: 'gen-old', amountUsd: 0.8, atMs: Date.now() - 60 * DAY_MS },
      windowMs,
    );
    const app = await startLimitedApp(express5, fake, { store, windowMs });
    try {
      expect((await app.spend('quinn', 'cost=0.3')).status).toBe(200);
      const refused = await app.spend('quinn', 'cost=0.1');
      expect(refused.status).toBe(429);
      // the 0.8 leaves the window in about 30 days (its 2-day bucket counts whole)
      const retryAfterDays = Number(refused.headers.get('retry-after')) / 86_400;
      expect(retryAfterDays).toBeGreaterThan(29);
      expect(retryAfterDays).toBeLessThanOrEqual(32);
    } finally {
      await app.close();
    }
  });

  it("'month' on Redis: counted on Redis's clock, refused until the month ends", async () => {
    const stores = createRedisStores({ url: redis.url }, { prefix: 'month:' });
    const app = await startLimitedApp(express5, fake, {
      store: stores.spend,
      windowMs: undefined,
      window: 'month',
    });
    try {
      expect((await app.spend('rosa', 'cost=1.2')).status).toBe(200);
      const refused = await app.spend('rosa', 'cost=0.1');
      expect(refused.status).toBe(429);
      const { endMs } = windowOf('month', Date.now());
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(Math.abs(retryAfter - Math.ceil((endMs - Date.now()) / 1000))).toBeLessThanOrEqual(5);
      expect(await app.limiter.status('rosa')).toMatchObject({ spentUsd: 1.2, window: 'month' });
    } finally {
      await app.close();
      await stores.close();
    }
  });
});

describe('keys that are not strings', () => {
  it('a number key is used as its decimal string: the limit holds, status(42) is status("42")', async () => {
    const app = await startLimitedApp(express5, fake, {
      key: (request) => Number((request as IncomingMessage).headers['x-user']),
    });
    try {
      const statuses: number[] = [];
      for (let index = 0; index < 5; index += 1) {
        statuses.push((await app.spend('42', 'cost=0.3')).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
      expect(await app.limiter.status(42)).toEqual(await app.limiter.status('42'));
      expect((await app.limiter.status(42)).spentUsd).toBe(1.2);
      expect(app.warnings).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('an object key is refused with a 500, never let through, with one warning per limiter naming the option', async () => {
    const warnings: string[] = [];
    const logger = costLogger({
      clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
      onRecord: () => undefined,
      logger: {
        info: () => undefined,
        warn: (_details, message) => warnings.push(String(message)),
      },
    });
    const objectKey = () => ({ id: 7 }) as never;
    const first = spendLimit({ logger, key: objectKey, limitUsd: 1, windowMs: 60_000 });
    const second = spendLimit({ logger, key: () => true as never, limitUsd: 1, window: 'day' });
    let served = 0;
    const app = express();
    app.use(logger);
    app.use('/first', first);
    app.use('/second', second);
    app.use((_request, response) => {
      served += 1;
      trackGeneration(fake.addGeneration({ total_cost: 5 }).id, { costUsd: 5, isByok: false });
      response.json({ ok: true });
    });
    const server = createServer(
      app as unknown as (request: IncomingMessage, response: ServerResponse) => void,
    );
    const url = await listen(server);
    try {
      for (const path of ['first', 'first', 'first', 'second', 'second']) {
        const answer = await fetch(`${url}/${path}`);
        expect(answer.status).toBe(500);
        const body = (await answer.json()) as RefusalBody;
        expect(body.error).toMatchObject({ code: 500, metadata: { reason: 'spend_limit_key' } });
        expect(JSON.stringify(body)).not.toContain('7');
      }
      expect(served).toBe(0);
      const keyWarnings = warnings.filter((warning) => warning.includes('the key option'));
      expect(keyWarnings).toHaveLength(2);
      expect(keyWarnings[0]).toContain('returned a value of type object');
      expect(keyWarnings[1]).toContain('returned a value of type boolean');
    } finally {
      await closeServer(server);
      await logger.close({ timeoutMs: 300 });
    }
  });
});
