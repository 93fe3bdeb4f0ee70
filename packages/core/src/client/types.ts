import type { GenerationCache } from '../cache.js';
import type { GenmetaError } from '../errors.js';
import type { Generation } from '../schemas/generation.js';

/**
 * Where the client reports attempts, retries and waits, pino-style: details object first,
 * message second (`logger.warn({ id, delayMs }, 'genmeta: retrying')`), the order
 * `@genmeta/node-middleware` uses, so one pino (or `console`) instance serves both.
 */
export interface Logger {
  debug?(details: Record<string, unknown>, message: string): void;
  info?(details: Record<string, unknown>, message: string): void;
  warn?(details: Record<string, unknown>, message: string): void;
  error?(details: Record<string, unknown>, message: string): void;
}

/** Options of {@link createClient}. */
export interface ClientOptions {
  /**
   * OpenRouter API key, or a (possibly async) function returning it, called before each attempt.
   * `null` sends no key and does not read `OPENROUTER_API_KEY`: for a browser or any client
   * whose `baseUrl` is your own proxy route (which adds the key on the server). Required where
   * the environment cannot be read (Deno without `--allow-env`, workerd, edge runtimes): there,
   * without it, every lookup fails with an `UnauthorizedError` naming this option and the variable.
   * @default process.env.OPENROUTER_API_KEY where process.env exists and may be read
   */
  apiKey?: string | null | (() => string | undefined | Promise<string | undefined>);
  /**
   * API base URL; `/generation` is appended. May be relative ('/api/genmeta') in a browser.
   * @default process.env.OPENROUTER_BASE_URL (where it may be read) ?? 'https://openrouter.ai/api/v1'
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
   * Receives attempts (debug), waits (info), retries (warn), with credentials redacted, as
   * `logger[level](details, message)` (pino's argument order).
   * @default undefined (silent)
   */
  logger?: Logger;
  /**
   * An API key in a browser leaks to every visitor, so it throws unless this is true.
   * @default false
   */
  dangerouslyAllowBrowser?: boolean;
  /**
   * Advanced: first backoff step of transient retries in ms (doubles per retry, full jitter,
   * capped at 8 s). The not-ready schedule scales with it (its first wait is 2.2 times this).
   * @default 250
   */
  retryDelayMs?: number;
  /**
   * Largest response body read, in bytes (after decompression). A generation is a few kB; a
   * body past the cap stops being read and the lookup fails with `invalid_response`.
   * @default 1_000_000
   */
  maxResponseBytes?: number;
  /**
   * Longest wait for an async cache's `get` (then skipped, as a miss) or `set` (then not waited
   * for), in ms; never past the lookup's deadline.
   * @default 100
   */
  cacheTimeoutMs?: number;
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
  /**
   * When the completion ended (a `Date` or epoch ms), if the caller knows: the not-ready
   * schedule counts from then, and the first request waits until the stats can be ready
   * (about 0.55 s after the end) instead of being spent on a 404.
   * @default undefined (the lookup asks at once, then follows the schedule from its start)
   */
  finishedAt?: number | Date;
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
