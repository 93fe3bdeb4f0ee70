import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, connect, createServer as createTcpServer, type Socket } from 'node:net';
import type { SpendStore } from '@genmeta/core/server';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { startRedisServer } from '@genmeta/fixture-redis-server';
import { createRedisStores } from '@genmeta/redis';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costLogger, spendLimit, trackGeneration } from '../src/index.js';
import { closeServer, type ExpressModule, listen, waitUntil } from './helpers.js';
import { startLimitedApp } from './spend-app.js';

const express5 = express as unknown as ExpressModule;

let fake: FakeOpenRouter;
let redis: Awaited<ReturnType<typeof startRedisServer>>;
beforeAll(async () => {
  fake = await startFakeOpenRouter();
  redis = await startRedisServer();
});
afterAll(async () => {
  await fake.close();
  await redis?.close();
});

describe('spendLimit over @genmeta/redis', () => {
  it('holds one limit across two instances sharing a real redis-server', async () => {
    const storesA = createRedisStores({ url: redis.url }, { prefix: 'limit-test:' });
    const storesB = createRedisStores({ url: redis.url }, { prefix: 'limit-test:' });
    const a = await startLimitedApp(express5, fake, { store: storesA.spend });
    const b = await startLimitedApp(express5, fake, { store: storesB.spend });
    try {
      expect((await a.spend('hana', 'cost=0.7')).status).toBe(200);
      await waitUntil(() => a.records.length === 1);
      await a.logger.flush();
      // written through instance A, read by instance B
      expect(await b.limiter.status('hana')).toMatchObject({ spentUsd: 0.7, limited: false });
      expect((await b.spend('hana', 'cost=0.4')).status).toBe(200);
      await waitUntil(() => b.records.length === 1);
      await b.logger.flush();
      const refusedOnA = await a.spend('hana', 'cost=0.1');
      expect(refusedOnA.status).toBe(429);
      expect(Number(refusedOnA.headers.get('retry-after'))).toBeGreaterThan(30);
      expect((await b.spend('hana', 'cost=0.1')).status).toBe(429);
      expect((await b.spend('ivan', 'cost=0.1')).status).toBe(200);
      expect(a.warnings).toEqual([]);
      expect(b.warnings).toEqual([]);
    } finally {
      await a.close();
      await b.close();
      await storesA.close();
      await storesB.close();
    }
  });
  it("counts a request's spend for the key's next request even when Redis answers late", async () => {
    // A Redis of its own, so that no script is loaded yet; every reply 150 ms late: a write
    // that needs a second round trip (loading its script) lands after a read sent meanwhile,
    // unless the check waits for it.
    const fresh = await startRedisServer();
    const slow = await startSlowProxy(fresh.port, 150);
    const stores = createRedisStores(
      { url: slow.url },
      { prefix: 'slow-replies:', operationTimeoutMs: 5_000 },
    );
    const app = await startLimitedApp(express5, fake, { store: stores.spend });
    try {
      expect((await app.spend('sol', 'cost=1.2')).status).toBe(200);
      expect((await app.spend('sol', 'cost=0.1')).status).toBe(429);
      expect(await app.limiter.status('sol')).toMatchObject({ spentUsd: 1.2, limited: true });
      expect(app.warnings).toEqual([]);
    } finally {
      await app.close();
      await stores.close();
      await slow.close();
      await fresh.close();
    }
  });
});

/** A TCP proxy to Redis that holds each of Redis's replies `delayMs` before passing it on. */
async function startSlowProxy(port: number, delayMs: number) {
  const sockets = new Set<Socket>();
  const server = createTcpServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      setTimeout(() => client.writable && client.write(chunk), delayMs);
    });
    for (const socket of [client, upstream]) {
      socket.on('error', () => undefined);
      socket.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: proxyPort } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${proxyPort}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('spendLimit when things go wrong', () => {
  it('fails open on a store that throws or rejects, reporting once through the logger', async () => {
    for (const store of [
      {
        record: () => {
          throw new Error('store down');
        },
        buckets: () => {
          throw new Error('store down');
        },
      },
      {
        record: () => Promise.reject(new Error('store down')),
        buckets: () => Promise.reject(new Error('store down')),
      },
    ] satisfies SpendStore[]) {
      const app = await startLimitedApp(express5, fake, { store });
      try {
        for (let index = 0; index < 3; index += 1) {
          expect((await app.spend('judy', 'cost=2')).status).toBe(200);
        }
        await waitUntil(() => app.records.length === 3);
        await app.logger.flush();
        const storeWarnings = app.warnings.filter((warning) => warning.includes('spend store'));
        expect(storeWarnings).toHaveLength(1);
        expect(storeWarnings[0]).toContain('store down');
      } finally {
        await app.close();
      }
    }
  });

  it('a store whose writes never settle holds a check back 5 s at most, reported once', async () => {
    const recorded: string[] = [];
    const store: SpendStore = {
      record: (key) => {
        recorded.push(key);
        return new Promise<void>(() => undefined);
      },
      buckets: (_key, _windowMs, nowMs) => ({ nowMs, bucketMs: 60_000, buckets: [] }),
    };
    const app = await startLimitedApp(express5, fake, { store });
    try {
      expect((await app.spend('lou', 'cost=0.5')).status).toBe(200);
      expect((await app.spend('lou', 'cost=0.5')).status).toBe(200);
      expect(recorded).toContain('lou');
      const late = app.warnings.filter((warning) => warning.includes('has not finished'));
      expect(late).toHaveLength(1);
      expect(late[0]).toContain('after 5000 ms');
    } finally {
      await app.close();
    }
  }, 15_000);

  it('a key option that throws lets the request pass and is reported once', async () => {
    const app = await startLimitedApp(express5, fake, {
      key: () => {
        throw new Error('no session');
      },
    });
    try {
      expect((await app.spend('kim', 'cost=5')).status).toBe(200);
      expect((await app.spend('kim', 'cost=5')).status).toBe(200);
      expect(app.warnings.filter((warning) => warning.includes('key option threw'))).toHaveLength(
        1,
      );
    } finally {
      await app.close();
    }
  });

  it('a limiter mounted before its costLogger passes requests and says why, once', async () => {
    const warnings: string[] = [];
    const logger = costLogger({
      clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
      onRecord: () => undefined,
      logger: {
        info: () => undefined,
        warn: (_details, message) => warnings.push(String(message)),
      },
    });
    const limiter = spendLimit({ logger, key: () => 'leo', limitUsd: 0.5, windowMs: 60_000 });
    const app = express();
    app.use(limiter);
    app.use(logger);
    app.get('/spend', (_request, response) => {
      trackGeneration(fake.addGeneration().id, { costUsd: 1 });
      response.json({ ok: true });
    });
    const server = createServer(
      app as unknown as (request: IncomingMessage, response: ServerResponse) => void,
    );
    const url = await listen(server);
    try {
      expect((await fetch(`${url}/spend`)).status).toBe(200);
      expect((await fetch(`${url}/spend`)).status).toBe(200);
      expect(
        warnings.filter((warning) => warning.includes('not inside its costLogger')),
      ).toHaveLength(1);
    } finally {
      await closeServer(server);
      await logger.close({ timeoutMs: 300 });
    }
  });

  it('refuses bad options with an error naming the option', () => {
    const logger = costLogger({ onRecord: () => undefined });
    const base = { logger, key: () => 'x', limitUsd: 1, windowMs: 1_000 };
    expect(() => spendLimit({ ...base, limitUsd: 0 })).toThrow(
      /"limitUsd" must be a finite number above 0/,
    );
    expect(() => spendLimit({ ...base, limitUsd: Number.NaN })).toThrow(RangeError);
    expect(() => spendLimit({ ...base, windowMs: 1.5 })).toThrow(/"windowMs" must be an integer/);
    expect(() => spendLimit({ ...base, windowMs: undefined as never })).toThrow(
      /"window" .* or "windowMs" .* is required/,
    );
    expect(() => spendLimit({ ...base, window: 'month' })).toThrow(
      /give option "window" or "windowMs", not both/,
    );
    expect(() => spendLimit({ ...base, windowMs: undefined, window: 'year' as never })).toThrow(
      /"window" must be 'day', 'week', 'month'/,
    );
    expect(() => spendLimit({ ...base, key: 'user' as never })).toThrow(/"key" must be a function/);
    expect(() => spendLimit({ ...base, logger: (() => undefined) as never })).toThrow(
      /"logger" must be a costLogger/,
    );
    expect(() => spendLimit({ ...base, store: {} as never })).toThrow(
      /"store" must be a SpendStore/,
    );
  });
});

describe('spendLimit, fetch-style', () => {
  it('.fetch and .handle answer the 429 as a Web Response, and admit the others counted', async () => {
    const logger = costLogger({
      clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
      onRecord: () => undefined,
    });
    const limiter = spendLimit({
      logger,
      key: (request) => (request as Request).headers.get('x-user') ?? undefined,
      limitUsd: 0.5,
      windowMs: 60_000,
      message: (info) => `over budget (${info.spentUsd} USD)`,
    });
    const handler = limiter.handle(async (request: Request) => {
      const cost = Number(new URL(request.url).searchParams.get('cost'));
      trackGeneration(fake.addGeneration({ total_cost: cost }).id, { costUsd: cost });
      return Response.json({ ok: true });
    });
    // a node:http host handing Web Requests to the handler, inside the costLogger's flow
    const server = createServer((request, response) => {
      logger(request, response, () => {
        const headers = new Headers();
        const user = request.headers['x-user'];
        if (typeof user === 'string') headers.set('x-user', user);
        handler(new Request(`http://localhost${request.url}`, { headers })).then(async (answer) => {
          response.statusCode = answer.status;
          for (const [name, value] of answer.headers) response.setHeader(name, value);
          response.end(Buffer.from(await answer.arrayBuffer()));
        });
      });
    });
    const url = await listen(server);
    try {
      const get = (cost: number) => fetch(`${url}/?cost=${cost}`, { headers: { 'x-user': 'mia' } });
      expect((await get(0.6)).status).toBe(200);
      const refused = await get(0.1);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(30);
      expect(((await refused.json()) as { error: unknown }).error).toMatchObject({
        code: 429,
        message: 'over budget (0.6 USD)',
      });
      const direct = await limiter.fetch(
        new Request('http://localhost/', { headers: { 'x-user': 'mia' } }),
      );
      expect(direct?.status).toBe(429);
      expect(
        await limiter.fetch(new Request('http://localhost/', { headers: { 'x-user': 'ned' } })),
      ).toBeUndefined();
      expect(await limiter.fetch(new Request('http://localhost/'))).toBeUndefined();
    } finally {
      await closeServer(server);
      await logger.close({ timeoutMs: 300 });
    }
  });
});
