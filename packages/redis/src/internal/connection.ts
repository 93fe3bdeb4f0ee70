import { createClient } from '@redis/client';
import type { IoRedisClientLike, NodeRedisClientLike } from '../types.js';

/** The one thing the stores need from a Redis client: send a command, get its reply. */
export interface RedisConnection {
  /** Sends one command (`['SET', key, value]`); `signal` drops it if it is still unsent. */
  send(args: readonly string[], signal: AbortSignal): Promise<unknown>;
  /** Ends the connection when this package made it; a no-op for a client given by the app. */
  close(): Promise<void>;
}

// While a connection is known to be down, a call fails at once rather than waiting in the
// client's offline queue for the time bound: an outage costs the app no latency.
const downError = (): Error => new Error('The connection to Redis is down (reconnecting)');

// ioredis states in which a command will be sent soon; others mean it lost its connection.
const ioRedisUsable = new Set(['wait', 'connecting', 'connect', 'ready']);

function isIoRedis(client: object): client is IoRedisClientLike {
  const candidate = client as Partial<IoRedisClientLike>;
  return typeof candidate.call === 'function' && typeof candidate.status === 'string';
}

function isNodeRedis(client: object): client is NodeRedisClientLike {
  const candidate = client as Partial<NodeRedisClientLike>;
  return typeof candidate.sendCommand === 'function' && typeof candidate.isOpen === 'boolean';
}

/** Wraps a client the app made and keeps (never closed here). */
export function connectionFromClient(client: unknown): RedisConnection {
  if (typeof client === 'object' && client !== null) {
    if (isIoRedis(client)) {
      return {
        // ioredis has no per-command abort; the caller's timeout bounds the wait instead.
        send: (args) =>
          ioRedisUsable.has(client.status)
            ? client.call(args[0]!, args.slice(1))
            : Promise.reject(downError()),
        close: async () => {},
      };
    }
    if (isNodeRedis(client)) {
      return {
        // A given client is connected; open but not ready means it is reconnecting.
        send: (args, signal) =>
          client.isOpen && !client.isReady
            ? Promise.reject(downError())
            : client.sendCommand(args, { abortSignal: signal }),
        close: async () => {},
      };
    }
  }
  throw new TypeError(
    'createRedisStores: client must be a node-redis v6 client (createClient() of "redis") or an ioredis instance',
  );
}

/** Settings of the connection this package makes from a URL. */
export interface OwnedConnectionSettings {
  url: string;
  connectTimeoutMs: number;
  /** Told about every connection error (the client retries by itself). */
  onError(error: unknown): void;
}

// Retry soon after a blip, then every 2 s at most, for as long as the stores are open.
const reconnectDelayMs = (retries: number): number => Math.min(50 * 2 ** retries, 2_000);

/** Makes and owns a node-redis connection; `close()` ends it. */
export function connectionFromUrl(settings: OwnedConnectionSettings): RedisConnection {
  const client = createClient({
    url: settings.url,
    socket: {
      connectTimeout: settings.connectTimeoutMs,
      reconnectStrategy: reconnectDelayMs,
    },
  });
  // Until the first connect settles, calls wait in the offline queue (an app's first requests
  // may come before the socket is up); after that, a connection that is not ready is down.
  let settled = false;
  client.on('ready', () => {
    settled = true;
  });
  // Without a listener an 'error' event would crash the process.
  client.on('error', (error: unknown) => {
    settled = true;
    settings.onError(error);
  });
  // connect() retries through reconnectStrategy; a first failure is reported, never thrown.
  client.connect().catch(settings.onError);
  return {
    send: (args, signal) =>
      settled && !client.isReady
        ? Promise.reject(downError())
        : client.sendCommand(args as string[], { abortSignal: signal }),
    close: async () => {
      if (!client.isOpen) return;
      if (!client.isReady) {
        client.destroy();
        return;
      }
      // A graceful close waits for replies in flight; a hung Redis must not hold it forever.
      const bound = new Promise<void>((resolve) =>
        setTimeout(resolve, settings.connectTimeoutMs).unref(),
      );
      await Promise.race([client.close().catch(() => {}), bound]);
      if (client.isOpen) client.destroy();
    },
  };
}
