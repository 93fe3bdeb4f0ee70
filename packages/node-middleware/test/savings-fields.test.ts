import { createServer } from 'node:http';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CostRecord, costLogger, trackGeneration } from '../src/index.js';
import { closeServer, listen, waitUntil } from './helpers.js';

let fake: FakeOpenRouter;
beforeAll(async () => {
  fake = await startFakeOpenRouter();
});
afterAll(async () => {
  await fake.close();
});

describe('the record carries what savings and waste need', () => {
  it('response-cache source, search results, failed attempts; nothing extra on a plain generation', async () => {
    const source = fake.addPricedGeneration({ cachedTokens: 300 });
    const hit = fake.addPricedGeneration({ responseCacheHitOf: source.id });
    const searched = fake.addPricedGeneration({
      searchResults: 4,
      failedAttempts: [
        { provider: 'Azure', status: 429, latencyMs: 150 },
        { provider: 'Azure', status: 503, latencyMs: 90 },
      ],
    });
    const failed = fake.addPricedGeneration({ failed: true, cancelled: true });
    const plain = fake.addGeneration();
    const records: CostRecord[] = [];
    const logger = costLogger({
      clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
      logger: { info: (record) => records.push(record as CostRecord) },
    });
    const server = createServer((request, response) =>
      logger(request, response, () => {
        for (const generation of [source, hit, searched, failed, plain])
          trackGeneration(generation.id);
        response.end('ok');
      }),
    );
    const url = await listen(server);
    try {
      await fetch(url);
      await waitUntil(() => records.length === 1);
      const [sourceEntry, hitEntry, searchedEntry, failedEntry, plainEntry] =
        records[0]?.generations ?? [];
      expect(sourceEntry?.cache_discount).toBe(source.cache_discount);
      expect(sourceEntry?.tokens).toMatchObject({ cached: 300, nativePrompt: 1000 });
      expect(hitEntry?.response_cache_source_id).toBe(source.id);
      expect(searchedEntry).toMatchObject({
        num_search_results: 4,
        failedAttempts: { count: 2, latencyMs: 240 },
      });
      expect(failedEntry).toMatchObject({ finish_reason: 'error', cancelled: true });
      expect(failedEntry?.failedAttempts).toBeUndefined();
      for (const name of [
        'response_cache_source_id',
        'num_search_results',
        'num_fetches',
        'failedAttempts',
      ]) {
        expect(plainEntry).not.toHaveProperty(name);
      }
    } finally {
      await closeServer(server);
      await logger.close({ timeoutMs: 300 });
    }
  });
});
