import type { Exchange } from '../exchange.js';
import { preflightHeaders } from '../http.js';
import type { FakeState } from '../state.js';
import { handleAdminGenerations } from './admin.js';
import { billingRoutes, handleBilling } from './billing.js';
import { handleChatCompletion } from './chat-completion.js';
import { handleGeneration } from './generation.js';
import { endpointsPattern, handleGenerationContent, handleModelEndpoints } from './pricing.js';

/** The path the generation endpoint answers on (a trailing slash is ignored). */
export const generationPath = '/api/v1/generation';

/** The path of the stored content (and failure) of a generation. */
export const generationContentPath = '/api/v1/generation/content';

/** Path without trailing slashes, as every route compares it. */
export function routePath(url: URL): string {
  return url.pathname.replace(/\/+$/, '');
}

/** Sends one exchange to its handler: preflight, admin, generation, chat, else 404. */
export async function route(state: FakeState, exchange: Exchange): Promise<void> {
  const { responder } = state;
  const { request } = exchange;
  const method = request.method ?? 'GET';
  if (method === 'OPTIONS') {
    exchange.call.status = 204;
    request.resume();
    exchange.response.writeHead(204, { ...preflightHeaders(request), 'content-length': '0' });
    exchange.response.end();
    responder.log(exchange.call);
    return;
  }
  const path = routePath(exchange.url);
  if (path === '/__fake/generations') {
    if (method !== 'POST') {
      return responder.sendError(exchange, 405, 'Use POST', { allow: 'POST, OPTIONS' });
    }
    return handleAdminGenerations(state, exchange);
  }
  if (path.startsWith('/api/')) await state.sleeper.sleep(state.options.latencyMs);
  if (path === generationPath) {
    if (method !== 'GET') {
      return responder.sendError(exchange, 405, 'Use GET', { allow: 'GET, OPTIONS' });
    }
    return handleGeneration(state, exchange);
  }
  if (path === generationContentPath || endpointsPattern.test(path)) {
    if (method !== 'GET') {
      return responder.sendError(exchange, 405, 'Use GET', { allow: 'GET, OPTIONS' });
    }
    return path === generationContentPath
      ? handleGenerationContent(state, exchange)
      : handleModelEndpoints(state, exchange, path);
  }
  const billingMethod = billingRoutes[path];
  if (billingMethod !== undefined) {
    if (method !== billingMethod) {
      request.resume();
      return responder.sendError(exchange, 405, `Use ${billingMethod}`, {
        allow: `${billingMethod}, OPTIONS`,
      });
    }
    return handleBilling(state, exchange, path);
  }
  if (path === '/api/v1/chat/completions') {
    if (method !== 'POST') {
      return responder.sendError(exchange, 405, 'Use POST', { allow: 'POST, OPTIONS' });
    }
    return handleChatCompletion(state, exchange);
  }
  request.resume();
  responder.sendError(exchange, 404, 'Not Found');
}
