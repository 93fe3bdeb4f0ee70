import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { describe, expect, it } from 'vitest';
import { createClient } from '../client/create-client.js';
import { createLookupQueue } from './lookup-queue.js';

const fake = setupFakeOpenRouter({ resetAfterEach: true });
const clientOf = () => createClient({ apiKey: fake.apiKey, baseUrl: fake.url, retryDelayMs: 5 });

describe('createLookupQueue', () => {
  it('runs at most `concurrency` lookups, counts running and queued, and settles each', async () => {
    const generations = Array.from({ length: 5 }, () => fake.addGeneration());
    for (const { id } of generations) fake.script(id, [{ type: 'slow', delayMs: 100 }]);
    const queue = createLookupQueue({ client: clientOf(), concurrency: 2 });
    const lookups = generations.map(({ id }) => queue.add(id));
    expect(queue.running).toBe(2);
    expect(queue.queued).toBe(3);
    const found = await Promise.all(lookups);
    expect(found.map((generation) => generation.id)).toEqual(generations.map(({ id }) => id));
    await queue.idle();
    expect(queue.running).toBe(0);
    expect(queue.queued).toBe(0);
    expect(fake.generationCalls()).toHaveLength(5);
  });

  it('rejects queued and running lookups at once with the reason when its signal aborts', async () => {
    const generations = Array.from({ length: 3 }, () => fake.addGeneration());
    for (const { id } of generations) fake.script(id, [{ type: 'slow', delayMs: 5_000 }]);
    const controller = new AbortController();
    const queue = createLookupQueue({
      client: clientOf(),
      concurrency: 1,
      signal: controller.signal,
    });
    const lookups = generations.map(({ id }) => queue.add(id));
    const reason = new Error('shutting down');
    controller.abort(reason);
    for (const lookup of lookups) await expect(lookup).rejects.toBe(reason);
    await expect(queue.add(generations[0]?.id ?? '')).rejects.toBe(reason);
    await queue.idle();
  });

  it('passes a failure through and rejects a bad concurrency', async () => {
    const queue = createLookupQueue({ client: clientOf() });
    await expect(queue.add('not a valid id')).rejects.toMatchObject({ code: 'invalid_id' });
    expect(() => createLookupQueue({ client: clientOf(), concurrency: 0 })).toThrow(
      /concurrency must be a positive integer, got 0/,
    );
  });
});
