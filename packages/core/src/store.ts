/**
 * `@genmeta/core/store`: the browser's generation store, one shared state per id that UI bindings
 * (`@genmeta/react-hooks`, or another framework's) subscribe to.
 */

export {
  type GenerationSnapshot,
  IDLE_SNAPSHOT,
  PENDING_SNAPSHOT,
  successSnapshot,
} from './engine/generation-snapshots.js';
export {
  createGenerationStore,
  type GenerationStore,
  generationStoreFor,
  type SubscribeOptions,
} from './engine/generation-store.js';
