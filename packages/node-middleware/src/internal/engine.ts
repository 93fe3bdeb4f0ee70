// The rules this package shares with genmeta's other adapters, in one place. They move to
// `@genmeta/core/engine`; until then they live in ./engine-shim.
export {
  createLookupQueue,
  type LookupClient,
  type LookupQueue,
} from './engine-shim/lookup-queue.js';
export {
  createMemoryRegistry,
  type GenerationRegistry,
  type MemoryRegistryOptions,
} from './engine-shim/registry.js';
export {
  DEFAULT_BASE_URL,
  defaultBaseUrl,
  inlineSpendOf,
  normalizeBaseUrl,
  roundUsd,
} from './engine-shim/rules.js';
export { createSseParser, type SseEvent } from './engine-shim/sse-parser.js';
