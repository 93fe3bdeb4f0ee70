import { positiveInteger } from '../internal/option-checks.js';
/** Ids a generationProxy may serve. Methods may be async (a shared store such as Redis). */
export interface GenerationRegistry {
  /** Records that `id` may be served. */
  add(id: string): void | Promise<void>;
  /** Whether `id` was added (and not yet forgotten). */
  has(id: string): boolean | Promise<boolean>;
}

/** Options of {@link createMemoryRegistry}. */
export interface MemoryRegistryOptions {
  /**
   * Most ids remembered; the least recently added is forgotten first.
   * @default 10_000
   */
  maxEntries?: number;
}

/** A bounded in-process {@link GenerationRegistry} (synchronous), oldest id forgotten first. */
export function createMemoryRegistry(
  options: MemoryRegistryOptions = {},
): GenerationRegistry & { readonly size: number } {
  const maxEntries = positiveInteger('maxEntries', options.maxEntries, 10_000);
  const ids = new Set<string>();
  return {
    add(id) {
      // Re-inserting moves the id to the young end of the insertion order.
      ids.delete(id);
      ids.add(id);
      if (ids.size > maxEntries) {
        const oldest = ids.values().next();
        if (!oldest.done) ids.delete(oldest.value);
      }
    },
    has: (id) => ids.has(id),
    get size() {
      return ids.size;
    },
  };
}
