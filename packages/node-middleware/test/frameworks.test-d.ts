import Fastify from 'fastify';
import { Hono } from 'hono';
import { describe, expectTypeOf, it } from 'vitest';
import * as fastifyAdapter from '../src/adapters/fastify.js';
import * as honoAdapter from '../src/adapters/hono.js';
import { costLogger, generationProxy } from '../src/index.js';

/** Next.js passes a subclass of Request and a context with async params. */
class NextLikeRequest extends Request {
  readonly nextUrl = new URL(this.url);
}

describe('fetch-style and framework types', () => {
  it('keeps the request subclass and extra arguments of a handled handler', () => {
    const genmeta = costLogger();
    const handler = genmeta.handle(
      async (request: NextLikeRequest, context: { params: Promise<{ id: string }> }) =>
        Response.json({ path: request.nextUrl.pathname, id: (await context.params).id }),
      { route: '/api/chat/[id]', skip: (request) => request.nextUrl.pathname === '/health' },
    );
    expectTypeOf(handler).parameters.toEqualTypeOf<
      [NextLikeRequest, { params: Promise<{ id: string }> }]
    >();
    expectTypeOf(handler).returns.toEqualTypeOf<Promise<Response>>();
    // @ts-expect-error a handler must answer with a Response
    genmeta.handle(() => 'not a response');
  });

  it('exposes the proxy for fetch-style hosts as (Request) => Promise<Response>', () => {
    expectTypeOf(generationProxy().fetch).toEqualTypeOf<(request: Request) => Promise<Response>>();
    generationProxy({ authorizeFetch: (request) => request.headers.get('x-admin') === 'yes' });
  });

  it('plugs the adapters into Hono and Fastify', () => {
    const hono = new Hono();
    hono.use(honoAdapter.costLogger({ skip: (c) => c.req.path === '/health' }));
    hono.get('/api/genmeta/generation', honoAdapter.generationProxy());
    const app = Fastify();
    app.register(fastifyAdapter.costLogger({ skip: (request) => request.url === '/health' }));
    app.get('/api/genmeta/generation', fastifyAdapter.generationProxy());
    expectTypeOf(fastifyAdapter.costLogger().flush).returns.toEqualTypeOf<Promise<void>>();
  });
});
