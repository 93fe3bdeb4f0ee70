import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { costLogger as honoCostLogger } from '../src/hono.js';
import { type CostLogger, type CostRecord, costLogger, createTrackingFetch } from '../src/index.js';
import { type Served, serveFetch } from './fetch-host.js';
import { chat } from './helpers.js';

// Hosts that stop a request's work once its response is sent (Cloudflare Workers, Vercel's
// edge) keep it alive through `waitUntil`: the record is finished within the request, and the
// promise handed over settles once the record is out.

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

/** What a Workers-like host does with the promises it is handed. */
function executionContext() {
  const handed: Array<Promise<unknown>> = [];
  return {
    handed,
    waitUntil(promise: Promise<unknown>) {
      handed.push(promise);
    },
    passThroughOnException() {},
    props: {},
  };
}

function recordingLogger(records: CostRecord[]): CostLogger {
  logger = costLogger({
    clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
    onRecord: (record) => {
      records.push(record);
    },
  });
  return logger;
}

async function post(url: string, requestId: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'x-request-id': requestId },
    body: 'hello',
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

describe('handle(handler, { waitUntil })', () => {
  it('hands the host one promise per request, settled once that request record is out', async () => {
    const records: CostRecord[] = [];
    const genmeta = recordingLogger(records);
    const trackingFetch = createTrackingFetch();
    const context = executionContext();
    served = await serveFetch(
      genmeta.handle(async () => Response.json(await chat(trackingFetch, fake, 'hi')), {
        waitUntil: (promise) => context.waitUntil(promise),
      }),
    );
    const ids = await Promise.all(
      ['wait-1', 'wait-2', 'wait-3'].map((requestId) => post(served!.url, requestId)),
    );
    expect(context.handed).toHaveLength(3);
    // no polling: settled promises mean the records are there
    await Promise.all(context.handed);
    expect(records.map((record) => record.requestId).sort()).toEqual([
      'wait-1',
      'wait-2',
      'wait-3',
    ]);
    for (const record of records) {
      const id = record.generationIds[0]!;
      expect(ids).toContain(id);
      expect(record.spendUsd).toBe(fake.generation(id)!.total_cost);
    }
    expect(genmeta.pending).toBe(0);
  });

  it('takes waitUntil from the handler last argument (a Workers ExecutionContext)', async () => {
    const records: CostRecord[] = [];
    const genmeta = recordingLogger(records);
    const trackingFetch = createTrackingFetch();
    const context = executionContext();
    const handled = genmeta.handle(
      async (_request: Request, _env: unknown, _context: ReturnType<typeof executionContext>) =>
        Response.json(await chat(trackingFetch, fake, 'hi')),
    );
    served = await serveFetch((request) => handled(request, {}, context));
    await post(served.url, 'from-context');
    expect(context.handed).toHaveLength(1);
    await context.handed[0];
    expect(records.map((record) => record.requestId)).toEqual(['from-context']);
  });

  it('settles at once for a request that tracked nothing', async () => {
    const records: CostRecord[] = [];
    const genmeta = recordingLogger(records);
    const context = executionContext();
    served = await serveFetch(
      genmeta.handle(async () => new Response('no model called'), {
        waitUntil: (promise) => context.waitUntil(promise),
      }),
    );
    expect(await (await fetch(served.url)).text()).toBe('no model called');
    expect(context.handed).toHaveLength(1);
    await context.handed[0];
    expect(records).toHaveLength(0);
  });

  it('still writes the record when waitUntil throws, and reports it once', async () => {
    const records: CostRecord[] = [];
    const warnings: string[] = [];
    logger = costLogger({
      clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
      logger: {
        info: (record) => void records.push(record as CostRecord),
        warn: (_details, message) => void warnings.push(String(message)),
      },
    });
    const trackingFetch = createTrackingFetch();
    served = await serveFetch(
      logger.handle(async () => Response.json(await chat(trackingFetch, fake, 'hi')), {
        waitUntil: () => {
          throw new Error('not in a request');
        },
      }),
    );
    await post(served.url, 'thrown-1');
    await post(served.url, 'thrown-2');
    await logger.flush();
    expect(records.map((record) => record.requestId).sort()).toEqual(['thrown-1', 'thrown-2']);
    expect(warnings.filter((message) => message.includes('waitUntil'))).toHaveLength(1);
  });
});

describe('Hono adapter on a host with an execution context', () => {
  it('finishes each record with c.executionCtx.waitUntil', async () => {
    const records: CostRecord[] = [];
    const middleware = honoCostLogger({
      clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
      onRecord: (record) => void records.push(record),
    });
    const trackingFetch = createTrackingFetch();
    const app = new Hono();
    app.use(middleware);
    app.post('/chat', async (c) => c.json(await chat(trackingFetch, fake, 'hi')));
    const context = executionContext();
    served = await serveFetch((request) => app.fetch(request, {}, context));
    await post(`${served.url}/chat`, 'hono-wait');
    expect(context.handed).toHaveLength(1);
    await context.handed[0];
    expect(records).toMatchObject([{ requestId: 'hono-wait', route: '/chat' }]);
    await middleware.close();
  });
});
