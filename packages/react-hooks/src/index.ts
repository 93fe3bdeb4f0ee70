export {
  type GenerationQueryOptions,
  generationQueryOptions,
} from './generation-query-options.js';
export { DEFAULT_BASE_URL } from './internal/clients.js';
export { GenmetaProvider, type GenmetaProviderProps, useGenmetaClient } from './provider.js';
export {
  type GenerationState,
  type UseGenerationOptions,
  useGeneration,
} from './use-generation.js';
export {
  type GenerationItemState,
  type GenerationsState,
  type UseGenerationsOptions,
  useGenerations,
} from './use-generations.js';
