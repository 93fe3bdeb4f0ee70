import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { until } from '@genmeta/fake-openrouter/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySpendStore } from '../src/index.js';
import { expressVersions, waitUntil } from './helpers.js';
import { startLimitedApp } from './spend-app.js';

let fake: FakeOpenRouter;
beforeAll(async () => {
  fake = await startFakeOpenRouter();
});
afterAll(async () => {
  await fake.close();
});

describe.each(expressVersions)('spendLimit on %s', (_name, express) => {
  it('answers 429 with a Retry-After to a user at the limit; other users and keyless requests pass', async () => {
    const app = await startLimitedApp(express, fake);
    try {
      for (const cost of [0.4, 0.4])
        expect((await app.spend('alice', `cost=${cost}`)).status).toBe(200);
      expect((await app.limiter.status('alice')).spentUsd).toBe(0.8);
      expect((await app.spend('alice', 'cost=0.3')).status).toBe(200); // under the limit when it came
      const refused = await app.spend('alice', 'cost=0.1');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
      // the oldest 0.4 has to expire for alice to be under 1 USD again: about the whole window
      // (and at most one 1 s bucket more)
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(30);
      expect(retryAfter).toBeLessThanOrEqual(61);
      const body = (await refused.json()) as {
        error: { code: number; message: string; metadata: object };
      };
      expect(body.error.code).toBe(429);
      expect(body.error.message).toBe(
        `Spend limit reached: 1.1 of 1 USD in the last 1 min. Retry after ${retryAfter} s.`,
      );
      expect(body.error.metadata).toEqual({
        reason: 'spend_limit',
        limit_usd: 1,
        spent_usd: 1.1,
        window: 'sliding',
        window_ms: 60_000,
        retry_after_seconds: retryAfter,
      });
      expect((await app.spend('bob', 'cost=0.5')).status).toBe(200);
      expect((await app.spend(undefined, 'cost=5')).status).toBe(200);
      expect((await app.spend(undefined, 'cost=5')).status).toBe(200);
      await waitUntil(() => app.records.length === 6);
      await app.logger.flush();
      // the refused request spent nothing and is not in the records
      expect(await app.limiter.status('alice')).toMatchObject({ spentUsd: 1.1, limited: true });
      expect(await app.limiter.status('bob')).toMatchObject({ spentUsd: 0.5, limited: false });
      expect(app.warnings).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('Retry-After is the time until enough of the window has expired, not the oldest entry', async () => {
    const store = createMemorySpendStore();
    const now = Date.now();
    const windowMs = 60_000;
    store.record('carol', { id: 'gen-a', amountUsd: 0.1, atMs: now - 55_000 }, windowMs);
    store.record('carol', { id: 'gen-b', amountUsd: 0.6, atMs: now - 50_000 }, windowMs);
    store.record('carol', { id: 'gen-c', amountUsd: 0.6, atMs: now - 10_000 }, windowMs);
    const app = await startLimitedApp(express, fake, { store, windowMs });
    try {
      const refused = await app.spend('carol', 'cost=0.1');
      expect(refused.status).toBe(429);
      // 1.3 USD: without gen-a still 1.2, without gen-b too 0.6: gen-b expires in about 10 s
      // (its 1 s bucket counts whole: up to 1 s more)
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(8);
      expect(retryAfter).toBeLessThanOrEqual(11);
    } finally {
      await app.close();
    }
  });

  it('counts the inline cost at once, then the looked-up spend once the record is emitted', async () => {
    const app = await startLimitedApp(express, fake);
    try {
      // inline says 1.5 USD, the generation's stats (ready after a while) say 0.25
      expect((await app.spend('dave', 'cost=1.5&actual=0.25&readyInMs=400')).status).toBe(200);
      expect(await app.limiter.status('dave')).toMatchObject({ spentUsd: 1.5, limited: true });
      expect((await app.spend('dave', 'cost=0.1')).status).toBe(429);
      await waitUntil(() => app.records.length === 1);
      await app.logger.flush();
      expect(app.records[0]?.spendUsd).toBe(0.25);
      expect(await app.limiter.status('dave')).toMatchObject({ spentUsd: 0.25, limited: false });
      expect((await app.spend('dave', 'cost=0.1')).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('counts an unknown cost as unknown: listed, not added to the spend', async () => {
    const app = await startLimitedApp(express, fake);
    try {
      expect((await app.spend('erin', 'cost=0.5')).status).toBe(200);
      // no inline cost: unknown until the record, whose spend is unknown too
      expect((await app.spend('erin', 'unknown=1')).status).toBe(200);
      expect(await app.limiter.status('erin')).toMatchObject({ spentUsd: 0.5, unknownCount: 1 });
      await waitUntil(() => app.records.length === 2);
      await app.logger.flush();
      expect(app.records.find((record) => record.spendUsd === null)).toBeDefined();
      expect(await app.limiter.status('erin')).toMatchObject({
        spentUsd: 0.5,
        unknownCount: 1,
        limited: false,
      });
    } finally {
      await app.close();
    }
  });

  it('slides: a user refused now passes once the spend has left the window', async () => {
    const app = await startLimitedApp(express, fake, { windowMs: 1_500 });
    try {
      expect((await app.spend('frank', 'cost=1.2')).status).toBe(200);
      const refused = await app.spend('frank', 'cost=0.1');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(2);
      await until(async () => !(await app.limiter.status('frank')).limited, {
        timeoutMs: 10_000,
        intervalMs: 50,
      });
      expect((await app.spend('frank', 'cost=0.1')).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('concurrent requests of one user overshoot by at most the requests in flight', async () => {
    const app = await startLimitedApp(express, fake);
    try {
      const workers = 4;
      const statuses: number[] = [];
      // each worker sends one slow request after another until it is refused
      await Promise.all(
        Array.from({ length: workers }, async () => {
          for (let attempt = 0; attempt < 10; attempt += 1) {
            const response = await app.spend('gina', 'cost=0.3&delayMs=20');
            statuses.push(response.status);
            if (response.status === 429) return;
          }
        }),
      );
      const admitted = statuses.filter((status) => status === 200).length;
      // admitted while under 1 USD counted (at most 3 × 0.3), plus the others then in flight
      expect(admitted).toBeGreaterThanOrEqual(4);
      expect(admitted).toBeLessThanOrEqual(3 + workers);
      expect(statuses.filter((status) => status === 429)).toHaveLength(workers);
      const status = await app.limiter.status('gina');
      expect(status.spentUsd).toBeCloseTo(admitted * 0.3, 10);
      expect(status.spentUsd).toBeLessThan(1 + workers * 0.3);
    } finally {
      await app.close();
    }
  });
});
