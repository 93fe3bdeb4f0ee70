import type { FaultStep } from '../../types.js';
import type { Exchange } from '../exchange.js';
import { defaultMessage, htmlErrorPage } from '../http.js';
import type { FakeState } from '../state.js';

/** `GET /api/v1/generation?id=`: the next scripted fault for the id, else its stats or a 404. */
export async function handleGeneration(state: FakeState, exchange: Exchange): Promise<void> {
  const { responder, scripts } = state;
  if (!responder.authorize(exchange)) return;
  const id = exchange.url.searchParams.get('id');
  if (id === null || id === '') {
    responder.sendError(exchange, 400, 'Missing required query parameter: id');
    return;
  }
  const step = scripts.take(id);
  if (step) await answerStep(state, exchange, id, step);
  else serveGeneration(state, exchange, id);
}

function serveGeneration(state: FakeState, exchange: Exchange, id: string): void {
  const generation = state.store.ready(id);
  if (!generation) {
    state.responder.sendError(exchange, 404, 'Generation not found');
    return;
  }
  state.responder.sendJson(exchange, 200, { data: generation });
}

async function answerStep(
  state: FakeState,
  exchange: Exchange,
  id: string,
  step: FaultStep,
): Promise<void> {
  const { responder } = state;
  switch (step.type) {
    case 'status':
      responder.sendError(
        exchange,
        step.status,
        step.message ?? defaultMessage(step.status),
        step.headers,
      );
      return;
    case 'html':
      responder.send(exchange, step.status, htmlErrorPage(step.status), {
        'content-type': 'text/html; charset=UTF-8',
      });
      return;
    case 'empty':
      responder.send(exchange, step.status, '');
      return;
    case 'malformed':
      responder.send(exchange, step.status ?? 200, '{"data": {"id": "gen-', {
        'content-type': 'application/json',
      });
      return;
    case 'body':
      responder.send(exchange, step.status, step.body, step.headers);
      return;
    case 'drop':
      responder.drop(exchange);
      return;
    case 'slow':
      await state.sleeper.sleep(step.delayMs);
      serveGeneration(state, exchange, id);
      return;
  }
}
