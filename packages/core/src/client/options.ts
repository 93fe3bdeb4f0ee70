import { createMemoryCache, type GenerationCache } from '../cache.js';
import { API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL } from '../internal/defaults.js';
import { environmentVariable, isBrowserLike, resolveBaseUrl } from '../internal/environment.js';
import type { ClientOptions, Logger } from './types.js';

/** A key, or a (possibly async) function returning one, as `apiKey` accepts. */
export type ApiKeySource = string | (() => string | undefined | Promise<string | undefined>);

/** {@link ClientOptions} validated, with every default applied. */
export interface ResolvedOptions {
  /** The key (or key function); undefined sends none. */
  apiKey: ApiKeySource | undefined;
  /** Absolute, without trailing slashes. */
  baseUrl: string;
  fetch: typeof globalThis.fetch | undefined;
  timeoutMs: number;
  deadlineMs: number;
  maxRetries: number;
  retryDelayMs: number;
  cache: GenerationCache | undefined;
  headers: Record<string, string> | undefined;
  logger: Logger | undefined;
}

/** `value`, or `fallback` when undefined; throws a RangeError naming the option otherwise. */
export function positiveMs(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number of ms, got ${String(value)}`);
  }
  return value;
}

/** Validates the client's options once, at creation, and applies the defaults. */
export function resolveOptions(options: ClientOptions): ResolvedOptions {
  const apiKey =
    options.apiKey === null ? undefined : (options.apiKey ?? environmentVariable(API_KEY_ENV));
  if (
    apiKey !== undefined &&
    apiKey !== '' &&
    isBrowserLike() &&
    !options.dangerouslyAllowBrowser
  ) {
    throw new Error(
      `${options.apiKey === undefined ? `${API_KEY_ENV} was found` : 'An apiKey was given'} in a browser-like environment, where every visitor could read it: keep the key on a server and point baseUrl at a proxy route with apiKey: null, or pass dangerouslyAllowBrowser: true.`,
    );
  }
  const baseUrl = resolveBaseUrl(
    options.baseUrl ?? environmentVariable(BASE_URL_ENV) ?? DEFAULT_BASE_URL,
  );
  const timeoutMs = positiveMs('timeoutMs', options.timeoutMs, 10_000);
  const deadlineMs = positiveMs('deadlineMs', options.deadlineMs, 30_000);
  const retryDelayMs = positiveMs('retryDelayMs', options.retryDelayMs, 250);
  const maxRetries = options.maxRetries ?? 3;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new RangeError(`maxRetries must be a non-negative integer, got ${String(maxRetries)}`);
  }
  return {
    apiKey: apiKey === '' ? undefined : apiKey,
    baseUrl,
    fetch: options.fetch,
    timeoutMs,
    deadlineMs,
    maxRetries,
    retryDelayMs,
    cache: options.cache === false ? undefined : (options.cache ?? createMemoryCache()),
    headers: options.headers,
    logger: options.logger,
  };
}
