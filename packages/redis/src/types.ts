// The store interfaces genmeta's adapters read and write, defined once in @genmeta/core.
export type { GenerationCache } from '@genmeta/core';
export type {
  AlertContribution,
  AlertContributor,
  AlertStore,
  GenerationRegistry,
  SpendEntry,
  SpendStore,
} from '@genmeta/core/server';

/** What is read of a node-redis v6 client (`createClient()` of `redis` or `@redis/client`). */
export interface NodeRedisClientLike {
  sendCommand(args: readonly string[], options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  readonly isOpen: boolean;
  readonly isReady: boolean;
}

/** What is read of an ioredis 5/6 instance. */
export interface IoRedisClientLike {
  call(command: string, args: string[]): Promise<unknown>;
  readonly status: string;
}

/** Where the stores report outages (pino-style: object first). `console`-like loggers fit too. */
export interface RedisStoresLogger {
  warn(object: object, message?: string): void;
  info?(object: object, message?: string): void;
}
