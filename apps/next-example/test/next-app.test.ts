// The app for real: `next build`, then `next start` against the fake OpenRouter, over HTTP.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { launchChromium } from '@genmeta/fixture-chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const nextBin = fileURLToPath(new URL('../node_modules/next/dist/bin/next', import.meta.url));

let fake: FakeOpenRouter;
let server: ChildProcess | undefined;
let baseUrl: string;
let output = '';

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(process.execPath, [nextBin, ...args], { cwd: appDir, env, stdio: 'pipe' });
  let log = '';
  child.stdout.on('data', (chunk) => {
    log += chunk;
  });
  child.stderr.on('data', (chunk) => {
    log += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`next ${args.join(' ')} exited with ${code}:\n${log}`);
}

/** The JSON lines costLogger wrote to the server's stdout. */
function records(): Array<{ generationIds: string[]; route: string | null; path: string }> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"generationIds"'))
    .map((line) => JSON.parse(line));
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}; server output:\n${output}`);
}

beforeAll(async () => {
  fake = await startFakeOpenRouter();
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    OPENROUTER_BASE_URL: fake.url,
    OPENROUTER_API_KEY: fake.apiKey,
  };
  // Built without a key or base URL, as a CI or a container image build runs: nothing at module
  // scope may need them (they are read when a request comes in).
  const buildEnv: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  delete buildEnv.OPENROUTER_API_KEY;
  delete buildEnv.OPENROUTER_BASE_URL;
  await run(['build'], buildEnv);
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: appDir,
    env,
    stdio: 'pipe',
  });
  server.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  server.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  await until(() => /Ready in|Local:/.test(output), 'next start');
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
  await fake?.close();
});

describe('the Next.js example app (next build + next start)', () => {
  it('renders the page', async () => {
    const response = await fetch(`${baseUrl}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('genmeta with Next.js');
  });

  it('writes one cost record for a chat, and its proxy route serves that generation only', async () => {
    const response = await fetch(`${baseUrl}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'hi' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const { id, text } = (await response.json()) as { id: string; text: string };
    expect(text.length).toBeGreaterThan(0);

    await until(() => records().some((record) => record.generationIds.includes(id)), 'the record');
    const mine = records().filter((record) => record.generationIds.includes(id));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ path: '/api/chat', route: '/api/chat', generationIds: [id] });

    const served = await fetch(`${baseUrl}/api/genmeta/generation?id=${id}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(((await served.json()) as { data: { id: string } }).data.id).toBe(id);

    const untracked = fake.addGeneration().id;
    const refused = await fetch(`${baseUrl}/api/genmeta/generation?id=${untracked}`);
    expect(refused.status).toBe(403);
    const invalid = await fetch(`${baseUrl}/api/genmeta/generation?id=not%20an%20id`);
    expect(invalid.status).toBe(400);
  });

  it("shows the reply's cost in Chromium through useGeneration and the proxy route", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(baseUrl);
      await page.getByRole('button', { name: 'Send' }).click();
      const cost = page.getByTestId('cost');
      await cost.filter({ hasText: '$' }).waitFor({ timeout: 30_000 });
      const text = (await cost.textContent()) ?? '';
      const model = text.split(':')[0] ?? '';
      expect(model).toBe('openai/gpt-4o-mini');
      expect(await page.getByTestId('reply').textContent()).not.toBe('');
    } finally {
      await browser.close();
    }
  });
});
