import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { describe, expect, it } from 'vitest';
import { createClient, isGenmetaError, UnauthorizedError } from '../src/index.js';
import { clientOf, rejectionOf } from './helpers.js';

const fake = setupFakeOpenRouter({ resetAfterEach: true });

describe('options', () => {
  it('sends extra headers and resolves an async apiKey function per attempt', async () => {
    const created = fake.addGeneration();
    fake.script(created.id, [{ type: 'status', status: 500 }]);
    let calls = 0;
    const client = createClient({
      baseUrl: fake.url,
      retryDelayMs: 5,
      apiKey: async () => {
        calls++;
        return fake.apiKey;
      },
      headers: { 'HTTP-Referer': 'https://example.test', 'X-OpenRouter-Title': 'genmeta tests' },
    });
    await client.getGeneration(created.id);
    expect(calls).toBe(2);
    expect(fake.calls[1]?.authorized).toBe(true);
    expect(fake.calls[1]?.headers['http-referer']).toBe('https://example.test');
    expect(fake.calls[1]?.headers['x-openrouter-title']).toBe('genmeta tests');
  });

  it('uses a synchronous apiKey function, and turns a failing one into UnauthorizedError', async () => {
    const created = fake.addGeneration();
    const client = clientOf(fake, { apiKey: () => fake.apiKey });
    await expect(client.getGeneration(created.id)).resolves.toMatchObject({ id: created.id });
    expect(fake.calls[0]?.authorized).toBe(true);
    const failures = [
      () => {
        throw new Error('vault down');
      },
      () => Promise.reject(new Error('vault down')),
    ];
    for (const apiKey of failures) {
      const error = await rejectionOf(
        clientOf(fake, { apiKey, cache: false }).getGeneration(created.id),
      );
      expect(error).toBeInstanceOf(UnauthorizedError);
      expect((error as UnauthorizedError).message).toBe('The apiKey function failed');
      expect((error as UnauthorizedError).isRetryable).toBe(false);
    }
    expect(fake.calls).toHaveLength(1);
  });

  it('lets the apiKey win over an Authorization header given in headers', async () => {
    const created = fake.addGeneration();
    const client = clientOf(fake, { headers: { Authorization: 'Bearer sk-or-v1-stale' } });
    await expect(client.getGeneration(created.id)).resolves.toMatchObject({ id: created.id });
    expect(fake.calls[0]?.authorized).toBe(true);
  });

  it('sends no Authorization header without a key', async () => {
    const created = fake.addGeneration();
    const previous = process.env.OPENROUTER_API_KEY;
    delete process.env.OPENROUTER_API_KEY;
    try {
      const error = await rejectionOf(
        createClient({ baseUrl: fake.url }).getGeneration(created.id),
      );
      expect(error).toBeInstanceOf(UnauthorizedError);
      expect(fake.calls[0]?.headers.authorization).toBeUndefined();
    } finally {
      if (previous !== undefined) process.env.OPENROUTER_API_KEY = previous;
    }
  });

  it('reads OPENROUTER_API_KEY and OPENROUTER_BASE_URL from the environment', async () => {
    const created = fake.addGeneration();
    const saved = { key: process.env.OPENROUTER_API_KEY, url: process.env.OPENROUTER_BASE_URL };
    process.env.OPENROUTER_API_KEY = fake.apiKey;
    process.env.OPENROUTER_BASE_URL = `${fake.url}/`;
    try {
      const client = createClient();
      expect(client.baseUrl).toBe(fake.url);
      await expect(client.getGeneration(created.id)).resolves.toMatchObject({ id: created.id });
    } finally {
      for (const [name, value] of [
        ['OPENROUTER_API_KEY', saved.key],
        ['OPENROUTER_BASE_URL', saved.url],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('defaults to OpenRouter and rejects nonsense options', () => {
    const previous = process.env.OPENROUTER_BASE_URL;
    delete process.env.OPENROUTER_BASE_URL;
    try {
      expect(createClient({ apiKey: 'k' }).baseUrl).toBe('https://openrouter.ai/api/v1');
    } finally {
      if (previous !== undefined) process.env.OPENROUTER_BASE_URL = previous;
    }
    expect(() => createClient({ timeoutMs: 0 })).toThrow(RangeError);
    expect(() => createClient({ deadlineMs: -1 })).toThrow(RangeError);
    expect(() => createClient({ maxRetries: 1.5 })).toThrow(RangeError);
    expect(() => createClient({ baseUrl: '/relative' })).toThrow(/not an absolute URL/);
  });

  it('every failure is a GenmetaError', async () => {
    const error = await rejectionOf(
      clientOf(fake, { maxRetries: 0 }).getGeneration('gen-x', { wait: false }),
    );
    expect(isGenmetaError(error)).toBe(true);
  });
});
