// Two example servers (separate processes) on one Redis behind a load balancer that sends the
// chat to instance A and everything else, the page's generation lookups included, to instance B:
// the page shows the cost card of a chat A answered, through B's proxy. Without REDIS_URL the
// same routing gets 403 from B, which is what the shared registry fixes.
import { formatUsd } from '@genmeta/core';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { type RedisServer, startRedisServer } from '@genmeta/fixture-redis-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotOnFailure } from './support/browser.ts';
import { type LoadBalancer, startLoadBalancer } from './support/load-balancer.ts';
import { recordOf } from './support/records.ts';
import { type ServerProcess, spawnServer } from './support/server-process.ts';

const generationPath = '/api/genmeta/generation';

const recordsFor = (server: ServerProcess, id: string) =>
  server.stdout.flatMap((line) => {
    const record = recordOf(line);
    return record?.generations.some((generation) => generation.id === id) ? [record] : [];
  });

/** Chat to A, the rest (page, info, records, the generation proxy) to B. */
const chatToA = (a: ServerProcess, b: ServerProcess) => (method: string, url: string) =>
  method === 'POST' && url.startsWith('/api/chat') ? a.url : b.url;

let fake: FakeOpenRouter;
let redis: RedisServer;
beforeAll(async () => {
  // Stats not ready for 1.5 s, as on OpenRouter: the card waits, then shows the cost.
  fake = await startFakeOpenRouter({ statsDelayMs: 1_500 });
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.close();
  await fake?.close();
});

const serverEnv = (redisUrl: string | undefined) => ({
  OPENROUTER_API_KEY: fake.apiKey,
  OPENROUTER_BASE_URL: fake.url,
  REDIS_URL: redisUrl,
});

describe('two example instances on one Redis, in chromium', () => {
  let a: ServerProcess | undefined;
  let b: ServerProcess | undefined;
  let balancer: LoadBalancer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    [a, b] = await Promise.all([
      spawnServer(serverEnv(redis.url)),
      spawnServer(serverEnv(redis.url)),
    ]);
    balancer = await startLoadBalancer(chatToA(a, b));
    browser = await launchChromium();
  });
  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      await balancer?.close();
      await Promise.all([a?.stop(), b?.stop()]);
    }
  });

  it('says each instance shares its state through Redis, without printing the URL', () => {
    for (const server of [a!, b!]) {
      const output = server.stderr.join('\n');
      expect(output).toContain('through Redis (REDIS_URL)');
      expect(output).not.toContain(redis.url);
    }
  });

  it('shows, through instance B, the cost card of a chat instance A answered', async () => {
    const page = await browser!.newPage({ viewport: { width: 1000, height: 900 } });
    await page.goto(balancer!.url);
    await screenshotOnFailure(page, 'two-instances', async () => {
      const prompt = 'Which instance answered?';
      await page.getByLabel('Prompt').fill(prompt);
      await page.getByRole('button', { name: 'Send' }).click();
      await expect
        .poll(() => page.getByTestId('reply').textContent(), { timeout: 15_000 })
        .toContain(prompt);
      const card = page.getByTestId('cost-card');
      await card.getByTestId('cost-amount').waitFor({ timeout: 20_000 });
      const id = (await card.getAttribute('data-generation-id')) ?? '';
      expect(id).toMatch(/^gen-/);
      const cardCost = (await card.getByTestId('cost-amount').textContent())?.trim() ?? '';
      expect(cardCost).toMatch(/^\$\d+\.\d+$/);

      // The chat went to A; every lookup of its generation went to B, and none was refused.
      const chats = balancer!.routed.filter((entry) => entry.url.startsWith('/api/chat'));
      expect(chats.map((entry) => entry.target)).toEqual([a!.url]);
      const lookups = balancer!.routed.filter((entry) =>
        entry.url.startsWith(`${generationPath}?id=${id}`),
      );
      expect(lookups.length).toBeGreaterThan(0);
      expect(new Set(lookups.map((entry) => entry.target))).toEqual(new Set([b!.url]));
      expect(lookups.filter((entry) => entry.status === 403 || entry.status >= 500)).toEqual([]);
      expect(lookups.at(-1)?.status).toBe(200);

      // A, which answered the chat, logs its one record with the card's cost; B logs none.
      await a!.waitForStdout((line) => line.includes(id));
      const [record, ...more] = recordsFor(a!, id);
      expect(more).toEqual([]);
      expect(formatUsd(record!.spendUsd)).toBe(cardCost);
      expect(recordsFor(b!, id)).toEqual([]);
    });
    await page.close();
  });
});

describe('two example instances without Redis', () => {
  it('refuses on B the generation of a chat A answered (403): each process knows its own ids', async () => {
    const [a, b] = await Promise.all([
      spawnServer(serverEnv(undefined)),
      spawnServer(serverEnv(undefined)),
    ]);
    try {
      const chat = await fetch(`${a.url}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'hello' }),
      });
      expect(chat.status).toBe(200);
      const id = chat.headers.get('x-generation-id') ?? '';
      await chat.text();
      expect((await fetch(`${a.url}${generationPath}?id=${id}`)).status).not.toBe(403);
      expect((await fetch(`${b.url}${generationPath}?id=${id}`)).status).toBe(403);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
