/** One generation's spend, as a {@link SpendStore} is told it. */
export interface SpendEntry {
  /** The generation id (a second record with the same id replaces the amount). */
  id: string;
  /** USD spent (finite, at least 0), or `null` when unknown. */
  amountUsd: number | null;
  /**
   * When the spend happened, in ms since the epoch. A store shared by several instances may
   * stamp entries with its own clock instead (`@genmeta/redis` uses Redis's `TIME`).
   */
  atMs: number;
}

/** The spend of a key recorded during one time bucket. */
export interface SpendBucket {
  /** First ms of the bucket, ms since the epoch (a multiple of {@link SpendBuckets.bucketMs}). */
  startMs: number;
  /** Sum of the known amounts recorded in it, USD. */
  knownUsd: number;
  /** Generations recorded in it whose spend is unknown (not in `knownUsd`). */
  unknownCount: number;
}

/** A key's spend over a sliding window, as a sum of fixed time buckets. */
export interface SpendBuckets {
  /** The store's clock when it read them (the one clock of a shared store), ms since the epoch. */
  nowMs: number;
  /** Width of each bucket, ms: `spendBucketMs(windowMs)`. */
  bucketMs: number;
  /**
   * The non-empty buckets that overlap the window ending at `nowMs` (at most 61), oldest first.
   * The oldest may have started before the window: it is counted whole.
   */
  buckets: readonly SpendBucket[];
}

/**
 * Spend per key, kept in fixed time buckets (`spendBucketMs(windowMs)` wide, aligned on the
 * epoch) so that reading a window costs the same whatever the key's number of past requests.
 * Methods may be async.
 */
export interface SpendStore {
  /**
   * Records the spend of one generation under key, for a window of `windowMs`; a second call
   * with the same id (while its bucket is in the window) replaces its amount, in the bucket of
   * the first. Buckets may be dropped once they end more than `windowMs` ago.
   */
  record(key: string, entry: SpendEntry, windowMs: number): void | Promise<void>;
  /** The key's buckets for a window of `windowMs` (as recorded with the same `windowMs`) at `nowMs`. */
  buckets(key: string, windowMs: number, nowMs: number): SpendBuckets | Promise<SpendBuckets>;
}
