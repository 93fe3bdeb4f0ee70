// The ways an app can hand us Redis, so that every store test runs over each of them.

import type { SpendBuckets } from '@genmeta/core/server';
import { Redis as IoRedis6 } from 'ioredis';
import { Redis as IoRedis5 } from 'ioredis5';
import { createClient } from 'redis';
import {
  createRedisStores,
  type RedisStores,
  type RedisStoresLogger,
  type RedisStoresOptions,
} from '../src/index.ts';

export interface LogLine {
  level: 'warn' | 'info';
  message: string | undefined;
  object: object;
}

/** A pino-style logger that keeps what it was told. */
export function recordingLogger(): RedisStoresLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    warn: (object, message) => lines.push({ level: 'warn', message, object }),
    info: (object, message) => lines.push({ level: 'info', message, object }),
  };
}

export interface Opened {
  stores: RedisStores;
  /** Closes the stores, then the app's own client when there is one. */
  close(): Promise<void>;
}

export interface ClientKind {
  name: string;
  open(url: string, options?: RedisStoresOptions): Promise<Opened>;
}

export const urlKind: ClientKind = {
  name: 'url (owned node-redis)',
  async open(url, options) {
    const stores = createRedisStores({ url }, options);
    return { stores, close: () => stores.close() };
  },
};

export const nodeRedisKind: ClientKind = {
  name: 'node-redis 6 client',
  async open(url, options) {
    const client = createClient({ url, socket: { reconnectStrategy: 50 } });
    client.on('error', () => {});
    await client.connect();
    const stores = createRedisStores({ client }, options);
    return {
      stores,
      async close() {
        await stores.close();
        client.destroy();
      },
    };
  },
};

type IoRedisFactory = (url: string) => IoRedis6 | IoRedis5;

function ioRedisKind(name: string, make: IoRedisFactory): ClientKind {
  return {
    name,
    async open(url, options) {
      const client = make(url);
      client.on('error', () => {});
      const stores = createRedisStores({ client }, options);
      return {
        stores,
        async close() {
          await stores.close();
          client.disconnect();
        },
      };
    },
  };
}

const ioRedisOptions = { retryStrategy: () => 50, maxRetriesPerRequest: 1 };
export const ioRedis6Kind = ioRedisKind('ioredis 6', (url) => new IoRedis6(url, ioRedisOptions));
export const ioRedis5Kind = ioRedisKind('ioredis 5', (url) => new IoRedis5(url, ioRedisOptions));

export const clientKinds: readonly ClientKind[] = [
  urlKind,
  nodeRedisKind,
  ioRedis6Kind,
  ioRedis5Kind,
];

/** Retries an async check until it passes (a reconnect takes a moment), then returns its value. */
export async function eventually<T>(check: () => Promise<T>, attempts = 200): Promise<T> {
  let last: unknown;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    try {
      return await check();
    } catch (error) {
      last = error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  throw last;
}

/** What `promise` rejected with; throws when it resolves instead. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** A spend window's sums, as a limiter adds its buckets up. */
export function totals(read: SpendBuckets): { usd: number; unknown: number } {
  let usd = 0;
  let unknown = 0;
  for (const bucket of read.buckets) {
    usd += bucket.knownUsd;
    unknown += bucket.unknownCount;
  }
  return { usd: Math.round(usd * 1e12) / 1e12, unknown };
}
