import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeOpenRouter } from '@genmeta/fake-openrouter';
import express5 from 'express';
import express4 from 'express4';
import {
  type CostLogger,
  type CostLoggerOptions,
  type CostRecord,
  costLogger,
  createTrackingFetch,
  type GenerationProxyOptions,
  type GenmetaLocals,
  generationProxy,
  trackGeneration,
} from '../src/index.js';

export type TestRequest = IncomingMessage & {
  body: Record<string, unknown> | undefined;
  params: Record<string, string>;
};
export type TestResponse = ServerResponse & {
  locals: Record<string, unknown>;
  json(body: unknown): void;
  status(code: number): TestResponse;
};
type Next = (error?: unknown) => void;
type Handler = (request: TestRequest, response: TestResponse, next: Next) => unknown;
interface TestRouter {
  get(path: string, ...handlers: Handler[]): void;
}
interface TestApp extends TestRouter {
  use(...handlers: unknown[]): void;
  post(path: string, ...handlers: Handler[]): void;
  listen(port: number, host: string): Server;
}
export interface ExpressModule {
  (): TestApp;
  json(): Handler;
  Router(): TestRouter;
}

/** Both Express majors, typed by the structural surface the tests use. */
export const expressVersions: Array<[string, ExpressModule]> = [
  ['express 4', express4 as unknown as ExpressModule],
  ['express 5', express5 as unknown as ExpressModule],
];

export interface ChatResult {
  id: string | null;
  text: string;
}

/** Calls the fake's chat completions like an SDK would, reading streams chunk by chunk. */
export async function chat(
  fetchFunction: typeof fetch,
  fake: FakeOpenRouter,
  prompt: string,
  options: { stream?: boolean; byok?: boolean } = {},
): Promise<ChatResult> {
  const response = await fetchFunction(`${fake.url}/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${fake.apiKey}`,
      'content-type': 'application/json',
      ...(options.byok ? { 'x-fake-byok': 'true' } : {}),
    },
    body: JSON.stringify({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: prompt }],
      stream: options.stream === true,
    }),
  });
  if (!options.stream) {
    const body = (await response.json()) as {
      id: string;
      choices: Array<{ message: { content: string } }>;
    };
    return { id: body.id, text: body.choices[0]?.message.content ?? '' };
  }
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let text = '';
  let id: string | null = null;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let boundary = buffer.indexOf('\n\n');
    while (boundary !== -1) {
      const event = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      boundary = buffer.indexOf('\n\n');
      const data = event
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('');
      if (data === '' || data === '[DONE]') continue;
      const chunk = JSON.parse(data) as {
        id: string;
        choices: Array<{ delta?: { content?: string } }>;
      };
      id ??= chunk.id;
      text += chunk.choices[0]?.delta?.content ?? '';
    }
  }
  return { id, text };
}

/** A fetch that hides `X-Generation-Id`, to exercise the body / first-chunk fallbacks. */
export const fetchWithoutGenerationHeader: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const headers = new Headers(response.headers);
  headers.delete('x-generation-id');
  return new Response(response.body, { status: response.status, headers });
};

export interface TestAppHandle {
  url: string;
  records: CostRecord[];
  logger: CostLogger;
  /** waits until `count` records were emitted (and every pending one settled) */
  waitForRecords(count: number, timeoutMs?: number): Promise<CostRecord[]>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  fake: FakeOpenRouter;
  logger?: CostLoggerOptions;
  proxy?: GenerationProxyOptions;
  /** fetch wrapped by the tracking fetch */
  baseFetch?: typeof fetch;
}

function wrap(handler: (request: TestRequest, response: TestResponse) => Promise<void>): Handler {
  return (request, response, next) => {
    handler(request, response).catch(next);
  };
}

export async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A real Express app on 127.0.0.1:0 using every piece of the package. */
export async function startTestApp(
  express: ExpressModule,
  options: TestAppOptions,
): Promise<TestAppHandle> {
  const { fake } = options;
  const records: CostRecord[] = [];
  const logger = costLogger({
    clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
    onRecord: (record) => {
      records.push(record);
    },
    ...options.logger,
  });
  const trackingFetch = createTrackingFetch(options.baseFetch, { baseUrl: fake.url });
  const app = express();
  app.use(logger);
  app.use(express.json());
  app.post(
    '/api/chat/:mode',
    wrap(async (request, response) => {
      const body = request.body ?? {};
      const count = Number(body.count ?? 1);
      const stream = body.stream === true;
      const byok = body.byok === true;
      const prompt = String(body.prompt ?? 'hello');
      const results: ChatResult[] = [];
      if (request.params.mode === 'parallel') {
        results.push(
          ...(await Promise.all(
            Array.from({ length: count }, (_, index) =>
              chat(trackingFetch, fake, `${prompt} ${index}`, { stream, byok }),
            ),
          )),
        );
      } else {
        for (let index = 0; index < count; index += 1) {
          results.push(await chat(trackingFetch, fake, `${prompt} ${index}`, { stream, byok }));
        }
      }
      response.json({ results });
    }),
  );
  app.get('/api/track/:id', (request, response) => {
    const tracked = trackGeneration(request.params.id ?? '');
    response.json({ tracked });
  });
  app.get('/api/track-inline/:id', (request, response) => {
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const tracked = trackGeneration(request.params.id ?? '', {
      costUsd: Number(query.get('cost')),
      ...(query.has('byok') ? { isByok: query.get('byok') === 'true' } : {}),
      ...(query.has('upstream') ? { upstreamInferenceCostUsd: Number(query.get('upstream')) } : {}),
    });
    response.json({ tracked });
  });
  app.get('/api/locals/:id', (request, response) => {
    const locals = response.locals.genmeta as GenmetaLocals;
    locals.track(request.params.id ?? '');
    response.json({ requestId: locals.requestId, generationIds: locals.generationIds });
  });
  app.get('/api/plain', (_request, response) => {
    response.json({ plain: true });
  });
  const router = express.Router();
  router.get('/items/:itemId', (request, response) => {
    trackGeneration(request.params.itemId ?? '');
    response.json({ item: request.params.itemId });
  });
  app.use('/api/nested', router);
  app.use(
    '/api/genmeta',
    generationProxy({
      clientOptions: {
        baseUrl: fake.url,
        apiKey: fake.apiKey,
        headers: { 'x-genmeta-test': 'proxy' },
      },
      ...options.proxy,
    }),
  );
  const server = createServer(
    app as unknown as (request: IncomingMessage, response: ServerResponse) => void,
  );
  const url = await listen(server);
  return {
    url,
    records,
    logger,
    async waitForRecords(count, timeoutMs) {
      await waitUntil(() => records.length >= count, timeoutMs);
      await logger.flush();
      return records;
    },
    async close() {
      await closeServer(server);
      await logger.close({ timeoutMs: 300 });
    },
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as unknown,
  };
}

/** Spend of a fake generation, by the documented rule (BYOK adds the upstream charge). */
export function expectedSpend(generation: Record<string, unknown>): number {
  const total = generation.total_cost as number;
  return generation.is_byok === true
    ? total + (generation.upstream_inference_cost as number)
    : total;
}

export function roundUsd(amount: number): number {
  return Math.round(amount * 1e12) / 1e12;
}
