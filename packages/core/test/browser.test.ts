import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../src/index.js';

const fake = setupFakeOpenRouter({ resetAfterEach: true });
afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

function pretendBrowser(href = 'https://app.example/page'): void {
  vi.stubGlobal('window', {});
  vi.stubGlobal('document', {});
  vi.stubGlobal('location', { href });
}

describe('in a browser-like environment', () => {
  it('refuses an apiKey', () => {
    pretendBrowser();
    expect(() => createClient({ apiKey: 'sk-or-v1-x' })).toThrow(/browser-like environment/);
    expect(() => createClient({ apiKey: () => 'sk-or-v1-x' })).toThrow(/dangerouslyAllowBrowser/);
  });

  it('refuses a key found in OPENROUTER_API_KEY', () => {
    pretendBrowser();
    vi.stubEnv('OPENROUTER_API_KEY', 'sk-or-v1-x');
    expect(() => createClient()).toThrow(/OPENROUTER_API_KEY was found/);
  });

  it('allows a key with dangerouslyAllowBrowser: true', () => {
    pretendBrowser();
    expect(() =>
      createClient({ apiKey: 'sk-or-v1-x', dangerouslyAllowBrowser: true }),
    ).not.toThrow();
  });

  it('needs no key for a proxy, resolves a relative baseUrl and sends no Authorization', async () => {
    vi.stubEnv('OPENROUTER_API_KEY', '');
    pretendBrowser(`${fake.origin}/some/page?x=1`);
    const created = fake.addGeneration();
    const client = createClient({ baseUrl: '/api/v1' });
    expect(client.baseUrl).toBe(fake.url);
    // The fake demands a key, so the request reaching it without one answers 401.
    await expect(client.getGeneration(created.id)).rejects.toMatchObject({ code: 'unauthorized' });
    expect(fake.calls[0]?.path).toBe('/api/v1/generation');
    expect(fake.calls[0]?.headers.authorization).toBeUndefined();
  });
});

describe('apiKey: null', () => {
  it('sends no key and ignores OPENROUTER_API_KEY, also in a browser', async () => {
    pretendBrowser(`${fake.origin}/page`);
    vi.stubEnv('OPENROUTER_API_KEY', fake.apiKey);
    const created = fake.addGeneration();
    const client = createClient({ baseUrl: '/api/v1', apiKey: null });
    await expect(client.getGeneration(created.id)).rejects.toMatchObject({ code: 'unauthorized' });
    expect(fake.calls[0]?.headers.authorization).toBeUndefined();
  });

  it('ignores OPENROUTER_API_KEY outside a browser, while an empty string still sends no key', async () => {
    vi.stubEnv('OPENROUTER_API_KEY', fake.apiKey);
    const created = fake.addGeneration();
    for (const apiKey of [null, ''] as const) {
      const client = createClient({ baseUrl: fake.url, apiKey, cache: false });
      await expect(client.getGeneration(created.id)).rejects.toMatchObject({
        code: 'unauthorized',
      });
    }
    expect(fake.calls.map((call) => call.headers.authorization)).toEqual([undefined, undefined]);
    // Left out, the key comes from the environment.
    const fromEnvironment = createClient({ baseUrl: fake.url, cache: false });
    await expect(fromEnvironment.getGeneration(created.id)).resolves.toMatchObject({
      id: created.id,
    });
  });
});

describe('outside a browser', () => {
  it('accepts a key', () => {
    expect(() => createClient({ apiKey: 'sk-or-v1-x' })).not.toThrow();
  });
});
