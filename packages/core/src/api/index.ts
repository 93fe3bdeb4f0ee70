/**
 * `@genmeta/core/api`: OpenRouter's endpoints besides the generation lookup (billing, analytics,
 * pricing), as standalone functions over a client, so a bundle that only looks generations up
 * carries none of them.
 */

export {
  type ActivityItem,
  activityItemSchema,
  activityResponseSchema,
} from '../schemas/activity.js';
export {
  type AnalyticsMeta,
  type AnalyticsResult,
  type AnalyticsRow,
  analyticsMetaResponseSchema,
  analyticsMetaSchema,
  analyticsResponseSchema,
  analyticsResultSchema,
  analyticsRowSchema,
} from '../schemas/analytics.js';
export { type Credits, creditsResponseSchema, creditsSchema } from '../schemas/credits.js';
export {
  type GenerationContent,
  type GenerationContentError,
  type GenerationContentResponse,
  type GenerationErrorAttempt,
  generationContentErrorSchema,
  generationContentResponseSchema,
  generationContentSchema,
  generationErrorAttemptSchema,
} from '../schemas/generation-content.js';
export { type Key, keyResponseSchema, keySchema } from '../schemas/key.js';
export {
  type EndpointPricing,
  endpointPricingSchema,
  type ModelEndpoint,
  type ModelEndpoints,
  type ModelEndpointsResponse,
  modelEndpointSchema,
  modelEndpointsResponseSchema,
  modelEndpointsSchema,
  type PricingOverride,
  pricingOverrideSchema,
} from '../schemas/model-endpoints.js';
export {
  type AnalyticsFilter,
  type AnalyticsQuery,
  type BillingRequestOptions,
  type GetActivityOptions,
  getActivity,
  getAnalyticsMeta,
  getCredits,
  getKey,
  queryAnalytics,
} from './billing.js';
export {
  type ExplainRequestOptions,
  getGenerationContent,
  getModelEndpoints,
} from './explain.js';
export { type ApiRequestOptions, apiRequest, type QueryValue } from './request.js';
