import type { Generation } from './schemas/generation.js';

/**
 * Where finished generations are kept (they never change). Methods may be async, so a shared
 * store such as Redis can back it.
 */
export interface GenerationCache {
  /** The cached generation, or `undefined`. */
  get(id: string): Generation | undefined | Promise<Generation | undefined>;
  /** Remembers a finished generation. */
  set(id: string, generation: Generation): void | Promise<void>;
}

/** Options of {@link createMemoryCache}. */
export interface MemoryCacheOptions {
  /**
   * Most generations kept; the least recently used goes first.
   * @default 1000
   */
  maxEntries?: number;
}

/** A bounded in-memory LRU {@link GenerationCache}: the client's default. */
export function createMemoryCache(options: MemoryCacheOptions = {}): GenerationCache {
  const maxEntries = options.maxEntries ?? 1000;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
  }
  const entries = new Map<string, Generation>();
  return {
    get(id) {
      const generation = entries.get(id);
      if (generation !== undefined) {
        entries.delete(id);
        entries.set(id, generation);
      }
      return generation;
    },
    set(id, generation) {
      entries.delete(id);
      entries.set(id, generation);
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
    },
  };
}
