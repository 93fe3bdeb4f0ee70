import type { AlertContribution, AlertContributor, AlertStore } from '@genmeta/core/engine';
import type { Reporter } from '../internal/report.js';
import type { MemoryAlertStore } from './memory-alert-store.js';

/**
 * Counters and claims for the rules: this process's memory always, and the shared store when one
 * is given. The shared store's answers win; while it fails, the memory's answers stand in (alerts
 * are then per process), said once through the logger.
 */
export interface AlertLedger {
  /** The counter's total after this addition: a number at once without a shared store. */
  add(
    key: string,
    amountUsd: number,
    ttlMs: number,
    contributions?: readonly AlertContribution[],
  ): number | Promise<number>;
  top(
    key: string,
    dimensions: readonly string[],
    limit: number,
  ): Promise<Record<string, AlertContributor[]>>;
  claim(id: string, ttlMs: number): Promise<boolean>;
}

/** Shared-store additions in flight at most; past it a record is counted in this process only. */
const MAX_PENDING_ADDS = 1_000;

export function createAlertLedger(
  local: MemoryAlertStore,
  shared: AlertStore | undefined,
  report: Reporter,
): AlertLedger {
  const storeFailed = (error: unknown): void =>
    report(
      'costAlerts:store',
      'genmeta: costAlerts: the shared alert store failed; alerts are per process (each instance counts and alerts on its own spend) while it fails (reported once)',
      error,
    );

  let pendingAdds = 0;

  async function fromShared<T>(call: () => T | Promise<T>, fallback: () => T): Promise<T> {
    try {
      return await call();
    } catch (error) {
      storeFailed(error);
      return fallback();
    }
  }

  return {
    add(key, amountUsd, ttlMs, contributions) {
      const localTotal = local.add(key, amountUsd, ttlMs, contributions);
      if (shared === undefined) return localTotal;
      // A slow store must not pile up promises: memory stays bounded, and it is said once.
      if (pendingAdds >= MAX_PENDING_ADDS) {
        report(
          'costAlerts:backlog',
          `genmeta: costAlerts: ${MAX_PENDING_ADDS} additions are waiting for the shared alert store; further spend is counted in this process only until it catches up (reported once)`,
        );
        return localTotal;
      }
      pendingAdds += 1;
      return fromShared(
        () => shared.add(key, amountUsd, ttlMs, contributions),
        () => localTotal,
      ).finally(() => {
        pendingAdds -= 1;
      });
    },
    async top(key, dimensions, limit) {
      if (shared === undefined) return local.top(key, dimensions, limit);
      return fromShared(
        () => shared.top(key, dimensions, limit),
        () => local.top(key, dimensions, limit),
      );
    },
    async claim(id, ttlMs) {
      if (shared === undefined) return local.claim(id, ttlMs);
      // The local claim is taken too, so that this process never raises it twice when the shared
      // store fails later in the same window.
      const locally = local.claim(id, ttlMs);
      return fromShared(
        () => shared.claim(id, ttlMs),
        () => locally,
      );
    },
  };
}
