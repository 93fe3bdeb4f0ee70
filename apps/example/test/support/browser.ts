import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { appDir } from './server-process.ts';

/** Debian's chromium, or CHROMIUM_PATH. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches headless chromium; fails with a clear message when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `chromium not found at ${chromiumPath}: install it (apt-get install -y chromium, or run ` +
        '`node scripts/ensure-chromium.mjs` at the repository root) or set CHROMIUM_PATH',
    );
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

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
