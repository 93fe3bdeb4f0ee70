import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { describe, expect, it } from 'vitest';
import { clientOf, rejectionOf, settlesBeforeNextTurn, until } from './helpers.js';

const fake = setupFakeOpenRouter({ resetAfterEach: true });

describe('getGenerations', () => {
  it('answers in input order, one failure not failing the batch', async () => {
    const a = fake.addGeneration();
    const b = fake.addGeneration();
    fake.script(a.id, [{ type: 'slow', delayMs: 80 }]);
    const seen: [string, number][] = [];
    const results = await clientOf(fake).getGenerations([a.id, 'gen-missing', 'bad id', b.id], {
      wait: false,
      onResult: (result, index) => seen.push([result.id, index]),
    });
    expect(results.map((result) => [result.id, result.ok])).toEqual([
      [a.id, true],
      ['gen-missing', false],
      ['bad id', false],
      [b.id, true],
    ]);
    const [first, missing, invalid] = results;
    expect(first?.ok && first.generation.id).toBe(a.id);
    expect(!missing?.ok && missing?.error.code).toBe('not_found');
    expect(!invalid?.ok && invalid?.error.code).toBe('invalid_id');
    expect(seen).toHaveLength(4);
    expect(seen).toContainEqual([a.id, 0]);
    expect(seen).toContainEqual(['bad id', 2]);
    expect(fake.generationCalls().length).toBe(3);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const ids = Array.from({ length: 12 }, () => fake.addGeneration().id);
    fake.script('*', [{ type: 'slow', delayMs: 40 }], { repeat: true });
    let inFlight = 0;
    let maxInFlight = 0;
    const client = clientOf(fake, {
      fetch: async (input, init) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          return await fetch(input, init);
        } finally {
          inFlight--;
        }
      },
    });
    const results = await client.getGenerations(ids, { concurrency: 3 });
    expect(results.every((result) => result.ok)).toBe(true);
    expect(maxInFlight).toBe(3);

    maxInFlight = 0;
    const more = Array.from({ length: 20 }, () => fake.addGeneration().id);
    const defaultClient = clientOf(fake, {
      fetch: async (input, init) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          return await fetch(input, init);
        } finally {
          inFlight--;
        }
      },
    });
    await defaultClient.getGenerations(more);
    expect(maxInFlight).toBe(8);
  });

  it('rejects the whole call with the reason on abort', async () => {
    const ids = Array.from({ length: 6 }, () => fake.addGeneration().id);
    fake.script('*', [{ type: 'slow', delayMs: 2_000 }], { repeat: true });
    const controller = new AbortController();
    const pending = rejectionOf(
      clientOf(fake).getGenerations(ids, { signal: controller.signal, concurrency: 2 }),
    );
    await until(() => fake.generationCalls().length === 2);
    const reason = new Error('batch cancelled');
    controller.abort(reason);
    expect(await settlesBeforeNextTurn(pending)).toBe(true);
    expect(await pending).toBe(reason);
    expect(fake.generationCalls().length).toBe(2);
  });

  it('adds one abort listener to the caller signal however many lookups are in flight', async () => {
    const ids = Array.from({ length: 24 }, () => fake.addGeneration().id);
    fake.script('*', [{ type: 'slow', delayMs: 50 }], { repeat: true });
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const results = await clientOf(fake).getGenerations(ids, {
        signal: controller.signal,
        concurrency: 16,
      });
      expect(results.every((result) => result.ok)).toBe(true);
      // Warnings are emitted on a later tick.
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual(
      [],
    );
  });

  it('returns an empty array for no ids and rejects a bad concurrency', async () => {
    await expect(clientOf(fake).getGenerations([])).resolves.toEqual([]);
    await expect(clientOf(fake).getGenerations(['x'], { concurrency: 0 })).rejects.toThrow(
      RangeError,
    );
  });
});
