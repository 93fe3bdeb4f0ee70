export { createMemoryCache, type GenerationCache, type MemoryCacheOptions } from './cache.js';
export { createClient } from './client/create-client.js';
export type {
  ClientOptions,
  GenerationResult,
  GenmetaClient,
  GetGenerationOptions,
  GetGenerationsOptions,
  Logger,
  WaitingInfo,
} from './client/types.js';
export { formatUsd, type SpendGroup, type SpendSummary, spendOf, summarize } from './cost.js';
export {
  ForbiddenError,
  GenmetaError,
  type GenmetaErrorCode,
  type GenmetaErrorJson,
  type GenmetaErrorOptions,
  InsufficientCreditsError,
  InvalidIdError,
  InvalidResponseError,
  isGenmetaError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  UnauthorizedError,
} from './errors.js';
export { explainCost } from './explain/explain-cost.js';
export {
  type CostComponent,
  type CostComponentName,
  type CostExplanation,
  type CostRule,
  type CostRuleName,
  costComponentNames,
  costRuleNames,
  type ExplainedEndpoint,
  type PricingInput,
} from './explain/types.js';
export { isGenerationId, parseGenerationId } from './generation-id.js';
export { type ErrorResponse, errorResponseSchema } from './schemas/error-response.js';
export {
  type Generation,
  type GenerationResponse,
  generationResponseSchema,
  generationSchema,
  type ProviderResponse,
  providerResponseSchema,
} from './schemas/generation.js';
export type {
  GenerationContent,
  GenerationContentError,
  GenerationContentResponse,
  GenerationErrorAttempt,
} from './schemas/generation-content.js';
export type {
  EndpointPricing,
  ModelEndpoint,
  ModelEndpoints,
  ModelEndpointsResponse,
  PricingOverride,
} from './schemas/model-endpoints.js';
