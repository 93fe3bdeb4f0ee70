import { getKey, type Key } from '@genmeta/core/api';
import { roundUsd, type SpendWindow, windowOf } from '@genmeta/core/engine';
import { defaultClient } from '../internal/default-client.js';
import type { Reporter } from '../internal/report.js';
import { alertWindow, keyText } from './message.js';
import type { CheckedKey } from './options.js';
import { type RuleContext, ttlUntil } from './rule-context.js';
import type { CostAlert, KeyLimitState } from './types.js';

const RESET_WINDOWS: Record<string, SpendWindow> = {
  daily: 'day',
  weekly: 'week',
  monthly: 'month',
};

/** The key's limit period holding `nowMs` (a limit that never resets: one window forever). */
function periodOf(reset: string | null, nowMs: number) {
  const window = reset === null ? undefined : RESET_WINDOWS[reset];
  if (window === undefined) return { id: 'no-reset', startMs: 0, endMs: 8.64e15 };
  return windowOf(window, nowMs);
}

/**
 * The key rule: reads `GET /key` at most once per `intervalMs` (when a record arrives or
 * `checkKey()` is called), keeps what it read for `spendLimit({ keyLimit })`, and raises each
 * threshold of the key's limit once per `limit_reset` period.
 */
export function createKeyWatcher(rule: CheckedKey, context: RuleContext, report: Reporter) {
  let info: Key | undefined;
  let checkedAtMs = 0;
  let reading: Promise<void> | undefined;

  const state: KeyLimitState = {
    get limitUsd() {
      return info?.limit ?? null;
    },
    get remainingUsd() {
      return info?.limit_remaining ?? null;
    },
    get reset() {
      return info?.limit_reset ?? null;
    },
    get checkedAtMs() {
      return checkedAtMs;
    },
    exhausted(reserveUsd = 0) {
      const remaining = info?.limit_remaining;
      return typeof remaining === 'number' && remaining <= reserveUsd;
    },
  };

  function raiseCrossed(read: Key, nowMs: number): void {
    const { limit, limit_remaining: remaining } = read;
    if (typeof limit !== 'number' || limit <= 0 || typeof remaining !== 'number') return;
    const used = roundUsd(limit - remaining);
    const share = used / limit;
    const period = periodOf(read.limit_reset ?? null, nowMs);
    const crossed = rule.thresholds.filter((threshold) => share >= threshold);
    if (crossed.length === 0) return;
    context.sequence(async () => {
      for (const threshold of crossed) {
        const id = `key:${period.id}:${limit}:${threshold}`;
        if (
          !(await context.ledger.claim(
            id,
            ttlUntil(Math.min(period.endMs, nowMs + 400 * 86_400_000), nowMs),
          ))
        )
          continue;
        const alert: CostAlert = {
          kind: 'key',
          id,
          text: '',
          threshold,
          amount: used,
          limit,
          window: alertWindow(period),
          at: new Date(nowMs).toISOString(),
        };
        alert.text = keyText(alert, threshold, remaining);
        context.deliver(alert);
      }
    });
  }

  async function check(): Promise<void> {
    const nowMs = context.now();
    checkedAtMs = nowMs;
    try {
      const read = await getKey(rule.client ?? defaultClient(rule.clientOptions).client, {
        deadlineMs: 10_000,
      });
      info = read;
      raiseCrossed(read, context.now());
    } catch (error) {
      report(
        'costAlerts:key',
        'genmeta: costAlerts: reading GET /key failed; the key rule waits for the next read (reported once)',
        error,
      );
    }
  }

  return {
    state,
    /** Reads the key now (one read at a time). */
    check(): Promise<void> {
      reading ??= check().finally(() => {
        reading = undefined;
      });
      return reading;
    },
    /** Reads the key when `intervalMs` has passed since the last read. */
    maybeCheck(nowMs: number): void {
      if (reading !== undefined || nowMs - checkedAtMs < rule.intervalMs) return;
      context.track(this.check());
    },
  };
}
