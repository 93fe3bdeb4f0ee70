/**
 * `@genmeta/core/engine`: the three entries below in one barrel, kept for one release.
 *
 * @deprecated Import from `@genmeta/core/rules` (rules for everyone), `@genmeta/core/server`
 * (the lookup queue, the registry, the spend and alert stores) or `@genmeta/core/store` (the
 * browser's generation store).
 */

export { DEFAULT_BASE_URL } from '../internal/defaults.js';
export {
  API_KEY_ENV,
  BASE_URL_ENV,
  checkSpendWindow,
  classifyError,
  createSseParser,
  DAY_MS,
  DEFAULT_PROXY_BASE_URL,
  defaultBaseUrl,
  type ErrorCategory,
  type ErrorClassification,
  type ErrorTableEntry,
  errorCategories,
  errorTable,
  type FailedAttempts,
  failedAttemptsOf,
  GENERATION_ID_RULE,
  type HeaderRecord,
  type InlineCost,
  inlineSpendOf,
  MAX_WINDOW_MS,
  normalizeBaseUrl,
  picoUsdToUsd,
  REDACTED,
  redactHeaders,
  roundUsd,
  SPEND_BUCKETS_PER_WINDOW,
  type SpendWindow,
  type SseEvent,
  type SseParser,
  type SseParserOptions,
  scrubSecret,
  spendBucketMs,
  spendBucketRange,
  usdToPicoUsd,
  type WindowRange,
  windowOf,
  windowSpanMs,
} from '../rules.js';
export {
  type AlertContribution,
  type AlertContributor,
  type AlertStore,
  createLookupQueue,
  createMemoryRegistry,
  type GenerationRegistry,
  type LookupQueue,
  type LookupQueueOptions,
  type MemoryRegistryOptions,
  type SpendBucket,
  type SpendBuckets,
  type SpendEntry,
  type SpendStore,
} from '../server.js';
export {
  createGenerationStore,
  type GenerationSnapshot,
  type GenerationStore,
  generationStoreFor,
  IDLE_SNAPSHOT,
  PENDING_SNAPSHOT,
  type SubscribeOptions,
  successSnapshot,
} from '../store.js';
