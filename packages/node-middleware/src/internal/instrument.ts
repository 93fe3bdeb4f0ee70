import { isGenerationId } from '@genmeta/core';
import { type RequestContext, requestStorage, trackInContext } from './context.js';
import { builtinModule } from './platform.js';
import { carriesOpenRouterKey, originOf, trustOf } from './trust.js';
import { displayUrl } from './url.js';

/**
 * Node's fetch (undici) publishes each request it creates and the response headers it gets on
 * `diagnostics_channel`. A costLogger listens there, whatever SDK made the call:
 * - always, to notice a request that called OpenRouter (a trusted answer carrying an
 *   `X-Generation-Id`) and tracked nothing (warned once per logger, with the fix);
 * - with `instrument: true`, to track those ids itself.
 * One subscription per loaded copy of this package, shared by its loggers, made when a
 * logger's first request begins and removed when the last such logger closes.
 */

/** What undici publishes of a request (`undici:request:create` and later messages). */
interface UndiciRequest {
  origin?: string | URL;
  path?: string;
  /** undici >= 6.11: `[name, value, ...]`; before: `'name: value\r\n...'` */
  headers?: unknown;
}

interface UndiciResponse {
  statusCode?: number;
  /** `[name, value, ...]` as Buffers */
  headers?: unknown;
}

/** Requests made inside a request handled by a logger, to an OpenRouter origin or with its key. */
const watched = new WeakMap<object, RequestContext>();

function authorizationOf(headers: unknown): string | undefined {
  if (Array.isArray(headers)) {
    for (let index = 0; index + 1 < headers.length; index += 2) {
      if (String(headers[index]).toLowerCase() === 'authorization')
        return String(headers[index + 1]);
    }
    return undefined;
  }
  if (typeof headers === 'string') {
    const match = /^authorization:[ \t]*([^\r\n]*)/im.exec(headers);
    return match?.[1];
  }
  return undefined;
}

function generationIdOf(headers: unknown): string | undefined {
  if (!Array.isArray(headers)) return undefined;
  for (let index = 0; index + 1 < headers.length; index += 2) {
    if (String(headers[index]).toLowerCase() !== 'x-generation-id') continue;
    const value = String(headers[index + 1]);
    return isGenerationId(value) ? value : undefined;
  }
  return undefined;
}

function onCreate(message: unknown): void {
  try {
    const context = requestStorage.getStore();
    if (context === undefined || context.sealed) return;
    const request = (message as { request?: UndiciRequest }).request;
    if (request === undefined || request === null) return;
    const path = request.path ?? '';
    // The stats endpoint itself carries no new generation (lookups, generationProxy).
    if (/\/generation(?:\?|$)/.test(path)) return;
    const origin = request.origin === undefined ? undefined : originOf(String(request.origin));
    const authorization = authorizationOf(request.headers);
    const trusted =
      carriesOpenRouterKey(authorization) ||
      trustOf(origin, undefined, context.tracker.trustedOrigins) === 'trusted';
    if (trusted) watched.set(request, context);
  } catch {
    // instrumentation never disturbs the app's fetch
  }
}

function onHeaders(message: unknown): void {
  try {
    const { request, response } = message as { request?: object; response?: UndiciResponse };
    if (request === undefined || response === undefined) return;
    const context = watched.get(request);
    if (context === undefined) return;
    watched.delete(request);
    const status = response.statusCode ?? 0;
    if (status < 200 || status > 299) return;
    const id = generationIdOf(response.headers);
    if (id === undefined) return;
    if (context.tracker.instrument === true) trackInContext(context, id);
    else if (context.openRouterAnswer === undefined) {
      const { origin, path } = request as UndiciRequest;
      context.openRouterAnswer = displayUrl(`${String(origin)}${path ?? ''}`);
    }
  } catch {
    // instrumentation never disturbs the app's fetch
  }
}

let users = 0;

type Channels = Pick<typeof import('node:diagnostics_channel'), 'subscribe' | 'unsubscribe'>;

/**
 * `node:diagnostics_channel` where the runtime has it (read when first needed, so runtimes
 * without it, such as edge runtimes, still load this package).
 */
function channels(): Channels | undefined {
  const found = builtinModule('node:diagnostics_channel');
  return typeof found?.subscribe === 'function' ? (found as unknown as Channels) : undefined;
}

/**
 * Subscribes to undici's request channels (shared, counted); the returned function
 * unsubscribes this user once.
 */
export function subscribeUndici(): () => void {
  const diagnostics = channels();
  if (diagnostics === undefined) return () => undefined;
  users += 1;
  if (users === 1) {
    diagnostics.subscribe('undici:request:create', onCreate);
    diagnostics.subscribe('undici:request:headers', onHeaders);
  }
  let subscribed = true;
  return () => {
    if (!subscribed) return;
    subscribed = false;
    users -= 1;
    if (users === 0) {
      diagnostics.unsubscribe('undici:request:create', onCreate);
      diagnostics.unsubscribe('undici:request:headers', onHeaders);
    }
  };
}
