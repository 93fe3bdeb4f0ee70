import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotOnFailure } from './support/browser.ts';
import { envAssignments, type ServerProcess, spawnServer } from './support/server-process.ts';

describe("the cost card's parts, in chromium", () => {
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  let fakeUrl = '';

  beforeAll(async () => {
    server = await spawnServer({ OPENROUTER_API_KEY: undefined, OPENROUTER_BASE_URL: undefined });
    try {
      browser = await launchChromium();
    } catch (error) {
      await server.stop();
      server = undefined;
      throw error;
    }
    const cliLine = server.stderr.find((line) => line.includes('genmeta get <id>')) ?? '';
    fakeUrl = envAssignments(cliLine).OPENROUTER_BASE_URL ?? '';
  });

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      await server?.stop();
    }
  });

  it('lists the parts under the total, summing to it, from the proxy pricing route', async () => {
    const page = await browser!.newPage({ viewport: { width: 1000, height: 900 } });
    const pricingAnswers: number[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/api/genmeta/generation/pricing'))
        pricingAnswers.push(response.status());
    });
    await page.goto(server!.url);
    await screenshotOnFailure(page, 'cost-parts', async () => {
      await page.getByLabel('Prompt').fill('What are the parts of this cost?');
      await page.getByRole('button', { name: 'Send' }).click();
      const card = page.getByTestId('cost-card');
      const parts = card.getByTestId('cost-parts');
      await expect
        .poll(() => parts.getAttribute('data-state'), { timeout: 25_000 })
        .toBe('success');
      const total = (await card.getByTestId('cost-amount').textContent())?.trim();
      const names = await parts
        .locator('tbody tr')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-part')));
      expect(names.slice(0, 2)).toEqual(['prompt', 'completion']);
      const amounts = await parts
        .getByTestId('part-usd')
        .evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute('data-usd'))));
      expect(amounts.every((amount) => Number.isFinite(amount) && amount > 0)).toBe(true);
      const expected = (await parts.getByTestId('parts-expected').textContent())?.trim();
      // The fake prices its chats from its own list: the parts explain the whole charge.
      expect(expected).toBe(total);
      expect((await parts.getByTestId('parts-residual').textContent())?.trim()).toBe('$0.00');
      expect(pricingAnswers).toEqual([200]);
      // The pricing route serves only tracked generations, like the generation route.
      const refused = await page.evaluate(async () => {
        const response = await fetch(
          '/api/genmeta/generation/pricing?id=gen-1764704027-AAAAAAAAAAAAAAAAAAAA',
        );
        return response.status;
      });
      expect(refused).toBe(403);
    });
    expect(fakeUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    await page.close();
  });
});
