import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../src/shared/protocol.ts';
import { recordOf } from './support/records.ts';
import { type ServerProcess, spawnServer } from './support/server-process.ts';

// With OPENROUTER_API_KEY the server talks to OPENROUTER_BASE_URL (here a fake standing in
// for the real OpenRouter) and must never show that key.
describe('the example app with a key', () => {
  const secretKey = 'sk-or-v1-example-secret-0123456789abcdef';
  let fake: FakeOpenRouter;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    fake = await startFakeOpenRouter({ apiKey: secretKey, statsDelayMs: 200 });
    server = await spawnServer({ OPENROUTER_API_KEY: secretKey, OPENROUTER_BASE_URL: fake.url });
  });

  afterAll(async () => {
    await server?.stop();
    await fake?.close();
  });

  async function chat(prompt: string): Promise<{ events: ChatEvent[]; response: Response }> {
    const response = await fetch(`${server!.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt }),
    });
    const text = await response.text();
    const events = text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as ChatEvent);
    return { events, response };
  }

  it('uses OPENROUTER_BASE_URL and says so', () => {
    const output = server!.stderr.join('\n');
    expect(output).toContain(`Using OpenRouter at ${fake.url}`);
    expect(output).not.toContain('No OPENROUTER_API_KEY');
  });

  it('streams the reply as NDJSON and logs one cost record', async () => {
    const { events, response } = await chat('hello there');
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const generationId = response.headers.get('x-generation-id');
    expect(generationId).toMatch(/^gen-/);
    expect(events[0]).toMatchObject({ type: 'start', generationId });
    const reply = events
      .filter((event) => event.type === 'delta')
      .map((event) => event.text)
      .join('');
    expect(reply).toContain('hello there');
    expect(events.at(-1)).toMatchObject({ type: 'done', generationId });

    const chatCalls = fake.calls.filter((call) => call.path.endsWith('/chat/completions'));
    expect(chatCalls.length).toBeGreaterThan(0);
    expect(chatCalls.every((call) => call.authorized)).toBe(true);

    const line = await server!.waitForStdout((text) => text.includes(generationId!));
    expect(recordOf(line)?.spendUsd).toBe(fake.generation(generationId!)?.total_cost);
  });

  it('serves the generation to the page through its proxy', async () => {
    const { response } = await chat('proxy me');
    const generationId = response.headers.get('x-generation-id')!;
    await server!.waitForStdout((text) => text.includes(generationId));
    const proxied = await fetch(
      `${server!.url}/api/genmeta/generation?id=${encodeURIComponent(generationId)}`,
    );
    expect(proxied.status).toBe(200);
    const body = (await proxied.json()) as { data: { id: string } };
    expect(body.data.id).toBe(generationId);
  });

  it('never shows the key: not in output, the page info or the proxy', async () => {
    const info = await (await fetch(`${server!.url}/api/info`)).text();
    expect(info).not.toContain(secretKey);
    expect(JSON.parse(info)).toMatchObject({ mode: 'openrouter' });
    const refused = await fetch(`${server!.url}/api/genmeta/generation?id=gen-unknown-123`);
    expect(await refused.text()).not.toContain(secretKey);
    expect(JSON.stringify([...refused.headers])).not.toContain(secretKey);
    const output = [...server!.stdout, ...server!.stderr].join('\n');
    expect(output).not.toContain(secretKey);
    expect(output).not.toContain(secretKey.slice(-12));
  });
});
