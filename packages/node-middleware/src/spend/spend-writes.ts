/**
 * How long a key's check waits for that key's writes still in flight before reading anyway.
 * The Redis store bounds each call itself (500 ms by default, twice when its script must be
 * loaded first); this only keeps a store whose writes never settle from stalling every request.
 */
export const writeWaitMs = 5_000;

/** The writes of one limiter that its store has not finished yet, per key. */
export interface WritesInFlight {
  /** Tracks a write until it settles (rejections are handled by the caller's `settled`). */
  add(key: string, settled: Promise<void>): void;
  /**
   * Resolves once every write of `key` tracked so far has settled: `true`, or `false` after
   * {@link writeWaitMs} with some still pending.
   */
  landed(key: string): Promise<boolean>;
}

/**
 * A store may finish a write after a read sent later (Redis loading its script on first use
 * answers the write's retry after the read; a store over a pool of connections): a check that
 * reads without waiting would not see what the key's previous request spent, and would admit
 * a request over the limit. Holds nothing once the writes have settled.
 */
export function createWritesInFlight(): WritesInFlight {
  const pending = new Map<string, Set<Promise<void>>>();
  return {
    add(key, settled) {
      let writes = pending.get(key);
      if (writes === undefined) {
        writes = new Set();
        pending.set(key, writes);
      }
      const held = writes;
      held.add(settled);
      void settled.then(() => {
        held.delete(settled);
        if (held.size === 0 && pending.get(key) === held) pending.delete(key);
      });
    },
    async landed(key) {
      const writes = pending.get(key);
      if (writes === undefined) return true;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<false>((resolve) => {
        timer = setTimeout(resolve, writeWaitMs, false);
        timer.unref?.();
      });
      const all = Promise.all([...writes]).then(() => true as const);
      try {
        return await Promise.race([all, late]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
