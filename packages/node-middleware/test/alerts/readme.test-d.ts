// The README's costAlerts example compiles as written.
import { createRedisStores } from '@genmeta/redis';
import { expectTypeOf, test } from 'vitest';
import { type CostAlert, costAlerts, costLogger } from '../../src/index.js';

test('the README example', () => {
  const stores = createRedisStores({ url: process.env.REDIS_URL! });
  const alerts = costAlerts({
    budgets: [
      { group: 'feature', limitUsd: 10, window: 'month' }, // 50%, 80%, 100% of 10 USD a month
      { group: 'user', limitUsd: 1, window: 'day', thresholds: [1] },
    ],
    anomalies: [{ group: 'user', intervalMs: 3_600_000 }], // one user's hourly spend jumps
    key: { thresholds: [0.8, 0.95] }, // the OpenRouter key's own limit (GET /key)
    unknownSpend: { ratio: 0.05 }, // over 5% of generations without a known cost today
    webhook: { url: process.env.SLACK_WEBHOOK_URL!, secret: process.env.ALERTS_SECRET },
    store: stores, // with Redis: spend summed and each alert said once across instances
  });
  const genmeta = costLogger({ onRecord: [alerts] });
  expectTypeOf(genmeta.flush).returns.toEqualTypeOf<Promise<void>>();
  expectTypeOf(alerts.keyLimit.exhausted).parameter(0).toEqualTypeOf<number | undefined>();
  expectTypeOf(costAlerts)
    .parameter(0)
    .toHaveProperty('onAlert')
    .toEqualTypeOf<((alert: CostAlert) => void | Promise<void>) | undefined>();
  // windows are the spend limit's: a calendar period or { windowMs }
  costAlerts({ budgets: [{ group: 'route', limitUsd: 5, window: { windowMs: 3_600_000 } }] });
  // @ts-expect-error: not a window
  costAlerts({ budgets: [{ group: 'route', limitUsd: 5, window: 'year' }] });
});
