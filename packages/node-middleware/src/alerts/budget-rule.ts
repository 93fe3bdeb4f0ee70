import { roundUsd, type WindowRange, windowOf } from '@genmeta/core/engine';
import { BoundedMap } from './bounded-map.js';
import { alertWindow, budgetText, TOP_DIMENSIONS, TOP_LIMIT } from './message.js';
import type { CheckedBudget } from './options.js';
import { type GroupSpend, type RuleContext, ttlUntil } from './rule-context.js';
import type { CostAlert } from './types.js';

/**
 * One budget rule: each group's spend per window is added to the ledger (shared across instances
 * with a store); each threshold crossed is claimed once per group and window, then raised.
 */
export function createBudgetWatcher(rule: CheckedBudget, index: number, context: RuleContext) {
  const { ledger } = context;
  const limits = rule.thresholds.map((share) => roundUsd(share * rule.limitUsd));
  // counter key -> index of the next threshold this process has not yet tried to claim
  const nextThreshold = new BoundedMap<number>(context.maxGroups);
  let bounds: WindowRange | undefined;

  function windowAt(nowMs: number): WindowRange {
    if (bounds === undefined || nowMs < bounds.startMs || nowMs >= bounds.endMs) {
      bounds = windowOf(rule.window, nowMs);
    }
    return bounds;
  }

  function check(counterKey: string, value: string, window: WindowRange, totalUsd: number): void {
    const first = nextThreshold.get(counterKey) ?? 0;
    let next = first;
    while (next < limits.length && totalUsd >= limits[next]!) next += 1;
    if (next === first) return;
    nextThreshold.set(counterKey, next);
    const nowMs = context.now();
    context.sequence(async () => {
      for (let position = first; position < next; position += 1) {
        const share = rule.thresholds[position]!;
        const id = `${counterKey}:${share}`;
        if (!(await ledger.claim(id, ttlUntil(window.endMs, nowMs)))) continue;
        const alert: CostAlert = {
          kind: 'budget',
          id,
          text: '',
          group: { by: rule.group, value },
          threshold: share,
          amount: totalUsd,
          limit: rule.limitUsd,
          window: alertWindow(window),
          top: await ledger.top(counterKey, TOP_DIMENSIONS, TOP_LIMIT),
          at: new Date(nowMs).toISOString(),
        };
        alert.text = budgetText(alert, rule.limitUsd, share);
        context.deliver(alert);
      }
    });
  }

  return {
    group: rule.group,
    observe(spend: GroupSpend, nowMs: number): void {
      const window = windowAt(nowMs);
      const counterKey = `budget:${index}:${rule.group}=${spend.value}:${window.id}`;
      const total = ledger.add(
        counterKey,
        spend.amountUsd,
        ttlUntil(window.endMs, nowMs),
        spend.contributions,
      );
      if (typeof total === 'number') check(counterKey, spend.value, window, total);
      else context.track(total.then((shared) => check(counterKey, spend.value, window, shared)));
    },
  };
}
