// Three instances of one Express app, each in its own process, with costAlerts on the
// @genmeta/redis stores of one real redis-server, posting to one real webhook receiver: the
// fleet's spend per group is summed in Redis and each alert is claimed there once.
import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { type RedisServer, startRedisServer } from '@genmeta/fixture-redis-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlertsInstance,
  startAlertsInstance,
  startWebhookReceiver,
  type WebhookReceiver,
} from './support.js';

const fake = setupFakeOpenRouter();
const DEC_2026 = Date.UTC(2026, 11, 7, 12);
const JAN_2027 = Date.UTC(2027, 0, 3, 12);
// 1 USD a month for user u-1; generations of 0.125 USD: 4 make 50%, 7 pass 80%, 8 make 100%
const budget = { group: 'user', limitUsd: 1, window: 'month' };

let redis: RedisServer;
let receiver: WebhookReceiver;
let instances: AlertsInstance[] = [];

beforeAll(async () => {
  [redis, receiver] = await Promise.all([startRedisServer(), startWebhookReceiver()]);
  instances = await Promise.all(
    [0, 1, 2].map(() =>
      startAlertsInstance({
        fakeUrl: fake.url,
        fakeKey: fake.apiKey,
        redisUrl: redis.url,
        clockMs: DEC_2026,
        alerts: {
          budgets: [budget],
          webhook: { url: receiver.url, format: 'json', backoffMs: 100 },
        },
      }),
    ),
  );
});
afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
  await Promise.all([redis?.close(), receiver?.close()]);
});

/** `count` requests of 0.125 USD each, round robin over the instances, each counted before the next. */
async function spendRoundRobin(count: number, user = 'u-1'): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    const instance = instances[index % instances.length]!;
    const { id } = fake.addGeneration({ total_cost: 0.125, usage: 0.125, is_byok: false });
    expect(await instance.spend(id, user)).toBe(200);
    await instance.flush();
  }
}

const budgetAlerts = () =>
  receiver.received.map((delivery) => delivery.body).filter((body) => body.kind === 'budget');

describe('costAlerts across three instances on one Redis', () => {
  it('says 50%, 80% and 100% of one group budget exactly once each, in order', async () => {
    await spendRoundRobin(10);
    await Promise.all(instances.map((instance) => instance.flush()));
    const alerts = budgetAlerts();
    expect(alerts.map((alert) => alert.threshold)).toEqual([0.5, 0.8, 1]);
    expect(alerts.map((alert) => alert.amount)).toEqual([0.5, 0.875, 1]);
    for (const alert of alerts) {
      expect(alert).toMatchObject({ group: { by: 'user', value: 'u-1' }, limit: 1 });
      expect((alert.window as { id: string }).id).toBe('month:2026-12');
      // the fleet's contributors, from Redis: the user, the model, requests of every instance
      expect((alert.top as Record<string, unknown[]>).users).toEqual([
        { name: 'u-1', amountUsd: alert.amount },
      ]);
      expect(String(alert.text)).toContain('user=u-1');
    }
    // the three alerts came from more than one instance: the claim, not luck, made them once
    const raised = (await Promise.all(instances.map((instance) => instance.flush()))).map(
      (stats) => stats.raised,
    );
    expect(raised.reduce((sum, count) => sum + count, 0)).toBe(3);
    expect(raised.filter((count) => count > 0).length).toBeGreaterThan(1);
  });

  it('re-arms every threshold when the window rolls over (a new month)', async () => {
    await Promise.all(instances.map((instance) => instance.setClock(JAN_2027)));
    await spendRoundRobin(8);
    const january = budgetAlerts().slice(3);
    expect(january.map((alert) => alert.threshold)).toEqual([0.5, 0.8, 1]);
    expect(january.map((alert) => (alert.window as { id: string }).id)).toEqual([
      'month:2027-01',
      'month:2027-01',
      'month:2027-01',
    ]);
    // no secret in any delivered body: neither the key nor the webhook's path
    for (const delivery of receiver.received) {
      expect(delivery.raw).not.toContain(fake.apiKey);
      expect(delivery.raw).not.toContain('secret-path');
    }
  });

  it('alerts per process with one warning each when Redis is killed mid-run', async () => {
    await redis.kill();
    const before = receiver.received.length;
    // a new user: every instance now counts only what it sees, 0.125 USD per request
    await spendRoundRobin(12, 'u-2');
    await Promise.all(instances.map((instance) => instance.flush()));
    const perProcess = receiver.received.slice(before).map((delivery) => delivery.body);
    // each instance saw 4 × 0.125 = 0.5 USD: each raised its own 50% alert
    expect(perProcess.map((alert) => alert.threshold)).toEqual([0.5, 0.5, 0.5]);
    for (const instance of instances) {
      const warnings = instance
        .warnings('alerts')
        .filter((line) => String(line.message).includes('alerts are per process'));
      expect(warnings).toHaveLength(1);
    }
  });
});
