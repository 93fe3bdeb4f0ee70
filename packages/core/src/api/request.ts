import ky from 'ky';
import * as z from 'zod/mini';
import { createKeyReader, isPromise } from '../client/api-key.js';
import { type ClientInternals, clientInternals } from '../client/internals.js';
import { positiveMs } from '../client/options.js';
import { nextStep, type PolicyState } from '../client/policy.js';
import { describeNetworkFailure, fetchFailure, headersOf } from '../client/transport.js';
import type { GenmetaClient } from '../client/types.js';
import {
  type GenmetaError,
  InvalidResponseError,
  isGenmetaError,
  NetworkError,
  TimeoutError,
} from '../errors.js';
import { abortable, sleep } from '../internal/abort.js';
import { describeErrorBody, errorFromStatus } from '../internal/http-errors.js';
import { readCappedText } from '../internal/read-body.js';
import { scrubSecret } from '../internal/redact.js';
import { parseRetryAfter } from '../internal/retry-delay.js';

/** A query-string value; `undefined` leaves the parameter out. */
export type QueryValue = string | number | boolean | undefined;

/** What {@link apiRequest} sends, and how it reads the answer. */
export interface ApiRequestOptions<S extends z.core.$ZodType> {
  /** HTTP method. */
  method: 'GET' | 'POST';
  /** Path under the client's base URL, starting with `/` (`'/credits'`). */
  path: string;
  /**
   * Query-string parameters.
   * @default {}
   */
  query?: Readonly<Record<string, QueryValue>> | undefined;
  /**
   * JSON request body.
   * @default undefined (no body)
   */
  body?: unknown;
  /** zod schema of the success answer; the answer is parsed once, here. */
  schema: S;
  /**
   * Aborts the request; the call then rejects with `signal.reason`.
   * @default undefined
   */
  signal?: AbortSignal | undefined;
  /**
   * Time the whole request may take, retries included, in ms.
   * @default the client's deadlineMs
   */
  deadlineMs?: number | undefined;
  /**
   * The endpoint needs a management key: a 401 or 403 then says so.
   * @default false
   */
  management?: boolean | undefined;
  /**
   * Largest answer read, in bytes (after decompression).
   * @default the client's maxResponseBytes
   */
  maxResponseBytes?: number | undefined;
}

/** One attempt's end: the parsed data, or the typed error its answer (or failure) maps to. */
type Outcome<T> = { data: T } | { error: GenmetaError };

function internalsOf(client: GenmetaClient): ClientInternals {
  const internals = clientInternals.get(client);
  if (internals === undefined) {
    throw new TypeError(
      'apiRequest needs a client made by createClient of this copy of @genmeta/core',
    );
  }
  return internals;
}

function checkRequest(method: string, path: string): void {
  if (method !== 'GET' && method !== 'POST') {
    throw new TypeError(`method must be 'GET' or 'POST', got ${String(method)}`);
  }
  if (typeof path !== 'string' || !path.startsWith('/') || /[?#]/.test(path)) {
    throw new TypeError(
      `path must start with "/" and hold no query or fragment (use query), got ${String(path)}`,
    );
  }
}

function urlOf(baseUrl: string, path: string, query: ApiRequestOptions<never>['query']): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.set(name, String(value));
  }
  const search = params.toString();
  return `${baseUrl}${path}${search === '' ? '' : `?${search}`}`;
}

/** Names the first thing the schema refused, as the generation lookup does. */
function shapeError(what: string, error: z.core.$ZodError): InvalidResponseError {
  const issue = error.issues[0];
  const at = issue?.path.length ? issue.path.map(String).join('.') : '(root)';
  return new InvalidResponseError(
    `${what}: OpenRouter's answer does not have the expected shape at ${at}: ${issue?.message ?? 'invalid'}`,
    { isRetryable: false },
  );
}

/**
 * One request to a non-generation endpoint of OpenRouter's API (billing, analytics, pricing) over
 * `client`: the client's key (static or per-attempt function), base URL, fetch, headers, logger,
 * per-attempt timeout and deadline; retries on the one policy the lookups follow (backoff, or the
 * server's `Retry-After`); every failure a {@link GenmetaError} from the one error table. Resolves
 * with the answer parsed by `schema`; rejects with `signal.reason` when aborted.
 *
 * A standalone function (not a client method) so a bundle that only looks generations up carries
 * none of it.
 */
export async function apiRequest<S extends z.core.$ZodType>(
  client: GenmetaClient,
  request: ApiRequestOptions<S>,
): Promise<z.output<S>> {
  const { options, log } = internalsOf(client);
  const { method, path, body, schema, signal, management = false } = request;
  checkRequest(method, path);
  if (signal?.aborted) throw signal.reason;
  const deadlineMs = positiveMs('deadlineMs', request.deadlineMs, options.deadlineMs);
  const maxBytes = request.maxResponseBytes ?? options.maxResponseBytes;
  const url = urlOf(options.baseUrl, path, request.query);
  const what = `${method} ${path}`;
  const readKey = createKeyReader(options.apiKey);
  const http = ky.create({
    retry: 0,
    timeout: false,
    throwHttpErrors: false,
    headers: headersOf(options.headers),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  async function attempt(timeoutMs: number): Promise<Outcome<z.output<S>>> {
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    let key: string | undefined;
    try {
      const reading = readKey();
      key = isPromise(reading) ? await abortable(reading, controller.signal) : reading;
      const headers = new Headers({ accept: 'application/json' });
      if (key !== undefined) headers.set('authorization', `Bearer ${key}`);
      log('debug', { method, url }, 'request');
      const response = await http(url, {
        method,
        headers,
        signal: controller.signal,
        ...(body === undefined ? {} : { json: body }),
      });
      const text = await readCappedText(response, maxBytes);
      if (text === undefined && response.ok) {
        return {
          error: new InvalidResponseError(
            `${what}: OpenRouter answered with a body over the ${maxBytes}-byte cap (maxResponseBytes); reading stopped there`,
            { isRetryable: false },
          ),
        };
      }
      if (response.ok) {
        let json: unknown;
        try {
          json = JSON.parse(text as string);
        } catch {
          return {
            error: new InvalidResponseError(`${what}: OpenRouter's answer is not JSON`, {
              isRetryable: false,
            }),
          };
        }
        const parsed = z.safeParse(schema, json);
        return parsed.success ? { data: parsed.data } : { error: shapeError(what, parsed.error) };
      }
      let said =
        text === undefined
          ? `a body over the ${maxBytes}-byte cap`
          : describeErrorBody(text, response.headers.get('content-type'), key);
      if (management && (response.status === 401 || response.status === 403)) {
        said = `${said ?? 'no reason given'}. ${what} needs a management key (made in OpenRouter's settings, kept for example in OPENROUTER_MANAGEMENT_KEY), not an inference key`;
      }
      return {
        error: errorFromStatus(response.status, said, {
          retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
        }),
      };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timedOut) {
        return { error: new TimeoutError(`No answer to ${what} within ${timeoutMs} ms`) };
      }
      if (isGenmetaError(error)) return { error };
      // ky 2's own NetworkError holds the Request, key included: keep fetch's error only.
      const failure = fetchFailure(error);
      const reason = scrubSecret(describeNetworkFailure(failure), key);
      return {
        error: new NetworkError(`Could not reach ${new URL(url).origin}: ${reason}`, {
          cause: failure,
        }),
      };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  const startedAt = Date.now();
  const deadlineAt = startedAt + deadlineMs;
  let state: PolicyState | undefined;
  let last: GenmetaError | undefined;
  for (;;) {
    const attemptStart = Date.now();
    const remaining = deadlineAt - attemptStart;
    if (remaining <= 0) {
      throw new TimeoutError(
        `${what} did not finish within its ${deadlineMs} ms deadline${last ? ` (last error: ${last.message})` : ''}`,
        { cause: last },
      );
    }
    const outcome = await attempt(Math.min(options.timeoutMs, remaining));
    if ('data' in outcome) return outcome.data;
    last = outcome.error;
    const now = Date.now();
    // The one retry policy; these endpoints have no not-ready state, so a 404 is final.
    state ??= {
      wait: false,
      notReady: 0,
      retries: 0,
      maxRetries: options.maxRetries,
      retryDelayMs: options.retryDelayMs,
      remainingMs: 0,
      sinceAnchorMs: 0,
      lastAttemptMs: 0,
      lastChance: false,
      random: Math.random,
    };
    state.remainingMs = deadlineAt - now;
    state.sinceAnchorMs = now - startedAt;
    state.lastAttemptMs = now - attemptStart;
    const step = nextStep(last, state);
    if (step.kind === 'fail') throw last;
    state.retries++;
    log(
      'warn',
      {
        method,
        path,
        retry: state.retries,
        code: last.code,
        status: last.status,
        delayMs: step.delayMs,
      },
      'retrying',
    );
    if (signal) await sleep(step.delayMs, signal);
    else await new Promise((resolve) => setTimeout(resolve, step.delayMs));
  }
}
