// @genmeta/redis installed alone (stores over the URL it connects to) and next to the app's own
// ioredis 6 (stores over the app's client), against a redis-server this script starts on a free
// port in a scratch folder and stops: the registry serves what was added and refuses the rest,
// the cache keeps a real generation of the fake, spend is counted; with Redis gone the registry
// fails closed and the cache fails open.
// app-dependencies:
// app-dependencies: ioredis@^6.0.0
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRedisStores, isRedisUnavailableError } from '@genmeta/redis';

const baseUrl = process.env.OPENROUTER_BASE_URL;
const apiKey = process.env.OPENROUTER_API_KEY;
const require = createRequire(join(process.cwd(), 'package.json'));
const withIoredis = existsSync(join(process.cwd(), 'node_modules', 'ioredis'));

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function listening(port) {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const up = await new Promise((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => resolve(socket.destroy() || true));
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`redis-server did not listen on port ${port}`);
}

/** A generation of the fake, as OpenRouter serves it once its stats are ready. */
async function fakeGeneration() {
  const completion = await fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hello from the rehearsal' }] }),
  });
  assert.equal(completion.status, 200);
  const id = completion.headers.get('x-generation-id');
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const response = await fetch(`${baseUrl}/generation?id=${encodeURIComponent(id)}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    if (response.status === 200) return (await response.json()).data;
    assert.equal(response.status, 404, 'only not-ready before the stats');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the fake never served ${id}`);
}

const port = await freePort();
const dir = mkdtempSync(join(tmpdir(), 'genmeta-redis-smoke-'));
const redisArgs = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir];
const redis = spawn('/usr/bin/redis-server', [...redisArgs, '--save', '', '--appendonly', 'no'], {
  stdio: 'ignore',
});
const redisExited = new Promise((resolve) => redis.once('exit', resolve));
const url = `redis://127.0.0.1:${port}`;
const warnings = [];
const logger = { warn: (details, message) => warnings.push({ details, message }), info() {} };
let ioredis;
let stores;
try {
  await listening(port);
  if (withIoredis) {
    const { Redis } = require('ioredis');
    ioredis = new Redis(url, { maxRetriesPerRequest: 1 });
    ioredis.on('error', () => {}); // the app's own listener; the outage below is expected
    stores = createRedisStores({ client: ioredis }, { prefix: 'smoke:', logger });
  } else {
    stores = createRedisStores({ url }, { prefix: 'smoke:', logger });
  }

  const generation = await fakeGeneration();
  await stores.registry.add(generation.id);
  assert.equal(await stores.registry.has(generation.id), true, 'an added id is servable');
  assert.equal(await stores.registry.has('gen-0-never-added'), false);

  assert.equal(await stores.cache.get(generation.id), undefined, 'a miss before the first set');
  await stores.cache.set(generation.id, generation);
  assert.equal((await stores.cache.get(generation.id)).id, generation.id);

  await stores.spend.record(
    'user-1',
    { id: generation.id, atMs: Date.now(), amountUsd: 0.25 },
    60_000,
  );
  const spent = await stores.spend.buckets('user-1', 60_000, Date.now());
  assert.deepEqual(
    spent.buckets.map((bucket) => bucket.knownUsd),
    [0.25],
  );

  // Redis gone: the registry refuses (a proxy answers 503); the cache still answers what this
  // process holds (its local copy) and misses the rest; one warning.
  redis.kill('SIGKILL');
  await redisExited;
  const refused = await stores.registry.has(generation.id).catch((error) => error);
  assert.ok(isRedisUnavailableError(refused), 'the registry fails closed');
  assert.equal(refused.code, 'redis_unavailable');
  assert.equal(stores.cache.get(generation.id)?.id, generation.id, 'the local copy answers');
  assert.equal(await stores.cache.get('gen-never-seen'), undefined, 'the cache fails open');
  assert.equal(warnings.length, 1, 'one warning for the outage');

  const client = withIoredis ? `ioredis ${require('ioredis/package.json').version}` : 'url';
  console.log(`@genmeta/redis over ${client}: registry, cache and spend on redis-server ${port}`);
} finally {
  await stores?.close();
  ioredis?.disconnect();
  redis.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
