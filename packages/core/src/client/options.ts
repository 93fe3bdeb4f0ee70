import { createMemoryCache, type GenerationCache } from '../cache.js';
import { API_KEY_ENV, BASE_URL_ENV, OPENROUTER_API_BASE_URL } from '../internal/defaults.js';
import {
  environmentVariable,
  isBrowserLike,
  readEnvironment,
  resolveBaseUrl,
} from '../internal/environment.js';
import { integerAtLeast, positiveMs } from '../internal/option-checks.js';
import { type ApiKeySource, checkApiKey } from './api-key.js';
import type { ClientOptions, Logger } from './types.js';

export type { ApiKeySource };

/** {@link ClientOptions} validated, with every default applied. */
export interface ResolvedOptions {
  /** The key (or key function); undefined sends none. */
  apiKey: ApiKeySource | undefined;
  /**
   * Set when no key was given and the environment could not be read for one (Deno without
   * `--allow-env`, workerd): every lookup then fails with this message instead of asking
   * anonymously.
   */
  missingKey: string | undefined;
  /** Absolute, without trailing slashes. */
  baseUrl: string;
  fetch: typeof globalThis.fetch | undefined;
  timeoutMs: number;
  deadlineMs: number;
  maxRetries: number;
  retryDelayMs: number;
  maxResponseBytes: number;
  cacheTimeoutMs: number;
  cache: GenerationCache | undefined;
  headers: Record<string, string> | undefined;
  logger: Logger | undefined;
}

export { integerAtLeast, MAX_TIMER_MS, positiveMs } from '../internal/option-checks.js';

/** `finishedAt` as a lookup option: an epoch time in ms, or undefined. */
export function checkFinishedAt(value: number | Date | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new RangeError(
      `finishedAt must be a Date or a time in ms since the epoch (Date.now()), got ${String(value)}`,
    );
  }
  return ms;
}

function resolveApiKey(options: ClientOptions): {
  apiKey: ApiKeySource | undefined;
  missingKey: string | undefined;
} {
  let apiKey: unknown = options.apiKey === null ? undefined : options.apiKey;
  let missingKey: string | undefined;
  if (options.apiKey === undefined) {
    const reading = readEnvironment(API_KEY_ENV);
    apiKey = reading.value;
    // A browser talks to a proxy route without a key; elsewhere a key is what was meant.
    if (reading.unreadable !== undefined && !isBrowserLike()) {
      missingKey = `No API key: the apiKey option is required here, because ${API_KEY_ENV} cannot be read (${reading.unreadable}). Pass createClient({ apiKey }), or apiKey: null to send none.`;
    }
  }
  if (typeof apiKey === 'function' || apiKey === undefined) {
    return { apiKey: apiKey as ApiKeySource | undefined, missingKey };
  }
  if (typeof apiKey !== 'string') {
    throw new TypeError(`apiKey must be a string, a function or null, got ${typeof apiKey}`);
  }
  const what = options.apiKey === undefined ? API_KEY_ENV : 'apiKey';
  return {
    apiKey: checkApiKey(apiKey, what, (message) => new TypeError(message)),
    missingKey: undefined,
  };
}

/** Validates the client's options once, at creation, and applies the defaults. */
export function resolveOptions(options: ClientOptions): ResolvedOptions {
  const { apiKey, missingKey } = resolveApiKey(options);
  if (apiKey !== undefined && isBrowserLike() && !options.dangerouslyAllowBrowser) {
    throw new Error(
      `${options.apiKey === undefined ? `${API_KEY_ENV} was found` : 'An apiKey was given'} in a browser-like environment, where every visitor could read it: keep the key on a server and point baseUrl at a proxy route with apiKey: null, or pass dangerouslyAllowBrowser: true.`,
    );
  }
  const baseUrl = resolveBaseUrl(
    options.baseUrl ?? environmentVariable(BASE_URL_ENV) ?? OPENROUTER_API_BASE_URL,
  );
  return {
    apiKey,
    missingKey,
    baseUrl,
    fetch: options.fetch,
    timeoutMs: positiveMs('timeoutMs', options.timeoutMs, 10_000),
    deadlineMs: positiveMs('deadlineMs', options.deadlineMs, 30_000),
    maxRetries: integerAtLeast('maxRetries', options.maxRetries, 3, 0),
    retryDelayMs: positiveMs('retryDelayMs', options.retryDelayMs, 250),
    maxResponseBytes: integerAtLeast('maxResponseBytes', options.maxResponseBytes, 1_000_000, 1),
    cacheTimeoutMs: positiveMs('cacheTimeoutMs', options.cacheTimeoutMs, 100),
    cache: options.cache === false ? undefined : (options.cache ?? createMemoryCache()),
    headers: options.headers,
    logger: options.logger,
  };
}
