import { isGenerationId } from '@genmeta/core';
import { defaultBaseUrl } from '@genmeta/core/engine';
import { JsonScanner, MAX_JSON_SCAN_BYTES, ShapeSniffer } from './internal/body-scanners.js';
import {
  contextOfRequest,
  fetchStarted,
  type InFlightFetch,
  type RequestContext,
  requestStorage,
  trackInContext,
} from './internal/context.js';
import { answerFactsOf } from './internal/inline-generation.js';
import { bodyIdOf, inlineUsageOf, SseScanner } from './internal/inline-usage.js';
import { tapBody } from './internal/scan-stream.js';
import { carriesOpenRouterKey, type Trust, trustedOriginsOf, trustOf } from './internal/trust.js';
import { comparableAndOrigin, comparableUrl } from './internal/url.js';

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
   * carrying a valid `X-Generation-Id` is tracked as well; but only answers from these base
   * URLs' origins (or `trustedOrigins`) or to a request carrying an OpenRouter key are trusted
   * (README, "Trust").
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
  /**
   * More origins (`https://gateway.example.com`) whose answers are trusted: their ids may be
   * served by generationProxy and their inline costs counted (README, "Trust").
   * @default []
   */
  trustedOrigins?: readonly string[];
}

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

/** The `Authorization` header of a fetch call, read without copying its headers. */
function authorizationOf(input: string | URL | Request, init: RequestInit | undefined): string {
  const headers = init?.headers;
  if (headers === undefined) {
    return input instanceof Request ? (input.headers.get('authorization') ?? '') : '';
  }
  if (headers instanceof Headers) return headers.get('authorization') ?? '';
  if (Array.isArray(headers)) return new Headers(headers).get('authorization') ?? '';
  // a plain record (what SDKs pass): names are case-insensitive
  for (const name in headers) {
    if (name.length === 13 && name.toLowerCase() === 'authorization') {
      const value = (headers as Record<string, unknown>)[name];
      return typeof value === 'string' ? value.trim() : '';
    }
  }
  return '';
}

/** What one tracked fetch knows of its request. */
interface TrackedFetch {
  readonly context: RequestContext;
  readonly inFlight: InFlightFetch;
  readonly trust: Trust;
}

function scanJson(
  response: Response,
  body: ReadableStream<Uint8Array>,
  fetched: TrackedFetch,
  headerId: string | undefined,
): Response {
  const { context, inFlight, trust } = fetched;
  const scanner = new JsonScanner((parsed) => {
    const id = headerId ?? bodyIdOf(parsed);
    if (id === undefined) return;
    const usage = inlineUsageOf(parsed);
    const answer = usage === undefined ? undefined : answerFactsOf(parsed, false);
    trackInContext(context, id, usage, inFlight.entry.requestModel, trust, answer);
  });
  return tapBody(response, body, scanner, {
    context,
    inFlight,
    // a body over the limit without a header id: its generation is not known
    unresolvedReason: () =>
      scanner.overLimit && headerId === undefined ? 'scan_limit' : undefined,
  });
}

function scanSse(
  response: Response,
  body: ReadableStream<Uint8Array>,
  fetched: TrackedFetch,
  headerId: string | undefined,
): Response {
  const { context, inFlight, trust } = fetched;
  const scanner = new SseScanner(
    (id) => {
      if (headerId === undefined) {
        trackInContext(context, id, undefined, inFlight.entry.requestModel, trust);
      }
    },
    (id, usage, chunk) => {
      const target = headerId ?? id;
      if (target === undefined) return;
      trackInContext(context, target, usage, undefined, trust, answerFactsOf(chunk, true));
    },
    headerId !== undefined,
  );
  return tapBody(response, body, scanner, { context, inFlight });
}

function inspect(response: Response, fetched: TrackedFetch): Response {
  const { context, inFlight, trust } = fetched;
  const header = response.headers.get('x-generation-id');
  const headerId = header !== null && isGenerationId(header) ? header : undefined;
  const { requestModel } = inFlight.entry;
  if (headerId !== undefined) trackInContext(context, headerId, undefined, requestModel, trust);
  const body = response.body;
  if (!response.ok || body === null) {
    inFlight.done();
    return response;
  }
  const contentType = response.headers.get('content-type') ?? '';
  if (contentType.includes('text/event-stream')) return scanSse(response, body, fetched, headerId);
  // Content-Length is a hint only (a compressed length, or a lie): the scan counts decoded bytes.
  const length = Number(response.headers.get('content-length') ?? 0);
  if (contentType.includes('json') && !(length > MAX_JSON_SCAN_BYTES)) {
    return scanJson(response, body, fetched, headerId);
  }
  inFlight.done();
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
 * Only the first bytes are looked at, as the caller reads them.
 */
function noticeUntracked(response: Response, context: RequestContext, path: string): Response {
  const { tracker } = context;
  const body = response.body;
  if (tracker.untracked === undefined || toldUntracked.has(tracker) || body === null) {
    return response;
  }
  const contentType = response.headers.get('content-type') ?? '';
  if (!response.ok || !contentType.includes('json')) return response;
  const looks = untrackedLooks.get(tracker) ?? 0;
  if (looks >= MAX_UNTRACKED_LOOKS) return response;
  untrackedLooks.set(tracker, looks + 1);
  const sniffer = new ShapeSniffer(() => {
    if (toldUntracked.has(tracker)) return;
    toldUntracked.add(tracker);
    tracker.untracked?.(path);
  });
  return tapBody(response, body, sniffer);
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
  const ownOrigins = trustedOriginsOf(bases, options.trustedOrigins);
  return async function trackingFetch(input, init) {
    const context = contextOfRequest(options.request) ?? requestStorage.getStore();
    let inFlight: InFlightFetch | undefined;
    let path: string | undefined;
    let trust: Trust = 'untrusted';
    try {
      if (context !== undefined && !context.sealed) {
        const parsed = comparableAndOrigin(urlOf(input));
        path = parsed?.path;
        if (parsed !== undefined && path !== undefined && !path.endsWith('/generation')) {
          const authorization = authorizationOf(input, init);
          const { tracker } = context;
          trust = trustOf(parsed.origin, authorization, ownOrigins, tracker.trustedOrigins);
          const loggerBase = tracker.baseUrl;
          const tracked =
            bases.some((prefix) => isUnder(path as string, prefix)) ||
            (loggerBase !== undefined && isUnder(path, loggerBase)) ||
            carriesOpenRouterKey(authorization);
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
        // Not known to be OpenRouter by URL or key: a valid X-Generation-Id says it may be
        // (tracked, looked up, but untrusted unless its origin is).
        if (hasGenerationHeader(response)) inFlight = fetchStarted(context, path);
        else return noticeUntracked(response, context, path);
      }
    } catch {
      return response;
    }
    try {
      inFlight.entry.requestModel = requestModelOf(init);
      return inspect(response, { context, inFlight, trust });
    } catch {
      inFlight.done();
      return response;
    }
  };
}
