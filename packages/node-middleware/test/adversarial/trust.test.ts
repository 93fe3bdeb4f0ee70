// Issue 19 items 1 and 2: what a third party's answer may and may not do through the tracking fetch.
import { createServer } from 'node:http';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CostRecord,
  costLogger,
  createMemoryRegistry,
  createTrackingFetch,
  generationProxy,
  spendLimit,
} from '../../src/index.js';
import { closeServer, listen, waitUntil } from '../helpers.js';
import {
  chatAt,
  completion,
  type Hostile,
  newId,
  type PeerServer,
  startHostile,
  startPeer,
  TEST_KEY,
} from './hostile.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A page anyone could put on the web: it claims a generation and a cost. */
async function startPlantingPage(id: () => string, cost: number): Promise<PeerServer> {
  const page = await startPeer((_request, response) => {
    const planted = id();
    response.writeHead(200, { 'content-type': 'application/json', 'x-generation-id': planted });
    response.end(JSON.stringify({ id: planted, usage: { cost, is_byok: false } }));
  });
  cleanups.push(() => page.close());
  return page;
}

describe('a negative cost from a third party (item 1)', () => {
  /** An app whose chat route reads a page (a tool call), then calls OpenRouter. */
  async function startChatApp(upstream: Hostile, page: PeerServer) {
    const records: CostRecord[] = [];
    const logger = costLogger({
      clientOptions: { baseUrl: upstream.url, apiKey: TEST_KEY, deadlineMs: 200, maxRetries: 0 },
      onRecord: (record) => {
        records.push(record);
      },
      logger: { info: () => undefined, warn: () => undefined },
    });
    const limiter = spendLimit({
      logger,
      key: (request) => String((request as { headers: Record<string, unknown> }).headers['x-user']),
      limitUsd: 1,
      windowMs: 60_000,
    });
    const trackingFetch = createTrackingFetch();
    const app = express();
    app.use(logger);
    app.use(limiter);
    app.post('/chat', async (_request, response) => {
      await (await trackingFetch(`${page.url}/preview`)).json();
      await (await chatAt(trackingFetch, upstream.url)).json();
      response.json({ ok: true });
    });
    const server = createServer(app);
    const url = await listen(server);
    cleanups.push(async () => {
      await closeServer(server);
      await logger.close({ timeoutMs: 300 });
    });
    const chat = (user: string) =>
      fetch(`${url}/chat`, { method: 'POST', headers: { 'x-user': user } });
    return { records, chat, logger };
  }

  it('does not reset a spend limit: a user limited to $1 gets 2 chats at $0.60, like a control user', async () => {
    const upstream = await startHostile((_request, response) => {
      const id = newId();
      response.writeHead(200, { 'content-type': 'application/json', 'x-generation-id': id });
      response.end(completion(id, 0.6));
    });
    cleanups.push(() => upstream.close());
    const hostilePage = await startPlantingPage(newId, -1000);
    const app = await startChatApp(upstream, hostilePage);
    const statuses: number[] = [];
    for (let index = 0; index < 11; index += 1) statuses.push((await app.chat('attacker')).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(2);
    expect(statuses.slice(2).every((status) => status === 429)).toBe(true);

    await waitUntil(() => app.records.length >= 2);
    await app.logger.flush();
    const [first] = app.records;
    // the page's id is recorded and looked up, but its cost is not believed
    const planted = first!.unresolved.find((entry) => entry.inlineCostIgnored === 'untrusted');
    expect(planted).toBeDefined();
    expect(planted!.inlineSpendUsd).toBeUndefined();
    expect(first!.knownSpendUsd).toBe(0.6);
    expect(first!.spendUsd).toBeNull();
  });

  it.each([
    ['negative', -5],
    ['above_cap', 5_000],
  ])(
    'never counts a %s inline cost from OpenRouter itself, and the record says why',
    async (reason, cost) => {
      const upstream = await startHostile((_request, response) => {
        const id = newId();
        response.writeHead(200, { 'content-type': 'application/json', 'x-generation-id': id });
        response.end(completion(id, cost));
      });
      cleanups.push(() => upstream.close());
      const quietPage = await startPeer((_request, response) => response.end('{}'));
      cleanups.push(() => quietPage.close());
      const app = await startChatApp(upstream, quietPage);
      for (let index = 0; index < 3; index += 1) expect((await app.chat('u')).status).toBe(200);
      await waitUntil(() => app.records.length >= 3);
      await app.logger.flush();
      for (const record of app.records) {
        expect(record.unresolved[0]).toMatchObject({ inlineCostIgnored: reason });
        expect(record.unresolved[0]!.inlineSpendUsd).toBeUndefined();
        expect(record.knownSpendUsd).toBe(0);
        expect(record.spendUsd).toBeNull();
      }
    },
  );
});

describe('a planted id (item 2)', () => {
  let fake: FakeOpenRouter | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('never reaches the registry: the proxy keeps answering 403 for it', async () => {
    fake = await startFakeOpenRouter();
    const open = fake;
    const victim = open.addGeneration().id;
    const page = await startPlantingPage(() => victim, 0.01);
    const registry = createMemoryRegistry();
    const records: CostRecord[] = [];
    const clientOptions = { baseUrl: open.url, apiKey: open.apiKey };
    const logger = costLogger({
      clientOptions,
      registry,
      onRecord: (record) => {
        records.push(record);
      },
      logger: { info: () => undefined, warn: () => undefined },
    });
    const proxy = generationProxy({ clientOptions, registry });
    const trackingFetch = createTrackingFetch();
    const app = express();
    app.use(logger);
    app.use('/api/genmeta', proxy);
    app.post('/preview', async (_request, response) => {
      response.json(await (await trackingFetch(`${page.url}/link`)).json());
    });
    app.post('/chat', async (_request, response) => {
      // the app's own OpenRouter call: trusted (the client's origin)
      const answer = await trackingFetch(`${open.url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${open.apiKey}`, 'content-type': 'application/json' },
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
    const serve = async (id: string) =>
      (await fetch(`${url}/api/genmeta/generation?id=${encodeURIComponent(id)}`)).status;

    expect(await serve(victim)).toBe(403);
    expect((await fetch(`${url}/preview`, { method: 'POST' })).status).toBe(200);
    const own = ((await (await fetch(`${url}/chat`, { method: 'POST' })).json()) as { id: string })
      .id;
    await waitUntil(() => records.length >= 2);
    await logger.flush();
    expect(await serve(victim)).toBe(403);
    expect(registry.has(victim)).toBe(false);
    expect(await serve(own)).toBe(200);
    // the planted id is still in its record, looked up with the server's key
    expect(records.flatMap((record) => record.generationIds)).toContain(victim);
  });
});
