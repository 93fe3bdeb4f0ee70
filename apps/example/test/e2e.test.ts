import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { formatUsd, type Generation, spendOf } from '@genmeta/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, resultsDir, screenshotOnFailure } from './support/browser.ts';
import { recordOf } from './support/records.ts';
import {
  envAssignments,
  repoDir,
  type ServerProcess,
  spawnServer,
} from './support/server-process.ts';

const run = promisify(execFile);
// The CLI's bin exactly as npm links it (package.json's `bin.genmeta`).
const cliPackage = JSON.parse(
  readFileSync(path.join(repoDir, 'packages/cli/package.json'), 'utf8'),
);
const cliBin = path.join(repoDir, 'packages/cli', cliPackage.bin.genmeta);

describe('the example app, offline, in chromium', () => {
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  let baseUrl = '';
  let fakeKey = '';

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
    const assignments = envAssignments(cliLine);
    baseUrl = assignments.OPENROUTER_BASE_URL ?? '';
    fakeKey = assignments.OPENROUTER_API_KEY ?? '';
  });

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      await server?.stop();
    }
  });

  async function openPage(viewport = { width: 1000, height: 900 }): Promise<Page> {
    const page = await browser!.newPage({ viewport });
    await page.goto(server!.url);
    return page;
  }

  /** Sends a prompt, waits for the reply and a dollar amount; returns the id and card states seen. */
  async function chat(page: Page, prompt: string): Promise<{ id: string; states: string[] }> {
    // Record every state the cost card goes through, however briefly it shows.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { cardStates: string[] }).cardStates = seen;
      const record = () => {
        const card = document.querySelector('[data-testid="cost-card"]');
        const state = card?.getAttribute('data-state');
        if (state && seen.at(-1) !== state) seen.push(state);
      };
      record();
      new MutationObserver(record).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
      });
    });
    await page.getByLabel('Prompt').fill(prompt);
    await page.getByRole('button', { name: 'Send' }).click();
    await expect
      .poll(() => page.getByTestId('reply').textContent(), { timeout: 15_000 })
      .toContain(prompt);
    const card = page.getByTestId('cost-card');
    await card.getByTestId('cost-amount').waitFor({ timeout: 20_000 });
    const id = await card.getAttribute('data-generation-id');
    if (!id) throw new Error('the cost card shows no generation id');
    const states = await page.evaluate(
      () => (window as unknown as { cardStates: string[] }).cardStates,
    );
    return { id, states };
  }

  it('says on startup that it runs offline and prints a working CLI line', () => {
    const output = server!.stderr.join('\n');
    expect(output).toContain('No OPENROUTER_API_KEY');
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(fakeKey).not.toBe('');
    expect(server!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('streams a reply, shows its cost, and the server log and the CLI agree', async () => {
    const page = await openPage();
    await screenshotOnFailure(page, 'chat', async () => {
      const prompt = 'How much did this cost?';
      const { id, states } = await chat(page, prompt);
      // OpenRouter (and the fake, 1.5 s) answers "not ready" at first: the card waits, then shows.
      expect(states).toEqual(['idle', 'pending', 'success']);
      expect(await page.getByTestId('reply').textContent()).toBe(`You said: ${prompt}`);
      const card = page.getByTestId('cost-card');
      const cardCost = (await card.getByTestId('cost-amount').textContent())?.trim() ?? '';
      const cardModel = (await card.getByTestId('cost-model').textContent())?.trim() ?? '';
      const cardProvider = (await card.getByTestId('cost-provider').textContent())?.trim() ?? '';
      expect(cardCost).toMatch(/^\$\d+\.\d+$/);
      expect(cardModel).not.toBe('');
      expect(cardProvider).not.toBe('');
      expect(await card.getByTestId('cost-tokens').textContent()).toMatch(/\d+ in · \d+ out/);
      expect(await card.getByTestId('cost-latency').textContent()).toMatch(/\d/);

      // One JSON cost record on stdout for this chat request, with the same cost.
      const line = await server!.waitForStdout(
        (text) => recordOf(text)?.generations.some((generation) => generation.id === id) ?? false,
      );
      const record = recordOf(line)!;
      expect(record.path).toBe('/api/chat');
      const recorded = record.generations.find((generation) => generation.id === id)!;
      expect(formatUsd(recorded.spendUsd)).toBe(cardCost);
      expect(formatUsd(record.spendUsd)).toBe(cardCost);
      expect(recorded.model).toBe(cardModel);
      const recordsForId = server!.stdout.filter((text) =>
        recordOf(text)?.generations.some((generation) => generation.id === id),
      );
      expect(recordsForId).toHaveLength(1);

      // The page's request log shows the same record and a running total.
      const row = page.locator(`[data-request-id="${record.requestId}"]`);
      await expect
        .poll(() => row.getByTestId('log-spend').textContent(), { timeout: 15_000 })
        .toBe(cardCost);
      expect(await row.getAttribute('aria-current')).toBe('true');
      expect(await page.getByTestId('log-total').textContent()).toMatch(/^\$\d+\.\d+$/);

      // The CLI, against the same fake, reads the same generation.
      const { stdout } = await run(process.execPath, [cliBin, 'get', id, '--json'], {
        env: { ...process.env, OPENROUTER_BASE_URL: baseUrl, OPENROUTER_API_KEY: fakeKey },
      });
      const generation = JSON.parse(stdout) as Generation;
      expect(generation.id).toBe(id);
      expect(generation.model).toBe(cardModel);
      expect(generation.provider_name).toBe(cardProvider);
      expect(generation.total_cost).toBe(recorded.total_cost);
      expect(formatUsd(spendOf(generation))).toBe(cardCost);

      // The server printed the concrete CLI line for this id.
      await server!.waitForStderr((text) => text.includes(`genmeta get ${id}`));
    });
    await page.close();
  });

  it('attributes chats to the picked user, groups the log by user, and shows a spend limit hit', async () => {
    const page = await openPage();
    await screenshotOnFailure(page, 'users', async () => {
      const picker = page.getByLabel('Demo user');
      await expect.poll(() => picker.locator('option').count()).toBe(3);
      await picker.selectOption('linus');
      const linus = await chat(page, 'Linus asks first');
      await picker.selectOption('grace');
      const grace = await chat(page, 'Grace asks once');

      // Each record on stdout names its user.
      const recordFor = async (id: string) =>
        recordOf(
          await server!.waitForStdout(
            (text) => recordOf(text)?.generations.some((item) => item.id === id) ?? false,
          ),
        )!;
      const linusRecord = await recordFor(linus.id);
      const graceRecord = await recordFor(grace.id);
      expect(linusRecord.attributes).toEqual({ user: 'linus' });
      expect(graceRecord.attributes).toEqual({ user: 'grace' });

      // The log groups requests by user, each with its own running total.
      const group = (user: string) =>
        page.locator(`[data-testid="log-group"][data-user="${user}"]`);
      await expect
        .poll(() => group('grace').getByTestId('user-total').textContent(), { timeout: 15_000 })
        .toBe(formatUsd(graceRecord.spendUsd));
      await expect
        .poll(() => group('linus').getByTestId('user-total').textContent(), { timeout: 15_000 })
        .toBe(formatUsd(linusRecord.spendUsd));
      expect(
        await group('grace').locator(`[data-request-id="${graceRecord.requestId}"]`).count(),
      ).toBe(1);
      expect(
        await group('grace').locator(`[data-request-id="${linusRecord.requestId}"]`).count(),
      ).toBe(0);
      expect(await group('grace').getByRole('heading').textContent()).toContain('Grace');

      // Grace's budget (a millionth of a dollar) is spent: her next chat is refused...
      await page.getByLabel('Prompt').fill('Grace asks again');
      await page.getByRole('button', { name: 'Send' }).click();
      const notice = page.getByTestId('limit-notice');
      await notice.waitFor({ timeout: 15_000 });
      expect(await notice.textContent()).toMatch(
        /^429 Spend limit reached\. Grace's spend limit is reached: .* Try again in \d+ s, or pick another user\.$/,
      );
      // ...and her group in the log says so
      const graceLimit = group('grace').getByTestId('user-limit');
      await expect
        .poll(() => graceLimit.getAttribute('data-limited'), { timeout: 15_000 })
        .toBe('true');
      expect(await graceLimit.textContent()).toMatch(/limit reached next chat in \d+ s$/);
      expect(await group('linus').getByTestId('user-limit').count()).toBe(0);
      // ...with OpenRouter's error shape and a Retry-After, while Linus still chats.
      const refused = await fetch(`${server!.url}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-demo-user': 'grace' },
        body: JSON.stringify({ prompt: 'over budget' }),
      });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await refused.json()) as { error: { code: number } }).error.code).toBe(429);
      await picker.selectOption('linus');
      expect(await notice.count()).toBe(0);
      await chat(page, 'Linus is not limited');
      mkdirSync(resultsDir, { recursive: true });
      await page.screenshot({ path: path.join(resultsDir, 'users.png'), fullPage: true });
    });
    await page.close();
  });

  it('labels the form, marks live regions, and tabs in reading order', async () => {
    const page = await openPage();
    await screenshotOnFailure(page, 'a11y', async () => {
      await page.getByRole('banner').waitFor();
      await page.getByRole('main').waitFor();
      const prompt = page.getByRole('textbox', { name: 'Prompt' });
      await prompt.waitFor();
      expect(await page.getByTestId('reply').getAttribute('aria-live')).toBe('polite');
      const cardLiveRegion = page.getByTestId('cost-card').locator('[aria-live="polite"]');
      expect(await cardLiveRegion.count()).toBe(1);
      for (const name of ['Ask', 'Reply', 'Cost of this reply', 'Request log']) {
        await page.getByRole('region', { name, exact: true }).waitFor();
      }

      const focused = () =>
        page.evaluate(() => {
          const element = document.activeElement;
          return element
            ? `${element.tagName.toLowerCase()}:${element.textContent?.trim() || element.id}`
            : '';
        });
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('user');
      await page.keyboard.press('Tab');
      expect(await focused()).toBe('textarea:prompt');
      await page.keyboard.press('Tab');
      expect(await focused()).toBe('button:Send');
      // The focus ring is visible.
      const outline = await page.evaluate(
        () => getComputedStyle(document.activeElement as Element).outlineStyle,
      );
      expect(outline).not.toBe('none');
    });
    await page.close();
  });

  it('fits a 375 px wide screen without horizontal scrolling', async () => {
    const page = await openPage({ width: 375, height: 812 });
    await screenshotOnFailure(page, 'mobile', async () => {
      await chat(page, 'A long prompt that should wrap nicely on a narrow phone screen.');
      await page
        .locator('[aria-current="true"]')
        .getByTestId('log-spend')
        .waitFor({ timeout: 20_000 });
      const scrollWidth = await page.evaluate(() => document.scrollingElement?.scrollWidth ?? 0);
      expect(scrollWidth).toBeLessThanOrEqual(375);
      mkdirSync(resultsDir, { recursive: true });
      await page.screenshot({ path: path.join(resultsDir, 'mobile-375.png'), fullPage: true });
    });
    await page.close();
  });

  it('refuses a chat request without a prompt', async () => {
    const response = await fetch(`${server!.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: '   ' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { message: 'The prompt is empty.' } });
  });
});
