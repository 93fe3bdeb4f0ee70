import { type CostAlerts, costAlerts, type RecordSink } from '@genmeta/node-middleware';
import type { RedisStores } from '@genmeta/redis';

/** The demo user whose spend is watched, and the demo budget: tiny, so a few chats cross it. */
export const alertDemoUser = 'linus';
export const alertDemoBudgetUsd = 0.0002;

/** The alerts and the sink that feeds them Linus's records only. */
export interface AlertsDemo {
  alerts: CostAlerts;
  sink: RecordSink;
}

/**
 * costAlerts for the example: Linus's daily budget (alerts at 50%, 80% and 100%), posted as
 * JSON, HMAC-signed, to the receiver page; with Redis, once across every instance.
 */
export function createAlertsDemo(options: {
  webhookUrl: string;
  secret: string;
  stores: RedisStores | undefined;
  log: (line: string) => void;
}): AlertsDemo {
  const alerts = costAlerts({
    budgets: [{ group: 'user', limitUsd: alertDemoBudgetUsd, window: 'day' }],
    webhook: { url: options.webhookUrl, format: 'json', secret: options.secret },
    ...(options.stores && { store: options.stores }),
    logger: {
      info: () => undefined,
      warn: (details, message) => {
        // an alert is the page's; anything else (a failing webhook) is the console's
        if (!('alert' in details))
          options.log(`alerts: ${message ?? ''} ${JSON.stringify(details)}`);
      },
    },
  });
  return {
    alerts,
    sink: (record, meta) =>
      record.attributes.user === alertDemoUser ? alerts(record, meta) : undefined,
  };
}
