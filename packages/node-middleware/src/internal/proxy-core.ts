import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GenmetaClient } from '@genmeta/core';
import type { GenerationProxyOptions } from '../generation-proxy.js';
import { defaultClient } from './default-client.js';
import { defaultRegistry } from './default-registry.js';
import { errorAnswer, responseOf, sendAnswer } from './proxy-answers.js';
import { createProxyDecision } from './proxy-decision.js';
import { createReporter } from './report.js';

/** The proxy without its path check, for `generationProxy` and the framework adapters. */
export interface ProxyCore {
  /** Answers a node request (never throws; a failure answers 500 or destroys the response). */
  answerNode(request: IncomingMessage, response: ServerResponse, query: URLSearchParams): void;
  /** Answers a Web request (never rejects). */
  answerFetch(request: Request, query: URLSearchParams): Promise<Response>;
}

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
  const decide = createProxyDecision<IncomingMessage>({ ...common, authorize });
  const decideFetch = createProxyDecision<Request>({
    ...common,
    authorize:
      authorizeFetch ??
      (authorize === undefined
        ? undefined
        : () => {
            throw new TypeError(
              'generationProxy: `authorize` takes node requests; pass `authorizeFetch` to use .fetch',
            );
          }),
  });

  return {
    answerNode(request, response, query) {
      decide(request, request.method ?? 'GET', query)
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
    async answerFetch(request, query) {
      try {
        return responseOf(request.method, await decideFetch(request, request.method, query));
      } catch (error) {
        report('handler', 'genmeta: generationProxy failed', error);
        return responseOf(request.method, errorAnswer(500, 'Internal error'));
      }
    },
  };
}
