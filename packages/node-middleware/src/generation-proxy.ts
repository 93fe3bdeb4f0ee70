import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ClientOptions,
  createClient,
  type GenmetaClient,
  type GenmetaError,
  isGenerationId,
  isGenmetaError,
} from '@genmeta/core';
import { trackedIds } from './internal/registry.js';
import { createReporter } from './internal/report.js';

/** Options of {@link generationProxy}. */
export interface GenerationProxyOptions {
  /**
   * The `@genmeta/core` client that calls OpenRouter with the server's key (share one with
   * `costLogger` to share its cache).
   * @default createClient(clientOptions)
   */
  client?: GenmetaClient;
  /**
   * Options for the client created when `client` is not given.
   * @default {} (key from OPENROUTER_API_KEY, base URL from OPENROUTER_BASE_URL)
   */
  clientOptions?: ClientOptions;
  /**
   * Decides whether a request may read a generation. It receives whether a `costLogger` of
   * this process tracked the id recently (the last 10,000 ids), so
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
   * decision must not be bypassed by a shared cache.
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

interface ErrorAnswer {
  status: number;
  message: string;
}

function answerOf(error: GenmetaError): ErrorAnswer {
  switch (error.code) {
    case 'not_found':
      return { status: 404, message: 'Generation not found (it may still be processing)' };
    case 'rate_limited':
      return { status: 429, message: 'Rate limited by OpenRouter, retry later' };
    case 'unauthorized':
      return { status: 401, message: "OpenRouter rejected this server's credentials" };
    case 'insufficient_credits':
      return { status: 402, message: "This server's OpenRouter account has insufficient credits" };
    case 'forbidden':
      return { status: 403, message: 'OpenRouter refused access to this generation' };
    case 'invalid_id':
      return { status: 400, message: 'Invalid generation id' };
    case 'timeout':
      return { status: 504, message: 'OpenRouter did not answer in time' };
    case 'network':
      return { status: 502, message: 'OpenRouter could not be reached' };
    case 'invalid_response':
      return { status: 502, message: 'OpenRouter sent an invalid response' };
    default: {
      const status = error.status;
      return {
        status: status !== undefined && status >= 500 && status <= 599 ? status : 502,
        message: 'OpenRouter failed to answer',
      };
    }
  }
}

function send(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const text = JSON.stringify(body);
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('x-content-type-options', 'nosniff');
  response.setHeader('content-length', Buffer.byteLength(text));
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.end(request.method === 'HEAD' ? undefined : text);
}

function sendError(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  send(
    request,
    response,
    status,
    { error: { code: status, message } },
    {
      'cache-control': 'no-store',
      ...headers,
    },
  );
}

/**
 * A handler answering `GET <mount>/generation?id=` exactly like OpenRouter's endpoint
 * (`{ data }` or `{ error: { code, message } }`, same statuses) with the server's key, so the
 * browser (core's client, `useGeneration`) never holds a secret. Secure by default: only ids
 * tracked by this process's `costLogger` are served (403 otherwise) unless `authorize` says
 * more; invalid ids get 400 before any upstream call. A not-ready generation answers 404 so
 * browser clients keep waiting; finished ones are cacheable for a year. Concurrent asks for
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
  const route = `${(options.basePath ?? '').replace(/\/+$/, '')}/generation`;
  const report = createReporter(undefined);
  let client = options.client;
  const getClient = (): GenmetaClient => {
    client ??= createClient(options.clientOptions);
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
    const tracked = trackedIds.has(id);
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
      send(request, response, 200, { data }, { 'cache-control': cacheControl });
    } catch (error) {
      if (!isGenmetaError(error)) {
        report('lookup', 'genmeta: generationProxy lookup failed unexpectedly', error);
        sendError(request, response, 500, 'Internal error');
        return;
      }
      const answer = answerOf(error);
      const headers: Record<string, string> = {};
      if (answer.status === 429 && error.retryAfterMs !== undefined) {
        headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
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
