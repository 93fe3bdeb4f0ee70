import type { IncomingMessage, ServerResponse } from 'node:http';
import { normalizeBaseUrl } from '@genmeta/core/rules';
import { errorAnswer, responseOf, sendAnswer } from './proxy-answers.js';
import { createProxyCore } from './proxy-core.js';
import type { GenerationProxy, GenerationProxyOptions } from './types.js';

/**
 * A handler answering `GET <mount>/generation?id=` exactly like OpenRouter's endpoint
 * (`{ data }` or `{ error: { code, message } }`, same statuses) with the server's key, so the
 * browser (core's client, `useGeneration`) never holds a secret. Secure by default: only ids
 * in the registry (tracked by a `costLogger`) are served (403 otherwise) unless `authorize`
 * says more; a failing registry answers 503; invalid ids get 400 before any upstream call. A not-ready generation answers 404 so
 * browser clients keep waiting; finished ones are cacheable for a year (`private`, with
 * `Vary: Cookie, Authorization`); an upstream Retry-After is relayed capped at 60 s. Concurrent asks for
 * one id share one upstream request (core's single-flight and cache).
 *
 * `GET <mount>/generation/pricing?id=` answers, under the same checks, the endpoints and pricing
 * of the model that served that generation (OpenRouter's `/models/{author}/{slug}/endpoints`
 * `{ data }`, fetched once per model every 10 minutes), for `explainCost` in the browser.
 *
 * Other paths go to `next()` (or get a 404 without one).
 *
 * @example
 * app.use('/api/genmeta', generationProxy());
 * // browser: createClient({ baseUrl: '/api/genmeta' }).getGeneration(id)
 */
export function generationProxy(options: GenerationProxyOptions = {}): GenerationProxy {
  const route = `${normalizeBaseUrl(options.basePath ?? '')}/generation`;
  const pricingRoute = `${route}/pricing`;
  const core = createProxyCore(options);

  const node = (
    request: IncomingMessage,
    response: ServerResponse,
    next?: (error?: unknown) => void,
  ): void => {
    let url: URL | undefined;
    try {
      url = new URL(request.url ?? '/', 'http://localhost');
    } catch {
      url = undefined;
    }
    if (url?.pathname !== route && url?.pathname !== pricingRoute) {
      if (next) next();
      else sendAnswer(request, response, errorAnswer(404, 'Not found'));
      return;
    }
    core.answerNode(
      request,
      response,
      url.searchParams,
      url.pathname === pricingRoute ? 'pricing' : 'generation',
    );
  };

  const fetchHandler = async (request: Request): Promise<Response> => {
    let url: URL | undefined;
    try {
      url = new URL(request.url);
    } catch {
      url = undefined;
    }
    // Frameworks route by file or pattern and do not strip the mount path: match its end.
    const path = url === undefined ? '' : normalizeBaseUrl(url.pathname);
    if (path.endsWith(pricingRoute))
      return core.answerFetch(request, url?.searchParams ?? new URLSearchParams(), 'pricing');
    if (url === undefined || !path.endsWith(route)) {
      return responseOf(request.method, errorAnswer(404, 'Not found'));
    }
    return core.answerFetch(request, url.searchParams);
  };

  return Object.defineProperty(node, 'fetch', { value: fetchHandler }) as GenerationProxy;
}
