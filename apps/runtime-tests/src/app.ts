import {
  type CostRecord,
  costLogger,
  createTrackingFetch,
  generationProxy,
} from '@genmeta/node-middleware';
import { costLogger as honoCostLogger } from '@genmeta/node-middleware/hono';
import { Hono } from 'hono';
import { fake } from './config.js';
import { coreChecks } from './core-checks.js';

/**
 * One fetch-style app (the Workers module shape) run unchanged on every runtime: the core
 * checks, `costLogger().handle`, the Hono adapter and `generationProxy().fetch`, against the
 * fake OpenRouter. Everything is made at module scope, as the READMEs show.
 */
const records: CostRecord[] = [];
const clientOptions = { baseUrl: fake.url, apiKey: fake.apiKey };
const logger = costLogger({ clientOptions, onRecord: (record) => void records.push(record) });
const proxy = generationProxy({ clientOptions });
// Tracks through AsyncLocalStorage where the runtime has it.
const trackingFetch = createTrackingFetch();

interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException?(): void;
}

/** `?explicit`: the request is named (for workerd without nodejs_compat, no AsyncLocalStorage). */
function fetchFor(request: Request): typeof fetch {
  return new URL(request.url).searchParams.has('explicit')
    ? createTrackingFetch({ request })
    : trackingFetch;
}

async function complete(fetchFunction: typeof fetch, text: string): Promise<Response> {
  const upstream = await fetchFunction(`${fake.url}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: text }] }),
  });
  const completion = (await upstream.json()) as { id: string };
  return Response.json({ id: completion.id });
}

// The host's arguments pass through `handle`: its `waitUntil` is found on the last one (Workers).
const chat = logger.handle(
  async (request: Request, _env: unknown, _context?: ExecutionContextLike) => {
    const { text } = (await request.json()) as { text: string };
    return complete(fetchFor(request), text);
  },
);

const hono = new Hono();
hono.use(
  '/hono/*',
  honoCostLogger({ clientOptions, onRecord: (record) => void records.push(record) }),
);
hono.post('/hono/chat', async (c) => {
  const { text } = await c.req.json<{ text: string }>();
  return complete(fetchFor(c.req.raw), text);
});

export default {
  async fetch(request: Request, env: unknown, context?: ExecutionContextLike): Promise<Response> {
    const url = new URL(request.url);
    const check = url.pathname.startsWith('/core/') ? coreChecks[url.pathname.slice(6)] : undefined;
    if (check !== undefined) return Response.json(await check(url.searchParams.get('id') ?? ''));
    if (url.pathname === '/chat') return chat(request, env, context);
    if (url.pathname.startsWith('/hono/')) return hono.fetch(request, env, context as never);
    if (url.pathname === '/api/genmeta/generation') return proxy.fetch(request);
    if (url.pathname === '/records') return Response.json(records);
    if (url.pathname === '/ping') return new Response('ok');
    return new Response('not found', { status: 404 });
  },
};
