import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ClientOptions,
  type GenmetaClient,
  isGenerationId,
  isGenmetaError,
} from '@genmeta/core';
import { type GenerationRegistry, normalizeBaseUrl } from '@genmeta/core/engine';
import { defaultClient } from './internal/default-client.js';
import { defaultRegistry } from './internal/default-registry.js';
import { answerOf, retryAfterValue, send, sendError } from './internal/proxy-answers.js';
import { registryHas } from './internal/registry-check.js';
import { createReporter } from './internal/report.js';

/** Options of {@link generationProxy}. */
export interface GenerationProxyOptions {
  /**
   * The `@genmeta/core` client that calls OpenRouter with the server's key.
   * @default the process's shared default client for `clientOptions` (the same one
   *   `costLogger` uses with equal `clientOptions`: one cache, one single-flight)
   */
  client?: GenmetaClient;
  /**
   * Options for the default client, used when `client` is not given. Equal options (primitives
   * and headers by value, functions and objects by identity) share one client.
   * @default {} (key from OPENROUTER_API_KEY, base URL from OPENROUTER_BASE_URL)
   */
  clientOptions?: ClientOptions;
  /**
   * Where the ids this proxy may serve are read (`costLogger` writes them when tracked). An
   * async registry that answers no is asked again twice (after 100 and 200 ms) before the
   * proxy refuses, so an id tracked by another instance a moment ago is not refused while its
   * write lands. A registry that throws or rejects gets a 503 answer (fails closed).
   * @default the process-wide memory registry (the last 10,000 ids), shared with costLogger
   */
  registry?: GenerationRegistry;
  /**
   * Decides whether a request may read a generation. It receives whether the registry holds
   * the id (a `costLogger` tracked it recently), so
   * `(request, id, { tracked }) => tracked || isAdmin(request)` widens the default and
   * `(request, id, { tracked }) => tracked && ownsGeneration(request, id)` narrows it.
   * Async allowed; a throw answers 500.
   * @default (request, id, { tracked }) => tracked
   */
  authorize?: (
    request: IncomingMessage,
    id: string,
    details: { tracked: boolean },
  ) => boolean | Promise<boolean>;
  /**
   * Path prefix in front of `/generation` as seen in `request.url`. Express strips the mount
   * path of `app.use('/api/genmeta', proxy)`, so leave it empty there; on plain node:http
   * (or `app.get('/api/genmeta/generation', proxy)`) pass the full prefix, e.g. `/api/genmeta`.
   * @default ''
   */
  basePath?: string;
  /**
   * Cache-Control of a finished generation (they never change). `private`, because a
   * generation can hold per-user data (`external_user`, `origin`) and the authorization
   * decision must not be bypassed by a shared cache. Successful answers also carry
   * `Vary: Cookie, Authorization`, so a browser profile shared by two users does not serve one
   * user's cached answer to the other after a switch.
   * @default 'private, max-age=31536000, immutable'
   */
  cacheControl?: string;
}

/** The handler returned by {@link generationProxy}. */
export type GenerationProxy = (
  request: IncomingMessage,
  response: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

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
 * Other paths go to `next()` (or get a 404 without one).
 *
 * @example
 * app.use('/api/genmeta', generationProxy());
 * // browser: createClient({ baseUrl: '/api/genmeta' }).getGeneration(id)
 */
export function generationProxy(options: GenerationProxyOptions = {}): GenerationProxy {
  const { authorize, cacheControl = 'private, max-age=31536000, immutable' } = options;
  const route = `${normalizeBaseUrl(options.basePath ?? '')}/generation`;
  const report = createReporter(undefined);
  const registry = options.registry ?? defaultRegistry;
  let client = options.client;
  const getClient = (): GenmetaClient => {
    client ??= defaultClient(options.clientOptions).client;
    return client;
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendError(request, response, 405, 'Method not allowed', { allow: 'GET, HEAD' });
      return;
    }
    const id = url.searchParams.get('id');
    if (!isGenerationId(id)) {
      sendError(
        request,
        response,
        400,
        'Missing or invalid generation id: pass ?id=gen-... (no whitespace or / ? # &, at most 256 characters)',
      );
      return;
    }
    let tracked: boolean;
    try {
      tracked = await registryHas(registry, id);
    } catch (error) {
      // Fails closed: without the registry nothing is known to be servable.
      report('registry', 'genmeta: the registry of generationProxy failed', error);
      sendError(request, response, 503, 'Generation registry unavailable, retry later');
      return;
    }
    let allowed: boolean;
    try {
      allowed = authorize ? (await authorize(request, id, { tracked })) === true : tracked;
    } catch (error) {
      report('authorize', 'genmeta: the authorize option of generationProxy threw', error);
      sendError(request, response, 500, 'Authorization check failed');
      return;
    }
    if (!allowed) {
      sendError(
        request,
        response,
        403,
        `Generation ${id} is not served here: only generations created by this server's recent requests are available`,
      );
      return;
    }
    try {
      const data = await getClient().getGeneration(id, { wait: false });
      send(
        request,
        response,
        200,
        { data },
        { 'cache-control': cacheControl, vary: 'Cookie, Authorization' },
      );
    } catch (error) {
      if (!isGenmetaError(error)) {
        report('lookup', 'genmeta: generationProxy lookup failed unexpectedly', error);
        sendError(request, response, 500, 'Internal error');
        return;
      }
      const answer = answerOf(error);
      const headers: Record<string, string> = {};
      if (answer.status === 429 && error.retryAfterMs !== undefined) {
        headers['retry-after'] = retryAfterValue(error.retryAfterMs);
      }
      sendError(request, response, answer.status, answer.message, headers);
    }
  }

  return (request, response, next) => {
    let pathname: string;
    try {
      pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    } catch {
      pathname = '';
    }
    if (pathname !== route) {
      if (next) next();
      else sendError(request, response, 404, 'Not found');
      return;
    }
    handle(request, response).catch((error: unknown) => {
      report('handler', 'genmeta: generationProxy failed', error);
      try {
        sendError(request, response, 500, 'Internal error');
      } catch {
        response.destroy();
      }
    });
  };
}
