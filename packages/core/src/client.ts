import ky, { type KyInstance, type Options as KyOptions } from 'ky';
import { createMemoryCache, type GenerationCache } from './cache.js';
import {
  type GenmetaError,
  isGenmetaError,
  NetworkError,
  NotFoundError,
  TimeoutError,
  UnauthorizedError,
} from './errors.js';
import { parseGenerationId } from './generation-id.js';
import { type AbortSource, abortable, fanOut, sleep } from './internal/abort.js';
import { API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL } from './internal/defaults.js';
import { environmentVariable, isBrowserLike, resolveBaseUrl } from './internal/environment.js';
import { describeErrorBody, errorFromStatus } from './internal/http-errors.js';
import { parseGenerationBody } from './internal/parse-generation.js';
import { redactHeaders, scrubSecret } from './internal/redact.js';
import { backoffDelay, maxRetryAfterMs, parseRetryAfter } from './internal/retry-delay.js';
import type { Generation } from './schemas/generation.js';

/** Where the client reports attempts, retries and waits. `console` itself is a valid Logger. */
export interface Logger {
  debug?(message: string, details?: Record<string, unknown>): void;
  info?(message: string, details?: Record<string, unknown>): void;
  warn?(message: string, details?: Record<string, unknown>): void;
  error?(message: string, details?: Record<string, unknown>): void;
}

/** Options of {@link createClient}. */
export interface ClientOptions {
  /**
   * OpenRouter API key, or a (possibly async) function returning it, called before each attempt.
   * `null` sends no key and does not read `OPENROUTER_API_KEY`: for a browser or any client
   * whose `baseUrl` is your own proxy route (which adds the key on the server).
   * @default process.env.OPENROUTER_API_KEY where process.env exists
   */
  apiKey?: string | null | (() => string | undefined | Promise<string | undefined>);
  /**
   * API base URL; `/generation` is appended. May be relative ('/api/genmeta') in a browser.
   * @default process.env.OPENROUTER_BASE_URL ?? 'https://openrouter.ai/api/v1'
   */
  baseUrl?: string;
  /**
   * The fetch implementation.
   * @default globalThis.fetch
   */
  fetch?: typeof globalThis.fetch;
  /**
   * Time one HTTP attempt may take, in ms.
   * @default 10_000
   */
  timeoutMs?: number;
  /**
   * Time a whole lookup may take, including not-ready waiting and retries, in ms.
   * @default 30_000
   */
  deadlineMs?: number;
  /**
   * Retries of transient failures (408, 429, 5xx, 524, 529, timeouts, connection errors).
   * @default 3
   */
  maxRetries?: number;
  /**
   * Cache of finished generations; `false` disables it.
   * @default createMemoryCache()
   */
  cache?: GenerationCache | false;
  /**
   * Extra request headers, e.g. `HTTP-Referer`.
   * @default {}
   */
  headers?: Record<string, string>;
  /**
   * Receives attempts (debug), waits (info), retries (warn), with credentials redacted.
   * @default undefined (silent)
   */
  logger?: Logger;
  /**
   * An API key in a browser leaks to every visitor, so it throws unless this is true.
   * @default false
   */
  dangerouslyAllowBrowser?: boolean;
  /**
   * Advanced: first backoff step in ms (doubles per attempt, full jitter, capped at 8 s).
   * @default 250
   */
  retryDelayMs?: number;
}

/** What `onWaiting` receives each time a not-ready 404 makes the client wait. */
export interface WaitingInfo {
  /** The generation id. */
  id: string;
  /** Attempts made so far. */
  attempt: number;
  /** ms since the lookup started. */
  elapsedMs: number;
  /** ms the client now waits before the next attempt. */
  delayMs: number;
}

/** Options of {@link GenmetaClient.getGeneration}. */
export interface GetGenerationOptions {
  /**
   * Aborts the lookup; the call then rejects with `signal.reason`.
   * @default undefined
   */
  signal?: AbortSignal;
  /**
   * Time the whole lookup may take, in ms.
   * @default the client's deadlineMs
   */
  deadlineMs?: number;
  /**
   * `false`: a not-ready 404 fails at once with NotFoundError (no waiting).
   * @default true
   */
  wait?: boolean;
  /**
   * Called each time a not-ready 404 makes the client wait.
   * @default undefined
   */
  onWaiting?: (info: WaitingInfo) => void;
}

/** One entry of {@link GenmetaClient.getGenerations}' answer. */
export type GenerationResult =
  | { id: string; ok: true; generation: Generation }
  | { id: string; ok: false; error: GenmetaError };

/** Options of {@link GenmetaClient.getGenerations}. */
export interface GetGenerationsOptions extends Omit<GetGenerationOptions, 'onWaiting'> {
  /**
   * Lookups in flight at once.
   * @default 8
   */
  concurrency?: number;
  /**
   * Called as each lookup finishes, with its index in `ids`.
   * @default undefined
   */
  onResult?: (result: GenerationResult, index: number) => void;
  /**
   * Called each time a not-ready 404 makes one of the lookups wait.
   * @default undefined
   */
  onWaiting?: (info: WaitingInfo) => void;
}

/** A client of OpenRouter's generation endpoint (or a proxy answering the same way). */
export interface GenmetaClient {
  /** The absolute base URL requests go to. */
  readonly baseUrl: string;
  /**
   * The generation `id`, waiting out not-ready 404s and retrying transient failures.
   * Rejects with a {@link GenmetaError}, or with `signal.reason` when aborted.
   */
  getGeneration(id: string, options?: GetGenerationOptions): Promise<Generation>;
  /** Results in input order; one failure does not fail the batch (an abort rejects the whole call). */
  getGenerations(
    ids: readonly string[],
    options?: GetGenerationsOptions,
  ): Promise<GenerationResult[]>;
}

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * One lookup shared by concurrent callers. `controller` aborts whatever the lookup is doing now
 * (a request or a backoff sleep); an attempt that times out aborts it and puts a fresh one in
 * its place, so the common path needs a single controller per lookup, not one per attempt.
 */
interface LookupState {
  controller: AbortController;
  /** Set once every caller has left: the lookup is being abandoned. */
  abandoned: boolean;
}

interface Flight {
  promise: Promise<Generation>;
  state: LookupState;
  waiters: number;
  listeners: Set<{ onWaiting: (info: WaitingInfo) => void }>;
}

const isPromise = <T>(value: T | Promise<T>): value is Promise<T> =>
  typeof (value as { then?: unknown } | undefined)?.then === 'function';

type AttemptOutcome = { generation: Generation } | { error: GenmetaError } | { timedOut: true };

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number of ms, got ${String(value)}`);
  }
  return value;
}

function describeNetworkFailure(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
    if (typeof cause?.code === 'string') return cause.code;
    if (typeof cause?.message === 'string' && cause.message !== '') return cause.message;
    return error.message;
  }
  return String(error);
}

/**
 * Creates a client for `GET /generation?id=`: typed results, not-ready waiting, retries with
 * backoff, per-attempt timeout and overall deadline, single-flight per id and a cache.
 */
export function createClient(options: ClientOptions = {}): GenmetaClient {
  const apiKey =
    options.apiKey === null ? undefined : (options.apiKey ?? environmentVariable(API_KEY_ENV));
  if (
    apiKey !== undefined &&
    apiKey !== '' &&
    isBrowserLike() &&
    !options.dangerouslyAllowBrowser
  ) {
    throw new Error(
      `${options.apiKey === undefined ? 'OPENROUTER_API_KEY was found' : 'An apiKey was given'} in a browser-like environment, where every visitor could read it: keep the key on a server and point baseUrl at a proxy route with apiKey: null, or pass dangerouslyAllowBrowser: true.`,
    );
  }
  const baseUrl = resolveBaseUrl(
    options.baseUrl ?? environmentVariable(BASE_URL_ENV) ?? DEFAULT_BASE_URL,
  );
  const generationUrl = `${baseUrl}/generation?id=`;
  const timeoutMs = positive('timeoutMs', options.timeoutMs, 10_000);
  const clientDeadlineMs = positive('deadlineMs', options.deadlineMs, 30_000);
  const retryDelayMs = positive('retryDelayMs', options.retryDelayMs, 250);
  const maxRetries = options.maxRetries ?? 3;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new RangeError(`maxRetries must be a non-negative integer, got ${String(maxRetries)}`);
  }
  const cache = options.cache === false ? undefined : (options.cache ?? createMemoryCache());
  const staticKey = typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined;
  // Headers known up front go into the ky instance once, not into every request's options.
  const staticHeaders = new Headers(options.headers);
  if (!staticHeaders.has('accept')) staticHeaders.set('accept', 'application/json');
  if (staticKey !== undefined) staticHeaders.set('authorization', `Bearer ${staticKey}`);
  const logger = options.logger;
  const customFetch = options.fetch;

  const log = (
    level: keyof Logger,
    message: string,
    details: Record<string, unknown> = {},
  ): void => {
    try {
      logger?.[level]?.(`genmeta: ${message}`, details);
    } catch {
      // a failing logger must not fail the lookup
    }
  };

  const http: KyInstance = ky.create({
    retry: 0,
    timeout: false,
    throwHttpErrors: false,
    headers: staticHeaders,
    // A fetch given here sees the abort signal on its Request, as fetch implementations expect.
    ...(customFetch ? { fetch: customFetch } : {}),
    // A hook costs ky an extra await and options snapshot per request: only with a logger.
    ...(logger
      ? {
          hooks: {
            beforeRequest: [
              (request: Request) => {
                if (logger.debug) {
                  log('debug', 'request', {
                    method: request.method,
                    url: request.url,
                    headers: redactHeaders(request.headers),
                  });
                }
              },
            ],
          },
        }
      : {}),
  });

  const keyFunctionFailed = (error: unknown): never => {
    throw new UnauthorizedError('The apiKey function failed', { cause: error, isRetryable: false });
  };
  const nonEmpty = (key: string | undefined): string | undefined => (key === '' ? undefined : key);

  /** The key function's answer; a synchronous one is used without a trip through the microtask queue. */
  function resolveKey(): string | undefined | Promise<string | undefined> {
    let key: string | undefined | Promise<string | undefined>;
    try {
      key = (apiKey as () => string | undefined | Promise<string | undefined>)();
    } catch (error) {
      return keyFunctionFailed(error);
    }
    return isPromise(key) ? key.then(nonEmpty, keyFunctionFailed) : nonEmpty(key);
  }

  async function attempt(
    id: string,
    state: LookupState,
    attemptTimeoutMs: number,
  ): Promise<AttemptOutcome> {
    let key = typeof apiKey === 'function' ? resolveKey() : staticKey;
    if (isPromise(key)) key = await key;
    const controller = state.controller;
    const signal = controller.signal;
    if (signal.aborted) throw signal.reason;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, attemptTimeoutMs);
    try {
      const requestOptions: KyOptions = customFetch
        ? { signal }
        : // ky would join a given signal with its own through AbortSignal.any, the costliest step
          // of a request; handing it to the fetch call itself aborts the request just the same.
          { fetch: (request, init) => globalThis.fetch(request, { ...init, signal }) };
      if (typeof apiKey === 'function' && key !== undefined) {
        requestOptions.headers = { authorization: `Bearer ${key}` };
      }
      const response = await http.get(generationUrl + encodeURIComponent(id), requestOptions);
      const text = await response.text();
      if (response.ok) return { generation: parseGenerationBody(text, id).data };
      const said = describeErrorBody(text, response.headers.get('content-type'));
      return {
        error: errorFromStatus(
          response.status,
          said === undefined ? undefined : scrubSecret(said, key),
          {
            generationId: id,
            retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
          },
        ),
      };
    } catch (error) {
      if (state.abandoned) throw signal.reason;
      if (timedOut) return { timedOut: true };
      if (isGenmetaError(error)) return { error };
      return {
        error: new NetworkError(
          `Could not reach ${new URL(baseUrl).origin}: ${scrubSecret(describeNetworkFailure(error), key)}`,
          { generationId: id, cause: error },
        ),
      };
    } finally {
      clearTimeout(timer);
      // The timeout aborted the lookup's controller: the next attempt or sleep gets a fresh one.
      if (timedOut && !state.abandoned) state.controller = new AbortController();
    }
  }

  async function lookup(
    id: string,
    state: LookupState,
    deadlineMs: number,
    wait: boolean,
    emitWaiting: (info: WaitingInfo) => void,
  ): Promise<Generation> {
    if (cache) {
      try {
        const got = cache.get(id);
        // A synchronous cache (the default) is read without a round trip through the microtask queue.
        const cached = isPromise(got) ? await got : got;
        if (cached !== undefined) return cached;
      } catch (error) {
        log('warn', 'cache get failed', { id, error: String(error) });
      }
    }
    const startedAt = Date.now();
    const deadlineAt = startedAt + deadlineMs;
    let attempts = 0;
    let notReady = 0;
    let retries = 0;
    let last: GenmetaError | undefined;
    const pastDeadline = (): GenmetaError =>
      last?.code === 'not_found'
        ? new NotFoundError(
            `Generation ${id} was not found within ${deadlineMs} ms. It may still be processing: OpenRouter serves a generation's stats a few seconds after it ends. Try again later, or allow a longer deadline.`,
            { status: 404, generationId: id, cause: last },
          )
        : new TimeoutError(
            `Lookup of generation ${id} did not finish within its ${deadlineMs} ms deadline${last ? ` (last error: ${last.message})` : ''}`,
            { generationId: id, cause: last },
          );

    for (;;) {
      const remaining = deadlineAt - Date.now();
      if (remaining <= 0) throw pastDeadline();
      const attemptTimeoutMs = Math.min(timeoutMs, remaining);
      attempts++;
      const outcome = await attempt(id, state, attemptTimeoutMs);
      if ('generation' in outcome) {
        if (cache) {
          try {
            const stored = cache.set(id, outcome.generation);
            if (isPromise(stored)) await stored;
          } catch (error) {
            log('warn', 'cache set failed', { id, error: String(error) });
          }
        }
        return outcome.generation;
      }
      let error: GenmetaError;
      if ('timedOut' in outcome) {
        if (attemptTimeoutMs < timeoutMs) throw pastDeadline();
        error = new TimeoutError(`No answer for generation ${id} within ${timeoutMs} ms`, {
          generationId: id,
        });
      } else {
        error = outcome.error;
      }
      last = error;

      if (error.status === 404) {
        if (!wait) {
          throw new NotFoundError(
            `Generation ${id} was not found (${error.message}). If it just finished, it may still be processing: try again in a few seconds.`,
            { status: 404, generationId: id },
          );
        }
        const left = deadlineAt - Date.now();
        if (left <= 0) throw pastDeadline();
        const delayMs = Math.min(backoffDelay(retryDelayMs, notReady++, Math.random), left);
        const info: WaitingInfo = {
          id,
          attempt: attempts,
          elapsedMs: Date.now() - startedAt,
          delayMs,
        };
        log('info', 'generation not ready, waiting', { ...info });
        emitWaiting(info);
        await sleep(delayMs, state.controller.signal);
        continue;
      }

      if (!error.isRetryable || retries >= maxRetries) throw error;
      const delayMs = Math.max(
        backoffDelay(retryDelayMs, retries, Math.random),
        Math.min(error.retryAfterMs ?? 0, maxRetryAfterMs),
      );
      if (Date.now() + delayMs >= deadlineAt) throw error;
      retries++;
      log('warn', 'retrying', {
        id,
        attempt: attempts,
        retry: retries,
        code: error.code,
        status: error.status,
        delayMs,
      });
      await sleep(delayMs, state.controller.signal);
    }
  }

  const flights = new Map<string, Flight>();

  async function getGeneration(
    id: string,
    lookupOptions: Omit<GetGenerationOptions, 'signal'> & { signal?: AbortSource | undefined } = {},
  ): Promise<Generation> {
    const validId = parseGenerationId(id);
    const { signal, onWaiting } = lookupOptions;
    if (signal?.aborted) throw signal.reason;
    const wait = lookupOptions.wait ?? true;
    const deadlineMs = positive('deadlineMs', lookupOptions.deadlineMs, clientDeadlineMs);
    const flightKey = (wait ? 'w' : 'n') + validId;
    let flight = flights.get(flightKey);
    if (flight === undefined) {
      const listeners: Flight['listeners'] = new Set();
      const emit = (info: WaitingInfo): void => {
        for (const listener of listeners) {
          try {
            listener.onWaiting(info);
          } catch {
            // a failing callback must not fail the lookup
          }
        }
      };
      const state: LookupState = { controller: new AbortController(), abandoned: false };
      const created: Flight = {
        state,
        listeners,
        waiters: 0,
        promise: lookup(validId, state, deadlineMs, wait, emit).finally(() => {
          if (flights.get(flightKey) === created) flights.delete(flightKey);
        }),
      };
      // Waiters handle the outcome; this keeps an abandoned flight from being "unhandled".
      created.promise.catch(() => undefined);
      flights.set(flightKey, created);
      flight = created;
    }
    const joined = flight;
    joined.waiters++;
    const listener = onWaiting ? { onWaiting } : undefined;
    if (listener) joined.listeners.add(listener);
    try {
      return await abortable(joined.promise, signal);
    } finally {
      joined.waiters--;
      if (listener) joined.listeners.delete(listener);
      // The last waiter leaving (an abort) stops the shared request; others keep it alive.
      if (joined.waiters === 0 && flights.get(flightKey) === joined) {
        flights.delete(flightKey);
        joined.state.abandoned = true;
        joined.state.controller.abort(signal?.reason);
      }
    }
  }

  async function getGenerations(
    ids: readonly string[],
    batchOptions: GetGenerationsOptions = {},
  ): Promise<GenerationResult[]> {
    const { concurrency = 8, onResult, ...lookupOptions } = batchOptions;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${String(concurrency)}`);
    }
    const { signal } = lookupOptions;
    if (signal?.aborted) throw signal.reason;
    // One listener on the caller's signal for the whole batch, however many lookups are in flight.
    const batchSignal = signal && fanOut(signal);
    const perLookup = { ...lookupOptions, signal: batchSignal };
    const results = new Array<GenerationResult>(ids.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length && !signal?.aborted) {
        const index = next++;
        const id = ids[index] as string;
        let result: GenerationResult;
        try {
          result = { id, ok: true, generation: await getGeneration(id, perLookup) };
        } catch (error) {
          if (signal?.aborted) return;
          result = {
            id,
            ok: false,
            error: isGenmetaError(error)
              ? error
              : new NetworkError(`Lookup of ${String(id)} failed: ${String(error)}`, {
                  generationId: id,
                  cause: error,
                }),
          };
        }
        results[index] = result;
        try {
          onResult?.(result, index);
        } catch (error) {
          log('error', 'onResult threw', { index, error: String(error) });
        }
      }
    };
    const workers = Array.from({ length: Math.min(concurrency, ids.length) }, worker);
    try {
      await abortable(Promise.all(workers), batchSignal);
    } finally {
      batchSignal?.close();
    }
    return results;
  }

  const client = {
    baseUrl,
    getGeneration,
    getGenerations,
    [inspectSymbol]: () => `GenmetaClient { baseUrl: '${baseUrl}' }`,
  };
  return client;
}
