/**
 * `@genmeta/core/rules`: genmeta's rules, for every package and third-party adapter, in Node, browsers
 * and edge runtimes alike: the error table, defaults, the id rule, secret scrubbing, option checks,
 * money, spend windows, one SSE parser and the reader of the cost-record line. Each rule lives here once; adapters derive.
 */

export { apiKeyProblem } from './client/api-key.js';
export { type HeaderRecord, redactHeaders } from './engine/redaction.js';
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
} from './engine/spend-window.js';
export {
  createSseParser,
  type SseEvent,
  type SseParser,
  type SseParserOptions,
} from './engine/sse-parser.js';
export {
  classifyError,
  type ErrorClassification,
  type ErrorTableEntry,
  errorCategories,
  errorTable,
} from './errors/classify.js';
export { lookupFailure } from './errors/lookup-failure.js';
export type { ErrorCategory } from './errors/table.js';
export { type FailedAttempts, failedAttemptsOf } from './explain/attempts.js';
export { GENERATION_ID_RULE } from './generation-id.js';
export {
  API_KEY_ENV,
  BASE_URL_ENV,
  DEFAULT_PROXY_BASE_URL,
  defaultBaseUrl,
  normalizeBaseUrl,
  OPENROUTER_API_BASE_URL,
} from './internal/defaults.js';
export { baseUrlProblem } from './internal/environment.js';
export {
  picoUsdToUsd,
  sumUnitsToUsd,
  sumUsd,
  usdToPicoUsd,
  usdToSumUnits,
} from './internal/money.js';
export {
  checkInteger,
  finiteNumber,
  MAX_TIMER_MS,
  positiveInteger,
  positiveMs,
  positiveNumber,
} from './internal/option-checks.js';
export { maskKeyShapes, REDACTED, scrubSecret } from './internal/redact.js';
export { type InlineCost, inlineSpendOf, roundUsd } from './internal/spend.js';
export {
  type CostRecordFields,
  type CostRecordLineSkip,
  costRecordsIn,
  isCostRecord,
  parseCostRecordLine,
} from './records/cost-record-line.js';
