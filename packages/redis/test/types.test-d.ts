import type { GenerationCache } from '@genmeta/core';
import { expectTypeOf, test } from 'vitest';
import { createRedisStores, type GenerationRegistry, type SpendStore } from '../src/index.ts';

test('the stores fit the interfaces genmeta reads', () => {
  const stores = createRedisStores({ url: 'redis://127.0.0.1:6379' });
  expectTypeOf(stores.cache).toExtend<GenerationCache>();
  expectTypeOf(stores.registry).toExtend<GenerationRegistry>();
  expectTypeOf(stores.spend).toExtend<SpendStore>();
  expectTypeOf(stores.close).returns.toEqualTypeOf<Promise<void>>();
});

test('a target is a url or a client, not both', () => {
  // @ts-expect-error url and client together
  createRedisStores({ url: 'redis://x', client: {} });
});
