/**
 * `@genmeta/core/engine`: the seam for genmeta's adapters and third-party framework adapters.
 * Rules live here once (errors, defaults, the id rule, redaction, spend, SSE); adapters derive.
 */

export {
  classifyError,
  type ErrorClassification,
  type ErrorTableEntry,
  errorCategories,
  errorTable,
} from '../errors/classify.js';
export type { ErrorCategory } from '../errors/table.js';
export { type FailedAttempts, failedAttemptsOf } from '../explain/attempts.js';
export { GENERATION_ID_RULE } from '../generation-id.js';
export {
  API_KEY_ENV,
  BASE_URL_ENV,
  DEFAULT_BASE_URL,
  DEFAULT_PROXY_BASE_URL,
  defaultBaseUrl,
  normalizeBaseUrl,
} from '../internal/defaults.js';
export { picoUsdToUsd, usdToPicoUsd } from '../internal/money.js';
export { REDACTED, scrubSecret } from '../internal/redact.js';
export { type InlineCost, inlineSpendOf, roundUsd } from '../internal/spend.js';
export type { AlertContribution, AlertContributor, AlertStore } from './alert-store.js';
export {
  type GenerationSnapshot,
  IDLE_SNAPSHOT,
  PENDING_SNAPSHOT,
  successSnapshot,
} from './generation-snapshots.js';
export {
  createGenerationStore,
  type GenerationStore,
  generationStoreFor,
  type SubscribeOptions,
} from './generation-store.js';
export {
  createLookupQueue,
  type LookupQueue,
  type LookupQueueOptions,
} from './lookup-queue.js';
export { type HeaderRecord, redactHeaders } from './redaction.js';
export {
  createMemoryRegistry,
  type GenerationRegistry,
  type MemoryRegistryOptions,
} from './registry.js';
export type { SpendBucket, SpendBuckets, SpendEntry, SpendStore } from './spend-store.js';
export {
  checkSpendWindow,
  DAY_MS,
  MAX_WINDOW_MS,
  SPEND_BUCKETS_PER_WINDOW,
  type SpendWindow,
  spendBucketMs,
  spendBucketRange,
  type WindowRange,
  windowOf,
  windowSpanMs,
} from './spend-window.js';
export {
  createSseParser,
  type SseEvent,
  type SseParser,
  type SseParserOptions,
} from './sse-parser.js';
