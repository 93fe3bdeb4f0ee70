// TEMPORARY STAND-IN for `getKey` of @genmeta/core/api (the billing clients): delete this file
// and read the key with core's `getKey(client)` once it is there.
import type { ClientOptions } from '@genmeta/core';
import { API_KEY_ENV, defaultBaseUrl, normalizeBaseUrl } from '@genmeta/core/engine';

/** What the key rule reads of `GET /key`'s `data`. */
export interface Key {
  limit?: number | null;
  limit_remaining?: number | null;
  limit_reset?: string | null;
  usage?: number | null;
}

const numberOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/** Reads the key's limit; rejects with an Error that names the status, never the key. */
export async function getKey(options: ClientOptions, deadlineMs: number): Promise<Key> {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  const apiKey =
    typeof options.apiKey === 'function'
      ? await options.apiKey()
      : (options.apiKey ?? env?.[API_KEY_ENV]);
  if (typeof apiKey !== 'string' || apiKey === '') throw new Error('no API key for GET /key');
  const base = options.baseUrl === undefined ? defaultBaseUrl() : normalizeBaseUrl(options.baseUrl);
  const response = await (options.fetch ?? globalThis.fetch)(`${base}/key`, {
    headers: { ...(options.headers ?? {}), authorization: `Bearer ${apiKey}` },
    signal: AbortSignal.timeout(deadlineMs),
  });
  if (!response.ok) {
    await response.arrayBuffer().catch(() => undefined);
    throw new Error(`GET /key answered HTTP ${response.status}`);
  }
  const body = (await response.json()) as { data?: Record<string, unknown> };
  const data = body?.data;
  if (typeof data !== 'object' || data === null) throw new Error('GET /key answered without data');
  return {
    limit: numberOrNull(data.limit),
    limit_remaining: numberOrNull(data.limit_remaining),
    limit_reset: typeof data.limit_reset === 'string' ? data.limit_reset : null,
    usage: numberOrNull(data.usage),
  };
}
