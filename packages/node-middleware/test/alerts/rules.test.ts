// Each rule of costAlerts in one real Express app over the fake, with the clock injected.
import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { type AlertsApp, startAlertsApp } from './app.js';

const fake = setupFakeOpenRouter({ keyLimitUsd: 1, keyLimitReset: 'monthly' });
const HOUR = 3_600_000;
let app: AlertsApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const generation = (usd: number, fields: Record<string, unknown> = {}) =>
  fake.addGeneration({ total_cost: usd, usage: usd, is_byok: false, ...fields }).id;

describe('anomaly rule', () => {
  it('never fires on steady spend, fires once on a tenfold burst, and re-arms after it', async () => {
    let clock = Date.UTC(2026, 11, 1);
    app = await startAlertsApp(fake, {
      anomalies: [{ group: 'user', intervalMs: HOUR }],
      now: () => clock,
    });
    // 14 steady hours, with some noise: two requests an hour of 0.01 to 0.013 USD
    for (let hour = 0; hour < 14; hour += 1) {
      for (const usd of [0.01, 0.01 + (hour % 4) * 0.001]) await app.spend(generation(usd));
      await app.settle();
      clock += HOUR;
    }
    expect(app.raised).toEqual([]);
    // a burst: ten times the hourly spend, within one hour, then again in the next hour
    for (let request = 0; request < 20; request += 1) await app.spend(generation(0.011));
    await app.settle();
    clock += HOUR;
    for (let request = 0; request < 20; request += 1) await app.spend(generation(0.011));
    await app.settle();
    expect(app.raised.map((alert) => alert.kind)).toEqual(['anomaly']);
    expect(app.raised[0]).toMatchObject({ group: { by: 'user', value: 'u-1' } });
    expect(app.raised[0]!.amount).toBeGreaterThanOrEqual(0.1);
    // back to steady for an hour ends the burst; a new burst fires again
    clock += HOUR;
    await app.spend(generation(0.011));
    await app.settle();
    clock += HOUR;
    for (let request = 0; request < 25; request += 1) await app.spend(generation(0.011));
    await app.settle();
    expect(app.raised.map((alert) => alert.kind)).toEqual(['anomaly', 'anomaly']);
  });

  it('does not fire before a group has 10 intervals of history', async () => {
    let clock = Date.UTC(2026, 11, 1);
    app = await startAlertsApp(fake, {
      anomalies: [{ group: 'user', intervalMs: HOUR }],
      now: () => clock,
    });
    for (let hour = 0; hour < 5; hour += 1) {
      await app.spend(generation(0.01));
      await app.settle();
      clock += HOUR;
    }
    for (let request = 0; request < 30; request += 1) await app.spend(generation(0.01));
    await app.settle();
    expect(app.raised).toEqual([]);
  });
});

describe('key rule', () => {
  it("fires each threshold once as the fake's key limit is approached", async () => {
    fake.reset({ all: true });
    app = await startAlertsApp(fake, {
      key: {
        clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
        intervalMs: 1,
        thresholds: [0.5, 0.8, 1],
      },
    });
    for (let request = 0; request < 12; request += 1) {
      await app.spend(generation(0.1));
      await app.settle();
      await app.alerts.checkKey();
      await app.settle();
    }
    expect(app.raised.map((alert) => [alert.kind, alert.threshold])).toEqual([
      ['key', 0.5],
      ['key', 0.8],
      ['key', 1],
    ]);
    expect(app.alerts.keyLimit).toMatchObject({ limitUsd: 1, remainingUsd: 0, reset: 'monthly' });
    expect(app.alerts.keyLimit.exhausted()).toBe(true);
    expect(app.raised[0]!.window.id).toMatch(/^month:\d{4}-\d{2}$/);
    for (const alert of app.raised) expect(JSON.stringify(alert)).not.toContain(fake.apiKey);
  });
});

describe('unknown spend rule', () => {
  it('fires once when the share of unknown-cost generations passes the ratio', async () => {
    app = await startAlertsApp(fake, { unknownSpend: { ratio: 0.2, minGenerations: 10 } });
    for (let request = 0; request < 10; request += 1) await app.spend(generation(0.01));
    await app.settle();
    expect(app.raised).toEqual([]);
    // BYOK generations without the provider's charge: their cost is unknown
    for (let request = 0; request < 6; request += 1) {
      await app.spend(generation(0.001, { is_byok: true, upstream_inference_cost: null }));
    }
    await app.settle();
    expect(app.raised.map((alert) => alert.kind)).toEqual(['unknown_spend']);
    expect(app.raised[0]!.amount).toBeGreaterThan(0.2);
  });
});

describe('budget rule, in one process', () => {
  it('groups by model and by route too, and names the top contributors', async () => {
    app = await startAlertsApp(fake, {
      budgets: [
        { group: 'model', limitUsd: 0.1, thresholds: [1] },
        { group: 'route', limitUsd: 0.1, window: 'day', thresholds: [1] },
      ],
    });
    for (let request = 0; request < 4; request += 1) {
      await app.spend(generation(0.03, { model: 'openai/gpt-4o' }), `user-${request}`);
    }
    await app.settle();
    const [byModel, byRoute] = app.raised;
    expect(byModel).toMatchObject({
      kind: 'budget',
      group: { by: 'model', value: 'openai/gpt-4o' },
    });
    expect(byRoute).toMatchObject({ kind: 'budget', group: { by: 'route', value: '/spend' } });
    expect(byModel!.top!.models).toEqual([{ name: 'openai/gpt-4o', amountUsd: 0.12 }]);
    // four users spent 0.03 each: three of them are named, each with its share
    expect(byModel!.top!.users).toHaveLength(3);
    for (const user of byModel!.top!.users!) {
      expect(user).toEqual({ name: expect.stringMatching(/^user-[0-3]$/), amountUsd: 0.03 });
    }
    expect(byModel!.top!.requests).toHaveLength(3);
  });

  it('keeps no secret in an alert, even one a user attribute carried', async () => {
    app = await startAlertsApp(fake, {
      budgets: [{ group: 'user', limitUsd: 0.01, thresholds: [1] }],
    });
    await app.spend(generation(0.02), `leak-${fake.apiKey}`);
    await app.settle();
    expect(app.raised).toHaveLength(1);
    expect(JSON.stringify(app.raised[0])).not.toContain(fake.apiKey);
    expect(JSON.stringify(app.raised[0])).toContain('sk-or-[REDACTED]');
  });
});
