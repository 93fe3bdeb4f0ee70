// What createRedisStores refuses, and the public surface, by name.
import { describe, expect, it } from 'vitest';
import * as publicSurface from '../src/index.ts';
import { createRedisStores, RedisUnavailableError } from '../src/index.ts';

describe('createRedisStores input', () => {
  it.each([
    ['registryTtlMs', { registryTtlMs: 0 }],
    ['registryTtlMs', { registryTtlMs: 1.5 }],
    ['cacheTtlMs', { cacheTtlMs: -1 }],
    ['operationTimeoutMs', { operationTimeoutMs: Number.NaN }],
    ['prefix', { prefix: 42 }],
    ['logger', { logger: {} }],
  ])('a bad %s throws a TypeError naming it', (name, options) => {
    expect(() =>
      createRedisStores(
        { url: 'redis://127.0.0.1:1' },
        options as publicSurface.RedisStoresOptions,
      ),
    ).toThrow(new RegExp(`createRedisStores: ${name}`));
  });

  it.each([
    ['nothing', undefined],
    ['a plain object', {}],
    ['a string', 'redis://127.0.0.1'],
  ])(
    'a client that is %s throws a TypeError naming what fits (JavaScript callers)',
    (_, client) => {
      expect(() => createRedisStores({ client: client as never })).toThrow(
        /client must be a node-redis v6 client .* or an ioredis instance/,
      );
    },
  );

  it('an empty url throws a TypeError', () => {
    expect(() => createRedisStores({ url: '' })).toThrow(TypeError);
  });
});

describe('spend input', () => {
  it('rejects bad entries and windows with an error naming the field, before any Redis call', async () => {
    // Port 1: nothing listens; bad input must be refused before anything is sent.
    const stores = createRedisStores(
      { url: 'redis://127.0.0.1:1' },
      { logger: { warn: () => {} }, operationTimeoutMs: 50 },
    );
    try {
      const entry = { id: 'gen-1', amountUsd: 1, atMs: 1 };
      await expect(stores.spend.record('', entry, 1000)).rejects.toThrow(/key/);
      await expect(stores.spend.record('u', entry, 0)).rejects.toThrow(/windowMs/);
      await expect(
        stores.spend.record('u', { ...entry, amountUsd: Number.NaN }, 1000),
      ).rejects.toThrow(/amountUsd/);
      await expect(
        stores.spend.record('u', { ...entry, atMs: Number.POSITIVE_INFINITY }, 1000),
      ).rejects.toThrow(/time/);
      await expect(stores.spend.record('u', { ...entry, id: '' }, 1000)).rejects.toThrow(/id/);
      // A number out of range is a RangeError (genmeta's option-check rule), not a TypeError.
      await expect(stores.spend.buckets('u', 1000, Number.NaN)).rejects.toThrow(RangeError);
      await expect(stores.spend.record('u', { ...entry, amountUsd: -1 }, 1000)).rejects.toThrow(
        /amountUsd/,
      );
    } finally {
      await stores.close();
    }
  });
});

describe('public surface', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(publicSurface).sort()).toEqual([
      'RedisUnavailableError',
      'createRedisStores',
      'isRedisUnavailableError',
    ]);
  });

  it('RedisUnavailableError serializes without its cause', () => {
    const error = new RedisUnavailableError('registry.has', 'error', { cause: new Error('boom') });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'RedisUnavailableError',
      code: 'redis_unavailable',
      reason: 'error',
      operation: 'registry.has',
      message: 'Redis is unavailable (registry.has)',
    });
    expect(publicSurface.isRedisUnavailableError(error)).toBe(true);
    expect(publicSurface.isRedisUnavailableError(new Error('x'))).toBe(false);
  });
});
