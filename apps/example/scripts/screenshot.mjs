#!/usr/bin/env node
// Renders screenshot.png for the READMEs: the built server (offline), one completed chat,
// desktop width. Run after `pnpm --filter @genmeta/example build`.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { screenshot } from '@genmeta/fixture-chromium';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const output = fileURLToPath(new URL('../screenshot.png', import.meta.url));
const env = { ...process.env, PORT: '0', HOST: '127.0.0.1' };
delete env.OPENROUTER_API_KEY;
delete env.OPENROUTER_BASE_URL;

const server = spawn(process.execPath, ['dist/server/main.js'], {
  cwd: appDir,
  env,
  stdio: ['ignore', 'ignore', 'pipe'],
});
try {
  const url = await new Promise((resolve, reject) => {
    let text = '';
    server.stderr.on('data', (chunk) => {
      text += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(text);
      if (match) resolve(match[1]);
    });
    server.once('exit', () => reject(new Error(`server exited:\n${text}`)));
    setTimeout(() => reject(new Error(`server did not start:\n${text}`)), 15_000);
  });
  await screenshot(url, output, {
    viewport: { width: 1000, height: 760 },
    prepare: async (page) => {
      for (const prompt of ['Hello there', 'What did my last question cost?']) {
        await page.getByLabel('Prompt').fill(prompt);
        await page.getByRole('button', { name: 'Send' }).click();
        await page.getByTestId('cost-amount').waitFor({ timeout: 20_000 });
      }
      await page.waitForFunction(
        () => document.querySelectorAll('[data-request-id]').length >= 2,
        null,
        { timeout: 20_000 },
      );
      await page.getByLabel('Prompt').fill('');
      await page.getByLabel('Prompt').blur();
    },
  });
  console.log(`wrote ${output}`);
} finally {
  server.kill('SIGTERM');
}
