// Redis down at start, killed mid-run, restarted, hung: the cache fails open, the registry fails
// closed, spend fails open, one warning per outage, and everything works again after a restart.
// These suites look at Redis itself, so the process-local copy of the cache is off
// (`shared`); the last suite shows what the copy adds.

import type { Generation } from '@genmeta/core';
import {
  type RedisServer,
  startRedisServer,
  startSilentServer,
} from '@genmeta/fixture-redis-server';
import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisStores, isRedisUnavailableError, type RedisStores } from '../src/index.ts';
import {
  eventually,
  ioRedis6Kind,
  type LogLine,
  nodeRedisKind,
  recordingLogger,
  rejectionOf,
  totals,
  urlKind,
} from './clients.ts';
import { rawClient } from './raw.ts';

const shared = { localCacheEntries: 0 };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const generation = {
  id: 'gen-f',
  total_cost: 1,
  created_at: 'x',
  model: 'm',
  origin: 'o',
  usage: 1,
  is_byok: false,
} as Generation;

async function serverForTest(): Promise<RedisServer> {
  const server = await startRedisServer();
  cleanups.push(() => server.close());
  return server;
}

/** Every store call while Redis is away: how each store fails. */
async function expectOutageBehaviour(
  stores: RedisStores,
  // A crash shows as a connection error, or, if a call lands while the client is mid-reconnect
  // on a loaded machine, as no answer in time: both are refusals.
  reason: 'error' | 'timeout' | 'error or timeout',
): Promise<void> {
  await stores.cache.set('gen-f', generation);
  expect(await stores.cache.get('gen-f')).toBeUndefined();
  const refused = await rejectionOf(Promise.resolve(stores.registry.has('gen-f')));
  expect(isRedisUnavailableError(refused)).toBe(true);
  const reasons = reason === 'error or timeout' ? ['error', 'timeout'] : [reason];
  expect(refused).toMatchObject({ code: 'redis_unavailable', operation: 'registry.has' });
  expect(reasons).toContain((refused as { reason: string }).reason);
  const notAdded = await rejectionOf(Promise.resolve(stores.registry.add('gen-f')));
  expect(notAdded).toMatchObject({ operation: 'registry.add' });
  expect(reasons).toContain((notAdded as { reason: string }).reason);
  await stores.spend.record('user', { id: 'gen-f', amountUsd: 1, atMs: Date.now() }, 60_000);
  expect((await stores.spend.buckets('user', 60_000, Date.now())).buckets).toEqual([]);
}

const levels = (lines: LogLine[]) => lines.map((line) => line.level);

describe('Redis down when the stores start', () => {
  it('url: fails open / closed at once, warns once, and works once Redis comes up', async () => {
    const server = await serverForTest();
    await server.kill();
    const logger = recordingLogger();
    const opened = await urlKind.open(server.url, { ...shared, logger });
    cleanups.push(() => opened.close());
    // The first connect is refused; wait until the client knows it.
    await eventually(async () => expect(logger.lines).toHaveLength(1));
    for (let round = 0; round < 10; round += 1) await expectOutageBehaviour(opened.stores, 'error');
    expect(levels(logger.lines)).toEqual(['warn']);
    expect(logger.lines[0]?.message).toMatch(/unavailable/);

    await server.start();
    await eventually(() => Promise.resolve(opened.stores.registry.add('gen-up')));
    expect(await opened.stores.registry.has('gen-up')).toBe(true);
    await opened.stores.cache.set('gen-f', generation);
    expect(await opened.stores.cache.get('gen-f')).toEqual(generation);
    expect(levels(logger.lines)).toEqual(['warn', 'info']);
    expect(logger.lines[1]?.message).toMatch(/available again/);
  });

  it('the same with an ioredis instance made while Redis is down', async () => {
    const server = await serverForTest();
    await server.kill();
    const logger = recordingLogger();
    const opened = await ioRedis6Kind.open(server.url, { ...shared, logger });
    cleanups.push(() => opened.close());
    await eventually(() => expectOutageBehaviour(opened.stores, 'error or timeout'));
    for (let round = 0; round < 10; round += 1) {
      await expectOutageBehaviour(opened.stores, 'error or timeout');
    }
    expect(levels(logger.lines)).toEqual(['warn']);

    await server.start();
    await eventually(() => Promise.resolve(opened.stores.registry.add('gen-up')));
    expect(await opened.stores.registry.has('gen-up')).toBe(true);
    expect(levels(logger.lines)).toEqual(['warn', 'info']);
  });
});

describe.each([urlKind, nodeRedisKind, ioRedis6Kind])(
  'Redis killed mid-run, over $name',
  (kind) => {
    it('one warning per outage, the registry refuses, and it recovers after each restart', async () => {
      const server = await serverForTest();
      const logger = recordingLogger();
      const opened = await kind.open(server.url, { ...shared, logger });
      cleanups.push(() => opened.close());
      const { stores } = opened;
      await stores.registry.add('gen-before');
      expect(await stores.registry.has('gen-before')).toBe(true);

      for (let outage = 1; outage <= 2; outage += 1) {
        await server.kill();
        // A call sent just as the socket dies may still be answered by it: wait for the outage.
        await eventually(() => expectOutageBehaviour(stores, 'error or timeout'));
        for (let round = 0; round < 10; round += 1) {
          await expectOutageBehaviour(stores, 'error or timeout');
        }
        expect(levels(logger.lines)).toEqual([
          ...Array(outage - 1)
            .fill(['warn', 'info'])
            .flat(),
          'warn',
        ]);

        await server.start();
        await eventually(() => Promise.resolve(stores.registry.add(`gen-after-${outage}`)));
        expect(await stores.registry.has(`gen-after-${outage}`)).toBe(true);
        await stores.spend.record(
          'user',
          { id: 'gen-1', amountUsd: 0.5, atMs: Date.now() },
          60_000,
        );
        expect(totals(await stores.spend.buckets('user', 60_000, Date.now())).usd).toBe(0.5);
        expect(levels(logger.lines)).toEqual(Array(outage).fill(['warn', 'info']).flat());
      }
    });
  },
);

describe('a logger that throws', () => {
  it('never changes what the stores answer', async () => {
    const server = await serverForTest();
    const throwing = {
      warn: () => {
        throw new Error('logger broke');
      },
      info: () => {
        throw new Error('logger broke');
      },
    };
    const opened = await nodeRedisKind.open(server.url, { ...shared, logger: throwing });
    cleanups.push(() => opened.close());
    await server.kill();
    await eventually(() => expectOutageBehaviour(opened.stores, 'error or timeout'));
    await server.start();
    await eventually(() => Promise.resolve(opened.stores.registry.add('gen-logger')));
    expect(await opened.stores.registry.has('gen-logger')).toBe(true);
  });
});

describe('slow Redis, bounded by operationTimeoutMs', () => {
  it('a server that accepts and never answers: misses and refusals, not a hang (url)', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    const logger = recordingLogger();
    const opened = await urlKind.open(silent.url, { ...shared, logger, operationTimeoutMs: 100 });
    cleanups.push(() => opened.close());
    await expectOutageBehaviour(opened.stores, 'timeout');
    expect(levels(logger.lines)).toEqual(['warn']);
  });

  it('a server that accepts and never answers: the same over ioredis', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    const opened = await ioRedis6Kind.open(silent.url, {
      ...shared,
      logger: recordingLogger(),
      operationTimeoutMs: 100,
    });
    cleanups.push(() => opened.close());
    await expectOutageBehaviour(opened.stores, 'timeout');
  });

  it('a Redis that stops answering mid-run (SIGSTOP) times out, then recovers when it resumes', async () => {
    const server = await serverForTest();
    const logger = recordingLogger();
    const opened = await nodeRedisKind.open(server.url, {
      ...shared,
      logger,
      operationTimeoutMs: 100,
    });
    cleanups.push(async () => {
      server.resume();
      await opened.close();
    });
    await opened.stores.registry.add('gen-slow');
    server.pause();
    await expectOutageBehaviour(opened.stores, 'timeout');
    expect(levels(logger.lines)).toEqual(['warn']);
    server.resume();
    await eventually(async () => expect(await opened.stores.registry.has('gen-slow')).toBe(true));
    expect(levels(logger.lines)).toEqual(['warn', 'info']);
  });

  it('while Redis hangs, one call at a time waits for it; the others fail at once with its reason', async () => {
    const server = await serverForTest();
    const raw = await rawClient(server.url);
    cleanups.push(async () => raw.destroy());
    const opened = await nodeRedisKind.open(server.url, {
      ...shared,
      logger: recordingLogger(),
      operationTimeoutMs: 100,
    });
    cleanups.push(async () => {
      server.resume();
      await opened.close();
    });
    const { registry } = opened.stores;
    await registry.add('gen-hung');
    expect(await registry.has('gen-hung')).toBe(true);
    const evalshaCalls = async () =>
      Number(/cmdstat_evalsha:calls=(\d+)/.exec(await raw.info('commandstats'))?.[1] ?? 0);
    const before = await evalshaCalls();
    const batch = () =>
      Promise.all(
        Array.from({ length: 50 }, () => rejectionOf(Promise.resolve(registry.has('gen-hung')))),
      );

    server.pause();
    // Redis was answering: all 50 are sent, and all time out.
    expect((await batch()).map((error) => (error as { reason: string }).reason)).toEqual(
      Array(50).fill('timeout'),
    );
    // Now it is known to hang: one probe is sent; the 49 others fail at once, reason timeout.
    expect((await batch()).map((error) => (error as { reason: string }).reason)).toEqual(
      Array(50).fill('timeout'),
    );
    server.resume();
    // Each try is a probe of its own (one at a time); on a loaded machine more than one may be needed.
    let recoveryTries = 0;
    await eventually(async () => {
      recoveryTries += 1;
      expect(await registry.has('gen-hung')).toBe(true);
    });
    // The 50, the one probe, and the tries that found Redis back; nothing else reached Redis.
    expect((await evalshaCalls()) - before).toBe(50 + 1 + recoveryTries);
  });

  it('DEBUG SLEEP longer than the bound: the call gives up, the next one after it works', async () => {
    const server = await serverForTest();
    const raw = await rawClient(server.url);
    cleanups.push(async () => raw.destroy());
    const opened = await urlKind.open(server.url, {
      ...shared,
      logger: recordingLogger(),
      operationTimeoutMs: 100,
    });
    cleanups.push(() => opened.close());
    await opened.stores.registry.add('gen-sleep');
    const sleeping = raw.sendCommand(['DEBUG', 'SLEEP', '0.5']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(
      await rejectionOf(Promise.resolve(opened.stores.registry.has('gen-sleep'))),
    ).toMatchObject({
      reason: 'timeout',
    });
    await sleeping;
    expect(await opened.stores.registry.has('gen-sleep')).toBe(true);
  });
});

describe('close()', () => {
  it('ends the connection made from url; later calls refuse with reason closed, without a warning', async () => {
    const server = await serverForTest();
    const raw = await rawClient(server.url);
    cleanups.push(async () => raw.destroy());
    const logger = recordingLogger();
    const stores = (await urlKind.open(server.url, { ...shared, logger })).stores;
    await stores.registry.add('gen-close');
    const clientsBefore = (await raw.clientList()).length;
    await stores.close();
    await stores.close();
    // Redis notices the closed socket a moment later.
    await eventually(async () => expect((await raw.clientList()).length).toBe(clientsBefore - 1));
    expect(await rejectionOf(Promise.resolve(stores.registry.has('gen-close')))).toMatchObject({
      reason: 'closed',
    });
    expect(await stores.cache.get('gen-close')).toBeUndefined();
    expect(logger.lines).toEqual([]);
  });

  it('leaves a client given by the app open', async () => {
    const server = await serverForTest();
    const client = createClient({ url: server.url });
    await client.connect();
    cleanups.push(async () => client.destroy());
    const stores = createRedisStores({ client }, { ...shared, logger: recordingLogger() });
    await stores.registry.add('gen-given');
    await stores.close();
    expect(client.isReady).toBe(true);
    expect(await client.ping()).toBe('PONG');
  });
});

describe('the process-local copy of the cache (the default)', () => {
  it('answers a generation this process already read or wrote while Redis is away, synchronously', async () => {
    const server = await startRedisServer();
    cleanups.push(() => server.close());
    const opened = await urlKind.open(server.url, { logger: recordingLogger() });
    cleanups.push(() => opened.close());
    const writer = await urlKind.open(server.url, { ...shared, logger: recordingLogger() });
    cleanups.push(() => writer.close());
    await opened.stores.cache.set('gen-f', generation);
    await writer.stores.cache.set('gen-read', { ...generation, id: 'gen-read' });
    expect(await opened.stores.cache.get('gen-read')).toMatchObject({ id: 'gen-read' });

    await server.kill();
    // Held in memory: no promise, no Redis round trip, the same answer.
    expect(opened.stores.cache.get('gen-f')).toEqual(generation);
    expect(opened.stores.cache.get('gen-read')).toMatchObject({ id: 'gen-read' });
    // What this process never held still fails open.
    expect(await opened.stores.cache.get('gen-never')).toBeUndefined();
  });
});
