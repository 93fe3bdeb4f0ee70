/** Where the ids `generationProxy` may serve are kept: written by `costLogger`, read by the proxy. */
export interface GenerationRegistry {
  /** Remembers an id (called the moment an id is tracked). */
  add(id: string): void | Promise<void>;
  /** Whether an id was tracked (and is still remembered). */
  has(id: string): boolean | Promise<boolean>;
}

/** Options of {@link createMemoryRegistry}. */
export interface MemoryRegistryOptions {
  /**
   * Ids remembered at most; the oldest is forgotten first.
   * @default 10_000
   */
  maxEntries?: number;
}

/** A registry in process memory: a bounded set of recently tracked ids. */
export function createMemoryRegistry(options: MemoryRegistryOptions = {}): GenerationRegistry {
  const maxEntries = options.maxEntries ?? 10_000;
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
  };
}
