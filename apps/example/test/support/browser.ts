import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { appDir } from './server-process.ts';

// The one chromium launcher of the repository (fixtures/chromium).
export { launchChromium } from '@genmeta/fixture-chromium';

/** Where failure screenshots go (gitignored). */
export const resultsDir = path.join(appDir, 'test-results');

/** Runs `body`; if it throws, saves a screenshot of `page` under test-results/ and rethrows. */
export async function screenshotOnFailure(
  page: Page,
  name: string,
  body: () => Promise<void>,
): Promise<void> {
  try {
    await body();
  } catch (error) {
    mkdirSync(resultsDir, { recursive: true });
    const file = path.join(resultsDir, `${name}-failure.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    if (error instanceof Error) error.message += `\n(screenshot: ${file})`;
    throw error;
  }
}
