import type { GenerationCache } from '@genmeta/core';
import { Redis as IoRedis6 } from 'ioredis';
import { Redis as IoRedis5 } from 'ioredis5';
import { createClient } from 'redis';
import { expectTypeOf, test } from 'vitest';
import {
  createRedisStores,
  type GenerationRegistry,
  type RedisTarget,
  type SpendStore,
} from '../src/index.ts';

test('the stores fit the interfaces genmeta reads', () => {
  const stores = createRedisStores({ url: 'redis://127.0.0.1:6379' });
  expectTypeOf(stores.cache).toExtend<GenerationCache>();
  expectTypeOf(stores.registry).toExtend<GenerationRegistry>();
  expectTypeOf(stores.spend).toExtend<SpendStore>();
  expectTypeOf(stores.close).returns.toEqualTypeOf<Promise<void>>();
});

test('a node-redis v6 client and ioredis 5/6 instances are accepted as client', () => {
  expectTypeOf(createClient()).toExtend<RedisTarget['client']>();
  expectTypeOf(new IoRedis6()).toExtend<RedisTarget['client']>();
  expectTypeOf(new IoRedis5()).toExtend<RedisTarget['client']>();
  expectTypeOf({ get: () => 1 }).not.toExtend<RedisTarget['client']>();
});

test('a target is a url or a client, not both', () => {
  // @ts-expect-error url and client together
  createRedisStores({ url: 'redis://x', client: {} });
});
