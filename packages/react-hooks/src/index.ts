export {
  type GenerationItemState,
  type GenerationState,
  type GenerationsState,
  GenmetaProvider,
  type GenmetaProviderProps,
  type UseGenerationOptions,
  type UseGenerationsOptions,
  useGeneration,
  useGenerations,
  useGenmetaClient,
} from './client.js';
export {
  type GenerationQueryOptions,
  type GenerationQueryOptionsOptions,
  generationQueryOptions,
} from './generation-query-options.js';
export { DEFAULT_BASE_URL, DEFAULT_PROXY_BASE_URL } from './internal/default-base-url.js';
