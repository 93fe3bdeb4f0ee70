import { type GenmetaClient, isGenerationId, isGenmetaError } from '@genmeta/core';
import type { GenerationRegistry } from '@genmeta/core/engine';
import { answerOf, errorAnswer, type ProxyAnswer, retryAfterValue } from './proxy-answers.js';
import { registryHas } from './registry-check.js';
import type { Reporter } from './report.js';

export interface ProxyDecisionOptions<Request> {
  readonly registry: GenerationRegistry;
  readonly authorize:
    | ((request: Request, id: string, details: { tracked: boolean }) => boolean | Promise<boolean>)
    | undefined;
  readonly cacheControl: string;
  readonly getClient: () => GenmetaClient;
  readonly report: Reporter;
  /**
   * What an allowed request gets: the generation (`{ data }`), or for the pricing route its
   * model's endpoints. Both go through the same id, registry and authorize checks.
   * @default the generation, without waiting
   */
  readonly load?: (client: GenmetaClient, id: string) => Promise<unknown>;
}

const loadGeneration = async (client: GenmetaClient, id: string) => ({
  data: await client.getGeneration(id, { wait: false }),
});

/**
 * What the proxy answers a request for `<route>?<query>`, the same for every host: the node
 * handler and `.fetch` only differ in how they read the request and write the answer.
 */
export function createProxyDecision<Request>(
  options: ProxyDecisionOptions<Request>,
): (request: Request, method: string, query: URLSearchParams) => Promise<ProxyAnswer> {
  const { registry, authorize, cacheControl, getClient, report } = options;
  const load = options.load ?? loadGeneration;
  return async (request, method, query) => {
    if (method !== 'GET' && method !== 'HEAD') {
      return errorAnswer(405, 'Method not allowed', { allow: 'GET, HEAD' });
    }
    const id = query.get('id');
    if (!isGenerationId(id)) {
      return errorAnswer(
        400,
        'Missing or invalid generation id: pass ?id=gen-... (no whitespace or / ? # &, at most 256 characters)',
      );
    }
    let tracked: boolean;
    try {
      tracked = await registryHas(registry, id);
    } catch (error) {
      // Fails closed: without the registry nothing is known to be servable.
      report('registry', 'genmeta: the registry of generationProxy failed', error);
      return errorAnswer(503, 'Generation registry unavailable, retry later');
    }
    let allowed: boolean;
    try {
      allowed = authorize ? (await authorize(request, id, { tracked })) === true : tracked;
    } catch (error) {
      report('authorize', 'genmeta: the authorize option of generationProxy threw', error);
      return errorAnswer(500, 'Authorization check failed');
    }
    if (!allowed) {
      return errorAnswer(
        403,
        `Generation ${id} is not served here: only generations created by this server's recent requests are available`,
      );
    }
    try {
      return {
        status: 200,
        body: await load(getClient(), id),
        headers: { 'cache-control': cacheControl, vary: 'Cookie, Authorization' },
      };
    } catch (error) {
      if (!isGenmetaError(error)) {
        report('lookup', 'genmeta: generationProxy lookup failed unexpectedly', error);
        return errorAnswer(500, 'Internal error');
      }
      const answer = answerOf(error);
      const headers: Record<string, string> = {};
      if (answer.status === 429 && error.retryAfterMs !== undefined) {
        headers['retry-after'] = retryAfterValue(error.retryAfterMs);
      }
      return errorAnswer(answer.status, answer.message, headers);
    }
  };
}
