import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CostRecord } from '../src/index.js';
import {
  type ChatResult,
  expectedSpend,
  expressVersions,
  fetchWithoutGenerationHeader,
  postJson,
  roundUsd,
  startTestApp,
  type TestAppHandle,
} from './helpers.js';

let fake: FakeOpenRouter;
beforeAll(async () => {
  fake = await startFakeOpenRouter({ chunkDelayMs: 1 });
});
afterAll(async () => {
  await fake.close();
});

function resultsOf(body: unknown): ChatResult[] {
  return (body as { results: ChatResult[] }).results;
}

function checkRecordAgainstFake(record: CostRecord, ids: string[]): void {
  expect(record.generationIds).toEqual(ids);
  expect(record.unresolved).toEqual([]);
  expect(record.generations.map((generation) => generation.id)).toEqual(ids);
  let total = 0;
  for (const generation of record.generations) {
    const stored = fake.generation(generation.id)!;
    const spend = expectedSpend(stored);
    total += spend;
    expect(generation.spendUsd).toBe(spend);
    expect(generation.total_cost).toBe(stored.total_cost);
    expect(generation.model).toBe(stored.model);
    expect(generation.provider).toBe(stored.provider_name);
    expect(generation.tokens.prompt).toBe(stored.tokens_prompt);
    expect(generation.tokens.completion).toBe(stored.tokens_completion);
    expect(generation.latency).toBe(stored.latency);
    expect(generation.finish_reason).toBe(stored.finish_reason);
    expect(generation.streamed).toBe(stored.streamed);
    // the tracking fetch saw usage.cost inline: it equals what OpenRouter charged
    expect(generation.inlineCostUsd).toBe(stored.total_cost);
  }
  expect(record.spendUsd).toBe(roundUsd(total));
  expect(record.knownSpendUsd).toBe(roundUsd(total));
  expect(record.spendComplete).toBe(true);
}

describe.each(expressVersions)('costLogger on %s', (_name, express) => {
  let app: TestAppHandle;
  afterEach(async () => {
    await app?.close();
  });

  describe.each([1, 2, 5])('%i generation(s) per request', (count) => {
    it.each([
      ['sequential', false],
      ['sequential', true],
      ['parallel', false],
      ['parallel', true],
    ] as const)('%s, streamed: %s, sums exactly in one record', async (mode, stream) => {
      app = await startTestApp(express, { fake });
      const response = await postJson(`${app.url}/api/chat/${mode}`, {
        count,
        stream,
        prompt: `p-${mode}-${stream}`,
      });
      expect(response.status).toBe(200);
      const results = resultsOf(response.body);
      expect(results).toHaveLength(count);
      results.forEach((result, index) => {
        expect(result.text).toBe(`You said: p-${mode}-${stream} ${index}`);
      });
      const [record] = await app.waitForRecords(1);
      expect(app.records).toHaveLength(1);
      const ids = results.map((result) => result.id!);
      // parallel calls may record in completion order
      const expectedOrder = mode === 'parallel' ? record!.generationIds : ids;
      expect([...record!.generationIds].sort()).toEqual([...ids].sort());
      checkRecordAgainstFake(record!, expectedOrder);
      expect(record!.method).toBe('POST');
      expect(record!.path).toBe(`/api/chat/${mode}`);
      expect(record!.route).toBe('/api/chat/:mode');
      expect(record!.statusCode).toBe(200);
      expect(record!.aborted).toBe(false);
      expect(record!.requestId).toBe(response.headers.get('x-request-id'));
      expect(Number.isNaN(Date.parse(record!.startedAt))).toBe(false);
      expect(record!.durationMs).toBeGreaterThan(0);
    });
  });

  it('finds ids in the body and the first SSE chunk when X-Generation-Id is missing', async () => {
    app = await startTestApp(express, { fake, baseFetch: fetchWithoutGenerationHeader });
    const json = await postJson(`${app.url}/api/chat/sequential`, { count: 2, stream: false });
    const streamed = await postJson(`${app.url}/api/chat/sequential`, { count: 2, stream: true });
    const records = await app.waitForRecords(2);
    const byRequest = new Map(records.map((record) => [record.requestId, record]));
    for (const response of [json, streamed]) {
      const record = byRequest.get(response.headers.get('x-request-id')!)!;
      checkRecordAgainstFake(
        record,
        resultsOf(response.body).map((result) => result.id!),
      );
    }
  });

  it('counts BYOK spend as fee plus upstream cost, never double', async () => {
    app = await startTestApp(express, { fake });
    const response = await postJson(`${app.url}/api/chat/parallel`, {
      count: 2,
      stream: true,
      byok: true,
    });
    const [record] = await app.waitForRecords(1);
    const ids = resultsOf(response.body).map((result) => result.id!);
    let total = 0;
    for (const id of ids) {
      const stored = fake.generation(id)!;
      expect(stored.is_byok).toBe(true);
      total += (stored.total_cost as number) + (stored.upstream_inference_cost as number);
      const entry = record!.generations.find((generation) => generation.id === id)!;
      expect(entry.is_byok).toBe(true);
      expect(entry.spendUsd).toBe(
        (stored.total_cost as number) + (stored.upstream_inference_cost as number),
      );
    }
    expect(record!.spendUsd).toBe(roundUsd(total));
  });

  it('keeps 50 concurrent requests apart', async () => {
    app = await startTestApp(express, { fake, logger: { concurrency: 8 } });
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        postJson(
          `${app.url}/api/chat/${index % 2 === 0 ? 'parallel' : 'sequential'}`,
          { count: 1 + (index % 3), stream: index % 4 < 2, prompt: `r${index}` },
          { 'x-request-id': `request-${index}` },
        ),
      ),
    );
    const records = await app.waitForRecords(50, 20_000);
    expect(records).toHaveLength(50);
    const byRequest = new Map(records.map((record) => [record.requestId, record]));
    responses.forEach((response, index) => {
      expect(response.status).toBe(200);
      const record = byRequest.get(`request-${index}`)!;
      const ids = resultsOf(response.body).map((result) => result.id!);
      expect([...record.generationIds].sort()).toEqual([...ids].sort());
      expect(record.unresolved).toEqual([]);
    });
    const allIds = records.flatMap((record) => record.generationIds);
    expect(new Set(allIds).size).toBe(allIds.length);
  });

  it('tracks through trackGeneration, res.locals and nested routers', async () => {
    app = await startTestApp(express, { fake });
    const first = fake.addGeneration();
    const second = fake.addGeneration();
    const tracked = await fetch(`${app.url}/api/track/${first.id}`);
    expect(await tracked.json()).toEqual({ tracked: true });
    const locals = await fetch(`${app.url}/api/locals/${second.id}`);
    const localsBody = (await locals.json()) as { requestId: string; generationIds: string[] };
    expect(localsBody.generationIds).toEqual([second.id]);
    expect(localsBody.requestId).toBe(locals.headers.get('x-request-id'));
    const nested = await fetch(`${app.url}/api/nested/items/${first.id}?secret=x`);
    expect(nested.status).toBe(200);
    const records = await app.waitForRecords(3);
    const routes = records.map((record) => [record.route, record.path]).sort();
    expect(routes).toEqual([
      ['/api/locals/:id', `/api/locals/${second.id}`],
      ['/api/nested/items/:itemId', `/api/nested/items/${first.id}`],
      ['/api/track/:id', `/api/track/${first.id}`],
    ]);
  });

  it('emits nothing for requests without ids unless emitEmpty, and honours skip', async () => {
    app = await startTestApp(express, { fake });
    await fetch(`${app.url}/api/plain`);
    const id = fake.addGeneration().id;
    await fetch(`${app.url}/api/track/${id}`);
    await app.waitForRecords(1);
    expect(app.records).toHaveLength(1);
    await app.close();

    app = await startTestApp(express, {
      fake,
      logger: {
        emitEmpty: true,
        skip: (request) => request.url?.startsWith('/api/nested') === true,
      },
    });
    await fetch(`${app.url}/api/plain`);
    const skipped = await fetch(`${app.url}/api/nested/items/${id}`);
    expect(skipped.headers.get('x-request-id')).toBeNull();
    const [record] = await app.waitForRecords(1);
    await app.logger.flush();
    expect(app.records).toHaveLength(1);
    expect(record).toMatchObject({
      path: '/api/plain',
      generationIds: [],
      generations: [],
      unresolved: [],
      spendUsd: 0,
      spendComplete: true,
    });
  });

  it('takes a valid incoming x-request-id and replaces an invalid one', async () => {
    app = await startTestApp(express, { fake });
    const id = fake.addGeneration().id;
    const kept = await fetch(`${app.url}/api/track/${id}`, {
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(kept.headers.get('x-request-id')).toBe('abc-123');
    const replaced = await fetch(`${app.url}/api/track/${id}`, {
      headers: { 'x-request-id': 'has spaces and is bad' },
    });
    const generated = replaced.headers.get('x-request-id')!;
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const tooLong = await fetch(`${app.url}/api/track/${id}`, {
      headers: { 'x-request-id': 'x'.repeat(200) },
    });
    expect(tooLong.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const records = await app.waitForRecords(3);
    expect(records.map((record) => record.requestId)).toContain('abc-123');
    expect(records.map((record) => record.requestId)).toContain(generated);
  });
});
