import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { SpendStore } from '@genmeta/core/server';
import type { FakeOpenRouter } from '@genmeta/fake-openrouter';
import type { RedisStores } from '@genmeta/redis';
import express from 'express';
import {
  costLogger,
  generationProxy,
  type SpendLimitOptions,
  spendLimit,
  trackGeneration,
} from '../../src/index.js';
import { closeServer, listen } from '../helpers.js';

/**
 * A real Express app on the `@genmeta/redis` stores: `/api/spend?cost=` (behind a spend limit
 * keyed by `x-user`) makes a generation at the fake costing `cost` and tracks it; the browser
 * asks `/api/genmeta/generation?id=` (the proxy, reading the shared registry and cache).
 */
export async function startGuardedApp(
  fake: FakeOpenRouter,
  stores: RedisStores,
  limit: Partial<Omit<SpendLimitOptions, 'logger'>> & { store?: SpendStore } = {},
) {
  const warnings: string[] = [];
  const clientOptions = { baseUrl: fake.url, apiKey: fake.apiKey, cache: stores.cache };
  const logger = costLogger({
    registry: stores.registry,
    clientOptions,
    onRecord: () => undefined,
    logger: {
      info: () => undefined,
      warn: (details, message) => warnings.push(`${message} ${JSON.stringify(details)}`),
    },
  });
  const limiter = spendLimit({
    logger,
    key: (request) => (request as IncomingMessage).headers['x-user'] as string | undefined,
    limitUsd: 1,
    windowMs: 60_000,
    store: stores.spend,
    ...limit,
  });
  const app = express();
  app.use(logger);
  app.use('/api/spend', limiter);
  app.get('/api/spend', (request, response) => {
    const cost = Number(new URL(request.url, 'http://localhost').searchParams.get('cost'));
    const { id } = fake.addGeneration({ total_cost: cost, usage: cost, is_byok: false });
    trackGeneration(id, { costUsd: cost, isByok: false });
    response.json({ id });
  });
  app.use('/api/genmeta', generationProxy({ registry: stores.registry, clientOptions }));
  const server = createServer(
    app as unknown as (request: IncomingMessage, response: ServerResponse) => void,
  );
  const url = await listen(server);
  return {
    url,
    warnings,
    limiter,
    logger,
    spend: (user: string, cost: number) =>
      fetch(`${url}/api/spend?cost=${cost}`, { headers: { 'x-user': user } }),
    proxy: (id: string) => fetch(`${url}/api/genmeta/generation?id=${encodeURIComponent(id)}`),
    async close() {
      await closeServer(server);
      await logger.close({ timeoutMs: 300 });
    },
  };
}
