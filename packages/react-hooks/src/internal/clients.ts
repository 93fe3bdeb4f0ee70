import { createClient, type GenmetaClient } from '@genmeta/core';

export { DEFAULT_PROXY_BASE_URL } from './default-base-url.js';

const browserClients = new Map<string, GenmetaClient>();

/**
 * The keyless client for a proxy base URL, shared by every provider naming that URL (remounting
 * a provider keeps the page's cache). The core client behind it is created on first use: never
 * at import time nor while rendering, so server rendering, where a relative URL cannot resolve
 * and no request is made, touches neither `window` nor `location`.
 */
export function getBrowserClient(baseUrl: string): GenmetaClient {
  let client = browserClients.get(baseUrl);
  if (!client) {
    let real: GenmetaClient | undefined;
    // apiKey null: send no key and never read OPENROUTER_API_KEY from the environment, e.g.
    // during server rendering. The proxy holds the key.
    const resolve = (): GenmetaClient => {
      real ??= createClient({ baseUrl, apiKey: null });
      return real;
    };
    client = {
      get baseUrl() {
        try {
          return resolve().baseUrl;
        } catch {
          return baseUrl;
        }
      },
      getGeneration: (id, options) => resolve().getGeneration(id, options),
      getGenerations: (ids, options) => resolve().getGenerations(ids, options),
    };
    browserClients.set(baseUrl, client);
  }
  return client;
}
