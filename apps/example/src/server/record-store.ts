import { picoUsdToUsd, usdToPicoUsd } from '@genmeta/core/rules';
import type { LogEntry, RequestLog, UserTotal } from '../shared/protocol.ts';

/** Listener called with the new snapshot each time a record arrives. */
export type RecordListener = (log: RequestLog) => void;

/**
 * The request log the page shows: the latest `limit` entries (memory stays flat however long the
 * server runs) plus running totals over every record since start.
 */
export class RecordStore {
  readonly #limit: number;
  readonly #entries: LogEntry[] = [];
  readonly #listeners = new Set<RecordListener>();
  /** in 1e-12 USD: integer sums are exact in any order (core's money rule) */
  #totalPicoUsd = 0n;
  #count = 0;
  #unknownCount = 0;
  /** per user, over every record (users are the few demo users: bounded) */
  readonly #users = new Map<string | null, UserTotal>();
  readonly #userPicoUsd = new Map<string | null, bigint>();

  constructor(limit = 50) {
    this.#limit = limit;
  }

  /** Adds an entry (newest first) and tells every listener. */
  add(entry: LogEntry): void {
    this.#entries.unshift(entry);
    if (this.#entries.length > this.#limit) this.#entries.length = this.#limit;
    this.#count += 1;
    if (entry.spendUsd === null) this.#unknownCount += 1;
    const spend = usdToPicoUsd(entry.knownSpendUsd);
    this.#totalPicoUsd += spend;
    let total = this.#users.get(entry.user);
    if (total === undefined) {
      total = { user: entry.user, totalUsd: 0, count: 0, unknownCount: 0 };
      this.#users.set(entry.user, total);
    }
    total.count += 1;
    const userPicoUsd = (this.#userPicoUsd.get(entry.user) ?? 0n) + spend;
    this.#userPicoUsd.set(entry.user, userPicoUsd);
    total.totalUsd = picoUsdToUsd(userPicoUsd);
    if (entry.spendUsd === null) total.unknownCount += 1;
    const snapshot = this.snapshot();
    for (const listener of this.#listeners) listener(snapshot);
  }

  /** The current log, safe to serialize. */
  snapshot(): RequestLog {
    return {
      entries: [...this.#entries],
      totalUsd: picoUsdToUsd(this.#totalPicoUsd),
      count: this.#count,
      unknownCount: this.#unknownCount,
      users: [...this.#users.values()].map((total) => ({ ...total })),
    };
  }

  /** Calls `listener` on every new record; returns the unsubscribe function. */
  subscribe(listener: RecordListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
