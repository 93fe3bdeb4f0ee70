import ky, { type KyInstance, NetworkError as KyNetworkError, type Options as KyOptions } from 'ky';
import { type GenmetaError, InvalidResponseError, NetworkError } from '../errors.js';
import { describeErrorBody, errorFromStatus } from '../internal/http-errors.js';
import { parseGenerationBody } from '../internal/parse-generation.js';
import { readCappedText } from '../internal/read-body.js';
import { redactRequestHeaders, scrubSecret } from '../internal/redact.js';
import { parseRetryAfter } from '../internal/retry-delay.js';
import type { Generation } from '../schemas/generation.js';
import type { Log } from './log.js';
import type { ResolvedOptions } from './options.js';

/** What one GET gave: the generation, or the typed error the server's answer maps to. */
export type TransportOutcome = { generation: Generation } | { error: GenmetaError };

/** One GET of `/generation?id=` at a time; network failures and aborts are thrown as they come. */
export interface Transport {
  /** `key` is sent only when the key is read per attempt (a static key is in the defaults). */
  get(id: string, key: string | undefined, signal: AbortSignal): Promise<TransportOutcome>;
  /** A failed fetch as a {@link NetworkError}, with `key` scrubbed from what it says. */
  networkError(error: unknown, id: string, key: string | undefined): NetworkError;
}

/**
 * What fetch itself threw. ky 2 wraps a network failure (undici's `TypeError: fetch failed`,
 * whose cause has the code) in its own NetworkError, which says only the method and URL and
 * holds the `Request`, headers and key included: neither may reach a caller or a log.
 */
export function fetchFailure(error: unknown): unknown {
  return error instanceof KyNetworkError ? error.cause : error;
}

export function describeNetworkFailure(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
    if (typeof cause?.code === 'string') return cause.code;
    if (typeof cause?.message === 'string' && cause.message !== '') return cause.message;
    return error.message;
  }
  return String(error);
}

/**
 * `headers` as `Headers`; a value no header can carry throws a TypeError naming the header but
 * not quoting the value (extra headers may hold credentials too).
 */
export function headersOf(headers: Record<string, string> | undefined): Headers {
  const built = new Headers();
  for (const [name, value] of Object.entries(headers ?? {})) {
    try {
      built.set(name, value);
    } catch {
      throw new TypeError(
        `headers: "${name.replace(/[^\x21-\x7e]/g, '?')}" is not a valid header name, or its value holds a line break or a character outside ISO-8859-1`,
      );
    }
  }
  return built;
}

/** The ky instance and request shape, built once per client. */
export function createTransport(options: ResolvedOptions, log: Log): Transport {
  const { baseUrl, logger, fetch: customFetch, maxResponseBytes } = options;
  const generationUrl = `${baseUrl}/generation?id=`;
  const keyPerAttempt = typeof options.apiKey === 'function';
  // Headers known up front go into the ky instance once, not into every request's options.
  const staticHeaders = headersOf(options.headers);
  if (!staticHeaders.has('accept')) staticHeaders.set('accept', 'application/json');
  if (typeof options.apiKey === 'string') {
    staticHeaders.set('authorization', `Bearer ${options.apiKey}`);
  }
  // ky 2's own retries (jitter, `shouldRetry`), per-attempt `timeout` and `totalTimeout` stay
  // off: they see one request, while a lookup's policy spans the not-ready schedule, the
  // deadline's room for a last attempt, the key function's time and attempts shared between
  // callers (policy.ts, attempt.ts); ky's timeout would also join our signal with its own
  // through AbortSignal.any (see `get`), and its TimeoutError holds the Request, key included.
  const http: KyInstance = ky.create({
    retry: 0,
    timeout: false,
    throwHttpErrors: false,
    headers: staticHeaders,
    // A fetch given here sees the abort signal on its Request, as fetch implementations expect.
    ...(customFetch ? { fetch: customFetch } : {}),
    // A hook costs ky an extra await and options snapshot per request: only with a logger.
    ...(logger?.debug
      ? {
          hooks: {
            beforeRequest: [
              ({ request }: { request: Request }) => {
                const { method, url } = request;
                log(
                  'debug',
                  { method, url, headers: redactRequestHeaders(request.headers) },
                  'request',
                );
              },
            ],
          },
        }
      : {}),
  });

  return {
    async get(id, key, signal) {
      const requestOptions: KyOptions = customFetch
        ? { signal }
        : // ky would join a given signal with its own through AbortSignal.any, the costliest step
          // of a request; handing it to the fetch call itself aborts the request just the same.
          { fetch: (request, init) => globalThis.fetch(request, { ...init, signal }) };
      if (keyPerAttempt && key !== undefined) {
        requestOptions.headers = { authorization: `Bearer ${key}` };
      }
      const response = await http.get(generationUrl + encodeURIComponent(id), requestOptions);
      const text = await readCappedText(response, maxResponseBytes);
      if (text === undefined && response.ok) {
        // A generation is a few kB: an answer past the cap is broken or hostile, not worth a retry.
        throw new InvalidResponseError(
          `OpenRouter answered with a body over the ${maxResponseBytes}-byte cap (maxResponseBytes); reading stopped there`,
          { generationId: id, isRetryable: false },
        );
      }
      if (response.ok) return { generation: parseGenerationBody(text as string, id).data };
      const said =
        text === undefined
          ? `a body over the ${maxResponseBytes}-byte cap`
          : describeErrorBody(text, response.headers.get('content-type'), key);
      return {
        error: errorFromStatus(response.status, said, {
          generationId: id,
          retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
        }),
      };
    },
    networkError(thrown, id, key) {
      const error = fetchFailure(thrown);
      return new NetworkError(
        `Could not reach ${new URL(baseUrl).origin}: ${scrubSecret(describeNetworkFailure(error), key)}`,
        { generationId: id, cause: error },
      );
    },
  };
}
