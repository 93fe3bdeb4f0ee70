import { setupFakeOpenRouter } from '@genmeta/fake-openrouter/vitest';
import { describe, expect, it } from 'vitest';
import type { GenerationCache } from '../src/index.js';
import type { Generation } from '../src/schemas/generation.js';
import { clientOf } from './helpers.js';

const fake = setupFakeOpenRouter({ resetAfterEach: true });

/**
 * A shared cache as another instance sees it: the other instance stores the generation and gives
 * its claim back in the moment between this client's miss and its claim.
 */
function cacheRacedBy(other: () => Generation): GenerationCache & { claims: number } {
  const entries = new Map<string, Generation>();
  const cache = {
    claims: 0,
    get: (id: string) => entries.get(id),
    set: (id: string, generation: Generation) => {
      entries.set(id, generation);
    },
    claim: async (id: string) => {
      cache.claims++;
      // The other instance's answer lands now; its claim is already given back, so ours is granted.
      entries.set(id, other());
      return true;
    },
    release: () => undefined,
  };
  return cache;
}

describe('a cache shared by instances (claims)', () => {
  it('reads the cache again once its claim is granted: what another instance just stored is not asked for again', async () => {
    const created = fake.addGeneration();
    const stored = { ...created, total_cost: created.total_cost } as Generation;
    const cache = cacheRacedBy(() => stored);
    const client = clientOf(fake, { cache });
    const generation = await client.getGeneration(created.id);
    expect(generation.id).toBe(created.id);
    expect(cache.claims).toBe(1);
    expect(fake.generationCalls()).toHaveLength(0);
  });

  it('asks upstream once the claim is granted and the cache still misses', async () => {
    const created = fake.addGeneration();
    const entries = new Map<string, Generation>();
    const cache: GenerationCache = {
      get: (id) => entries.get(id),
      set: (id, generation) => {
        entries.set(id, generation);
      },
      claim: () => true,
      release: () => undefined,
    };
    const client = clientOf(fake, { cache });
    expect((await client.getGeneration(created.id)).id).toBe(created.id);
    expect(fake.generationCalls()).toHaveLength(1);
  });
});
