import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenRouter } from './fake-openrouter.js';
import type { FakeOpenRouter } from './types.js';

let fake: FakeOpenRouter | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function key(server: FakeOpenRouter) {
  const response = await fetch(`${server.url}/key`, {
    headers: { authorization: `Bearer ${server.apiKey}` },
  });
  return (await response.json()).data as Record<string, unknown>;
}

describe('GET /key with a key limit', () => {
  it('serves limit, what is left of it after the usage, and limit_reset', async () => {
    fake = await startFakeOpenRouter({ keyLimitUsd: 1, keyLimitReset: 'monthly' });
    expect(await key(fake)).toMatchObject({ limit: 1, limit_remaining: 1, limit_reset: 'monthly' });
    fake.addGeneration({ total_cost: 0.3, usage: 0.3, is_byok: false });
    fake.addGeneration({ total_cost: 0.9, usage: 0.9, is_byok: false });
    expect(await key(fake)).toMatchObject({ limit: 1, limit_remaining: 0, usage: 1.2 });
  });

  it('answers null limits without the option, as OpenRouter does for a key without one', async () => {
    fake = await startFakeOpenRouter();
    expect(await key(fake)).toMatchObject({
      limit: null,
      limit_remaining: null,
      limit_reset: null,
    });
  });

  it('refuses a negative limit with the option named', async () => {
    await expect(startFakeOpenRouter({ keyLimitUsd: -1 })).rejects.toThrow(/keyLimitUsd/);
  });
});
