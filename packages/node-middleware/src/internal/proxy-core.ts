import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GenmetaClient } from '@genmeta/core';
import type { GenerationProxyOptions } from '../generation-proxy.js';
import { defaultClient } from './default-client.js';
import { defaultRegistry } from './default-registry.js';
import { createPricingLoad } from './pricing-load.js';
import { errorAnswer, responseOf, sendAnswer } from './proxy-answers.js';
import { createProxyDecision } from './proxy-decision.js';
import { createReporter } from './report.js';

/** The proxy without its path check, for `generationProxy` and the framework adapters. */
export interface ProxyCore {
  /**
   * Answers a node request (never throws; a failure answers 500 or destroys the response);
   * `route` `pricing` serves the generation's model pricing instead of the generation.
   */
  answerNode(
    request: IncomingMessage,
    response: ServerResponse,
    query: URLSearchParams,
    route?: ProxyRoute,
  ): void;
  /** Answers a Web request (never rejects). */
  answerFetch(request: Request, query: URLSearchParams, route?: ProxyRoute): Promise<Response>;
}

/** What a proxy request asks for: the generation, or the pricing of the model that served it. */
export type ProxyRoute = 'generation' | 'pricing';

/** Cache-Control of the pricing answer: prices change, rarely. */
const pricingCacheControl = 'private, max-age=600';

export function createProxyCore(options: GenerationProxyOptions): ProxyCore {
  const report = createReporter(undefined);
  let client = options.client;
  const common = {
    registry: options.registry ?? defaultRegistry,
    cacheControl: options.cacheControl ?? 'private, max-age=31536000, immutable',
    getClient: (): GenmetaClient => {
      client ??= defaultClient(options.clientOptions).client;
      return client;
    },
    report,
  };
  const { authorize, authorizeFetch } = options;
  const fetchAuthorize =
    authorizeFetch ??
    (authorize === undefined
      ? undefined
      : () => {
          throw new TypeError(
            'generationProxy: `authorize` takes node requests; pass `authorizeFetch` to use .fetch',
          );
        });
  const decide = createProxyDecision<IncomingMessage>({ ...common, authorize });
  const decideFetch = createProxyDecision<Request>({ ...common, authorize: fetchAuthorize });
  // The pricing route: the same checks, its own answer.
  const pricing = { ...common, cacheControl: pricingCacheControl, load: createPricingLoad() };
  const decidePricing = createProxyDecision<IncomingMessage>({ ...pricing, authorize });
  const decidePricingFetch = createProxyDecision<Request>({
    ...pricing,
    authorize: fetchAuthorize,
  });

  return {
    answerNode(request, response, query, route = 'generation') {
      (route === 'pricing' ? decidePricing : decide)(request, request.method ?? 'GET', query)
        .then((answer) => sendAnswer(request, response, answer))
        .catch((error: unknown) => {
          report('handler', 'genmeta: generationProxy failed', error);
          try {
            sendAnswer(request, response, errorAnswer(500, 'Internal error'));
          } catch {
            response.destroy();
          }
        });
    },
    async answerFetch(request, query, route = 'generation') {
      const decision = route === 'pricing' ? decidePricingFetch : decideFetch;
      try {
        return responseOf(request.method, await decision(request, request.method, query));
      } catch (error) {
        report('handler', 'genmeta: generationProxy failed', error);
        return responseOf(request.method, errorAnswer(500, 'Internal error'));
      }
    },
  };
}
