/** One generation's spend, as a {@link SpendStore} keeps it. */
export interface SpendEntry {
  /** The generation id (a second record with the same id replaces the amount). */
  id: string;
  /** USD spent, or `null` when unknown. */
  amountUsd: number | null;
  /** When the spend happened, in ms since the epoch. */
  atMs: number;
}

/** Spend per key in a sliding window. Methods may be async. */
export interface SpendStore {
  /** Records the spend of one generation under key; a second call with the same id replaces its amount (keeps atMs). Entries older than windowMs may be dropped. */
  record(key: string, entry: SpendEntry, windowMs: number): void | Promise<void>;
  /** The key's entries with atMs > nowMs - windowMs, oldest first. */
  entries(
    key: string,
    windowMs: number,
    nowMs: number,
  ): readonly SpendEntry[] | Promise<readonly SpendEntry[]>;
}
