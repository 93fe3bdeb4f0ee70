import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { describe, expect, it } from 'vitest';
import { createLookupQueue } from '../../src/engine/index.js';
import {
  createClient,
  createMemoryCache,
  type Generation,
  type GenerationCache,
  TimeoutError,
} from '../../src/index.js';
import { rejectionOf } from '../helpers.js';
import { textLogger } from './hostile-upstream.js';

const fake = setupFakeOpenRouter({ resetAfterEach: true });

/** Never settles: a cache or key store that hung. */
const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

describe('the deadline', () => {
  it.each([800, 1_100])(
    'leaves room for a last attempt: deadlineMs 1500, stats ready at %i ms, 20 lookups, none not found',
    async (readyInMs) => {
      // The real schedule (default retryDelayMs), so the last wait is the one cut by the deadline.
      const client = createClient({ apiKey: fake.apiKey, baseUrl: fake.url, deadlineMs: 1_500 });
      const ids = Array.from({ length: 20 }, () => fake.addGeneration({}, { readyInMs }).id);
      const results = await client.getGenerations(ids, { concurrency: 20 });
      expect(
        results.filter((result) => !result.ok).map((result) => !result.ok && result.error.code),
      ).toEqual([]);
    },
  );

  it('bounds a cache whose get and set never settle: the read is skipped, the write not awaited', async () => {
    const created = fake.addGeneration();
    const logger = textLogger();
    const hung: GenerationCache = { get: () => never(), set: () => never() };
    const client = createClient({
      apiKey: fake.apiKey,
      baseUrl: fake.url,
      cache: hung,
      deadlineMs: 1_000,
      logger,
    });
    await expect(client.getGeneration(created.id)).resolves.toMatchObject({ id: created.id });
    expect(fake.generationCalls(created.id)).toHaveLength(1);
    expect(logger.lines.some((line) => line.includes('cache get too slow; skipped'))).toBe(true);
    expect(logger.lines.some((line) => line.includes('cache set too slow; not waited for'))).toBe(
      true,
    );
  });

  it('bounds a cache read by the deadline when the deadline is shorter than cacheTimeoutMs', async () => {
    const created = fake.addGeneration();
    const hung: GenerationCache = { get: () => never(), set: () => undefined };
    const client = createClient({
      apiKey: fake.apiKey,
      baseUrl: fake.url,
      cache: hung,
      cacheTimeoutMs: 60_000,
    });
    const error = await rejectionOf(client.getGeneration(created.id, { deadlineMs: 300 }));
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it('fails a key function that never answers: at the attempt timeout, and at the deadline', async () => {
    const created = fake.addGeneration();
    const hungKey = { apiKey: () => never<string>(), baseUrl: fake.url, retryDelayMs: 5 };
    const timedOut = await rejectionOf(
      createClient({ ...hungKey, timeoutMs: 300, maxRetries: 0 }).getGeneration(created.id),
    );
    expect(timedOut).toBeInstanceOf(TimeoutError);
    expect((timedOut as Error).message).toBe(
      `The apiKey function gave no key for generation ${created.id} within 300 ms`,
    );
    const pastDeadline = await rejectionOf(
      createClient({ ...hungKey, timeoutMs: 60_000 }).getGeneration(created.id, {
        deadlineMs: 500,
      }),
    );
    expect(pastDeadline).toBeInstanceOf(TimeoutError);
    expect((pastDeadline as Error).message).toMatch(/did not finish within its 500 ms deadline/);
    // no request for this generation ever left (an earlier test's late request may still arrive)
    expect(fake.generationCalls(created.id)).toHaveLength(0);
  });
});

describe('numeric options', () => {
  it('refuses timers above 2^31-1 ms, naming the option, instead of letting Node fire them at once', async () => {
    expect(() => createClient({ apiKey: 'k', timeoutMs: 3e9 })).toThrow(
      /timeoutMs must be at most 2147483647 ms/,
    );
    expect(() => createClient({ apiKey: 'k', deadlineMs: 2 ** 31 })).toThrow(
      /deadlineMs must be at most/,
    );
    const client = createClient({ apiKey: fake.apiKey, baseUrl: fake.url });
    await expect(client.getGeneration('gen-1', { deadlineMs: 1e10 })).rejects.toThrow(
      /deadlineMs must be at most/,
    );
    // The largest allowed value works.
    const created = fake.addGeneration();
    const slowest = createClient({
      apiKey: fake.apiKey,
      baseUrl: fake.url,
      timeoutMs: 2 ** 31 - 1,
    });
    await expect(slowest.getGeneration(created.id)).resolves.toMatchObject({ id: created.id });
  });

  it.each([
    ['timeoutMs', Number.NaN],
    ['deadlineMs', Number.POSITIVE_INFINITY],
    ['retryDelayMs', Number.NaN],
    ['maxRetries', Number.NaN],
    ['maxRetries', Number.POSITIVE_INFINITY],
    ['maxResponseBytes', Number.NaN],
    ['maxResponseBytes', 0],
    ['cacheTimeoutMs', Number.NaN],
  ])('refuses %s: %d with a RangeError naming it', (name, value) => {
    expect(() => createClient({ apiKey: 'k', [name]: value })).toThrow(RangeError);
    expect(() => createClient({ apiKey: 'k', [name]: value })).toThrow(new RegExp(`^${name} must`));
  });

  it('refuses NaN sizes and concurrency elsewhere too', async () => {
    expect(() => createMemoryCache({ maxBytes: Number.NaN })).toThrow(/^maxBytes must/);
    expect(() => createMemoryCache({ maxEntries: Number.NaN })).toThrow(/^maxEntries must/);
    const client = createClient({ apiKey: fake.apiKey, baseUrl: fake.url });
    expect(() => createLookupQueue({ client, concurrency: Number.NaN })).toThrow(
      /^concurrency must/,
    );
    await expect(client.getGenerations(['gen-1'], { concurrency: Number.NaN })).rejects.toThrow(
      /^concurrency must/,
    );
    await expect(client.getGeneration('gen-1', { finishedAt: Number.NaN })).rejects.toThrow(
      /^finishedAt must/,
    );
  });
});

describe('finishedAt', () => {
  it('spends no request before the stats can be ready when the caller says when the completion ended', async () => {
    const ids = Array.from({ length: 10 }, () => fake.addGeneration({}, { readyInMs: 400 }).id);
    const client = createClient({ apiKey: fake.apiKey, baseUrl: fake.url, cache: false });
    const finishedAt = new Date();
    const found: Generation[] = await Promise.all(
      ids.map((id) => client.getGeneration(id, { finishedAt })),
    );
    expect(found.map((generation) => generation.id)).toEqual(ids);
    // The first request is aimed 550 ms after the end, past the 400 ms readiness: one each.
    for (const id of ids) expect(fake.generationCalls(id)).toHaveLength(1);
  });

  it('asks at once when the completion ended long ago', async () => {
    const created = fake.addGeneration();
    const client = createClient({ apiKey: fake.apiKey, baseUrl: fake.url, cache: false });
    const waits: number[] = [];
    await client.getGeneration(created.id, {
      finishedAt: Date.now() - 60_000,
      onWaiting: (info) => waits.push(info.delayMs),
    });
    expect(waits).toEqual([]);
    expect(fake.generationCalls(created.id)).toHaveLength(1);
  });
});
