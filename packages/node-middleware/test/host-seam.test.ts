import { createServer, type Server } from 'node:http';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type CostLogger,
  type CostRecord,
  costLogger,
  createTrackingFetch,
  type SpendObserver,
} from '../src/index.js';
import { type Served, serveFetch } from './fetch-host.js';
import { chat, closeServer, listen, waitUntil } from './helpers.js';

// `costLogger().host` as an adapter for a framework genmeta does not ship would use it.

let fake: FakeOpenRouter;
beforeAll(async () => {
  fake = await startFakeOpenRouter();
});
afterAll(async () => {
  await fake.close();
});

let served: Served | undefined;
let logger: CostLogger | undefined;
afterEach(async () => {
  await served?.close();
  await logger?.close();
  served = undefined;
  logger = undefined;
});

function recordingLogger(records: CostRecord[]): CostLogger {
  logger = costLogger({
    clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
    onRecord: (record) => {
      records.push(record);
    },
  });
  return logger;
}

describe('costLogger().host, the declared seam for framework adapters', () => {
  it('carries a fetch-style request: begin, run, respond, one record with the tracked id', async () => {
    const records: CostRecord[] = [];
    const { host } = recordingLogger(records);
    const trackingFetch = createTrackingFetch();
    const app = async (request: Request): Promise<Response> => {
      const { prompt } = (await request.json()) as { prompt: string };
      return Response.json(await chat(trackingFetch, fake, prompt));
    };
    // the whole adapter
    served = await serveFetch(async (request) => {
      const started = host.beginFetchRequest(request, { route: () => '/chat' });
      if (started === undefined) return app(request);
      try {
        return started.respond(await host.run(started.request, () => app(request)));
      } catch (error) {
        started.fail();
        throw error;
      }
    });
    const response = await fetch(`${served.url}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'seam-1' },
      body: JSON.stringify({ prompt: 'hello' }),
    });
    const { id } = (await response.json()) as { id: string };
    expect(response.headers.get('x-request-id')).toBe('seam-1');
    await waitUntil(() => records.length === 1);
    expect(records[0]).toMatchObject({
      requestId: 'seam-1',
      route: '/chat',
      statusCode: 200,
      generationIds: [id],
    });
    expect(records[0]!.generations.map((generation) => generation.id)).toEqual([id]);
  });

  it('carries a node request with enter(), and lets an observer follow its spend', async () => {
    const records: CostRecord[] = [];
    const { host } = recordingLogger(records);
    const trackingFetch = createTrackingFetch();
    const tracked: string[] = [];
    const emitted: CostRecord[] = [];
    const observer: SpendObserver = {
      tracked: (id) => tracked.push(id),
      emitted: (record) => emitted.push(record),
    };
    const server: Server = createServer((request, response) => {
      const started = host.beginNodeRequest(request, response, () => '/node-chat');
      host.enter(started);
      expect(host.currentRequest()).toBe(started);
      if (started !== undefined) expect(host.observeSpend(started, observer)).toBe(true);
      chat(trackingFetch, fake, 'hi').then((result) => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(result));
      });
    });
    const url = await listen(server);
    try {
      const response = await fetch(`${url}/node-chat`);
      const { id } = (await response.json()) as { id: string };
      await waitUntil(() => records.length === 1 && emitted.length === 1);
      expect(records[0]).toMatchObject({ route: '/node-chat', generationIds: [id] });
      // told when the id was tracked, and again when its inline usage was learnt
      expect([...new Set(tracked)]).toEqual([id]);
      expect(emitted[0]!.requestId).toBe(records[0]!.requestId);
    } finally {
      await closeServer(server);
    }
  });

  it("refuses another logger's request, and knows no current request outside one", () => {
    const { host } = recordingLogger([]);
    const other = costLogger({ clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey } });
    try {
      const started = other.host.beginFetchRequest(new Request('http://localhost/x'));
      expect(started).toBeDefined();
      expect(host.observeSpend(started!.request, { tracked() {}, emitted() {} })).toBe(false);
      expect(other.host.run(started!.request, () => host.currentRequest())).toBeUndefined();
      expect(other.host.run(started!.request, () => other.host.currentRequest())).toBe(
        started!.request,
      );
      expect(host.currentRequest()).toBeUndefined();
      started!.fail();
    } finally {
      void other.close();
    }
  });
});
