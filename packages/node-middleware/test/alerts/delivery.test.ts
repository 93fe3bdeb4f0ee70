// Delivery to a real webhook receiver that fails, hangs and comes back: the app's answers never
// change or wait, each alert is retried until delivered, or counted and logged once.
import { createHmac } from 'node:crypto';
import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlertsApp, startAlertsApp } from './app.js';
import { startWebhookReceiver, type WebhookReceiver } from './support.js';

const fake = setupFakeOpenRouter();
let app: AlertsApp | undefined;
let receiver: WebhookReceiver;
beforeEach(async () => {
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  await receiver.close();
});

const generation = (usd: number) =>
  fake.addGeneration({ total_cost: usd, usage: usd, is_byok: false }).id;
const budgets = [{ group: 'user', limitUsd: 0.1, thresholds: [0.5, 1] }];

describe('webhook delivery', () => {
  it('posts Slack { text } signed with HMAC when a secret is set', async () => {
    app = await startAlertsApp(fake, {
      budgets,
      webhook: { url: receiver.url, secret: 'hook-signing-secret' },
    });
    await app.spend(generation(0.06));
    await app.settle();
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(Object.keys(delivery!.body)).toEqual(['text']);
    expect(delivery!.body.text).toContain('reached 50% of its $0.10 budget');
    const expected = createHmac('sha256', 'hook-signing-secret')
      .update(delivery!.raw)
      .digest('hex');
    expect(delivery!.headers['x-genmeta-signature']).toBe(`sha256=${expected}`);
  });

  it('retries a webhook that answers 500, and the app answers the same, at once', async () => {
    app = await startAlertsApp(fake, {
      budgets,
      webhook: { url: receiver.url, format: 'json', backoffMs: 50, attempts: 3 },
    });
    receiver.failNext(2, 500);
    const answer = await app.spend(generation(0.06));
    expect(answer).toEqual({ status: 200, body: { ok: true, id: expect.any(String) } });
    await app.settle();
    expect(receiver.attempts).toHaveLength(3);
    expect(receiver.received.map((delivery) => delivery.body.threshold)).toEqual([0.5]);
    expect(app.alerts.stats()).toMatchObject({ raised: 1, delivered: 1, failed: 0 });
  });

  it('gives up after every attempt on a hung webhook: counted and logged once, the URL never', async () => {
    app = await startAlertsApp(fake, {
      budgets,
      webhook: { url: receiver.url, backoffMs: 10, attempts: 3, timeoutMs: 200 },
    });
    receiver.failNext(3, 'hang');
    const started = Date.now();
    const answer = await app.spend(generation(0.06));
    // the answer does not wait for the webhook (3 × 200 ms of timeouts are to come)
    expect(answer.status).toBe(200);
    const answeredInMs = Date.now() - started;
    await app.settle();
    expect(Date.now() - started).toBeGreaterThan(answeredInMs);
    expect(receiver.attempts).toHaveLength(3);
    expect(app.alerts.stats()).toMatchObject({ raised: 1, delivered: 0, failed: 1 });
    const logged = app.warnings.filter((line) =>
      String(line.message).includes('could not be delivered'),
    );
    expect(logged).toHaveLength(1);
    expect(JSON.stringify(logged)).not.toContain('secret-path');
    expect(JSON.stringify(logged)).toContain('timeout');
    // the next alert goes through once the webhook is back
    await app.spend(generation(0.06));
    await app.settle();
    expect(receiver.received).toHaveLength(1);
  });

  it('keeps a bounded queue: the oldest waiting alert is dropped, counted and logged', async () => {
    app = await startAlertsApp(fake, {
      budgets: [{ group: 'user', limitUsd: 0.01, thresholds: [1] }],
      webhook: { url: receiver.url, backoffMs: 10, attempts: 2, timeoutMs: 300, maxQueue: 2 },
    });
    receiver.failNext(100, 'hang');
    for (let user = 0; user < 6; user += 1) await app.spend(generation(0.02), `u-${user}`);
    await app.settle();
    const stats = app.alerts.stats();
    expect(stats.raised).toBe(6);
    expect(stats.dropped + stats.failed + stats.delivered).toBe(6);
    expect(stats.dropped).toBeGreaterThan(0);
    expect(app.warnings.some((line) => String(line.message).includes('queue is full'))).toBe(true);
  });
});
