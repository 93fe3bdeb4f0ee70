/** One contribution to a counter's tally of top contributors (a request, a model, a user). */
export interface AlertContribution {
  /** What kind of contributor: `requests`, `models`, `users`. */
  dimension: string;
  /** Who: the request id, the model slug, the user attribute's value. */
  name: string;
  /** USD it added. */
  amountUsd: number;
}

/** One contributor in a tally, largest first. */
export interface AlertContributor {
  name: string;
  amountUsd: number;
}

/**
 * Where spend alerts keep their counters and claims: per process by default, shared by every
 * instance with `@genmeta/redis` (`stores.alerts`). Methods may be async; a rejection makes the
 * caller fall back to its own process memory.
 */
export interface AlertStore {
  /**
   * Adds `amountUsd` to the counter under `key` (kept at least `ttlMs`) and each contribution to
   * the counter's tallies; resolves to the counter's total after the addition, this one included.
   */
  add(
    key: string,
    amountUsd: number,
    ttlMs: number,
    contributions?: readonly AlertContribution[],
  ): number | Promise<number>;
  /** The counter's largest contributors per dimension (at most `limit` each), largest first. */
  top(
    key: string,
    dimensions: readonly string[],
    limit: number,
  ): Record<string, AlertContributor[]> | Promise<Record<string, AlertContributor[]>>;
  /**
   * Claims alert `id` for `ttlMs`, atomically: true for the first caller (in the whole fleet when
   * the store is shared), false for every later one until it expires.
   */
  claim(id: string, ttlMs: number): boolean | Promise<boolean>;
}
