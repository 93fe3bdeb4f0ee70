import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type CostLogger,
  type CostRecord,
  costLogger,
  createTrackingFetch,
  setCostAttributes,
  trackGeneration,
} from '../src/index.js';
import { type Served, serveFetch } from './fetch-host.js';
import { chat, waitUntil } from './helpers.js';

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

/** A gate the test opens: lets a handler's stream hold its next chunk until told. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

describe('costLogger().handle', () => {
  it('runs the handler in the request context and emits one record after the body was sent', async () => {
    const records: CostRecord[] = [];
    const genmeta = recordingLogger(records);
    // zero-config: the fake answers with X-Generation-Id and is called with an sk-or- key
    const trackingFetch = createTrackingFetch();
    served = await serveFetch(
      genmeta.handle(
        async (request: Request) => {
          const { prompt } = (await request.json()) as { prompt: string };
          const result = await chat(trackingFetch, fake, prompt);
          return Response.json(result, { status: 201 });
        },
        { route: '/api/chat' },
      ),
    );
    const response = await fetch(`${served.url}/api/chat?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-handle-1' },
      body: JSON.stringify({ prompt: 'hi' }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBe('req-handle-1');
    const body = (await response.json()) as { id: string };
    await waitUntil(() => records.length === 1);
    await genmeta.flush();
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record).toMatchObject({
      requestId: 'req-handle-1',
      method: 'POST',
      path: '/api/chat',
      route: '/api/chat',
      statusCode: 201,
      aborted: false,
      generationIds: [body.id],
    });
    expect(record?.generations[0]?.id).toBe(body.id);
    expect(record?.spendUsd).toBe(fake.generation(body.id)?.total_cost);
  });

  it('attributes: the option (request, response) and setCostAttributes in the handler, the latter winning by key', async () => {
    const records: CostRecord[] = [];
    const genmeta = recordingLogger(records);
    const trackingFetch = createTrackingFetch();
    served = await serveFetch(
      genmeta.handle(
        async () => {
          const result = await chat(trackingFetch, fake, 'hi');
          setCostAttributes({ feature: 'summary' });
          return Response.json(result, { headers: { 'x-plan': 'pro' } });
        },
        {
          attributes: (request, response) => ({
            user: request.headers.get('x-user') ?? 'anonymous',
            plan: response?.headers.get('x-plan') ?? 'none',
            feature: 'chat',
            'bad key!': 'dropped',
          }),
        },
      ),
    );
    const response = await fetch(`${served.url}/api/chat`, { headers: { 'x-user': 'ada' } });
    await response.arrayBuffer();
    await waitUntil(() => records.length === 1);
    expect(records[0]?.attributes).toEqual({ user: 'ada', plan: 'pro', feature: 'summary' });
  });

  it('passes a streamed body through chunk by chunk and emits only once it was fully read', async () => {
    const records: CostRecord[] = [];
    const genmeta = recordingLogger(records);
    const second = gate();
    const { id } = fake.addGeneration();
    served = await serveFetch(
      genmeta.handle(() => {
        const encoder = new TextEncoder();
        const stream = new ReadableStream<Uint8Array>({
          async start(controller) {
            controller.enqueue(encoder.encode('first;'));
            await second.wait;
            // tracked while the body is being sent: the source runs in the request context
            controller.enqueue(encoder.encode(`tracked=${trackGeneration(id)};`));
            controller.close();
          },
        });
        return new Response(stream, { headers: { 'content-type': 'text/plain' } });
      }),
    );
    const response = await fetch(`${served.url}/stream`);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    expect(text).toBe('first;');
    // the body is not over: nothing was handed to the pipeline yet
    expect(genmeta.pending).toBe(0);
    expect(records).toHaveLength(0);
    second.open();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    expect(text).toBe('first;tracked=true;');
    await waitUntil(() => records.length === 1);
    expect(records[0]).toMatchObject({
      path: '/stream',
      route: null,
      aborted: false,
      generationIds: [id],
    });
  });

  it('records a body cancelled by the client as aborted', async () => {
    const records: CostRecord[] = [];
    const genmeta = recordingLogger(records);
    const { id } = fake.addGeneration();
    const never = gate();
    served = await serveFetch(
      genmeta.handle(() => {
        trackGeneration(id);
        const stream = new ReadableStream<Uint8Array>({
          async start(controller) {
            controller.enqueue(new TextEncoder().encode('partial'));
            await never.wait;
          },
        });
        return new Response(stream);
      }),
    );
    const controller = new AbortController();
    const response = await fetch(`${served.url}/gone`, { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await waitUntil(() => records.length === 1);
    expect(records[0]).toMatchObject({ aborted: true, generationIds: [id] });
    never.open();
  });

  it("lets the handler's error reach the host and records status 500", async () => {
    const records: CostRecord[] = [];
    const genmeta = recordingLogger(records);
    const { id } = fake.addGeneration();
    const failing = genmeta.handle(async (): Promise<Response> => {
      trackGeneration(id);
      throw new Error('handler broke');
    });
    await expect(failing(new Request('http://localhost/broken'))).rejects.toThrow('handler broke');
    await waitUntil(() => records.length === 1);
    expect(records[0]).toMatchObject({ statusCode: 500, path: '/broken', generationIds: [id] });
  });

  it('passes extra handler arguments on, honours skip, and keeps a body-less answer', async () => {
    const records: CostRecord[] = [];
    const genmeta = recordingLogger(records);
    const { id } = fake.addGeneration();
    const handler = genmeta.handle(
      (_request: Request, context: { params: Promise<{ id: string }> }) =>
        context.params.then(
          (params) =>
            new Response(null, {
              status: 204,
              headers: { 'x-tracked': String(trackGeneration(params.id)) },
            }),
        ),
      { skip: (request) => request.headers.has('x-skip') },
    );
    const skipped = await handler(
      new Request('http://localhost/a', { headers: { 'x-skip': '1' } }),
      {
        params: Promise.resolve({ id }),
      },
    );
    expect(skipped.headers.get('x-tracked')).toBe('false');
    expect(skipped.headers.get('x-request-id')).toBeNull();
    const answered = await handler(new Request('http://localhost/b'), {
      params: Promise.resolve({ id }),
    });
    expect(answered.status).toBe(204);
    expect(answered.headers.get('x-tracked')).toBe('true');
    expect(answered.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await waitUntil(() => records.length === 1);
    expect(records[0]).toMatchObject({ path: '/b', statusCode: 204, generationIds: [id] });
  });
});
