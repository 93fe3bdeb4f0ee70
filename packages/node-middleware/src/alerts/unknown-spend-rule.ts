import { type WindowRange, windowOf } from '@genmeta/core/engine';
import { alertWindow, unknownSpendText } from './message.js';
import type { CheckedUnknownSpend } from './options.js';
import { type RuleContext, ttlUntil } from './rule-context.js';
import type { CostAlert } from './types.js';

/**
 * The unknown-spend rule: generations per window, and those of unknown cost, counted in the
 * ledger; the share above `ratio` (with at least `minGenerations`) is raised once per window.
 */
export function createUnknownSpendWatcher(rule: CheckedUnknownSpend, context: RuleContext) {
  let bounds: WindowRange | undefined;
  let raisedIn: string | undefined;

  function check(window: WindowRange, total: number, unknown: number, nowMs: number): void {
    if (raisedIn === window.id || total < rule.minGenerations || unknown / total <= rule.ratio)
      return;
    raisedIn = window.id;
    const id = `unknown:${window.id}`;
    context.sequence(async () => {
      if (!(await context.ledger.claim(id, ttlUntil(window.endMs, nowMs)))) return;
      const alert: CostAlert = {
        kind: 'unknown_spend',
        id,
        text: '',
        threshold: rule.ratio,
        amount: Math.round((unknown / total) * 10_000) / 10_000,
        limit: rule.ratio,
        window: alertWindow(window),
        at: new Date(nowMs).toISOString(),
      };
      alert.text = unknownSpendText(alert, unknown, total);
      context.deliver(alert);
    });
  }

  return {
    observe(generations: number, unknown: number, nowMs: number): void {
      if (bounds === undefined || nowMs < bounds.startMs || nowMs >= bounds.endMs) {
        bounds = windowOf(rule.window, nowMs);
      }
      const window = bounds;
      const ttlMs = ttlUntil(window.endMs, nowMs);
      const total = context.ledger.add(`unknown:${window.id}:all`, generations, ttlMs);
      const missing = context.ledger.add(`unknown:${window.id}:unknown`, unknown, ttlMs);
      if (typeof total === 'number' && typeof missing === 'number') {
        check(window, total, missing, nowMs);
        return;
      }
      context.track(
        Promise.all([total, missing]).then(([all, lost]) => check(window, all, lost, nowMs)),
      );
    },
  };
}
