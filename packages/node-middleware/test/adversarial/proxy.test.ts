// Issue 10 items 27 and 28: what the proxy relays, and how browsers may cache it.
import { type FakeOpenRouter, startFakeOpenRouter } from '@genmeta/fake-openrouter';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expressVersions, startTestApp, type TestAppHandle } from '../helpers.js';

let fake: FakeOpenRouter;
beforeAll(async () => {
  fake = await startFakeOpenRouter();
});
afterAll(async () => {
  await fake.close();
});

const [, express] = expressVersions[1]!;

describe('generationProxy answers', () => {
  let app: TestAppHandle | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function tracked(): Promise<string> {
    const { id } = fake.addGeneration();
    await fetch(`${app!.url}/api/track/${id}`);
    return id;
  }

  it.each([
    ['99999999999999999999', '60'],
    ['3600', '60'],
    ['7', '7'],
  ])('relays Retry-After %s capped as %s', async (upstreamValue, relayed) => {
    app = await startTestApp(express, {
      fake,
      proxy: { clientOptions: { baseUrl: fake.url, apiKey: fake.apiKey, maxRetries: 0 } },
    });
    const id = await tracked();
    fake.script(id, [{ type: 'status', status: 429, headers: { 'retry-after': upstreamValue } }], {
      repeat: true,
    });
    const answer = await fetch(`${app.url}/api/genmeta/generation?id=${id}`);
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe(relayed);
  });

  it('varies successful answers on Cookie and Authorization', async () => {
    app = await startTestApp(express, { fake });
    const id = await tracked();
    const answer = await fetch(`${app.url}/api/genmeta/generation?id=${id}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('vary')).toBe('Cookie, Authorization');
    expect(answer.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
  });
});
