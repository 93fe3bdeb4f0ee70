import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { describe, expect, it } from 'vitest';
import {
  type Generation,
  type GenerationCache,
  NotFoundError,
  type WaitingInfo,
} from '../src/index.js';
import { clientOf, rejectionOf, until } from './helpers.js';

const fake = setupFakeOpenRouter({ resetAfterEach: true });

describe('not-ready waiting', () => {
  it('waits out 404s until the stats are ready, reporting each wait', async () => {
    const created = fake.addGeneration({}, { readyInMs: 250 });
    const waits: WaitingInfo[] = [];
    const generation = await clientOf(fake, { retryDelayMs: 20 }).getGeneration(created.id, {
      onWaiting: (info) => waits.push(info),
    });
    expect(generation.id).toBe(created.id);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(waits[0]).toMatchObject({ id: created.id, attempt: 1 });
    expect(fake.generationCalls().length).toBe(waits.length + 1);
  });

  it('fails with NotFoundError saying it may still be processing once the deadline passes', async () => {
    const started = Date.now();
    const error = await rejectionOf(
      clientOf(fake, { retryDelayMs: 20 }).getGeneration('gen-unknown', { deadlineMs: 300 }),
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).message).toMatch(/may still be processing/);
    expect((error as NotFoundError).status).toBe(404);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(fake.generationCalls().length).toBeGreaterThan(1);
  });

  it('fails at once with wait: false', async () => {
    const error = await rejectionOf(clientOf(fake).getGeneration('gen-unknown', { wait: false }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).message).toMatch(/may still be processing/);
    expect(fake.generationCalls().length).toBe(1);
  });

  it('stops waiting as soon as another instance stored the generation in a shared cache', async () => {
    const created = fake.addGeneration({}, { readyInMs: 60_000 });
    // One cache shared by two clients, as two app instances share Redis.
    const entries = new Map<string, Generation>();
    const shared: GenerationCache = {
      get: async (id) => entries.get(id),
      set: async (id, generation) => {
        entries.set(id, generation);
      },
    };
    const waits: WaitingInfo[] = [];
    const lookup = clientOf(fake, { cache: shared, deadlineMs: 30_000 }).getGeneration(created.id, {
      onWaiting: (info) => waits.push(info),
    });
    await until(() => waits.length > 0);
    // The other instance found it (its own lookup succeeded) and stored it.
    entries.set(created.id, { ...created, model: 'stored-by-another-instance' } as Generation);
    const generation = await lookup;
    expect(generation.model).toBe('stored-by-another-instance');
    // Every request it made was answered "not ready": the cache, not the server, ended the wait.
    expect(fake.generationCalls(created.id).every((call) => call.status === 404)).toBe(true);
  });
});
