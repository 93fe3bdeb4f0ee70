'use client';
export type { GenerationItemState, GenerationState } from './generation-state.js';
// Everything that needs React on the client. Built as its own module so the directive survives
// bundling, while `generationQueryOptions` and `DEFAULT_PROXY_BASE_URL` stay callable from React
// Server Components.
export { GenmetaProvider, type GenmetaProviderProps, useGenmetaClient } from './provider.js';
export { type UseGenerationOptions, useGeneration } from './use-generation.js';
export {
  type GenerationsState,
  type UseGenerationsOptions,
  useGenerations,
} from './use-generations.js';
