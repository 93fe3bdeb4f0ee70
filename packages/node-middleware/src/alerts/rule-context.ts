import type { AlertContribution } from '@genmeta/core/engine';
import type { AlertLedger } from './ledger.js';
import type { CostAlert } from './types.js';

/** What every rule watcher is given by {@link costAlerts}. */
export interface RuleContext {
  ledger: AlertLedger;
  /** Runs alert work in order, one task after the other (claims, then delivery). */
  sequence(task: () => Promise<void>): void;
  /** Keeps a promise for `flush()` (a shared-store addition in flight). */
  track(work: Promise<unknown>): void;
  deliver(alert: CostAlert): void;
  maxGroups: number;
  now(): number;
}

/** A record's spend seen by one group of one rule. */
export interface GroupSpend {
  value: string;
  amountUsd: number;
  contributions: readonly AlertContribution[];
}

/** How long a claim or counter of a window is kept: to the window's end, plus an hour of clock skew. */
export const ttlUntil = (endMs: number, nowMs: number): number =>
  Math.max(1_000, Math.ceil(endMs - nowMs) + 3_600_000);
