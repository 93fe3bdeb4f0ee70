// costLogger({ lookup }): cost from the answer itself, over real sockets (Express, a fetch-style
// host, the openai SDK with the tracking fetch, the fake).
import { createServer } from 'node:http';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import express from 'express';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type CostLoggerOptions,
  type CostRecord,
  costLogger,
  createTrackingFetch,
  spendLimit,
  trackGeneration,
} from '../src/index.js';
import { serveFetch, startGateway } from './fetch-host.js';
import { chat, closeServer, expectedSpend, listen, roundUsd, waitUntil } from './helpers.js';

let fake: FakeOpenRouter;
beforeAll(async () => {
  fake = await startFakeOpenRouter({ chunkDelayMs: 20 });
});
afterAll(async () => {
  await fake.close();
});
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  fake.reset();
});

const lookupsMade = () => fake.calls.filter((call) => call.path === '/api/v1/generation');

/** A real Express app: `/chat` calls the fake (or `upstream`) through the tracking fetch. */
async function startApp(options: CostLoggerOptions, upstream = fake.url, key = fake.apiKey) {
  const records: CostRecord[] = [];
  const warnings: Array<{ details: object; message: string }> = [];
  const logger = costLogger({
    clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
    onRecord: (record) => {
      records.push(record);
    },
    logger: {
      info: () => undefined,
      warn: (details, message = '') => warnings.push({ details, message }),
    },
    ...options,
  });
  const trackingFetch = createTrackingFetch(undefined, { baseUrl: fake.url });
  const app = express();
  app.use(logger);
  app.post('/chat', async (request, response) => {
    const stream = request.query.stream === 'true';
    const byok = request.query.byok === 'true';
    const answer = await trackingFetch(`${upstream}/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        ...(byok ? { 'x-fake-byok': 'true' } : {}),
      },
      body: JSON.stringify({
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user', content: 'tell me a long story about lookups' }],
        stream,
      }),
    });
    if (request.query.abort === 'true') {
      // the first chunk, then the caller gives up: no usage ever arrives
      const reader = answer.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      await reader.cancel();
      response.json({ id: /"id":"(gen-[^"]+)"/.exec(first)?.[1] });
      return;
    }
    if (stream) {
      response.json({
        id: (await chat((async () => answer) as typeof fetch, fake, '', { stream: true })).id,
      });
      return;
    }
    response.json({ id: ((await answer.json()) as { id: string }).id });
  });
  app.get('/track/:id', (request, response) => {
    const cost = request.query.cost;
    response.json({
      tracked: trackGeneration(
        request.params.id,
        cost === undefined ? undefined : { costUsd: Number(cost), isByok: false },
      ),
    });
  });
  const server = createServer(app);
  const url = await listen(server);
  cleanups.push(async () => {
    await closeServer(server);
    await logger.close({ timeoutMs: 300 });
  });
  const post = async (query = '') => {
    const response = await fetch(`${url}/chat?${query}`, { method: 'POST' });
    return (await response.json()) as { id: string };
  };
  return { url, records, warnings, logger, post };
}

async function oneRecord(app: Awaited<ReturnType<typeof startApp>>): Promise<CostRecord> {
  await waitUntil(() => app.records.length === 1);
  await app.logger.flush();
  return app.records[0]!;
}

describe("lookup: 'always' (the default)", () => {
  it('looks every generation up, inline cost or not, and says so (costSource: lookup)', async () => {
    const app = await startApp({});
    const { id } = await app.post();
    const record = await oneRecord(app);
    expect(record.generations).toMatchObject([{ id, costSource: 'lookup' }]);
    expect(record.spendUsd).toBe(fake.generation(id)?.total_cost);
    expect(lookupsMade().map((call) => call.id)).toEqual([id]);
    expect(app.logger.stats).toMatchObject({ lookups: 1, inline: 0, lookupsDropped: 0 });
  });

  it('rejects an unknown mode with a RangeError naming the option', () => {
    expect(() => costLogger({ lookup: 'sometimes' as 'always' })).toThrow(
      /costLogger: option "lookup" must be one of 'always', 'missing', 'never' \(got "sometimes"\)/,
    );
  });
});

describe("lookup: 'missing'", () => {
  it.each([
    ['a JSON answer', ''],
    ['a stream', 'stream=true'],
  ])('prices %s from its inline cost, with no lookup', async (_name, query) => {
    const app = await startApp({ lookup: 'missing' });
    const { id } = await app.post(query);
    const record = await oneRecord(app);
    const generation = fake.generation(id)!;
    expect(record.generations).toEqual([
      expect.objectContaining({
        id,
        costSource: 'inline',
        model: 'openai/gpt-4o-mini',
        provider: generation.provider_name,
        spendUsd: generation.total_cost,
        total_cost: generation.total_cost,
        is_byok: false,
        streamed: query !== '',
        latency: null,
        tokens: expect.objectContaining({
          prompt: generation.tokens_prompt,
          completion: generation.tokens_completion,
        }),
      }),
    ]);
    expect(record).toMatchObject({ spendUsd: generation.total_cost, spendComplete: true });
    expect(lookupsMade()).toEqual([]);
    expect(app.logger.stats).toMatchObject({ lookups: 0, inline: 1 });
  });

  it('prices a BYOK answer as its cost plus the upstream cost the answer carried', async () => {
    const app = await startApp({ lookup: 'missing' });
    const { id } = await app.post('byok=true');
    const record = await oneRecord(app);
    const generation = fake.generation(id)!;
    expect(generation.is_byok).toBe(true);
    const spend = roundUsd(expectedSpend(generation));
    expect(spend).toBeGreaterThan(generation.total_cost as number);
    expect(record.generations[0]).toMatchObject({ costSource: 'inline', is_byok: true });
    expect(record.spendUsd).toBe(spend);
    expect(lookupsMade()).toEqual([]);
  });

  it('looks up an aborted stream (its usage never came)', async () => {
    const app = await startApp({ lookup: 'missing' });
    const { id } = await app.post('stream=true&abort=true');
    expect(id).toMatch(/^gen-/);
    const record = await oneRecord(app);
    expect(record.generations).toMatchObject([{ id, costSource: 'lookup', cancelled: true }]);
    expect(lookupsMade().map((call) => call.id)).toContain(id);
    expect(app.logger.stats).toMatchObject({ inline: 0, lookups: 1 });
  });

  it("looks up an untrusted answer's id, never trusting its inline cost", async () => {
    const gateway = await startGateway(fake.url, { apiKey: fake.apiKey });
    cleanups.push(() => gateway.close());
    // a gateway the app did not name in trustedOrigins, called with a key that is not OpenRouter's
    const app = await startApp({ lookup: 'missing' }, gateway.url, 'gateway-key');
    const { id } = await app.post();
    const record = await oneRecord(app);
    expect(record.generations).toMatchObject([
      { id, costSource: 'lookup', inlineCostIgnored: 'untrusted' },
    ]);
    expect(record.spendUsd).toBe(fake.generation(id)?.total_cost);
    expect(lookupsMade().map((call) => call.id)).toEqual([id]);
  });

  it('works the same in a fetch-style handler, with the openai SDK on the tracking fetch', async () => {
    const records: CostRecord[] = [];
    const genmeta = costLogger({
      clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
      onRecord: (record) => {
        records.push(record);
      },
      lookup: 'missing',
    });
    const openai = new OpenAI({
      baseURL: fake.url,
      apiKey: fake.apiKey,
      fetch: createTrackingFetch(),
    });
    const served = await serveFetch(
      genmeta.handle(async () => {
        const completion = await openai.chat.completions.create({
          model: 'openai/gpt-4o-mini',
          messages: [{ role: 'user', content: 'hello' }],
        });
        return Response.json({ id: completion.id });
      }),
    );
    cleanups.push(async () => {
      await served.close();
      await genmeta.close();
    });
    const { id } = (await (await fetch(served.url, { method: 'POST' })).json()) as { id: string };
    await waitUntil(() => records.length === 1);
    expect(records[0]?.generations).toMatchObject([{ id, costSource: 'inline' }]);
    expect(records[0]?.spendUsd).toBe(fake.generation(id)?.total_cost);
    expect(lookupsMade()).toEqual([]);
  });
});

describe("lookup: 'never'", () => {
  it('leaves a cost no answer carried unknown (null, not_looked_up), never 0, and looks nothing up', async () => {
    const app = await startApp({ lookup: 'never' });
    const id = fake.addGeneration().id;
    await fetch(`${app.url}/track/${id}`);
    const record = await oneRecord(app);
    expect(record.generations).toEqual([]);
    expect(record.unresolved).toEqual([{ id, reason: 'not_looked_up' }]);
    expect(record).toMatchObject({ spendUsd: null, knownSpendUsd: 0, spendComplete: false });
    expect(lookupsMade()).toEqual([]);
  });

  it('still prices answers that carried their cost', async () => {
    const app = await startApp({ lookup: 'never' });
    const { id } = await app.post('stream=true');
    const record = await oneRecord(app);
    expect(record.generations).toMatchObject([{ id, costSource: 'inline' }]);
    expect(record.spendUsd).toBe(fake.generation(id)?.total_cost);
    expect(lookupsMade()).toEqual([]);
  });
});

describe('a spend limit over inline costs', () => {
  it('refuses the next request on the inline cost alone, before any lookup', async () => {
    const records: CostRecord[] = [];
    const logger = costLogger({
      clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
      onRecord: (record) => {
        records.push(record);
      },
      lookup: 'missing',
    });
    const trackingFetch = createTrackingFetch();
    const app = express();
    app.use(logger);
    app.use(spendLimit({ logger, key: () => 'alice', limitUsd: 1e-9, windowMs: 60_000 }));
    app.post('/chat', async (_request, response) => {
      const answer = await trackingFetch(`${fake.url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'openai/gpt-4o-mini',
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
      response.json(await answer.json());
    });
    const server = createServer(app);
    const url = await listen(server);
    cleanups.push(async () => {
      await closeServer(server);
      await logger.close({ timeoutMs: 300 });
    });
    expect((await fetch(`${url}/chat`, { method: 'POST' })).status).toBe(200);
    const refused = await fetch(`${url}/chat`, { method: 'POST' });
    expect(refused.status).toBe(429);
    // the calls the fake saw up to the refusal: one completion, no lookup
    expect(fake.calls.map((call) => call.path)).toEqual(['/api/v1/chat/completions']);
    await waitUntil(() => records.length === 1);
    expect(records[0]?.generations[0]?.costSource).toBe('inline');
  });
});

describe('lookups dropped under load', () => {
  it('lists every lookup a full queue dropped as overloaded, counts it in stats and warns it', async () => {
    const slow = await startFakeOpenRouter({ statsDelayMs: 150 });
    cleanups.push(() => slow.close());
    const app = await startApp({
      clientOptions: { baseUrl: slow.url, apiKey: slow.apiKey },
      concurrency: 1,
      maxPending: 2,
      lookup: 'missing',
    });
    const ids = Array.from({ length: 40 }, () => slow.addGeneration().id);
    // every fourth one carries its cost: it needs no lookup and is never dropped
    const inline = new Set(ids.filter((_id, index) => index % 4 === 0));
    await Promise.all(
      ids.map((id) => fetch(`${app.url}/track/${id}${inline.has(id) ? '?cost=0.01' : ''}`)),
    );
    await waitUntil(() => app.records.length === ids.length);
    await app.logger.flush();
    const overloaded = app.records.flatMap((record) =>
      record.unresolved.filter((entry) => entry.reason === 'overloaded').map((entry) => entry.id),
    );
    const lookedUp = slow.calls.filter((call) => call.path === '/api/v1/generation');
    const { stats } = app.logger;
    expect(overloaded.length).toBeGreaterThan(0);
    expect(stats.lookupsDropped).toBe(overloaded.length);
    expect(stats.inline).toBe(inline.size);
    expect(stats.lookups + stats.lookupsDropped + stats.inline).toBe(ids.length);
    for (const id of overloaded) expect(inline.has(id)).toBe(false);
    expect(new Set(lookedUp.map((call) => call.id)).size).toBe(stats.lookups);
    const warned = app.warnings
      .map(({ details }) => (details as { lookupsDropped?: number }).lookupsDropped ?? 0)
      .reduce((sum, count) => sum + count, 0);
    expect(warned).toBe(overloaded.length);
  });
});
