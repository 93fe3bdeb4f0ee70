export {
  type AlertContribution,
  type AlertContributor,
  type AlertStore,
  createMemoryRegistry,
  type GenerationRegistry,
  type MemoryRegistryOptions,
  type SpendBucket,
  type SpendBuckets,
  type SpendEntry,
  type SpendStore,
  type SpendWindow,
  type WindowRange,
  windowOf,
} from '@genmeta/core/engine';
export {
  type AlertGroup,
  type AlertWebhook,
  type AnomalyRule,
  type BudgetRule,
  type CostAlert,
  type CostAlertKind,
  type CostAlerts,
  type CostAlertsOptions,
  type CostAlertsStats,
  costAlerts,
  type KeyLimitState,
  type KeyRule,
  type UnknownSpendRule,
} from './alerts/index.js';
export type {
  CloseOptions,
  CostLogger,
  CostLoggerOptions,
  CostLoggerStats,
  LookupMode,
} from './cost-logger.js';
export { costLogger } from './cost-logger.js';
export type { GenerationProxy, GenerationProxyOptions } from './generation-proxy.js';
export { generationProxy } from './generation-proxy.js';
export type { HandleOptions } from './handle.js';
export type {
  MemorySpendStore,
  MemorySpendStoreOptions,
  MemorySpendStoreStats,
} from './memory-spend-store.js';
export { createMemorySpendStore } from './memory-spend-store.js';
export type {
  OtelHistogramLike,
  OtelMeterLike,
  OtelMetricsOptions,
  OtelObservableCounterLike,
  OtelObservableResultLike,
} from './otel-metrics.js';
export { otelMetrics } from './otel-metrics.js';
export type {
  OtelAttributeValue,
  OtelSinkOptions,
  OtelSpanLike,
  OtelTracerLike,
} from './otel-sink.js';
export { otelSink } from './otel-sink.js';
export { setCostAttributes } from './set-cost-attributes.js';
export type {
  SpendLimiter,
  SpendLimitInfo,
  SpendLimitOptions,
  SpendLimitRequest,
  SpendLimitStatus,
} from './spend-limit.js';
export { spendLimit } from './spend-limit.js';
export { trackGeneration } from './track-generation.js';
export type { TrackingFetchOptions } from './tracking-fetch.js';
export { createTrackingFetch } from './tracking-fetch.js';
export type {
  CostAttributes,
  CostAttributeValue,
  CostLoggerLogger,
  CostRecord,
  CostRecordGeneration,
  CostRecordTokens,
  CostRecordUnresolved,
  CostRecordUnresolvedFetch,
  CostSource,
  GenmetaLocals,
  InlineCostIgnoredReason,
  InlineUsage,
  RecordMeta,
  RecordSink,
  UnresolvedReason,
} from './types.js';
