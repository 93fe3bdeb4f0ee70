import { roundUsd } from '@genmeta/core/engine';
import { anomalyScore, type HistoryStats, historyStats } from './anomaly-score.js';
import { BoundedMap } from './bounded-map.js';
import { alertWindow, anomalyText } from './message.js';
import type { CheckedAnomaly } from './options.js';
import type { GroupSpend, RuleContext } from './rule-context.js';
import type { CostAlert } from './types.js';

interface GroupHistory {
  /** Spend of the last completed intervals, oldest first (at most historyIntervals). */
  intervals: number[];
  stats: HistoryStats | undefined;
  intervalId: number;
  currentUsd: number;
  /** Fired in this burst: not again until an interval ends below the rule. */
  inBurst: boolean;
}

/**
 * One anomaly rule. The history per group is this instance's own (each instance sees its share
 * of the traffic); the alert is claimed in the ledger per group and burst start, so a burst seen
 * by every instance is said once with a shared store.
 */
export function createAnomalyWatcher(rule: CheckedAnomaly, index: number, context: RuleContext) {
  const groups = new BoundedMap<GroupHistory>(context.maxGroups);

  const isAnomalous = (history: GroupHistory, valueUsd: number): boolean =>
    history.stats !== undefined &&
    history.intervals.length >= rule.minIntervals &&
    valueUsd >= rule.minSpendUsd &&
    anomalyScore(valueUsd, history.stats) >= rule.threshold;

  function push(history: GroupHistory, valueUsd: number): void {
    history.intervals.push(valueUsd);
    if (history.intervals.length > rule.historyIntervals) history.intervals.shift();
  }

  /** Moves the group to `intervalId`: completed intervals (and empty ones) join the history. */
  function roll(history: GroupHistory, intervalId: number): void {
    if (history.inBurst && !isAnomalous(history, history.currentUsd)) history.inBurst = false;
    push(history, history.currentUsd);
    const empty = Math.min(intervalId - history.intervalId - 1, rule.historyIntervals);
    if (empty > 0) history.inBurst = false;
    for (let gap = 0; gap < empty; gap += 1) push(history, 0);
    history.intervalId = intervalId;
    history.currentUsd = 0;
    history.stats = historyStats(history.intervals);
  }

  function raise(value: string, history: GroupHistory, nowMs: number): void {
    const stats = history.stats!;
    const score = anomalyScore(history.currentUsd, stats);
    const startMs = history.intervalId * rule.intervalMs;
    const id = `anomaly:${index}:${rule.group}=${value}:${startMs}`;
    const amount = roundUsd(history.currentUsd);
    context.sequence(async () => {
      if (!(await context.ledger.claim(id, rule.intervalMs * rule.historyIntervals))) return;
      const alert: CostAlert = {
        kind: 'anomaly',
        id,
        text: '',
        group: { by: rule.group, value },
        threshold: rule.threshold,
        amount,
        limit: roundUsd(stats.median),
        window: alertWindow({
          id: new Date(startMs).toISOString(),
          startMs,
          endMs: startMs + rule.intervalMs,
        }),
        at: new Date(nowMs).toISOString(),
      };
      alert.text = anomalyText(alert, stats.median, score);
      context.deliver(alert);
    });
  }

  return {
    group: rule.group,
    observe(spend: GroupSpend, nowMs: number): void {
      const intervalId = Math.floor(nowMs / rule.intervalMs);
      let history = groups.get(spend.value);
      if (history === undefined) {
        history = { intervals: [], stats: undefined, intervalId, currentUsd: 0, inBurst: false };
        groups.set(spend.value, history);
      } else if (intervalId > history.intervalId) {
        roll(history, intervalId);
      }
      // a record from an earlier interval (a clock step back) counts in the current one
      history.currentUsd += spend.amountUsd;
      if (!history.inBurst && isAnomalous(history, history.currentUsd)) {
        history.inBurst = true;
        raise(spend.value, history, nowMs);
      }
    },
    get size(): number {
      return groups.size;
    },
  };
}
