import { randomUUID } from 'node:crypto';
import type { GenerationCache } from '@genmeta/core';
import { alertKeyLayout, createRedisAlertStore } from './internal/alert-store.js';
import { createCommandRunner } from './internal/commands.js';
import {
  connectionFromClient,
  connectionFromUrl,
  type RedisConnection,
} from './internal/connection.js';
import { createHealth, createRedactor, summarizeFailure } from './internal/health.js';
import { withLocalCopy } from './internal/local-copy.js';
import {
  createRedisCache,
  createRedisRegistry,
  createRedisSpendStore,
  keyLayout,
} from './internal/stores.js';
import type {
  AlertStore,
  GenerationRegistry,
  IoRedisClientLike,
  NodeRedisClientLike,
  RedisStoresLogger,
  SpendStore,
} from './types.js';

export type { RedisStoresLogger };

/** Which Redis: a URL (this package connects, and `close()` disconnects) or the app's client. */
export type RedisTarget =
  | {
      /** `redis://[[user]:password@]host[:port][/db]` or `rediss://…`; a node-redis connection is made and owned. */
      url: string;
      client?: never;
    }
  | {
      /** A node-redis v6 client (connected by the app) or an ioredis 5/6 instance; never closed here. */
      client: NodeRedisClientLike | IoRedisClientLike;
      url?: never;
    };

/** Options of {@link createRedisStores}. */
export interface RedisStoresOptions {
  /**
   * Prepended to every key, so that apps (or environments) sharing one Redis stay apart.
   * @default 'genmeta:'
   */
  prefix?: string;
  /**
   * How long a tracked id stays servable by the proxy, in ms (it may stay up to 1/8 longer).
   * @default 86_400_000 (24 h)
   */
  registryTtlMs?: number;
  /**
   * How long a finished generation stays cached, in ms (finished generations never change).
   * @default 2_592_000_000 (30 days)
   */
  cacheTtlMs?: number;
  /**
   * Bound on each Redis call, in ms: past it the cache misses, the registry rejects, spend is not
   * counted, so a slow Redis never stalls the app. Also the connect timeout for `url`.
   * @default 500
   */
  operationTimeoutMs?: number;
  /**
   * Finished generations also kept in this process's memory (least recently used first out), so
   * each is read from Redis once per process and then answered without a round trip. `0` reads
   * Redis every time.
   * @default 1000
   */
  localCacheEntries?: number;
  /**
   * Told once when Redis stops answering and once when it answers again.
   * @default console (warn and info)
   */
  logger?: RedisStoresLogger;
}

/** What {@link createRedisStores} returns. */
export interface RedisStores {
  /** A `GenerationCache` for `createClient({ cache })`: fails open (a miss) when Redis is away. */
  readonly cache: GenerationCache;
  /** The ids the proxy may serve: `has` fails closed (rejects with `RedisUnavailableError`). */
  readonly registry: GenerationRegistry;
  /**
   * Spend per key in time buckets for spend limits, on Redis's clock: fails open (nothing
   * counted) when Redis is away.
   */
  readonly spend: SpendStore;
  /**
   * Spend per group and window, and once-only alert claims, for `costAlerts({ store })`: shared
   * by every instance; rejects while Redis is away (costAlerts then alerts per process).
   */
  readonly alerts: AlertStore;
  /** Stops the stores; ends the connection made from `url` (a given client stays open). */
  close(): Promise<void>;
}

const consoleLogger: RedisStoresLogger = {
  warn: (object, message) => console.warn(message, object),
  info: (object, message) => console.info(message, object),
};

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(
      `createRedisStores: ${name} must be a positive integer of ms (got ${String(value)})`,
    );
  }
  return value;
}

/**
 * Redis-backed stores for several app instances: the generation cache, the proxy's registry and
 * spend counters, over one connection.
 *
 * @example
 * const stores = createRedisStores({ url: process.env.REDIS_URL! });
 * app.use(costLogger({ registry: stores.registry, clientOptions: { cache: stores.cache } }));
 */
export function createRedisStores(
  target: RedisTarget,
  options: RedisStoresOptions = {},
): RedisStores {
  const prefix = options.prefix ?? 'genmeta:';
  if (typeof prefix !== 'string') throw new TypeError('createRedisStores: prefix must be a string');
  const registryTtlMs = positiveInteger('registryTtlMs', options.registryTtlMs, 86_400_000);
  const cacheTtlMs = positiveInteger('cacheTtlMs', options.cacheTtlMs, 2_592_000_000);
  const operationTimeoutMs = positiveInteger('operationTimeoutMs', options.operationTimeoutMs, 500);
  const localCacheEntries = options.localCacheEntries ?? 1000;
  if (!Number.isSafeInteger(localCacheEntries) || localCacheEntries < 0) {
    throw new TypeError(
      `createRedisStores: localCacheEntries must be a non-negative integer (got ${String(localCacheEntries)})`,
    );
  }
  const logger = options.logger ?? consoleLogger;
  if (typeof logger?.warn !== 'function') {
    throw new TypeError('createRedisStores: logger must have a warn(object, message) method');
  }

  const url = typeof target === 'object' && target !== null ? target.url : undefined;
  const redact = createRedactor(url);
  const health = createHealth(logger);
  let connection: RedisConnection;
  if (url !== undefined) {
    if (typeof url !== 'string' || url === '') {
      throw new TypeError('createRedisStores: url must be a non-empty redis:// or rediss:// URL');
    }
    try {
      connection = connectionFromUrl({
        url,
        connectTimeoutMs: operationTimeoutMs,
        onError: (error) => health.failed('connect', summarizeFailure(error, redact)),
      });
    } catch (error) {
      // The parser's error may carry the URL itself (`input`): say why, never what.
      const why = summarizeFailure(error, redact).message;
      throw new TypeError(
        `createRedisStores: url is not a valid redis:// or rediss:// URL (${why})`,
      );
    }
  } else {
    connection = connectionFromClient(
      typeof target === 'object' && target !== null ? target.client : undefined,
    );
  }

  const commands = createCommandRunner({
    connection,
    timeoutMs: operationTimeoutMs,
    health,
    redact,
  });
  const keys = keyLayout(prefix);
  let closing: Promise<void> | undefined;
  return {
    cache: withLocalCopy(
      createRedisCache({
        commands,
        keys,
        ttlMs: cacheTtlMs,
        token: randomUUID(),
        onInvalidEntry: (id, reason) => {
          try {
            logger.warn(
              { id, key: keys.cache(id), reason },
              reason === 'invalid'
                ? 'genmeta redis: a cache entry is not a generation; ignored'
                : `genmeta redis: a cache entry is ${reason === 'too_large' ? 'over 1 MB' : 'not a string'}; read as a miss`,
            );
          } catch {
            // a failing logger must not fail the lookup
          }
        },
      }),
      localCacheEntries,
    ),
    registry: createRedisRegistry({
      commands,
      keys,
      ttlMs: registryTtlMs,
      bucketMs: Math.max(1, Math.ceil(registryTtlMs / 8)),
    }),
    spend: createRedisSpendStore({ commands, keys }),
    alerts: createRedisAlertStore(commands, alertKeyLayout(prefix)),
    close() {
      commands.close();
      closing ??= connection.close();
      return closing;
    },
  };
}
