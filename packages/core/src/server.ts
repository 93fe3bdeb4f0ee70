/**
 * `@genmeta/core/server`: the server side's machinery, for `@genmeta/node-middleware`,
 * `@genmeta/redis` and third-party stores: the lookup queue, the registry of ids a proxy may
 * serve, and the interfaces of the shared spend and alert stores.
 */

export type { AlertContribution, AlertContributor, AlertStore } from './engine/alert-store.js';
export {
  createLookupQueue,
  type LookupQueue,
  type LookupQueueOptions,
} from './engine/lookup-queue.js';
export {
  createMemoryRegistry,
  type GenerationRegistry,
  type MemoryRegistryOptions,
} from './engine/registry.js';
export type { SpendBucket, SpendBuckets, SpendEntry, SpendStore } from './engine/spend-store.js';
