import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createResponder, type Exchange } from './internal/exchange.js';
import { redactedHeaders } from './internal/http.js';
import { resolveOptions } from './internal/options.js';
import { endpointsFor } from './internal/price-list.js';
import {
  generationContentPath,
  generationPath,
  route,
  routePath,
} from './internal/routes/index.js';
import { createState, type FakeState } from './internal/state.js';
import type {
  FakeCall,
  FakeOpenRouter,
  FakeOpenRouterOptions,
  FaultStep,
  ResetOptions,
  ScriptOptions,
} from './types.js';

/**
 * Start a fake OpenRouter: a real `node:http` server answering `GET /api/v1/generation`,
 * `POST /api/v1/chat/completions` (JSON and SSE), `GET /api/v1/generation/content`,
 * `GET /api/v1/models/{author}/{slug}/endpoints` (its own price list), scripted faults per
 * generation id, and
 * `POST /__fake/generations` to create generations from another process.
 *
 * @example
 * const fake = await startFakeOpenRouter({ statsDelayMs: 200 });
 * const { id } = fake.addGeneration({ model: 'openai/gpt-4o', total_cost: 0.0021 });
 * fake.script(id, [{ type: 'status', status: 429, headers: { 'Retry-After': '1' } }]);
 * // point a client at fake.url with fake.apiKey, then:
 * await fake.close();
 */
export async function startFakeOpenRouter(
  options: FakeOpenRouterOptions = {},
): Promise<FakeOpenRouter> {
  const resolved = resolveOptions(options);
  const state = createState(resolved, createResponder(resolved.verbose));
  const server = createServer((request, response) => {
    const exchange = openExchange(state, request, response);
    route(state, exchange).catch((error: unknown) => {
      // Never crash the host: an unexpected failure becomes a 500 for this one request.
      if (resolved.verbose) {
        process.stderr.write(`[fake-openrouter] internal error: ${String(error)}\n`);
      }
      if (!response.headersSent) state.responder.sendError(exchange, 500, 'Internal Server Error');
      else response.destroy();
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    } else {
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${hostForUrl}:${address.port}`;
  const { calls, store, scripts } = state;
  let closed = false;

  return {
    url: `${origin}/api/v1`,
    origin,
    port: address.port,
    apiKey: resolved.apiKey,
    managementKey: resolved.managementKey,
    calls,
    adjustBilled: (id, amounts) => state.ledger.adjust(id, amounts),
    addGeneration: state.addGeneration,
    addPricedGeneration: (spec, addOptions) => state.addPricedGeneration(spec, addOptions),
    endpoints: (model) => endpointsFor(model),
    generation: (id) => store.get(id),
    script(id: string, steps: FaultStep[], scriptOptions: ScriptOptions = {}) {
      scripts.set(id, steps, scriptOptions.repeat === true);
    },
    reset(resetOptions: ResetOptions = {}) {
      calls.length = 0;
      if (resetOptions.all === true) {
        store.clear();
        scripts.clear();
        state.ledger.clear();
        state.contents.clear();
      }
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      state.sleeper.cancelAll();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Records the request in `calls` (key redacted) and pairs it with its response. */
function openExchange(
  state: FakeState,
  request: IncomingMessage,
  response: ServerResponse,
): Exchange {
  let url: URL;
  try {
    url = new URL(request.url ?? '/', 'http://fake.invalid');
  } catch {
    url = new URL('http://fake.invalid/');
  }
  const { apiKey, managementKey } = state.options;
  const id =
    routePath(url) === generationPath || routePath(url) === generationContentPath
      ? url.searchParams.get('id')
      : null;
  const call: FakeCall = {
    method: request.method ?? 'GET',
    path: url.pathname,
    ...(id === null ? {} : { id }),
    status: 0,
    authorized: request.headers.authorization === `Bearer ${apiKey}`,
    at: Date.now(),
    headers: redactedHeaders(request, apiKey, managementKey),
  };
  state.calls.push(call);
  return { request, response, call, url };
}
