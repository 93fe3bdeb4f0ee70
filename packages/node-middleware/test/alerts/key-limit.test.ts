// spendLimit told to refuse before OpenRouter does: costAlerts reads the fake's GET /key and
// shares what it read; the limiter answers 429 (key_limit) once the key's limit is nearly used.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { costAlerts, costLogger, spendLimit } from '../../src/index.js';

const fake = setupFakeOpenRouter({ keyLimitUsd: 1, keyLimitReset: 'daily' });
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('spendLimit({ keyLimit })', () => {
  it("refuses every request once the key's remaining limit is at the reserve, not before", async () => {
    fake.reset({ all: true });
    const alerts = costAlerts({
      key: { clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey }, thresholds: [1] },
    });
    const genmeta = costLogger({
      clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey },
      onRecord: [alerts],
    });
    const limiter = spendLimit({
      logger: genmeta,
      key: () => 'everyone',
      limitUsd: 1_000,
      window: 'day',
      keyLimit: { state: alerts.keyLimit, reserveUsd: 0.2 },
    });
    const app = express();
    app.use(genmeta);
    app.post('/chat', limiter, (_request, response) => {
      response.json({ ok: true });
    });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/chat`;

    fake.addGeneration({ total_cost: 0.7, usage: 0.7, is_byok: false });
    await alerts.checkKey();
    expect(alerts.keyLimit).toMatchObject({ limitUsd: 1, remainingUsd: 0.3, reset: 'daily' });
    expect((await fetch(url, { method: 'POST' })).status).toBe(200);

    fake.addGeneration({ total_cost: 0.15, usage: 0.15, is_byok: false });
    await alerts.checkKey();
    const refused = await fetch(url, { method: 'POST' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    const body = await refused.json();
    expect(body.error.metadata).toMatchObject({
      reason: 'key_limit',
      remaining_usd: 0.15,
      reserve_usd: 0.2,
    });
    expect(JSON.stringify(body)).not.toContain(fake.apiKey);
    await genmeta.close();
  });

  it('refuses a keyLimit that is not a state, naming the option', () => {
    const genmeta = costLogger();
    expect(() =>
      spendLimit({
        logger: genmeta,
        key: () => 'k',
        limitUsd: 1,
        window: 'day',
        keyLimit: {} as never,
      }),
    ).toThrow(/option "keyLimit"/);
    const alerts = costAlerts({ key: {} });
    expect(() =>
      spendLimit({
        logger: genmeta,
        key: () => 'k',
        limitUsd: 1,
        window: 'day',
        keyLimit: { state: alerts.keyLimit, reserveUsd: -1 },
      }),
    ).toThrow(RangeError);
  });
});
