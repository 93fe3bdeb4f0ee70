import { createMemoryCache, type GenerationCache } from '@genmeta/core';

/**
 * The shared cache with a process-local copy in front: finished generations never change, so
 * one read from Redis per process is enough, and a held generation is answered synchronously
 * (costLogger then emits its record without a lookup).
 */
export function withLocalCopy(shared: GenerationCache, maxEntries: number): GenerationCache {
  if (maxEntries === 0) return shared;
  const local = createMemoryCache({ maxEntries });
  return {
    get(id) {
      const held = local.get(id);
      if (held !== undefined) return held;
      return Promise.resolve(shared.get(id)).then((found) => {
        if (found !== undefined) local.set(id, found);
        return found;
      });
    },
    set(id, generation) {
      local.set(id, generation);
      return shared.set(id, generation);
    },
    ...(shared.claim && { claim: shared.claim.bind(shared) }),
    ...(shared.release && { release: shared.release.bind(shared) }),
  };
}
