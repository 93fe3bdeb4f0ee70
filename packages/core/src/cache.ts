import type { Generation } from './schemas/generation.js';

/**
 * Where finished generations are kept (they never change). Methods may be async, so a shared
 * store such as Redis can back it. What `get` answers is checked: anything but the generation
 * asked for is ignored (a miss).
 */
export interface GenerationCache {
  /** The cached generation, or `undefined`. */
  get(id: string): Generation | undefined | Promise<Generation | undefined>;
  /** Remembers a finished generation. */
  set(id: string, generation: Generation): void | Promise<void>;
  /**
   * Optional, for a cache several instances share: claims the right to ask upstream for `id`
   * for at most `ttlMs` (an expiring lock, e.g. Redis `SET NX PX`). `true`: this caller holds
   * it (or already did); `false`: another instance is asking now, so the client waits for the
   * shared cache instead of asking too. A failure should answer `true` (fail open).
   */
  claim?(id: string, ttlMs: number): boolean | Promise<boolean>;
  /** Optional: gives back a claim this caller holds, once its request has ended. */
  release?(id: string): void | Promise<void>;
}

/** Options of {@link createMemoryCache}. */
export interface MemoryCacheOptions {
  /**
   * Most generations kept; the least recently used goes first.
   * @default 1000
   */
  maxEntries?: number;
  /**
   * Most bytes kept, counted as the generations' JSON length; the least recently used go first
   * until the rest fit, and a generation larger than this alone is not kept.
   * @default 50_000_000
   */
  maxBytes?: number;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isSafeInteger(resolved) || resolved < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return resolved;
}

/** Bytes a generation counts for: its JSON length (what a shared store would hold). */
function sizeOf(generation: Generation): number {
  try {
    return JSON.stringify(generation).length;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** A bounded in-memory LRU {@link GenerationCache} (by count and by size): the client's default. */
export function createMemoryCache(options: MemoryCacheOptions = {}): GenerationCache {
  const maxEntries = positiveInteger('maxEntries', options.maxEntries, 1000);
  const maxBytes = positiveInteger('maxBytes', options.maxBytes, 50_000_000);
  const entries = new Map<string, { generation: Generation; bytes: number }>();
  let totalBytes = 0;
  const forget = (id: string): void => {
    const entry = entries.get(id);
    if (entry === undefined) return;
    entries.delete(id);
    totalBytes -= entry.bytes;
  };
  return {
    get(id) {
      const entry = entries.get(id);
      if (entry === undefined) return undefined;
      entries.delete(id);
      entries.set(id, entry);
      return entry.generation;
    },
    set(id, generation) {
      forget(id);
      const bytes = sizeOf(generation);
      if (bytes > maxBytes) return;
      entries.set(id, { generation, bytes });
      totalBytes += bytes;
      while (entries.size > maxEntries || totalBytes > maxBytes) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        forget(oldest);
      }
    },
  };
}
