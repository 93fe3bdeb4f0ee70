import type { Exchange } from '../exchange.js';
import { endpointsFor } from '../price-list.js';
import type { FakeState } from '../state.js';

/** `/api/v1/models/{author}/{slug}/endpoints` (a slug may carry `:variant`). */
export const endpointsPattern = /^\/api\/v1\/models\/([^/]+)\/([^/]+)\/endpoints$/;

/** `GET /api/v1/models/{author}/{slug}/endpoints`: the fake's price list of the model (no key needed, as on OpenRouter). */
export function handleModelEndpoints(state: FakeState, exchange: Exchange, path: string): void {
  const match = endpointsPattern.exec(path);
  let model = '';
  try {
    model = match
      ? `${decodeURIComponent(match[1] ?? '')}/${decodeURIComponent(match[2] ?? '')}`
      : '';
  } catch {
    model = '';
  }
  if (!/^[\w.-]+\/[\w.:-]+$/.test(model)) {
    state.responder.sendError(exchange, 404, 'Model not found');
    return;
  }
  state.responder.sendJson(exchange, 200, {
    data: { id: model, name: model, endpoints: endpointsFor(model) },
  });
}

/** `GET /api/v1/generation/content?id=`: the stored content and failure of a generation. */
export function handleGenerationContent(state: FakeState, exchange: Exchange): void {
  const { responder } = state;
  if (!responder.authorize(exchange)) return;
  const id = exchange.url.searchParams.get('id');
  if (id === null || id === '') {
    responder.sendError(exchange, 400, 'Missing required query parameter: id');
    return;
  }
  if (!state.store.ready(id)) {
    responder.sendError(exchange, 404, 'Generation not found');
    return;
  }
  const content = state.contents.get(id) ?? {
    input: { messages: [] },
    output: { completion: null, reasoning: null },
    error: null,
  };
  responder.sendJson(exchange, 200, { data: content });
}
