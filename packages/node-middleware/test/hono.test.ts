import type { Server } from 'node:http';
import { createClient } from '@genmeta/core';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { costLogger, generationProxy, type HonoCostLogger } from '../src/adapters/hono.js';
import { type CostRecord, createTrackingFetch, trackGeneration } from '../src/index.js';
import { chat, closeServer, listen, waitUntil } from './helpers.js';

let fake: FakeOpenRouter;
beforeAll(async () => {
  fake = await startFakeOpenRouter();
});
afterAll(async () => {
  await fake.close();
});

let server: Server | undefined;
let genmeta: HonoCostLogger | undefined;
afterEach(async () => {
  if (server) await closeServer(server);
  await genmeta?.close();
  server = undefined;
  genmeta = undefined;
});

/** The README's Hono quick start, on a real socket. */
async function startApp(records: CostRecord[]): Promise<string> {
  genmeta = costLogger({
    clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
    onRecord: (record) => {
      records.push(record);
    },
  });
  const trackingFetch = createTrackingFetch();
  const app = new Hono();
  app.use(genmeta);
  app.post('/api/chat/:mode', async (c) => {
    const stream = c.req.param('mode') === 'stream';
    return c.json(await chat(trackingFetch, fake, 'hello', { stream }));
  });
  app.get('/api/track/:id', (c) => c.json({ tracked: trackGeneration(c.req.param('id')) }));
  app.get(
    '/api/genmeta/generation',
    generationProxy({
      clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
    }),
  );
  server = createAdaptorServer({ fetch: app.fetch }) as Server;
  return listen(server);
}

describe('@genmeta/node-middleware/hono', () => {
  it('emits one record per chat request with the route pattern', async () => {
    const records: CostRecord[] = [];
    const url = await startApp(records);
    const plain = await fetch(`${url}/api/chat/plain`, { method: 'POST' });
    const { id } = (await plain.json()) as { id: string };
    expect(plain.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const streamed = await fetch(`${url}/api/chat/stream`, {
      method: 'POST',
      headers: { 'x-request-id': 'hono-2' },
    });
    const second = (await streamed.json()) as { id: string; text: string };
    expect(second.text.length).toBeGreaterThan(0);
    await waitUntil(() => records.length === 2);
    const byId = new Map(records.map((record) => [record.requestId, record]));
    expect(byId.get('hono-2')).toMatchObject({
      method: 'POST',
      path: '/api/chat/stream',
      route: '/api/chat/:mode',
      statusCode: 200,
      aborted: false,
      generationIds: [second.id],
    });
    const first = records.find((record) => record.requestId !== 'hono-2');
    expect(first).toMatchObject({
      path: '/api/chat/plain',
      route: '/api/chat/:mode',
      generationIds: [id],
    });
    expect(first?.generations[0]?.total_cost).toBe(fake.generation(id)?.total_cost);
  });

  it("serves tracked ids to core's browser client through the proxy route, and refuses others", async () => {
    const records: CostRecord[] = [];
    const url = await startApp(records);
    const { id } = fake.addGeneration();
    const tracked = await fetch(`${url}/api/track/${id}`);
    expect(await tracked.json()).toEqual({ tracked: true });
    const browser = createClient({ baseUrl: `${url}/api/genmeta`, apiKey: null });
    expect((await browser.getGeneration(id)).id).toBe(id);
    const other = fake.addGeneration().id;
    const refused = await fetch(`${url}/api/genmeta/generation?id=${other}`);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('cache-control')).toBe('no-store');
  });

  it('emits the record of a streamed body once it was sent, or cancelled (aborted)', async () => {
    const records: CostRecord[] = [];
    genmeta = costLogger({
      clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
      onRecord: (record) => {
        records.push(record);
      },
    });
    const app = new Hono();
    app.use(genmeta);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    app.get('/api/stream/:hold', (c) => {
      const { id } = fake.addGeneration();
      trackGeneration(id);
      const hold = c.req.param('hold') === 'hold';
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(new TextEncoder().encode(`${id}\n`));
          if (hold) await held;
          else controller.close();
        },
      });
      return c.body(body, 200, { 'content-type': 'text/plain' });
    });
    server = createAdaptorServer({ fetch: app.fetch }) as Server;
    const url = await listen(server);

    const whole = await (await fetch(`${url}/api/stream/all`)).text();
    await waitUntil(() => records.length === 1);
    expect(records[0]).toMatchObject({
      route: '/api/stream/:hold',
      aborted: false,
      generationIds: [whole.trim()],
    });

    const controller = new AbortController();
    const partial = await fetch(`${url}/api/stream/hold`, { signal: controller.signal });
    const reader = partial.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value).trim();
    controller.abort();
    await waitUntil(() => records.length === 2);
    expect(records[1]).toMatchObject({ aborted: true, generationIds: [first] });
    release();
  });

  it('records null as the route when no route matched', async () => {
    const records: CostRecord[] = [];
    genmeta = costLogger({
      clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
      emitEmpty: true,
      onRecord: (record) => {
        records.push(record);
      },
    });
    const app = new Hono();
    app.use(genmeta);
    server = createAdaptorServer({ fetch: app.fetch }) as Server;
    const url = await listen(server);
    expect((await fetch(`${url}/nowhere`)).status).toBe(404);
    await waitUntil(() => records.length === 1);
    expect(records[0]).toMatchObject({ path: '/nowhere', route: null, statusCode: 404 });
  });
});
