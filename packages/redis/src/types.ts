// The store interfaces genmeta's adapters read and write. They mirror the ones of
// `@genmeta/core/engine` structurally, so a store from here fits wherever those are expected.
export type { GenerationCache } from '@genmeta/core';

/** The ids a generation proxy may serve: written when an id is tracked, read by the proxy. */
export interface GenerationRegistry {
  /** Marks an id as servable. */
  add(id: string): void | Promise<void>;
  /** Whether the id may be served. */
  has(id: string): boolean | Promise<boolean>;
}

/** The spend of one generation, as a spend limiter counts it. */
export interface SpendEntry {
  /** The generation id. */
  id: string;
  /** Its spend in USD; `null` when unknown (never 0 for unknown). */
  amountUsd: number | null;
  /** When it was spent, in ms since the epoch. */
  atMs: number;
}

/** Sliding-window spend per key (a user, a customer). */
export interface SpendStore {
  /**
   * Records the spend of one generation under key; a second call with the same id replaces its
   * amount (keeps atMs). Entries older than windowMs may be dropped.
   */
  record(key: string, entry: SpendEntry, windowMs: number): void | Promise<void>;
  /** The key's entries with atMs > nowMs - windowMs, oldest first. */
  entries(
    key: string,
    windowMs: number,
    nowMs: number,
  ): readonly SpendEntry[] | Promise<readonly SpendEntry[]>;
}
