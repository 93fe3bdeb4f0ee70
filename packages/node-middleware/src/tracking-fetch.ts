import { isGenerationId } from '@genmeta/core';
import { defaultBaseUrl } from '@genmeta/core/engine';
import {
  contextOfRequest,
  fetchStarted,
  type RequestContext,
  requestStorage,
  trackInContext,
} from './internal/context.js';
import { bodyIdOf, inlineUsageOf } from './internal/inline-usage.js';
import { scanStream } from './internal/scan-stream.js';
import { comparableUrl } from './internal/url.js';

/** Options of {@link createTrackingFetch}. */
export interface TrackingFetchOptions {
  /**
   * The fetch to wrap (captured when the tracking fetch is created).
   * @default globalThis.fetch
   */
  fetch?: typeof globalThis.fetch;
  /**
   * Base URL(s) of the OpenRouter API: responses to URLs under one of them are tracked. URLs
   * are compared parsed: scheme and host case, default ports and trailing slashes do not
   * matter. Inside a request handled by a `costLogger`, the base URL of that logger's client
   * (`clientOptions.baseUrl`) counts too, so one setting scopes both. Whatever the URL, a
   * request carrying an OpenRouter key (`Authorization: Bearer sk-or-...`) or a response
   * carrying a valid `X-Generation-Id` is tracked as well.
   * @default process.env.OPENROUTER_BASE_URL ?? 'https://openrouter.ai/api/v1'
   */
  baseUrl?: string | readonly string[];
  /**
   * The incoming request whose record this fetch's ids go to: the `Request` a `handle`d
   * handler received (or Hono's `c.req.raw`). Needed only where no AsyncLocalStorage carries
   * the request's context (Cloudflare Workers without `nodejs_compat`); create the tracking
   * fetch inside the handler then.
   * @default the request of the current async context (AsyncLocalStorage)
   */
  request?: Request;
}

/** JSON bodies larger than this are not scanned for `id` / `usage`. */
const MAX_JSON_SCAN_BYTES = 4 * 1024 * 1024;

function urlOf(input: string | URL | Request): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

const isUnder = (path: string, base: string): boolean =>
  path === base || path.startsWith(`${base}/`);

function baseUrlsOf(baseUrl: string | readonly string[] | undefined): string[] {
  const given = typeof baseUrl === 'string' ? [baseUrl] : (baseUrl ?? [defaultBaseUrl()]);
  return given.map(comparableUrl).filter((base) => base !== undefined);
}

/** OpenRouter's key form: a request carrying one goes to OpenRouter (or a gateway to it). */
const OPENROUTER_BEARER = /^bearer\s+sk-or-/i;

function authorizationOf(input: string | URL | Request, init: RequestInit | undefined): string {
  if (init?.headers !== undefined) return new Headers(init.headers).get('authorization') ?? '';
  return input instanceof Request ? (input.headers.get('authorization') ?? '') : '';
}

function scanJson(
  response: Response,
  context: RequestContext,
  headerId: string | undefined,
  requestModel: string | undefined,
  done: () => void,
): void {
  response
    .clone()
    .json()
    .then((body: unknown) => {
      const id = headerId ?? bodyIdOf(body);
      if (id !== undefined) trackInContext(context, id, inlineUsageOf(body), requestModel);
    })
    .catch(() => undefined)
    .finally(done);
}

function inspect(
  response: Response,
  context: RequestContext,
  inFlight: ReturnType<typeof fetchStarted>,
): Response {
  const header = response.headers.get('x-generation-id');
  const headerId = header !== null && isGenerationId(header) ? header : undefined;
  const { requestModel } = inFlight.entry;
  if (headerId !== undefined) trackInContext(context, headerId, undefined, requestModel);
  if (!response.ok || response.body === null) {
    inFlight.done();
    return response;
  }
  const contentType = response.headers.get('content-type') ?? '';
  if (contentType.includes('text/event-stream')) {
    return scanStream(response, response.body, context, headerId, inFlight);
  }
  const length = Number(response.headers.get('content-length') ?? 0);
  // Parsing a huge body a second time (embeddings) is not worth its inline cost.
  if (contentType.includes('json') && !(length > MAX_JSON_SCAN_BYTES)) {
    scanJson(response, context, headerId, requestModel, inFlight.done);
  } else {
    inFlight.done();
  }
  return response;
}

/** Request bodies larger than this are not read for their `model`. */
const MAX_MODEL_SCAN_CHARS = 256 * 1024;

/** The `model` of a JSON request body given as a string (what SDKs send), when it has one. */
function requestModelOf(init: RequestInit | undefined): string | undefined {
  const body = init?.body;
  if (typeof body !== 'string' || body.length > MAX_MODEL_SCAN_CHARS) return undefined;
  try {
    const parsed = JSON.parse(body) as { model?: unknown } | null;
    return typeof parsed?.model === 'string' ? parsed.model : undefined;
  } catch {
    return undefined;
  }
}

function hasGenerationHeader(response: Response): boolean {
  const header = response.headers.get('x-generation-id');
  return header !== null && isGenerationId(header);
}

/** Loggers already told about an untracked OpenRouter answer: each is told once, then never looks again. */
const toldUntracked = new WeakSet<object>();
/**
 * Untracked JSON answers looked at per logger: a misconfigured base URL shows in the first
 * calls, and an app whose SDK rightly calls another API does not pay a second parse forever.
 */
const MAX_UNTRACKED_LOOKS = 20;
const untrackedLooks = new WeakMap<object, number>();

/**
 * A JSON answer shaped like an OpenRouter completion (`id: "gen-..."` with `choices` or `usage`)
 * that no rule tracked: the app's SDK points somewhere the tracking fetch was not told about.
 */
function noticeUntracked(response: Response, context: RequestContext, path: string): void {
  const { tracker } = context;
  if (tracker.untracked === undefined || toldUntracked.has(tracker)) return;
  const contentType = response.headers.get('content-type') ?? '';
  const length = Number(response.headers.get('content-length') ?? 0);
  if (!response.ok || !contentType.includes('json') || length > MAX_JSON_SCAN_BYTES) return;
  const looks = untrackedLooks.get(tracker) ?? 0;
  if (looks >= MAX_UNTRACKED_LOOKS) return;
  untrackedLooks.set(tracker, looks + 1);
  response
    .clone()
    .json()
    .then((body: unknown) => {
      const id = bodyIdOf(body);
      const shaped =
        typeof body === 'object' && body !== null && ('choices' in body || 'usage' in body);
      if (id?.startsWith('gen-') && shaped && !toldUntracked.has(tracker)) {
        toldUntracked.add(tracker);
        tracker.untracked?.(path);
      }
    })
    .catch(() => undefined);
}

function isFetchFunction(value: unknown): value is typeof globalThis.fetch {
  return typeof value === 'function';
}

/**
 * Wraps `fetch` so that OpenRouter responses made while handling a request (under
 * `costLogger`) record their generation id in that request's cost record: from the
 * `X-Generation-Id` header, else the JSON body's `id` or the first SSE chunk's `id`, with the
 * inline `usage.cost` when present. Streams are scanned as the caller reads them: nothing is
 * buffered, consumed or delayed. A fetch still running when the response is over is waited
 * for (costLogger's `inflightWaitMs`), and a stream nobody reads is read up to its id. The
 * caller always gets the upstream response (or error); tracking problems are swallowed.
 *
 * Also callable as `createTrackingFetch(fetchFunction?, options?)`.
 *
 * @param options - see {@link TrackingFetchOptions}.
 *
 * @example
 * const openai = new OpenAI({ baseURL: 'https://openrouter.ai/api/v1', fetch: createTrackingFetch() });
 */
export function createTrackingFetch(options?: TrackingFetchOptions): typeof globalThis.fetch;
/**
 * @param fetchFunction - the fetch to wrap. @default globalThis.fetch (captured now)
 * @param options - see {@link TrackingFetchOptions} (`options.fetch` is ignored here).
 */
export function createTrackingFetch(
  fetchFunction: typeof globalThis.fetch | undefined,
  options?: TrackingFetchOptions,
): typeof globalThis.fetch;
export function createTrackingFetch(
  first?: typeof globalThis.fetch | TrackingFetchOptions,
  second?: TrackingFetchOptions,
): typeof globalThis.fetch {
  const options = (isFetchFunction(first) || first === undefined ? second : first) ?? {};
  const base = (isFetchFunction(first) ? first : options.fetch) ?? globalThis.fetch;
  const bases = baseUrlsOf(options.baseUrl);
  return async function trackingFetch(input, init) {
    const context = contextOfRequest(options.request) ?? requestStorage.getStore();
    let inFlight: ReturnType<typeof fetchStarted> | undefined;
    let path: string | undefined;
    try {
      if (context !== undefined && !context.sealed) {
        path = comparableUrl(urlOf(input));
        if (path !== undefined && !path.endsWith('/generation')) {
          const loggerBase = context.tracker.baseUrl;
          const tracked =
            bases.some((prefix) => isUnder(path as string, prefix)) ||
            (loggerBase !== undefined && isUnder(path, loggerBase)) ||
            OPENROUTER_BEARER.test(authorizationOf(input, init));
          if (tracked) inFlight = fetchStarted(context, path);
        } else {
          // The stats endpoint itself carries no new generation.
          path = undefined;
        }
      }
    } catch {
      inFlight = undefined;
      path = undefined;
    }
    let response: Response;
    try {
      response = await base(input, init);
    } catch (error) {
      inFlight?.done();
      throw error;
    }
    if (context === undefined || path === undefined) return response;
    try {
      if (inFlight === undefined) {
        // Not known to be OpenRouter by URL or key: a valid X-Generation-Id says it is.
        if (hasGenerationHeader(response)) inFlight = fetchStarted(context, path);
        else {
          noticeUntracked(response, context, path);
          return response;
        }
      }
    } catch {
      return response;
    }
    try {
      inFlight.entry.requestModel = requestModelOf(init);
      return inspect(response, context, inFlight);
    } catch {
      inFlight.done();
      return response;
    }
  };
}
