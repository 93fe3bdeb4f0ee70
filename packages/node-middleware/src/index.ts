export {
  createMemoryRegistry,
  type GenerationRegistry,
  type MemoryRegistryOptions,
} from '@genmeta/core/engine';
export type { CloseOptions, CostLogger, CostLoggerOptions } from './cost-logger.js';
export { costLogger } from './cost-logger.js';
export type { GenerationProxy, GenerationProxyOptions } from './generation-proxy.js';
export { generationProxy } from './generation-proxy.js';
export type { HandleOptions } from './handle.js';
export type {
  OtelAttributeValue,
  OtelSinkOptions,
  OtelSpanLike,
  OtelTracerLike,
} from './otel-sink.js';
export { otelSink } from './otel-sink.js';
export { trackGeneration } from './track-generation.js';
export type { TrackingFetchOptions } from './tracking-fetch.js';
export { createTrackingFetch } from './tracking-fetch.js';
export type {
  CostLoggerLogger,
  CostRecord,
  CostRecordGeneration,
  CostRecordTokens,
  CostRecordUnresolved,
  CostRecordUnresolvedFetch,
  GenmetaLocals,
  InlineUsage,
  RecordMeta,
  RecordSink,
  UnresolvedReason,
} from './types.js';
