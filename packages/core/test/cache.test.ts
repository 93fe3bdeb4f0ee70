import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { describe, expect, it } from 'vitest';
import type { Generation, GenerationCache } from '../src/index.js';
import { clientOf, recordingLogger, rejectionOf } from './helpers.js';

const fake = setupFakeOpenRouter({ resetAfterEach: true });

describe('cache', () => {
  it('answers a repeat lookup from the cache without a request', async () => {
    const created = fake.addGeneration();
    const client = clientOf(fake);
    const first = await client.getGeneration(created.id);
    const second = await client.getGeneration(created.id);
    expect(second).toEqual(first);
    expect(fake.generationCalls().length).toBe(1);
  });

  it('looks up every time with cache: false', async () => {
    const created = fake.addGeneration();
    const client = clientOf(fake, { cache: false });
    await client.getGeneration(created.id);
    await client.getGeneration(created.id);
    expect(fake.generationCalls().length).toBe(2);
  });

  it('uses an async custom cache', async () => {
    const store = new Map<string, string>();
    const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));
    const cache: GenerationCache = {
      async get(id) {
        await tick();
        const text = store.get(id);
        return text === undefined ? undefined : (JSON.parse(text) as Generation);
      },
      async set(id, generation) {
        await tick();
        store.set(id, JSON.stringify(generation));
      },
    };
    const created = fake.addGeneration({ extra: 'kept' });
    await clientOf(fake, { cache }).getGeneration(created.id);
    expect(store.has(created.id)).toBe(true);
    const fromCache = await clientOf(fake, { cache }).getGeneration(created.id);
    expect(fromCache).toMatchObject({ id: created.id, extra: 'kept' });
    expect(fake.generationCalls().length).toBe(1);
  });

  it('keeps working when the cache fails', async () => {
    const logger = recordingLogger();
    const cache: GenerationCache = {
      get: () => Promise.reject(new Error('cache down')),
      set: () => {
        throw new Error('cache down');
      },
    };
    const created = fake.addGeneration();
    await expect(
      clientOf(fake, { cache, logger }).getGeneration(created.id),
    ).resolves.toMatchObject({ id: created.id });
    expect(logger.entries.filter((entry) => entry.level === 'warn')).toHaveLength(2);
  });

  it('caches only successes', async () => {
    const created = fake.addGeneration({}, { readyInMs: 60_000 });
    const client = clientOf(fake);
    await rejectionOf(client.getGeneration(created.id, { wait: false }));
    fake.reset({ all: true });
    const ready = fake.addGeneration({ id: created.id });
    await expect(client.getGeneration(created.id, { wait: false })).resolves.toMatchObject({
      id: ready.id,
    });
    expect(fake.generationCalls().length).toBe(1);
  });
});
