import { createClient } from '@genmeta/core';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { costLogger, generationProxy } from '../src/adapters/fastify.js';
import { type CostRecord, createTrackingFetch, trackGeneration } from '../src/index.js';
import { chat, waitUntil } from './helpers.js';

let fake: FakeOpenRouter;
beforeAll(async () => {
  fake = await startFakeOpenRouter();
});
afterAll(async () => {
  await fake.close();
});

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The README's Fastify quick start, on a real socket. */
async function startApp(records: CostRecord[], extra?: (app: FastifyInstance) => void) {
  app = Fastify();
  await app.register(
    costLogger({
      clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
      onRecord: (record) => {
        records.push(record);
      },
    }),
  );
  const trackingFetch = createTrackingFetch();
  app.post<{ Params: { mode: string }; Body: { prompt?: string } }>(
    '/api/chat/:mode',
    async (request) => {
      const stream = request.params.mode === 'stream';
      return chat(trackingFetch, fake, request.body?.prompt ?? 'hello', { stream });
    },
  );
  app.get<{ Params: { id: string } }>('/api/track/:id', async (request) => ({
    tracked: trackGeneration(request.params.id),
  }));
  app.get(
    '/api/genmeta/generation',
    generationProxy({ clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey } }),
  );
  extra?.(app);
  return app.listen({ port: 0, host: '127.0.0.1' });
}

describe('@genmeta/node-middleware/fastify', () => {
  it('emits one record per request with the route pattern, with a parsed JSON body', async () => {
    const records: CostRecord[] = [];
    const url = await startApp(records);
    const answers = await Promise.all(
      ['plain', 'stream', 'plain', 'stream'].map(async (mode, index) => {
        const response = await fetch(`${url}/api/chat/${mode}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': `fastify-${index}` },
          body: JSON.stringify({ prompt: `prompt ${index}` }),
        });
        expect(response.headers.get('x-request-id')).toBe(`fastify-${index}`);
        return (await response.json()) as { id: string };
      }),
    );
    await waitUntil(() => records.length === 4);
    for (const [index, answer] of answers.entries()) {
      const record = records.find((candidate) => candidate.requestId === `fastify-${index}`);
      expect(record).toMatchObject({
        method: 'POST',
        path: `/api/chat/${index % 2 === 0 ? 'plain' : 'stream'}`,
        route: '/api/chat/:mode',
        statusCode: 200,
        aborted: false,
        generationIds: [answer.id],
      });
      expect(record?.generations[0]?.total_cost).toBe(fake.generation(answer.id)?.total_cost);
    }
  });

  it("serves tracked ids to core's browser client through the proxy route, and refuses others", async () => {
    const records: CostRecord[] = [];
    const url = await startApp(records);
    const { id } = fake.addGeneration();
    expect(await (await fetch(`${url}/api/track/${id}`)).json()).toEqual({ tracked: true });
    const browser = createClient({ baseUrl: `${url}/api/genmeta`, apiKey: null });
    expect((await browser.getGeneration(id)).id).toBe(id);
    const refused = await fetch(`${url}/api/genmeta/generation?id=${fake.addGeneration().id}`);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 403 } });
    const invalid = await fetch(`${url}/api/genmeta/generation?id=bad%20id`);
    expect(invalid.status).toBe(400);
  });

  it('keeps a request without tracking apart from the one before it on the same connection', async () => {
    const records: CostRecord[] = [];
    const url = await startApp(records, (instance) => {
      instance.get('/api/plain', async () => ({
        tracked: trackGeneration(fake.addGeneration().id),
      }));
    });
    // one keep-alive connection (undici reuses it): the second request must get its own context
    const first = await fetch(`${url}/api/chat/plain`, { method: 'POST' });
    await first.json();
    const second = await fetch(`${url}/api/plain`);
    expect(await second.json()).toEqual({ tracked: true });
    await waitUntil(() => records.length === 2);
    expect(records.map((record) => record.route).sort()).toEqual(['/api/chat/:mode', '/api/plain']);
    expect(records.every((record) => record.generationIds.length === 1)).toBe(true);
  });

  it('flushes its records when the app closes', async () => {
    const records: CostRecord[] = [];
    const url = await startApp(records);
    const response = await fetch(`${url}/api/chat/plain`, { method: 'POST' });
    const { id } = (await response.json()) as { id: string };
    // no waiting for the record: closing the app flushes it
    await app?.close();
    app = undefined;
    expect(records.map((record) => record.generationIds)).toEqual([[id]]);
    expect(records[0]?.generations).toHaveLength(1);
  });
});
