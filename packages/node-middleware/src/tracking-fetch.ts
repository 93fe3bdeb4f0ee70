import { isGenerationId } from '@genmeta/core';
import { type RequestContext, requestStorage, trackInContext } from './internal/context.js';
import { bodyIdOf, inlineUsageOf, SseScanner } from './internal/inline-usage.js';

/** Options of {@link createTrackingFetch}. */
export interface TrackingFetchOptions {
  /**
   * Base URL(s) of the OpenRouter API: only responses to URLs under one of them are inspected.
   * @default process.env.OPENROUTER_BASE_URL ?? 'https://openrouter.ai/api/v1'
   */
  baseUrl?: string | readonly string[];
}

const DEFAULT_BASE_URL = 'https://openrouter.ai/api/v1';

/** JSON bodies larger than this are not scanned for `id` / `usage`. */
const MAX_JSON_SCAN_BYTES = 4 * 1024 * 1024;

function defaultBaseUrl(): string {
  const fromEnvironment =
    typeof process !== 'undefined' ? process.env.OPENROUTER_BASE_URL : undefined;
  return fromEnvironment && fromEnvironment.trim() !== '' ? fromEnvironment : DEFAULT_BASE_URL;
}

function urlOf(input: string | URL | Request): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

function matcher(baseUrl: string | readonly string[] | undefined): (url: string) => boolean {
  const bases = (typeof baseUrl === 'string' ? [baseUrl] : (baseUrl ?? [defaultBaseUrl()])).map(
    (base) => base.replace(/\/+$/, ''),
  );
  return (url) => {
    const path = url.split(/[?#]/, 1)[0] ?? url;
    // The stats endpoint itself carries no new generation.
    if (path.endsWith('/generation')) return false;
    return bases.some((base) => path === base || path.startsWith(`${base}/`));
  };
}

function sameShape(original: Response, body: ReadableStream<Uint8Array>): Response {
  const wrapped = new Response(body, {
    status: original.status,
    statusText: original.statusText,
    headers: original.headers,
  });
  Object.defineProperties(wrapped, {
    url: { value: original.url },
    redirected: { value: original.redirected },
    type: { value: original.type },
  });
  return wrapped;
}

function scanStream(
  response: Response,
  body: ReadableStream<Uint8Array>,
  context: RequestContext,
  headerId: string | undefined,
): Response {
  const scanner = new SseScanner(
    (id) => {
      if (headerId === undefined) trackInContext(context, id);
    },
    (id, usage) => {
      const target = headerId ?? id;
      if (target !== undefined) trackInContext(context, target, usage);
    },
  );
  const reader = body.getReader();
  const passthrough = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // A read error reaches the caller exactly as it would have without us.
        const { done, value } = await reader.read();
        if (done) {
          try {
            scanner.end();
          } catch {
            // scanning is best effort
          }
          controller.close();
          return;
        }
        try {
          scanner.push(value);
        } catch {
          scanner.stop();
        }
        controller.enqueue(value);
      },
      cancel(reason) {
        scanner.stop();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return sameShape(response, passthrough);
}

function scanJson(response: Response, context: RequestContext, headerId: string | undefined) {
  const pending: Promise<void> = response
    .clone()
    .json()
    .then((body: unknown) => {
      const id = headerId ?? bodyIdOf(body);
      if (id !== undefined) trackInContext(context, id, inlineUsageOf(body));
    })
    .catch(() => undefined)
    .finally(() => context.pendingInline?.delete(pending));
  context.pendingInline ??= new Set();
  context.pendingInline.add(pending);
}

function inspect(response: Response, context: RequestContext): Response {
  const header = response.headers.get('x-generation-id');
  const headerId = header !== null && isGenerationId(header) ? header : undefined;
  if (headerId !== undefined) trackInContext(context, headerId);
  if (!response.ok || response.body === null) return response;
  const contentType = response.headers.get('content-type') ?? '';
  if (contentType.includes('text/event-stream')) {
    return scanStream(response, response.body, context, headerId);
  }
  const length = Number(response.headers.get('content-length') ?? 0);
  // Parsing a huge body a second time (embeddings) is not worth its inline cost.
  if (contentType.includes('json') && !(length > MAX_JSON_SCAN_BYTES)) {
    scanJson(response, context, headerId);
  }
  return response;
}

/**
 * Wraps `fetch` so that OpenRouter responses made while handling a request (under
 * `costLogger`) record their generation id in that request's cost record: from the
 * `X-Generation-Id` header, else the JSON body's `id` or the first SSE chunk's `id`, with the
 * inline `usage.cost` when present. Streams are scanned as the caller reads them: nothing is
 * buffered, consumed or delayed. The caller always gets the upstream response (or error);
 * tracking problems are swallowed.
 *
 * @param fetchFunction - the fetch to wrap. @default globalThis.fetch (captured now)
 * @param options - see {@link TrackingFetchOptions}.
 *
 * @example
 * const openai = new OpenAI({ baseURL: 'https://openrouter.ai/api/v1', fetch: createTrackingFetch() });
 */
export function createTrackingFetch(
  fetchFunction?: typeof globalThis.fetch,
  options: TrackingFetchOptions = {},
): typeof globalThis.fetch {
  const base = fetchFunction ?? globalThis.fetch;
  const isOpenRouter = matcher(options.baseUrl);
  return async function trackingFetch(input, init) {
    const context = requestStorage.getStore();
    const response = await base(input, init);
    if (context === undefined) return response;
    try {
      return isOpenRouter(urlOf(input)) ? inspect(response, context) : response;
    } catch {
      return response;
    }
  };
}
