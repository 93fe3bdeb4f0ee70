// The example's spend alerts: Linus's demo budget, over the in-process fake, posted to the
// receiver page's webhook (its own server) as he chats; other users raise none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertDemoBudgetUsd } from '../src/server/alerts-demo.ts';
import { type RunningServer, startServer } from '../src/server/index.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({
    port: 0,
    statsDelayMs: 0,
    app: { log: () => {}, writeRecord: () => {} },
  });
});
afterAll(async () => {
  await server?.close();
});

async function chatAs(user: string): Promise<number> {
  const response = await fetch(`${server.url}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-demo-user': user },
    body: JSON.stringify({ prompt: 'Tell me about budgets in a few words.' }),
  });
  await response.text();
  return response.status;
}

const received = async () =>
  (await (await fetch(`${server.alerts.url}alerts.json`)).json()) as Array<Record<string, unknown>>;

describe('the example spend alerts', () => {
  it("shows 50%, 80% and 100% of Linus's budget on the receiver page, once each", async () => {
    for (let chat = 0; chat < 3; chat += 1) expect(await chatAs('ada')).toBe(200);
    let spentUsd = 0;
    for (let chat = 0; chat < 60 && spentUsd < alertDemoBudgetUsd; chat += 1) {
      expect(await chatAs('linus')).toBe(200);
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline) {
        const records = server.example.records.snapshot();
        const linus = records.entries.filter((entry) => entry.user === 'linus');
        if (linus.length === chat + 1) {
          spentUsd = linus.reduce((sum, entry) => sum + entry.knownSpendUsd, 0);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    expect(spentUsd).toBeGreaterThanOrEqual(alertDemoBudgetUsd);
    const deadline = Date.now() + 10_000;
    while ((await received()).length < 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const alerts = await received();
    expect(alerts.map((alert) => alert.threshold)).toEqual([0.5, 0.8, 1]);
    for (const alert of alerts)
      expect(alert).toMatchObject({ kind: 'budget', group: { by: 'user', value: 'linus' } });
    const page = await (await fetch(server.alerts.url)).text();
    expect(page).toContain('Spend alerts');
  });

  it('refuses a post without the right signature', async () => {
    const response = await fetch(server.alerts.webhookUrl, {
      method: 'POST',
      body: '{"kind":"budget"}',
    });
    expect(response.status).toBe(401);
  });
});
