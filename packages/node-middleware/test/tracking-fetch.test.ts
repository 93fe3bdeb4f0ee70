import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CostRecord,
  costLogger,
  createTrackingFetch,
  type GenmetaLocals,
} from '../src/index.js';
import {
  chat,
  closeServer,
  type ExpressModule,
  expressVersions,
  fetchWithoutGenerationHeader,
  listen,
  waitUntil,
} from './helpers.js';

let fake: FakeOpenRouter;
beforeAll(async () => {
  fake = await startFakeOpenRouter({ chunkDelayMs: 20 });
});
afterAll(async () => {
  await fake.close();
});

/** Runs `work` while handling one real request under costLogger; returns its record. */
async function runInRequest(
  work: (locals: GenmetaLocals) => Promise<void>,
  express: ExpressModule | undefined,
): Promise<CostRecord | undefined> {
  const records: CostRecord[] = [];
  const logger = costLogger({
    clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
    onRecord: (record) => {
      records.push(record);
    },
    emitEmpty: true,
    // ids made up by these tests are never found: do not wait long for them
    deadlineMs: 300,
  });
  let failure: unknown;
  const handle = (response: ServerResponse) => {
    const locals = (response as unknown as { locals: { genmeta: GenmetaLocals } }).locals.genmeta;
    work(locals)
      .catch((error: unknown) => {
        failure = error;
      })
      .finally(() => response.end('done'));
  };
  let listener: (request: IncomingMessage, response: ServerResponse) => void;
  if (express) {
    const app = express();
    app.use(logger);
    app.get('/', (_request, response) => handle(response));
    listener = app as unknown as typeof listener;
  } else {
    listener = (request, response) => logger(request, response, () => handle(response));
  }
  const server = createServer(listener);
  const url = await listen(server);
  try {
    await (await fetch(url)).text();
    await waitUntil(() => records.length === 1);
    await logger.flush();
  } finally {
    await closeServer(server);
    await logger.close();
  }
  if (failure) throw failure;
  return records[0];
}

function sseResponse(stream: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  return new Response(stream, { headers: { 'content-type': 'text/event-stream', ...headers } });
}

const encoder = new TextEncoder();

describe.each([...expressVersions, ['node:http', undefined] as const])(
  'createTrackingFetch on %s',
  (_name, express) => {
    const inRequest = (work: (locals: GenmetaLocals) => Promise<void>) =>
      runInRequest(work, express);

    it('returns the very same response outside a request', async () => {
      const original = new Response('{}', { headers: { 'x-generation-id': 'gen-outside' } });
      const trackingFetch = createTrackingFetch(async () => original, { baseUrl: fake.url });
      expect(await trackingFetch(`${fake.url}/chat/completions`)).toBe(original);
    });

    it('ignores responses from other base URLs without an OpenRouter key or X-Generation-Id', async () => {
      const other = await startFakeOpenRouter({ apiKey: 'not-an-openrouter-key' });
      try {
        const trackingFetch = createTrackingFetch(fetchWithoutGenerationHeader, {
          baseUrl: fake.url,
        });
        const record = await inRequest(async () => {
          await chat(trackingFetch, other, 'elsewhere');
          await chat(trackingFetch, fake, 'here');
        });
        expect(record!.generationIds).toHaveLength(1);
        expect(fake.generation(record!.generationIds[0]!)).toBeDefined();
      } finally {
        await other.close();
      }
    });

    it('records the first SSE chunk id as the caller reads it, without waiting for the end', async () => {
      const trackingFetch = createTrackingFetch(fetchWithoutGenerationHeader, {
        baseUrl: fake.url,
      });
      let idsAfterFirstChunk: readonly string[] = [];
      let text = '';
      const record = await inRequest(async (locals) => {
        const response = await trackingFetch(`${fake.url}/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'openai/gpt-4o-mini',
            messages: [{ role: 'user', content: 'one two three four five six' }],
            stream: true,
          }),
        });
        expect(response.headers.get('x-generation-id')).toBeNull();
        const reader = response.body!.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          text += decoder.decode(value, { stream: true });
          if (idsAfterFirstChunk.length === 0 && text.includes('data: {')) {
            idsAfterFirstChunk = [...locals.generationIds];
            // more chunks are still to come: nothing was buffered to the end
            expect(text).not.toContain('[DONE]');
          }
        }
      });
      expect(idsAfterFirstChunk).toHaveLength(1);
      expect(record!.generationIds).toEqual(idsAfterFirstChunk);
      expect(text).toContain('data: [DONE]');
      expect(record!.generations[0]!.inlineCostUsd).toBe(
        fake.generation(idsAfterFirstChunk[0]!)!.total_cost,
      );
    });

    it("passes the caller's cancel upstream", async () => {
      let cancelled: unknown;
      const upstream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode('data: {"id":"gen-cancel-1"}\n\n'));
        },
        cancel(reason) {
          cancelled = reason;
        },
      });
      const trackingFetch = createTrackingFetch(async () => sseResponse(upstream), {
        baseUrl: 'https://openrouter.test/api/v1',
      });
      const record = await inRequest(async () => {
        const response = await trackingFetch('https://openrouter.test/api/v1/chat/completions');
        const reader = response.body!.getReader();
        await reader.read();
        await reader.cancel('user stopped');
      });
      expect(cancelled).toBe('user stopped');
      expect(record!.generationIds).toEqual(['gen-cancel-1']);
    });

    it('hands upstream stream errors to the caller unchanged', async () => {
      const failure = new Error('upstream reset');
      let sent = false;
      const upstream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent) controller.error(failure);
          else controller.enqueue(encoder.encode('data: {"id":"gen-broken-1"}\n\n'));
          sent = true;
        },
      });
      const trackingFetch = createTrackingFetch(async () => sseResponse(upstream), {
        baseUrl: 'https://openrouter.test/api/v1',
      });
      let caught: unknown;
      await inRequest(async () => {
        const response = await trackingFetch('https://openrouter.test/api/v1/chat/completions');
        try {
          await response.text();
        } catch (error) {
          caught = error;
        }
      });
      expect(caught).toBe(failure);
    });

    it('leaves garbage bodies and rejected fetches exactly as they were', async () => {
      const garbage = '{"id": "gen-x", not json';
      const garbageFetch = createTrackingFetch(
        async () => new Response(garbage, { headers: { 'content-type': 'application/json' } }),
        { baseUrl: 'https://openrouter.test/api/v1' },
      );
      const refused = new TypeError('fetch failed');
      const failingFetch = createTrackingFetch(
        async () => {
          throw refused;
        },
        { baseUrl: 'https://openrouter.test/api/v1' },
      );
      const sseGarbage = createTrackingFetch(
        async () => sseResponse(new Blob(['data: {{{\n\ndata: [DONE]\n\n']).stream()),
        { baseUrl: 'https://openrouter.test/api/v1' },
      );
      const record = await inRequest(async () => {
        const response = await garbageFetch('https://openrouter.test/api/v1/chat/completions');
        expect(await response.text()).toBe(garbage);
        await expect(failingFetch('https://openrouter.test/api/v1/chat/completions')).rejects.toBe(
          refused,
        );
        const stream = await sseGarbage('https://openrouter.test/api/v1/chat/completions');
        expect(await stream.text()).toBe('data: {{{\n\ndata: [DONE]\n\n');
      });
      expect(record!.generationIds).toEqual([]);
    });

    it('keeps url and status of the wrapped stream response', async () => {
      const trackingFetch = createTrackingFetch(undefined, { baseUrl: fake.url });
      await inRequest(async () => {
        const response = await trackingFetch(`${fake.url}/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'openai/gpt-4o-mini',
            messages: [{ role: 'user', content: 'hi' }],
            stream: true,
          }),
        });
        expect(response.url).toBe(`${fake.url}/chat/completions`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toContain('text/event-stream');
        await response.text();
      });
    });
  },
);
