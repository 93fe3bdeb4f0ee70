import {
  type ClientOptions,
  createClient,
  createMemoryCache,
  type Generation,
  type GenerationCache,
  type GenmetaClient,
} from '@genmeta/core';

/** A default client and a synchronous look into its cache. */
export interface DefaultClient {
  readonly client: GenmetaClient;
  /**
   * The cached generation when the client's cache answers synchronously (the memory cache
   * does): a record of cached generations then needs no lookup, no promise, no queue slot.
   */
  peek(id: string): Generation | undefined;
}

/**
 * One default client per distinct clientOptions, shared by every costLogger and
 * generationProxy of the process that has no `client` of its own: one cache and one
 * single-flight, so a generation tracked by one and viewed through the other is fetched once.
 */
const defaultClients = new Map<string, DefaultClient>();
/** How many distinct default clients are kept (the oldest is let go first). */
const MAX_DEFAULT_CLIENTS = 32;

const referenceIds = new WeakMap<object, number>();
let nextReferenceId = 0;

function referenceOf(value: object): string {
  let id = referenceIds.get(value);
  if (id === undefined) {
    nextReferenceId += 1;
    id = nextReferenceId;
    referenceIds.set(value, id);
  }
  return `#${id}`;
}

/**
 * A key equal for options that make equal clients: primitives and `headers` by value,
 * functions and objects (fetch, logger, cache) by identity. Kept in memory only.
 */
function keyOf(options: ClientOptions | undefined): string {
  if (options === undefined) return '{}';
  const entries: Array<[string, unknown]> = [];
  for (const name of Object.keys(options).sort()) {
    const value = (options as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (name === 'headers' && value !== null && typeof value === 'object') {
      entries.push([name, Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))]);
    } else if ((value !== null && typeof value === 'object') || typeof value === 'function') {
      entries.push([name, referenceOf(value)]);
    } else {
      entries.push([name, value]);
    }
  }
  return JSON.stringify(entries);
}

function peekInto(cache: GenerationCache | undefined): (id: string) => Generation | undefined {
  if (cache === undefined) return () => undefined;
  return (id) => {
    try {
      const got = cache.get(id);
      // an async cache is left to the client
      return got !== undefined && typeof (got as { then?: unknown }).then !== 'function'
        ? (got as Generation)
        : undefined;
    } catch {
      return undefined;
    }
  };
}

/** The process-wide default client for these options, created on first use. */
export function defaultClient(options: ClientOptions | undefined): DefaultClient {
  const key = keyOf(options);
  let entry = defaultClients.get(key);
  if (entry === undefined) {
    // The client's default cache, made here to be peeked at.
    const cache = options?.cache === false ? undefined : (options?.cache ?? createMemoryCache());
    const client = createClient(cache === undefined ? options : { ...options, cache });
    entry = { client, peek: peekInto(cache) };
    defaultClients.set(key, entry);
    if (defaultClients.size > MAX_DEFAULT_CLIENTS) {
      const oldest = defaultClients.keys().next();
      if (!oldest.done) defaultClients.delete(oldest.value);
    }
  }
  return entry;
}

/**
 * What a costLogger looks generations up with: the given client, or the shared default client
 * for `clientOptions` (created on first use, so an app that never tracks an id needs no key),
 * with a look into its cache.
 */
export function lookupsFor(
  given: GenmetaClient | undefined,
  clientOptions: ClientOptions | undefined,
): {
  client: Pick<GenmetaClient, 'getGeneration'>;
  peek: ((id: string) => Generation | undefined) | undefined;
} {
  if (given !== undefined) return { client: given, peek: undefined };
  let shared: DefaultClient | undefined;
  const sharedClient = (): DefaultClient => {
    shared ??= defaultClient(clientOptions);
    return shared;
  };
  return {
    client: { getGeneration: (id, options) => sharedClient().client.getGeneration(id, options) },
    peek: (id) => {
      try {
        return sharedClient().peek(id);
      } catch {
        return undefined; // the lookup reports why the client cannot be made
      }
    },
  };
}
