export {
  type SpendWindow,
  type WindowRange,
  windowOf,
} from '@genmeta/core/rules';
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
} from '@genmeta/core/server';
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
  CostLoggerHost,
  HandleOptions,
  HostFetchRequest,
  HostFetchRequestOptions,
  HostRequest,
  SpendObserver,
  WaitUntil,
} from './hosts/types.js';
export { costLogger } from './logger/cost-logger.js';
export type {
  CloseOptions,
  CostLogger,
  CostLoggerOptions,
  CostLoggerStats,
  LookupMode,
} from './logger/types.js';
export { otelMetrics } from './otel/metrics.js';
export { otelSink } from './otel/sink.js';
export type {
  OtelAttributeValue,
  OtelHistogramLike,
  OtelMeterLike,
  OtelMetricsOptions,
  OtelObservableCounterLike,
  OtelObservableResultLike,
  OtelSinkOptions,
  OtelSpanLike,
  OtelTracerLike,
} from './otel/types.js';
export { generationProxy } from './proxy/generation-proxy.js';
export type { GenerationProxy, GenerationProxyOptions } from './proxy/types.js';
export { setCostAttributes } from './record/set-cost-attributes.js';
export { trackGeneration } from './record/track-generation.js';
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
} from './record/types.js';
export { createMemorySpendStore } from './spend/memory-spend-store.js';
export { spendLimit } from './spend/spend-limit.js';
export type {
  MemorySpendStore,
  MemorySpendStoreOptions,
  MemorySpendStoreStats,
  SpendLimiter,
  SpendLimitInfo,
  SpendLimitOptions,
  SpendLimitRequest,
  SpendLimitStatus,
} from './spend/types.js';
export { createTrackingFetch } from './tracking/tracking-fetch.js';
export type { TrackingFetchOptions } from './tracking/types.js';
