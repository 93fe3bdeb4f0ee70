import { createReporter } from '../internal/report.js';
import type { CostRecord } from '../types.js';
import { createAnomalyWatcher } from './anomaly-rule.js';
import { createBudgetWatcher } from './budget-rule.js';
import { createAlertDelivery } from './delivery.js';
import { createKeyWatcher } from './key-rule.js';
import { createAlertLedger } from './ledger.js';
import { createMemoryAlertStore } from './memory-alert-store.js';
import { checkCostAlertsOptions } from './options.js';
import { contributionsOf, generationCountsOf, groupSpendsOf } from './record-spend.js';
import type { RuleContext } from './rule-context.js';
import type { CostAlert, CostAlerts, CostAlertsOptions, KeyLimitState } from './types.js';
import { createUnknownSpendWatcher } from './unknown-spend-rule.js';

const NO_KEY: KeyLimitState = {
  limitUsd: null,
  remainingUsd: null,
  reset: null,
  checkedAtMs: 0,
  exhausted: () => false,
};

/**
 * A cost-record sink that raises spend alerts: budgets per group and window, spend anomalies,
 * the OpenRouter key's own limit, and too much unknown spend. Alerts go to a webhook (Slack
 * `{ text }` by default), the logger and/or `onAlert`, off the request path: a slow or failing
 * webhook never slows a request. Without `store` each process counts and alerts on its own
 * spend; with `@genmeta/redis`'s stores spend is summed across instances and each alert is
 * raised once in the whole fleet. Bad options throw at once (TypeError / RangeError naming the
 * option).
 *
 * @example
 * const alerts = costAlerts({
 *   budgets: [{ group: 'feature', limitUsd: 10, window: 'month' }],
 *   webhook: { url: process.env.SLACK_WEBHOOK_URL! },
 * });
 * app.use(costLogger({ onRecord: [alerts] }));
 */
export function costAlerts(options: CostAlertsOptions): CostAlerts {
  const checked = checkCostAlertsOptions(options);
  const { now, userAttribute } = checked;
  const report = createReporter(options.logger);
  const local = createMemoryAlertStore(checked.maxGroups, now);
  const ledger = createAlertLedger(local, checked.store, report);
  const webhookPath =
    checked.webhook === undefined
      ? undefined
      : checked.webhook.url.pathname + checked.webhook.url.search;
  const delivery = createAlertDelivery({
    logger: options.logger,
    onAlert: options.onAlert,
    webhook: checked.webhook,
    secrets: () => [
      typeof checked.key?.clientOptions.apiKey === 'string'
        ? checked.key.clientOptions.apiKey
        : undefined,
      checked.webhook?.secret,
      checked.webhook?.url.href,
      // the URL's path is the secret of most webhooks (Slack's); a short one ('/') is not
      webhookPath !== undefined && webhookPath.length >= 8 ? webhookPath : undefined,
    ],
    report,
  });

  let raised = 0;
  let sequence: Promise<void> = Promise.resolve();
  const inFlight = new Set<Promise<unknown>>();
  const context: RuleContext = {
    ledger,
    maxGroups: checked.maxGroups,
    now,
    deliver(alert: CostAlert) {
      raised += 1;
      delivery.deliver(alert);
    },
    sequence(task) {
      sequence = sequence
        .then(task)
        .catch((error: unknown) =>
          report(
            'costAlerts:internal',
            'genmeta: costAlerts: raising an alert failed (reported once)',
            error,
          ),
        );
    },
    track(work) {
      const settled = work.then(
        () => undefined,
        (error: unknown) =>
          report(
            'costAlerts:internal',
            'genmeta: costAlerts: counting spend failed (reported once)',
            error,
          ),
      );
      inFlight.add(settled);
      settled.finally(() => inFlight.delete(settled));
    },
  };

  const budgets = checked.budgets.map((rule, index) => createBudgetWatcher(rule, index, context));
  const anomalies = checked.anomalies.map((rule, index) =>
    createAnomalyWatcher(rule, index, context),
  );
  const key =
    checked.key === undefined ? undefined : createKeyWatcher(checked.key, context, report);
  const unknownSpend =
    checked.unknownSpend === undefined
      ? undefined
      : createUnknownSpendWatcher(checked.unknownSpend, context);

  function observe(record: CostRecord): void {
    const nowMs = now();
    key?.maybeCheck(nowMs);
    if (unknownSpend !== undefined) {
      const counts = generationCountsOf(record);
      if (counts.all > 0) unknownSpend.observe(counts.all, counts.unknown, nowMs);
    }
    if (!(record.knownSpendUsd > 0)) return;
    const contributions = budgets.length > 0 ? contributionsOf(record, userAttribute) : [];
    for (const watcher of budgets) {
      for (const spend of groupSpendsOf(record, watcher.group, contributions))
        watcher.observe(spend, nowMs);
    }
    for (const watcher of anomalies) {
      for (const spend of groupSpendsOf(record, watcher.group, contributions))
        watcher.observe(spend, nowMs);
    }
  }

  const sink = (record: CostRecord): void => {
    try {
      observe(record);
    } catch (error) {
      report(
        'costAlerts:internal',
        'genmeta: costAlerts: a record could not be watched (reported once)',
        error,
      );
    }
  };

  return Object.defineProperties(sink, {
    keyLimit: { value: key?.state ?? NO_KEY },
    checkKey: { value: () => key?.check() ?? Promise.resolve() },
    flush: {
      value: async () => {
        while (inFlight.size > 0) await Promise.all([...inFlight]);
        let seen: Promise<void>;
        do {
          seen = sequence;
          await seen;
        } while (seen !== sequence);
        await delivery.idle();
      },
    },
    stats: {
      value: () => ({
        raised,
        delivered: delivery.webhook?.counts.delivered ?? 0,
        failed: delivery.webhook?.counts.failed ?? 0,
        dropped: delivery.webhook?.counts.dropped ?? 0,
        groups: local.size + anomalies.reduce((sum, watcher) => sum + watcher.size, 0),
      }),
    },
  }) as CostAlerts;
}
