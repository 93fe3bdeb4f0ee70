import { createMemoryRegistry, type GenerationRegistry } from '@genmeta/core/server';

/** How many recently tracked ids the process remembers for `generationProxy` by default. */
export const DEFAULT_REGISTRY_ENTRIES = 10_000;

/**
 * The registry of every costLogger and generationProxy given none (module-level: one per
 * loaded copy of this package).
 */
export const defaultRegistry: GenerationRegistry = createMemoryRegistry({
  maxEntries: DEFAULT_REGISTRY_ENTRIES,
});
