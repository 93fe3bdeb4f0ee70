export {
  createRedisStores,
  type RedisStores,
  type RedisStoresLogger,
  type RedisStoresOptions,
  type RedisTarget,
} from './create-redis-stores.js';
export {
  isRedisUnavailableError,
  RedisUnavailableError,
  type RedisUnavailableReason,
} from './errors.js';
export type {
  AlertContribution,
  AlertContributor,
  AlertStore,
  GenerationCache,
  GenerationRegistry,
  IoRedisClientLike,
  NodeRedisClientLike,
  SpendEntry,
  SpendStore,
} from './types.js';
