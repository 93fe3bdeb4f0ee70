// Store throughput: @genmeta/redis against a local redis-server (its own process, loopback) vs
// the in-memory equivalents, one call at a time and with 32 in flight; then the Redis memory
// each tracked id costs, for the registry's layout and for a key per id; then a spend check of a
// key with 300,000 past requests against an empty key (same run, alternating rounds). Prints
// tables.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryCache } from '@genmeta/core';
import { spendBucketRange } from '@genmeta/core/rules';
import { createMemoryRegistry } from '@genmeta/core/server';
import { createClient } from 'redis';
import { createRedisStores } from '../dist/index.js';

const operations = Number(process.env.BENCH_OPERATIONS ?? 5000);
const memoryIds = Number(process.env.BENCH_MEMORY_IDS ?? 50_000);

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'genmeta-redis-bench-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', [...args, '--dir', dir, '--loglevel', 'warning'], {
    stdio: 'ignore',
  });
  for (let attempt = 0; ; attempt += 1) {
    const up = await new Promise((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => resolve(socket.destroy() && true));
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (up) break;
    if (attempt > 250) throw new Error('redis-server did not start');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop() {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The in-memory equivalents a single process uses (core's cache and registry). */
function memoryStores() {
  const spend = new Map();
  return {
    cache: createMemoryCache({ maxEntries: operations * 2 }),
    registry: createMemoryRegistry({ maxEntries: operations * 2 }),
    // the least a bucketed store does: one sum per key and bucket
    spend: {
      record(key, entry, windowMs) {
        const { bucketMs } = spendBucketRange(windowMs, entry.atMs);
        const name = `${key}:${Math.floor(entry.atMs / bucketMs)}`;
        spend.set(name, (spend.get(name) ?? 0) + (entry.amountUsd ?? 0));
      },
      buckets(key, windowMs, nowMs) {
        const { bucketMs, oldest, newest } = spendBucketRange(windowMs, nowMs);
        const buckets = [];
        for (let index = oldest; index <= newest; index += 1) {
          const knownUsd = spend.get(`${key}:${index}`);
          if (knownUsd !== undefined)
            buckets.push({ startMs: index * bucketMs, knownUsd, unknownCount: 0 });
        }
        return { nowMs, bucketMs, buckets };
      },
    },
  };
}

const generation = (id) => ({
  id,
  total_cost: 0.00042,
  created_at: '2026-12-01T12:00:00Z',
  model: 'openai/gpt-4o-mini',
  origin: 'https://example.test',
  usage: 0.00042,
  is_byok: false,
  provider_name: 'OpenAI',
  tokens_prompt: 1200,
  tokens_completion: 300,
  latency: 812,
  generation_time: 640,
  finish_reason: 'stop',
});

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

/**
 * ops/s of `call(index)` run `operations` times with `inFlight` calls at once: the median of
 * `rounds` rounds after a warm-up round (the machine is shared; one round is noisy).
 */
async function opsPerSecond(call, inFlight) {
  const round = async () => {
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < operations) await call(next++);
      }),
    );
    return operations / ((performance.now() - started) / 1000);
  };
  await round();
  const results = [];
  for (let index = 0; index < rounds; index += 1) results.push(await round());
  return results.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}

function rows(stores) {
  const now = Date.now();
  const ids = Array.from({ length: operations }, (_, index) => `gen-bench-${index}`);
  return [
    ['cache.set', (i) => stores.cache.set(ids[i], generation(ids[i]))],
    ['cache.get (hit)', (i) => stores.cache.get(ids[i])],
    ['registry.add', (i) => stores.registry.add(ids[i])],
    ['registry.has', (i) => stores.registry.has(ids[i])],
    [
      'spend.record',
      (i) =>
        stores.spend.record(
          `user-${i % 50}`,
          { id: ids[i], amountUsd: 0.001, atMs: now + i },
          3_600_000,
        ),
    ],
    ['spend.buckets', (i) => stores.spend.buckets(`user-${i % 50}`, 3_600_000, now + operations)],
  ];
}

async function memoryPerId(url) {
  const raw = createClient({ url });
  await raw.connect();
  const used = async () => Number(/used_memory:(\d+)/.exec(await raw.info('memory'))[1]);
  const id = (index) => `gen-1764704027-${String(index).padStart(20, '0')}`;
  const results = [];

  await raw.flushAll();
  let before = await used();
  const stores = createRedisStores({ url }, { prefix: 'genmeta:' });
  for (let index = 0; index < memoryIds; index += 500) {
    await Promise.all(Array.from({ length: 500 }, (_, k) => stores.registry.add(id(index + k))));
  }
  const [bucket] = await raw.keys('genmeta:registry:*');
  results.push([
    'registry (a set per time bucket, this package)',
    ((await used()) - before) / memoryIds,
    (await raw.memoryUsage(bucket, { SAMPLES: 0 })) / memoryIds,
  ]);
  await stores.close();

  await raw.flushAll();
  before = await used();
  for (let index = 0; index < memoryIds; index += 500) {
    const batch = raw.multi();
    for (let k = 0; k < 500; k += 1)
      batch.set(`genmeta:registry:${id(index + k)}`, '1', { PX: 86_400_000 });
    await batch.exec();
  }
  results.push([
    'a key per id (SET key 1 PX ttl)',
    ((await used()) - before) / memoryIds,
    await raw.memoryUsage(`genmeta:registry:${id(42)}`),
  ]);

  await raw.flushAll();
  before = await used();
  for (let index = 0; index < memoryIds; index += 500) {
    const batch = raw.multi();
    for (let k = 0; k < 500; k += 1)
      batch.zAdd('genmeta:registry', { score: Date.now() + 86_400_000, value: id(index + k) });
    await batch.exec();
  }
  results.push([
    'one sorted set (score = expiry)',
    ((await used()) - before) / memoryIds,
    (await raw.memoryUsage('genmeta:registry', { SAMPLES: 0 })) / memoryIds,
  ]);
  raw.destroy();
  return results;
}

/**
 * µs per spend check (`spend.buckets`, one at a time) of a key with 300,000 past requests of a
 * 1 h window, written straight into Redis as the store lays them out (5,000 ids in each of its
 * 60 one-minute buckets), against an empty key: medians of alternating rounds.
 */
async function spendCheck(url) {
  const pastRequests = Number(process.env.BENCH_SPEND_REQUESTS ?? 300_000);
  const checks = Number(process.env.BENCH_SPEND_CHECKS ?? 1_000);
  const raw = createClient({ url });
  await raw.connect();
  const [seconds] = await raw.sendCommand(['TIME']);
  const newest = Math.floor(Number(seconds) / 60);
  const perBucket = pastRequests / 60;
  for (let bucket = 0; bucket < 60; bucket += 1) {
    const name = `genmeta:spend:heavy:3600000:${newest - bucket}`;
    for (let start = 0; start < perBucket; start += 5_000) {
      const fields = [];
      for (let index = start; index < Math.min(perBucket, start + 5_000); index += 1)
        fields.push(`i:gen-${bucket}-${index}`, '0.000001');
      await raw.sendCommand(['HSET', name, ...fields]);
    }
    await raw.sendCommand(['HSET', name, 's:usd', String(perBucket * 0.000001)]);
  }
  raw.destroy();
  const stores = createRedisStores({ url });
  const round = async (key) => {
    const started = performance.now();
    for (let index = 0; index < checks; index += 1)
      await stores.spend.buckets(key, 3_600_000, Date.now());
    return ((performance.now() - started) * 1000) / checks;
  };
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  await round('heavy'); // warm-up (loads the script)
  const empty = [];
  const heavy = [];
  for (let index = 0; index < Math.max(rounds, 5); index += 1) {
    empty.push(await round('nobody'));
    heavy.push(await round('heavy'));
  }
  const read = await stores.spend.buckets('heavy', 3_600_000, Date.now());
  await stores.close();
  const [a, b] = [median(empty), median(heavy)];
  console.log('');
  console.log(
    `spend check (spend.buckets, 1 h window, one at a time, ${checks} checks per round, median of ${empty.length} alternating rounds)`,
  );
  console.log(`  empty key                      ${a.toFixed(0).padStart(6)} µs per check`);
  console.log(
    `  ${pastRequests.toLocaleString('en-US')} past requests        ${b.toFixed(0).padStart(6)} µs per check  (${(b / a).toFixed(2)}× the empty key; ${read.buckets.length} buckets read; target under 50 ms: ${b < 50_000 ? 'OK' : 'MISSED'})`,
  );
}

const redis = await startRedis();
try {
  const redisStores = createRedisStores({ url: redis.url });
  const memory = memoryStores();
  const redisRows = rows(redisStores);
  const memoryRows = rows(memory);
  console.log(
    `@genmeta/redis stores, ${operations} calls per round, median of ${rounds}, local redis-server on loopback`,
  );
  console.log('operation        | redis 1 in flight | redis 32 in flight | memory 32 in flight');
  for (let index = 0; index < redisRows.length; index += 1) {
    const [name, call] = redisRows[index];
    const serial = await opsPerSecond(call, 1);
    const parallel = await opsPerSecond(call, 32);
    const inMemory = await opsPerSecond(memoryRows[index][1], 32);
    const cell = (value) => `${Math.round(value).toLocaleString('en-US')} ops/s`.padStart(18);
    console.log(`${name.padEnd(16)} | ${cell(serial)} | ${cell(parallel)}  | ${cell(inMemory)}`);
  }
  await redisStores.close();

  console.log('');
  console.log(`Redis memory per tracked id (${memoryIds} ids of 36 characters, 24 h TTL)`);
  console.log('layout                                         | used_memory delta | MEMORY USAGE');
  for (const [name, delta, usage] of await memoryPerId(redis.url)) {
    console.log(
      `${name.padEnd(46)} | ${`${delta.toFixed(0)} B`.padStart(17)} | ${`${usage.toFixed(0)} B`.padStart(12)}`,
    );
  }

  await spendCheck(redis.url);
} finally {
  redis.stop();
}
